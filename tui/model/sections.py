"""A file of named sections (a saved word index, index_file.py): a magic text, the
sections one after another, the header (MessagePack) that says where each is, then the
header's offset as 8 little-endian bytes. Read with pread, not mapped: the file is
replaced, never changed in place, so an open file stays whole; a mapped file that
something truncated would crash the process.
"""

from __future__ import annotations

import os
import struct
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO, Final, TypeVar, overload

import msgspec

from .sequences import Computed
from .state import remove_stale_temporaries

T = TypeVar("T")
H = TypeVar("H")
CHUNK: Final = 20_000
"""Items read at a time when all of them are read."""


class StoredItems(Computed[T]):
    """Items stored one after another in a file, `ends` saying where each ends (from
    `start`), each read with pread and decoded when asked for. A slice, or the whole of
    it, is read a block at a time. `decode` is given a memoryview of an item's bytes."""

    def __init__(
        self, handle: BinaryIO, start: int, ends: array[int], decode: Callable[[Any], T]
    ) -> None:
        self._handle = handle
        self._start = start
        self._ends = ends
        self._decode = decode

    def __len__(self) -> int:
        return len(self._ends)

    def item(self, index: int) -> T:
        return self._decode(memoryview(self._read(index, index + 1)))

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if not isinstance(index, slice):
            return super().__getitem__(index)
        first, last, step = index.indices(len(self))
        if step != 1 or last <= first:
            return super().__getitem__(index)
        return list(self._block(first, last))

    def __iter__(self) -> Iterator[T]:
        for first in range(0, len(self), CHUNK):
            yield from self._block(first, min(first + CHUNK, len(self)))

    def _block(self, first: int, last: int) -> Iterator[T]:
        """Items `first` to `last` (not included), read in one go."""
        ends = self._ends
        base = ends[first - 1] if first else 0
        block = memoryview(self._read(first, last))
        start = 0
        for end in ends[first:last]:
            yield self._decode(block[start : end - base])
            start = end - base

    def _read(self, first: int, last: int) -> bytes:
        """The bytes of items `first` to `last` (not included)."""
        start = self._ends[first - 1] if first else 0
        return read_span(self._handle, self._start + start, self._ends[last - 1] - start)


def read_header(handle: BinaryIO, magic: bytes, kind: type[H]) -> tuple[H, int]:
    """The header of a file of sections, and where it starts. ValueError if the file
    is not one, struct.error or msgspec.DecodeError if it is damaged."""
    fd = handle.fileno()
    size = os.fstat(fd).st_size
    if size < len(magic) + 8 or os.pread(fd, len(magic), 0) != magic:
        raise ValueError(f"{handle.name} is not a file of this kind")
    (header_at,) = struct.unpack("<Q", os.pread(fd, 8, size - 8))
    if not len(magic) <= header_at <= size - 8:
        raise ValueError(f"{handle.name} is damaged")
    header = msgspec.msgpack.decode(os.pread(fd, size - 8 - header_at, header_at), type=kind)
    return header, header_at


def check_sections(
    sections: Mapping[str, tuple[int, int]], expected: Iterable[str], header_at: int
) -> None:
    """That the header names just the sections expected, each inside the file."""
    if set(sections) != set(expected) or any(
        start < 0 or length < 0 or start + length > header_at for start, length in sections.values()
    ):
        raise ValueError("damaged")


def read_span(handle: BinaryIO, start: int, length: int) -> bytes:
    data = os.pread(handle.fileno(), length, start)
    if len(data) != length:
        raise ValueError(f"{handle.name} was cut short")
    return data


def write_atomically(where: Path, write: Callable[[BinaryIO], None]) -> None:
    """Write `where` through a temporary file beside it, put in its place in one step: a
    reader sees the old file or the new one, never half of one."""
    where.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(where)
    fd, temporary = tempfile.mkstemp(prefix=f".{where.name}.", suffix=".tmp", dir=where.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, where)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class SectionWriter:
    """A file of named sections: `magic`, the sections, then (`finish`) the header that
    says where each is and the header's own offset, as 8 little-endian bytes."""

    def __init__(self, handle: BinaryIO, magic: bytes) -> None:
        self.handle = handle
        self.at = handle.write(magic)
        self.sections: dict[str, tuple[int, int]] = {}

    def add(self, name: str, pieces: Iterable[bytes | bytearray | array[int]]) -> None:
        """A section written a piece at a time: a big one is never whole in memory,
        and the app's thread gets the interpreter between pieces."""
        start = self.at
        for piece in pieces:
            self.at += self.handle.write(piece)
        self.sections[name] = (start, self.at - start)

    def finish(self, header: bytes) -> None:
        at = self.at
        self.handle.write(header)
        self.handle.write(struct.pack("<Q", at))
