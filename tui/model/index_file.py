"""A large file's word index saved beside its snapshot (cache.py), so that reopening the
unchanged file searches at full speed at once, rather than after the index is built
again (most of a minute at a million events).

It is used only under the same fingerprint as the file was read with, and the same
versions of this layout and of the snapshot's; a stale, damaged or other file is
ignored (and replaced when the app has built the index again).

Layout, as a snapshot's: MAGIC, the sections, the header (MessagePack), then the
header's offset as 8 little-endian bytes. Bitmaps are in roaring's portable format,
a field's one after another with their ends in a section of their own; a word's is
decoded only when a query reaches it (a million words, each an id, would otherwise
take a second to decode).
"""

from __future__ import annotations

import os
import struct
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Final

import msgspec
import numpy as np
from pyroaring import BitMap

from .cache import VERSION as SNAPSHOT_VERSION
from .cache import Fingerprint, Place, SectionWriter, index_path
from .debug import debug
from .events import Timeline
from .sequences import Computed
from .state import remove_stale_temporaries
from .word_index import FieldIndex, WordIndex

VERSION: Final = 1
"""Bumped whenever what is saved, or the index's meaning, changes."""
MAGIC: Final = b"timeline word index\n"


class Header(msgspec.Struct):
    version: int
    snapshot_version: int
    fingerprint: Fingerprint
    count: int
    fields: list[str]
    grades: list[str]
    counted: list[str]
    sections: dict[str, tuple[int, int]]
    """name: (offset, length) from the start of the file."""


# Writing


def write(place: Place, index: WordIndex) -> None:
    """Save the index of the timeline read from the file at `place`. Atomic, as a
    snapshot is: a reader sees the old file or the new one."""
    where = index_path(place)
    where.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(where)
    fd, temporary = tempfile.mkstemp(prefix=f".{where.name}.", suffix=".tmp", dir=where.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            out = SectionWriter(handle, MAGIC)
            for name, field in index.fields.items():
                _add_bitmaps(out, f"words:{name}", field.words, field.bitmaps)
                values = sorted(field.values)
                bitmaps = [field.values[value] for value in values]
                _add_bitmaps(out, f"values:{name}", values, bitmaps)
            for name, grades in index.grades.items():
                out.add(f"grades:{name}", [grades.tobytes()])
            out.add("with_history", [index.with_history.serialize()])
            for name, (texts, codes) in index.codes.items():
                out.add(f"texts:{name}", [msgspec.msgpack.encode(texts)])
                out.add(f"codes:{name}", [codes.tobytes()])
            header = Header(
                VERSION,
                SNAPSHOT_VERSION,
                place.fingerprint,
                len(index.timeline),
                list(index.fields),
                list(index.grades),
                list(index.codes),
                out.sections,
            )
            out.finish(msgspec.msgpack.encode(header))
        os.replace(temporary, where)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _add_bitmaps(out: SectionWriter, name: str, keys: list[str], bitmaps: Sequence[BitMap]) -> None:
    """Sorted keys (words, whole values), their bitmaps one after another, and where each
    bitmap ends."""
    ends = array("q")

    def serialised() -> Iterator[bytes]:
        done = 0
        for bitmap in bitmaps:
            data = bitmap.serialize()
            done += len(data)
            ends.append(done)
            yield data

    out.add(f"{name}:keys", [msgspec.msgpack.encode(keys)])
    out.add(f"{name}:bitmaps", serialised())
    out.add(f"{name}:ends", [ends])  # filled as the bitmaps were written


# Reading


def read(place: Place, timeline: Timeline) -> WordIndex | None:
    """The saved index of `timeline`, read from the file at `place`, if it is current."""
    where = index_path(place)
    try:
        with open(where, "rb") as handle:
            data = handle.read()
        index = _index(data, place.fingerprint, timeline)
    except (OSError, ValueError, struct.error, msgspec.DecodeError) as exc:
        debug(f"word index {where} not used: {exc}")
        return None
    return index


def _index(data: bytes, fingerprint: Fingerprint, timeline: Timeline) -> WordIndex:
    if len(data) < len(MAGIC) + 8 or not data.startswith(MAGIC):
        raise ValueError("not a word index")
    (header_at,) = struct.unpack("<Q", data[-8:])
    if not len(MAGIC) <= header_at <= len(data) - 8:
        raise ValueError("not a word index")
    header = msgspec.msgpack.decode(data[header_at:-8], type=Header)
    if (header.version, header.snapshot_version) != (VERSION, SNAPSHOT_VERSION):
        raise ValueError("another version")
    if header.fingerprint != fingerprint or header.count != len(timeline):
        raise ValueError("the file has changed")
    view = memoryview(data)

    def section(name: str) -> memoryview:
        found = header.sections.get(name)
        if found is None:
            raise ValueError(f"damaged: no {name}")
        start, length = found
        if start < len(MAGIC) or length < 0 or start + length > header_at:
            raise ValueError("damaged")
        return view[start : start + length]

    def texts(name: str) -> list[str]:
        return msgspec.msgpack.decode(section(name), type=list[str])

    def numbers(name: str, dtype: type[np.generic]) -> np.ndarray:
        found = np.frombuffer(section(name), dtype=dtype)
        if len(found) != header.count:
            raise ValueError(f"damaged: {name}")
        return found

    def keyed_bitmaps(name: str) -> tuple[list[str], SavedBitmaps]:
        keys = texts(f"{name}:keys")
        ends = array("q")
        ends.frombytes(section(f"{name}:ends"))
        blobs = section(f"{name}:bitmaps")
        if len(ends) != len(keys) or (ends and ends[-1] != len(blobs)):
            raise ValueError(f"damaged: {name}")
        return keys, SavedBitmaps(blobs, ends)

    fields = {}
    for name in header.fields:
        words, bitmaps = keyed_bitmaps(f"words:{name}")
        fields[name] = FieldIndex(words, bitmaps, SavedValues(*keyed_bitmaps(f"values:{name}")))
    grades = {name: numbers(f"grades:{name}", np.int64) for name in header.grades}
    codes = {}
    for name in header.counted:
        distinct = texts(f"texts:{name}")
        numbered = numbers(f"codes:{name}", np.uint32)
        if len(numbered) and int(numbered.max()) >= len(distinct):
            raise ValueError(f"damaged: {name}")
        codes[name] = (distinct, numbered)
    with_history = BitMap.deserialize(bytes(section("with_history")))
    return WordIndex.of_parts(timeline, fields, grades, with_history, codes)


class SavedBitmaps(Computed[BitMap]):
    """A field's bitmaps, each decoded from the saved bytes when asked for."""

    def __init__(self, blobs: memoryview, ends: array[int]) -> None:
        self._blobs = blobs
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def item(self, index: int) -> BitMap:
        start = self._ends[index - 1] if index else 0
        return BitMap.deserialize(bytes(self._blobs[start : self._ends[index]]))


class SavedValues(Mapping[str, BitMap]):
    """A field's whole values (sorted) and their bitmaps, each decoded when asked for."""

    def __init__(self, values: list[str], bitmaps: SavedBitmaps) -> None:
        self._values = values
        self._bitmaps = bitmaps

    def __getitem__(self, value: str) -> BitMap:
        k = bisect_left(self._values, value)
        if k < len(self._values) and self._values[k] == value:
            return self._bitmaps[k]
        raise KeyError(value)

    def __len__(self) -> int:
        return len(self._values)

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)
