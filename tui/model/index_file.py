"""A large file's word index saved beside its snapshot (cache.py), so that reopening the
unchanged file searches at full speed at once, rather than after the index is built
again (most of a minute at a million events).

It is used only under the same fingerprint as the file was read with, and the same
versions of this layout and of the snapshot's; a stale, damaged or other file is
ignored (and replaced when the app has built the index again).

A file of sections (sections.py). Bitmaps are in roaring's portable
format, a field's one after another in word order with their ends in a section of their
own. The file is read with pread when a query reaches a word, not held
in memory (whole, a million events' index took 430 MB): a prefix's words are next to
each other, read in one go.
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Iterator, Sequence
from typing import BinaryIO, Final

import msgspec
import numpy as np
from pyroaring import BitMap

from .cache import VERSION as SNAPSHOT_VERSION
from .cache import Fingerprint, SnapshotPlace, index_path
from .debug import debug
from .events import Timeline
from .sections import (
    SectionWriter,
    StoredItems,
    check_sections,
    read_header,
    read_span,
    write_atomically,
)
from .sequences import SortedKeys
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


def write(place: SnapshotPlace, index: WordIndex) -> None:
    """Save the index of the timeline read from the file at `place`."""
    write_atomically(index_path(place), lambda handle: _write(handle, place, index))


def _write(handle: BinaryIO, place: SnapshotPlace, index: WordIndex) -> None:
    out = SectionWriter(handle, MAGIC)
    for name, field in index.fields.items():
        _add_bitmaps(out, f"words:{name}", field.words, field.bitmaps)
        values = sorted(field.values)
        _add_bitmaps(out, f"values:{name}", values, [field.values[v] for v in values])
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


def read(place: SnapshotPlace, timeline: Timeline) -> WordIndex | None:
    """The saved index of `timeline`, read from the file at `place`, if it is current.
    The file stays open: its bitmaps are read from it when a query reaches them."""
    where = index_path(place)
    handle = None
    try:
        handle = open(where, "rb")  # noqa: SIM115 (the index keeps it open)
        return _index(handle, place.fingerprint, timeline)
    except (OSError, ValueError, struct.error, msgspec.DecodeError) as exc:
        if handle is not None:
            handle.close()
        debug(f"word index {where} not used: {exc}")
        return None


def _index(handle: BinaryIO, fingerprint: Fingerprint, timeline: Timeline) -> WordIndex:
    header, header_at = read_header(handle, MAGIC, Header)
    if (header.version, header.snapshot_version) != (VERSION, SNAPSHOT_VERSION):
        raise ValueError("another version")
    if header.fingerprint != fingerprint or header.count != len(timeline):
        raise ValueError("the file has changed")
    keyed = [f"{kind}:{name}" for kind in ("words", "values") for name in header.fields]
    check_sections(
        header.sections,
        [
            *(f"{part}:{part_of}" for part in keyed for part_of in ("keys", "bitmaps", "ends")),
            *(f"grades:{name}" for name in header.grades),
            "with_history",
            *(f"{kind}:{name}" for kind in ("texts", "codes") for name in header.counted),
        ],
        header_at,
    )

    def section(name: str) -> bytes:
        return read_span(handle, *header.sections[name])

    def texts(name: str) -> list[str]:
        return msgspec.msgpack.decode(section(name), type=list[str])

    def numbers(name: str, dtype: type[np.generic]) -> np.ndarray:
        found = np.frombuffer(section(name), dtype=dtype)
        if len(found) != header.count:
            raise ValueError(f"damaged: {name}")
        return found

    def keyed_bitmaps(name: str) -> tuple[list[str], StoredItems[BitMap]]:
        keys = texts(f"{name}:keys")
        ends = array("q")
        ends.frombytes(section(f"{name}:ends"))
        start, length = header.sections[f"{name}:bitmaps"]
        if len(ends) != len(keys) or (ends and ends[-1] != length):
            raise ValueError(f"damaged: {name}")
        return keys, StoredItems(handle, start, ends, BitMap.deserialize)

    fields = {}
    for name in header.fields:
        words, bitmaps = keyed_bitmaps(f"words:{name}")
        fields[name] = FieldIndex(words, bitmaps, SortedKeys(*keyed_bitmaps(f"values:{name}")))
    grades = {name: numbers(f"grades:{name}", np.int64) for name in header.grades}
    codes = {}
    for name in header.counted:
        distinct = texts(f"texts:{name}")
        numbered = numbers(f"codes:{name}", np.uint32)
        if len(numbered) and int(numbered.max()) >= len(distinct):
            raise ValueError(f"damaged: {name}")
        codes[name] = (distinct, numbered)
    with_history = BitMap.deserialize(section("with_history"))
    return WordIndex.of_parts(timeline, fields, grades, with_history, codes)
