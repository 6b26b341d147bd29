"""A Parquet dataset: one timeline kept in many Parquet files, as data lakes keep it,
named by a folder (every `.parquet` file under it, and every file with no suffix at
all that is Parquet: Hive, Trino and Athena name theirs `000000_0`) or by a glob
ending in `.parquet` (`'lake/**/*.parquet'`, quoted so that the shell leaves it to us). A folder
`key=value` between the dataset's root and a file (hive partitioning:
`year=2025/month=01/part-0.parquet`) gives each of that file's events the key, its
value the folder's text as DuckDB reads it (`%2F` decoded, `__HIVE_DEFAULT_PARTITION__`
no value); folders above the root say nothing. Names starting with `.` or `_` are
skipped, as Spark and Hive skip `_SUCCESS`, `_temporary/` and `.crc` files.

The files are one source, not several: an id is one event's in the whole dataset, and
the timeline's record (title, named sources) is the one each of our files carries.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Final

from .reading import STDIN

GLOB_CHARACTERS: Final = "*?["
SUFFIX: Final = ".parquet"
SKIPPED: Final = (".", "_")
MAGIC: Final = b"PAR1"
"""What a Parquet file starts with."""
SAMPLE: Final = 4096
"""Bytes of each end of a file that its signature hashes."""

# `print` of a file asks whether it names a dataset: glob, hashlib and pathlib (6 ms of
# its 60) are imported only where one is read.


def is_glob(path: str) -> bool:
    """A pattern for Parquet files (`lake/**/*.parquet`) rather than a name: it ends in
    `.parquet`, has a glob character, and no file is so named. (A query word with a `*`
    is never taken for one.)"""
    return (
        path.lower().endswith(SUFFIX)
        and any(c in path for c in GLOB_CHARACTERS)
        and not os.path.exists(path)
    )


def is_dataset(path: str) -> bool:
    """Whether `path` names a dataset (a folder or a glob), without looking for its files."""
    return path != STDIN and (os.path.isdir(path) or is_glob(path))


def _parts(path: str) -> list[str]:
    return [part for part in os.path.normpath(path).split(os.sep) if part]


def dataset_files(path: str) -> list[str] | None:
    """The files of the dataset `path` names (empty if it names none), in the order of
    their paths; None if `path` is not a folder or a glob (a file, standard input)."""
    if path == STDIN or os.path.isfile(path):
        return None
    if os.path.isdir(path):
        found = []
        for folder, folders, files in os.walk(path):
            folders[:] = [name for name in folders if not name.startswith(SKIPPED)]
            found += [
                os.path.join(folder, name)
                for name in files
                if not name.startswith(SKIPPED)
                and (
                    name.lower().endswith(SUFFIX)
                    or ("." not in name and _is_parquet(os.path.join(folder, name)))
                )
            ]
        return sorted(found, key=_parts)
    if is_glob(path):
        import glob

        fixed = len(_parts(dataset_root(path)))
        return sorted(
            (
                p
                for p in glob.glob(path, recursive=True)
                if os.path.isfile(p) and not any(n.startswith(SKIPPED) for n in _parts(p)[fixed:])
            ),
            key=_parts,
        )
    return None


def _is_parquet(path: str) -> bool:
    """Whether the file starts as Parquet does (a file that can't be read: no)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except OSError:
        return False


def dataset_root(path: str) -> str:
    """The folder whose subfolders are the partitions: the folder given, or a glob's
    longest leading part without a glob character."""
    if not is_glob(path):
        return path
    fixed = []
    for part in os.path.dirname(path).split(os.sep):
        if any(c in part for c in GLOB_CHARACTERS):
            break
        fixed.append(part)
    return os.sep.join(fixed) or (os.sep if path.startswith(os.sep) else ".")


def partition_keys(root: str, files: Sequence[str]) -> set[str]:
    """The keys that the folders between `root` and the files name (`key=value`)."""
    keys: set[str] = set()
    top = len(_parts(os.path.abspath(root)))
    for file in files:
        for part in _parts(os.path.abspath(file))[top:-1]:
            key, equals, _ = part.partition("=")
            if key and equals:
                keys.add(key)
    return keys


def dataset_signature(files: Sequence[str]) -> tuple[int, int, str]:
    """The dataset's size, newest modification time and a hash of every file's path,
    size, time, first and last bytes (a Parquet file's footer says what it holds): what
    changes when a file is added, removed or rewritten. OSError if one can't be read."""
    import hashlib

    digest = hashlib.blake2b(digest_size=16)
    size = newest = 0
    for file in files:
        with open(file, "rb") as handle:
            stat = os.fstat(handle.fileno())
            head = handle.read(SAMPLE)
            handle.seek(max(stat.st_size - SAMPLE, 0))
            tail = handle.read(SAMPLE)
        size += stat.st_size
        newest = max(newest, stat.st_mtime_ns)
        said = f"{file}\x00{stat.st_size}\x00{stat.st_mtime_ns}\x00{stat.st_ino}\x00"
        digest.update(said.encode("utf-8", "surrogateescape") + head + tail)
    digest.update(str(len(files)).encode())
    return size, newest, digest.hexdigest()
