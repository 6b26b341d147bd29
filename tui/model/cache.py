"""A snapshot of a loaded timeline on disk, so that reopening an unchanged large
file skips decoding and checking it.

One snapshot per file (and load options) lives in the user's cache folder. It is
used only while the file's size, modification time and a hash of samples of its
bytes are what they were when it was written. It holds each event encoded on its
own, decoded only when shown, and the flat arrays and search texts that the list
and the filter read: a reopened million-event file is on screen without building
a million objects. A snapshot that is stale, damaged or of another version is
ignored (and replaced by the app's next open). Beside it, once the app has built it,
the file's word index (index_file.py), under the same fingerprint.

Layout: MAGIC, the sections one after another, the header (MessagePack), then the
header's offset as 8 little-endian bytes.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import cached_property
from pathlib import Path
from threading import Lock
from typing import Any, BinaryIO, Final, TypeVar, overload

import msgspec

from .dates import When, decode_hook, encode_hook, parse_when
from .debug import debug
from .events import COLUMN_EXTRACTORS, Event, Source, Timeline
from .problems import Problem
from .sequences import Computed
from .state import remove_stale_temporaries

T = TypeVar("T")
H = TypeVar("H")
V = TypeVar("V")
VERSION: Final = 6
"""Bumped whenever what is stored changes meaning. 2: `known` is the end of an event's
reported (else own) date. 3: the `source` and `status` search texts hold the named
source's publisher and "not stated". 4: sources' grades and copies, citations'
credibility, events' status history (DESIGN.md §7). 5: the `file` search text."""
"""Bump whenever the model's structs or this layout change."""
MAGIC: Final = b"timeline snapshot\n"
KEEP: Final = 4
"""Snapshots kept, the most recently used; older ones are removed (each takes about
twice its file's size)."""
SAMPLES: Final = 64
SAMPLE_BYTES: Final = 16 * 1024
SEP: Final = "\x00"
"""Between the texts of a column: loaded text never holds it (control characters
are removed on load)."""
CHUNK: Final = 20_000
"""Events or texts encoded and written at a time."""
RECENT: Final = 4096
"""Decoded events kept, for the rows on screen and around them."""


SECTIONS: Final = frozenset(
    {
        "meta",
        "events",
        "event_ends",
        "dates",
        "date_index",
        "starts",
        "filed",
        "known",
        "earliests",
        "latests",
        "sorted_ids",
        "sorted_id_positions",
        "referrers",
        *(f"column:{name}" for name in COLUMN_EXTRACTORS),
    }
)


class Fingerprint(msgspec.Struct, frozen=True):
    size: int
    mtime_ns: int
    sample_hash: str
    options: str


class SnapshotPlace(msgspec.Struct, frozen=True):
    """Where a large file's snapshot is kept, and what the file was when it was read:
    its word index is saved beside it (index_file.py) under the same fingerprint."""

    snapshot: str
    fingerprint: Fingerprint


class Header(msgspec.Struct):
    version: int
    fingerprint: Fingerprint
    count: int
    sections: dict[str, tuple[int, int]]
    """name: (offset, length) from the start of the file."""


class Meta(msgspec.Struct):
    title: str | None
    description: str | None
    sources: dict[str, Source]
    extra: dict[str, Any]
    warnings: list[Problem]
    skipped: int
    latest: str | None


def cache_dir() -> Path:
    override = os.environ.get("TIMELINE_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("timeline", appauthor=False))


def fingerprint(path: str, options: str) -> Fingerprint | None:
    """What must not have changed; None if the file can't be read."""
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            sample = _sample_hash(handle, stat.st_size)
            return Fingerprint(stat.st_size, stat.st_mtime_ns, sample, options)
    except OSError as exc:
        debug(f"no snapshot for {path}: cannot read it ({exc.strerror or exc})")
        return None


def _sample_hash(handle: BinaryIO, size: int) -> str:
    """A hash of SAMPLES slices spread over the file, the first and last included:
    with the size and modification time, enough to see an edit, without reading
    a big file whole on every open."""
    digest = hashlib.blake2b(digest_size=16)
    last = max(size - SAMPLE_BYTES, 0)
    for k in range(SAMPLES):
        handle.seek(last * k // (SAMPLES - 1))
        digest.update(handle.read(SAMPLE_BYTES))
    return digest.hexdigest()


def snapshot_path(path: str, options: str) -> Path:
    key = f"{os.path.realpath(path)}\x00{options}".encode("utf-8", "surrogateescape")
    return cache_dir() / f"{hashlib.sha256(key).hexdigest()[:32]}.snapshot"


# Reading


def read(path: str, expected: Fingerprint) -> tuple[CachedTimeline, list[Problem], int] | None:
    """The timeline, warnings and skipped count from a current snapshot, else None."""
    if not hasattr(os, "pread"):
        return None  # Windows: no snapshots
    where = snapshot_path(path, expected.options)
    handle = None
    try:
        handle = open(where, "rb")  # noqa: SIM115 (the timeline keeps it open)
        header, header_at = read_header(handle, MAGIC, Header)
        if header.version != VERSION or header.fingerprint != expected:
            raise ValueError("another version, or the file has changed")
        check_sections(header.sections, SECTIONS, header_at)
        timeline = CachedTimeline(handle, header)
        os.utime(where)  # most recently used
    except (OSError, ValueError, struct.error, msgspec.DecodeError) as exc:
        if handle is not None:
            handle.close()
        debug(f"snapshot {where} not used: {exc}")
        return None
    return timeline, timeline.meta.warnings, timeline.meta.skipped


class CachedTimeline(Timeline):
    """A Timeline read from a snapshot: events decoded when read, arrays and search
    texts read when first needed. Read with pread, not mapped: the file is replaced,
    never changed in place, so the open file stays whole; a mapped file that
    something truncated would crash the process."""

    def __init__(self, handle: BinaryIO, header: Header) -> None:
        self._handle = handle
        self._sections = header.sections
        self.meta = msgspec.msgpack.decode(self._section("meta"), type=Meta, dec_hook=decode_hook)
        self.title = self.meta.title
        self.description = self.meta.description
        self.sources = self.meta.sources
        self.extra = self.meta.extra
        self._columns = {}
        self._column_lock = Lock()
        self._referrers = None
        start, _ = self._sections["events"]
        ends = self._array("event_ends")
        if len(ends) != header.count:
            raise ValueError("damaged: events")
        self.events = CachedEvents(handle, start, ends)
        self.starts = self._array("starts")
        self.filed = self._array("filed")
        self.known = self._array("known")
        self.earliests = self._array("earliests")
        self.latests = self._array("latests")
        self.latest = parse_when(self.meta.latest) if self.meta.latest else None

    def _section(self, name: str) -> bytes:
        return read_span(self._handle, *self._sections[name])

    def _array(self, name: str) -> array[int]:
        values = array("q")
        values.frombytes(self._section(name))
        return values

    def _texts(self, name: str) -> list[str]:
        if not len(self):
            return []
        return str(self._section(name), "utf-8", "surrogatepass").split(SEP)

    @cached_property
    def position(self) -> Mapping[str, int]:  # type: ignore[override]
        return SortedKeys(self._texts("sorted_ids"), self._array("sorted_id_positions"))

    @cached_property
    def _dates(self) -> tuple[list[str], array[int]]:
        texts = msgspec.msgpack.decode(self._section("dates"), type=list[str])
        index = array("i")
        index.frombytes(self._section("date_index"))
        return texts, index

    def date_at(self, index: int) -> When:
        texts, at = self._dates
        when = decode_hook(When, texts[at[index]])  # parsed once per distinct date
        assert isinstance(when, When)
        return when

    def column(self, name: str) -> list[str]:
        column = self._columns.get(name)
        if column is None:
            with self._column_lock:
                column = self._columns.get(name)
                if column is None:
                    column = self._columns[name] = self._texts(f"column:{name}")
        return column

    def texts(self, name: str, keep: bool = True) -> Sequence[str]:
        return self.column(name)  # as cheap as made on demand, and it is kept anyway

    def referrers(self) -> dict[str, list[int]]:
        if self._referrers is None:
            self._referrers = msgspec.msgpack.decode(
                self._section("referrers"), type=dict[str, list[int]]
            )
        return self._referrers


class SortedKeys(Mapping[str, V]):
    """A mapping read by bisection over its keys, sorted, with the values in the same
    order: a million of them are ready at once, where a dict would take a second to
    build (the snapshot's ids, a saved index's whole values)."""

    def __init__(self, keys: list[str], values: Sequence[V]) -> None:
        self._keys = keys
        self._values = values

    def __getitem__(self, key: str) -> V:
        k = bisect_left(self._keys, key)
        if k < len(self._keys) and self._keys[k] == key:
            return self._values[k]
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)


class StoredItems(Computed[T]):
    """Items stored one after another in a file, `ends` saying where each ends (from
    `start`), each read with pread and decoded when asked for. A slice, or the whole of
    it, is read a block at a time. `keep`: how many decoded items are kept (the rows on
    screen and around them). `decode` is given a memoryview of an item's bytes."""

    def __init__(
        self,
        handle: BinaryIO,
        start: int,
        ends: array[int],
        decode: Callable[[Any], T],
        keep: int = 0,
    ) -> None:
        self._handle = handle
        self._start = start
        self._ends = ends
        self._decode = decode
        self._keep = keep
        self._recent: dict[int, T] = {}

    def __len__(self) -> int:
        return len(self._ends)

    def item(self, index: int) -> T:
        found = self._recent.get(index)
        if found is None:
            found = self._decode(memoryview(self._read(index, index + 1)))
            if self._keep:
                if len(self._recent) >= self._keep:
                    self._recent.clear()
                self._recent[index] = found
        return found

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


class CachedEvents(StoredItems[Event]):
    """Events decoded one at a time from their encoded bytes, the recent ones kept."""

    def __init__(self, handle: BinaryIO, start: int, ends: array[int]) -> None:
        decode = msgspec.msgpack.Decoder(Event, dec_hook=decode_hook).decode
        super().__init__(handle, start, ends, decode, RECENT)


# A file of sections (a snapshot, a saved word index): MAGIC, the sections, the header
# (MessagePack) that says where each is, then the header's offset as 8 little-endian bytes.


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


# Writing


def write(
    path: str, before: Fingerprint, timeline: Timeline, warnings: list[Problem], skipped: int
) -> None:
    """Write the snapshot of a timeline loaded from `path`, if the file is still what
    `before` (taken before it was read) says. Atomic: a reader sees the old
    snapshot or the new one, never half of one."""
    if not hasattr(os, "pread") or fingerprint(path, before.options) != before:
        return
    if not len(timeline):
        return
    where = snapshot_path(path, before.options)
    write_atomically(
        where,
        lambda handle: _write_sections(SectionWriter(handle), before, timeline, warnings, skipped),
    )
    _forget_old(where.parent)


class SectionWriter:
    """A file of named sections: `magic`, the sections, then (`finish`) the header that
    says where each is and the header's own offset, as 8 little-endian bytes."""

    def __init__(self, handle: BinaryIO, magic: bytes = MAGIC) -> None:
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


def _write_sections(
    out: SectionWriter,
    before: Fingerprint,
    timeline: Timeline,
    warnings: list[Problem],
    skipped: int,
) -> None:
    encoder = msgspec.msgpack.Encoder(enc_hook=encode_hook)
    latest = timeline.latest.to_text() if timeline.latest is not None else None
    meta = Meta(
        timeline.title,
        timeline.description,
        timeline.sources,
        timeline.extra,
        warnings,
        skipped,
        latest,
    )
    out.add("meta", [encoder.encode(meta)])
    ends = array("q")
    date_ids: dict[str, int] = {}
    date_index = array("i")

    def encoded_events() -> Iterator[bytearray]:
        done = 0
        events = timeline.events
        for start in range(0, len(events), CHUNK):
            blob = bytearray()
            for event in events[start : start + CHUNK]:
                encoder.encode_into(event, blob, len(blob))
                ends.append(done + len(blob))
                date_index.append(date_ids.setdefault(event.date.to_text(), len(date_ids)))
            done += len(blob)
            yield blob

    out.add("events", encoded_events())
    out.add("event_ends", [ends])
    out.add("dates", [encoder.encode(list(date_ids))])
    out.add("date_index", [date_index])
    for name in ("starts", "filed", "known", "earliests", "latests"):
        out.add(name, [getattr(timeline, name)])
    ids = [event.id for event in timeline.events]
    by_id = sorted(range(len(ids)), key=ids.__getitem__)
    out.add("sorted_ids", _joined([ids[i] for i in by_id]))
    out.add("sorted_id_positions", [array("q", by_id)])
    out.add("referrers", [encoder.encode(timeline.referrers())])
    for name in COLUMN_EXTRACTORS:
        kept = name in timeline._columns
        out.add(f"column:{name}", _joined(timeline.column(name)))
        if not kept:
            del timeline._columns[name]  # written, not needed in memory
    out.finish(encoder.encode(Header(VERSION, before, len(timeline), out.sections)))


def _joined(texts: Sequence[str]) -> Iterator[bytes]:
    """The texts with SEP between them, encoded a chunk at a time."""
    for start in range(0, len(texts), CHUNK):
        chunk = texts[start : start + CHUNK]
        joined = SEP.join(chunk)
        if joined.count(SEP) != len(chunk) - 1:
            raise ValueError("a text holds the separator")
        yield (SEP if start else "").encode() + joined.encode("utf-8", "surrogatepass")


def _forget_old(folder: Path) -> None:
    """The snapshots past the KEEP most recently used go, and with them their saved word
    indexes (and any index whose snapshot is gone)."""
    snapshots = sorted(folder.glob("*.snapshot"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in snapshots[KEEP:]:
        old.unlink(missing_ok=True)
    kept = {path.stem for path in snapshots[:KEEP]}
    for index in folder.glob(f"*{INDEX_SUFFIX}"):
        if index.stem not in kept:
            index.unlink(missing_ok=True)


INDEX_SUFFIX: Final = ".index"


def index_path(place: SnapshotPlace) -> Path:
    """Where the word index of the file whose snapshot is at `place` is saved."""
    return Path(place.snapshot).with_suffix(INDEX_SUFFIX)
