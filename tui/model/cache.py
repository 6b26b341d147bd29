"""A snapshot of a loaded timeline on disk, so that reopening an unchanged large
file skips decoding and checking it (DESIGN.md §5).

One snapshot per file (and load options) lives in the user's cache folder: a DuckDB
database. It is used only while the file's size, modification time and a hash of
samples of its bytes are what they were when it was written. It holds each event
encoded on its own (MessagePack), decoded only when shown, and the flat arrays and
search texts that the list and the filter read, one row per event in timeline order:
a reopened million-event file is on screen without building a million objects. A
snapshot that is stale, damaged or of another version is ignored (and replaced by the
app's next open). Beside it, once the app has built it, the file's word index
(index_file.py), under the same fingerprint.

A snapshot is opened read-only (several processes may read one at once) and attached
to a database of its own in memory, never shared with another open of the same path:
DuckDB hands a second `connect` to a path the instance it has open, which would be the
file as it was before a newer snapshot replaced it. It is written to a temporary file
beside it and put in its place in one step: a reader sees the old snapshot or the new
one, never half of one. duckdb is imported only when a snapshot is there to read or is
written.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from array import array
from collections.abc import Callable, ItemsView, Iterable, Iterator, Mapping, Sequence, ValuesView
from functools import cached_property
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any, BinaryIO, Final, TypeVar, overload

import msgspec

from .datasets import dataset_files, dataset_signature
from .dates import When, decode_hook, encode_hook, parse_when
from .debug import debug
from .engine import connect
from .events import COLUMN_EXTRACTORS, Event, Source, Timeline
from .problems import Problem, Unreadable, file_identity
from .seen import fingerprint as event_fingerprint
from .sequences import Computed
from .state import remove_stale_temporaries

if TYPE_CHECKING:
    import duckdb

T = TypeVar("T")

VERSION: Final = 10
"""Bumped whenever what is stored changes meaning. 2: `known` is the end of an event's
reported (else own) date. 3: the `source` and `status` search texts hold the named
source's publisher and "not stated". 4: sources' grades and copies, citations'
credibility, events' status history (DESIGN.md §7). 5: the `file` search text.
7: a DuckDB database (it was a file of sections). 8: each event's fingerprint. 9: the
unknown keys of places, citations, relations and status changes (dropped before).
10: the backlinks' ids, a column of their own."""
KEEP: Final = 4
"""Snapshots kept, the most recently used; older ones are removed."""
SAMPLES: Final = 64
SAMPLE_BYTES: Final = 16 * 1024
CHUNK: Final = 20_000
"""Events read at a time when all are."""
WRITTEN_AT_ONCE: Final = 122_880
"""Events written at a time: a DuckDB row group. Appending 20,000 at a time took four
times as long (30 s for a million events), each append compressing its row group again."""
BLOCK: Final = 256
"""Events read together around the one asked for: the rows on screen and near them."""
KEPT_BLOCKS: Final = 16
"""Blocks of decoded events kept (4,096 events)."""
MEMORY_LIMIT: Final = "512MB"
"""DuckDB's, for every database the model opens (a snapshot, a saved index, a store)."""
WRITING_MEMORY_LIMIT: Final = "256MB"
"""While a snapshot is written, beside the app's million events: with 512 MB a million
events' write took 1 GB more at its peak, with 256 MB 0.7 GB, in the same time."""
Rows = Callable[[int, int], dict[str, Any]]
"""The columns of rows `first` to `last` (not included) of a table being written."""
ARRAYS: Final = ("starts", "filed", "known", "earliests", "latests")
"""The Timeline's flat arrays, each a column of the events table."""
LISTS: Final = ("warnings", "dates", "referrers")
"""Lists beside the events, a table each, one row per item (MessagePack): a million
warnings' 300 MB in parts of 10,000 took 0.3 s to read any part, DuckDB reading every
part to find one; a row is found by its `pos` in milliseconds."""
COLUMNS: Final = {
    *(("about", name) for name in ("version", "fingerprint", "count", "meta")),
    *((name, column) for name in LISTS for column in ("pos", "item")),
    ("referrers", "id"),
    *(("events", name) for name in ("pos", "id", "event", "date_index", "print", *ARRAYS)),
    *(("events", f"c_{name}") for name in COLUMN_EXTRACTORS),
    ("ids", "id"),
    ("ids", "pos"),
}
"""The tables of a snapshot and their columns, checked when it is opened."""


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


class Meta(msgspec.Struct):
    title: str | None
    description: str | None
    sources: dict[str, Source]
    extra: dict[str, Any]
    skipped: int
    latest: str | None


def cache_dir() -> Path:
    override = os.environ.get("TIMELINE_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("timeline", appauthor=False))


def fingerprint(path: str, options: str) -> Fingerprint | None:
    """What must not have changed; None if the file (or a dataset's) can't be read."""
    return fingerprint_of(path, options, dataset_files(path))


def fingerprint_of(path: str, options: str, files: list[str] | None) -> Fingerprint | None:
    """`fingerprint`, the dataset's files (datasets.dataset_files) already found."""
    try:
        if files is not None:
            return Fingerprint(*dataset_signature(files), options)
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


def read(path: str, expected: Fingerprint) -> tuple[CachedTimeline, Sequence[Problem], int] | None:
    """The timeline, warnings and skipped count from a current snapshot, else None."""
    where = snapshot_path(path, expected.options)
    timeline = read_saved(where, lambda database: CachedTimeline(database, expected))
    if timeline is None:
        return None
    os.utime(where)  # most recently used
    return timeline, timeline.warnings, timeline.meta.skipped


R = TypeVar("R")


def read_saved(where: Path, read: Callable[[SavedDatabase], R]) -> R | None:
    """What `read` makes of the saved database at `where` (a snapshot, a word index), or
    None if there is none, or it is damaged, stale or of another version (`read` raises
    ValueError), which is said under TIMELINE_DEBUG. The database stays open for what
    was read: it reads its rows when they are asked for."""
    if not where.exists():
        return None
    database = None
    try:
        database = SavedDatabase(where)
        return read(database)
    except (OSError, ValueError, msgspec.DecodeError) as exc:
        if database is not None:
            database.close()
        debug(f"{where} not used: {exc}")
        return None


class SavedDatabase:
    """A snapshot or a saved word index (index_file.py), opened read-only and attached as
    `saved` to a database of its own in memory; read on a cursor of each call's own, so
    any thread may read. A file that is not one, or can no longer be read (cut short
    under us, removed by hand), is a ValueError. Held by what was read from it and by
    nothing that holds: when that goes, the database is closed (DuckDB lets a path be
    attached once)."""

    def __init__(self, where: Path) -> None:
        import duckdb

        self._where = where
        self._identity = file_identity(where)
        self._connection = connect(memory_limit=MEMORY_LIMIT)
        try:
            self._connection.execute("ATTACH ? AS saved (READ_ONLY)", [str(where)])
        except duckdb.Error as exc:
            self._connection.close()
            raise ValueError(f"{where} can't be read: {exc}") from exc

    def close(self) -> None:
        self._connection.close()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self._run(sql, params or [], lambda result: result.fetchall())

    def numbers(self, sql: str) -> dict[str, Any]:
        """The columns of a query as numpy arrays."""
        return self._run(sql, [], lambda result: dict(result.fetchnumpy()))

    def _run(self, sql: str, params: list[Any], fetch: Callable[[Any], T]) -> T:
        import duckdb

        try:
            cursor = self._connection.cursor()
            try:
                return fetch(cursor.execute(sql, params))
            finally:
                cursor.close()
        except duckdb.Error as exc:
            raise Unreadable(self._where, str(exc), self._identity) from exc

    def columns(self) -> set[tuple[str, str]]:
        """Each table's columns: (table, column)."""
        found = self.rows(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ?",
            ["saved"],
        )
        return set(found)

    def count(self, table: str) -> int:
        ((count,),) = self.rows(f"SELECT count(*) FROM saved.{table}")
        return int(count)

    def blobs(self, table: str, column: str, first: int, last: int) -> list[Any]:
        """The values at positions `first` to `last` (not included), in order: a table is
        written in order, and DuckDB keeps a table's order in a scan."""
        rows = self.rows(
            f"SELECT {column} FROM saved.{table} WHERE pos >= ? AND pos < ?", [first, last]
        )
        if len(rows) != last - first:
            raise Unreadable(self._where, f"rows of {table} missing", self._identity)
        return [blob for (blob,) in rows]

    def items(self, table: str, kind: type[T]) -> list[T]:
        """A whole list (a table of one MessagePack item per row)."""
        return list(StoredRows(self, table, "item", self.count(table), decoder(kind)))


class CachedTimeline(Timeline):
    """A Timeline read from a snapshot: events decoded when read, search texts read when
    first needed."""

    def __init__(self, database: SavedDatabase, expected: Fingerprint) -> None:
        self._database = database
        if database.columns() != COLUMNS:
            raise ValueError("damaged: not the tables of a snapshot")
        rows = database.rows("SELECT version, fingerprint, count, meta FROM saved.about")
        if len(rows) != 1:
            raise ValueError("damaged: about")
        version, printed, count, meta = rows[0]
        if version != VERSION or msgspec.msgpack.decode(printed, type=Fingerprint) != expected:
            raise ValueError("another version, or the file has changed")
        self.meta = msgspec.msgpack.decode(meta, type=Meta, dec_hook=decode_hook)
        self.title = self.meta.title
        self.description = self.meta.description
        self.sources = self.meta.sources
        self.extra = self.meta.extra
        self.latest = parse_when(self.meta.latest) if self.meta.latest else None
        self._columns = {}
        self._indexed = False
        self._column_lock = Lock()
        self._referrers = None
        count_warnings = database.count("warnings")
        self.warnings = StoredRows(database, "warnings", "item", count_warnings, decoder(Problem))
        self._date_texts = database.items("dates", str)
        found = database.numbers(f"SELECT {', '.join(ARRAYS)}, date_index FROM saved.events")
        if any(len(numbers) != count for numbers in found.values()):
            raise ValueError("damaged: events")
        self.starts, self.filed, self.known, self.earliests, self.latests = (
            _array("q", found[name]) for name in ARRAYS
        )
        self._date_index = _array("i", found["date_index"])
        if count and max(self._date_index) >= len(self._date_texts):
            raise ValueError("damaged: dates")
        self.events = self._stored = StoredRows(database, "events", "event", count, decoder(Event))

    def saved_fingerprints(self) -> array[int] | None:
        try:
            (found,) = self._database.numbers("SELECT print FROM saved.events").values()
        except ValueError as exc:  # cut short under the open app: made from the events
            debug(f"fingerprints not read from the snapshot: {exc}")
            return None
        if len(found) != len(self):
            return None
        prints = array("Q")
        prints.frombytes(found.astype("=u8", copy=False).tobytes())  # native, as array
        return prints

    def close(self) -> None:
        """Done with the snapshot now, rather than when the timeline is collected."""
        self._database.close()

    def events_at(self, positions: Iterable[int]) -> Iterator[Event]:
        return self._stored.take(positions)

    @cached_property
    def position(self) -> SavedPositions:  # type: ignore[override]
        return SavedPositions(self._database)

    def positions_of(self, ids: Iterable[str]) -> dict[str, int]:
        return self.position.positions_of(ids)

    def date_at(self, index: int) -> When:
        when = decode_hook(When, self._date_texts[self._date_index[index]])  # parsed once each
        assert isinstance(when, When)
        return when

    def column(self, name: str) -> list[str]:
        column = self._columns.get(name)
        if column is None:
            with self._column_lock:
                column = self._columns.get(name)
                if column is None:
                    if name not in COLUMN_EXTRACTORS:
                        raise KeyError(name)
                    found = self._database.numbers(f'SELECT "c_{name}" AS c FROM saved.events')
                    column = self._columns[name] = found["c"].tolist()
        return column

    def prepare_search(self) -> None:
        """Nothing ahead: a reopened file's queries are answered by its saved word index,
        read in 0.4 s at a million events, and a search text is read from the snapshot
        when a query first needs it (0.8 s and 0.4 GB for all text at a million)."""

    def texts(self, name: str, keep: bool = True) -> Sequence[str]:
        return self.column(name)  # as cheap as made on demand, and it is kept anyway

    def _texts_of_few(self, name: str, positions: Iterable[int]) -> Iterator[str]:
        """Read a window of positions at a time, not the whole column (0.8 s and 0.4 GB
        for all text at a million events)."""
        if name not in COLUMN_EXTRACTORS:
            raise KeyError(name)
        texts = StoredRows(self._database, "events", f"c_{name}", len(self), _same_text)
        return texts.take(positions)

    def referrers(self) -> dict[str, list[int]]:
        if self._referrers is None:
            pairs = self._database.items("referrers", tuple[str, list[int]])
            self._referrers = dict(pairs)
        return self._referrers

    def prepare_links(self) -> None:
        """Nothing ahead: each event's backlinks are read by its id when it is shown."""

    def referrers_of(self, event_id: str) -> list[int]:
        if self._referrers is not None:
            return self._referrers.get(event_id, [])
        found = self._database.rows("SELECT item FROM saved.referrers WHERE id = ?", [event_id])
        return [index for (item,) in found for index in _REFERRERS(item)[1]]


def _same_text(text: str) -> str:
    return text


class SavedPositions(Mapping[str, int]):
    """A snapshot's ids, each looked up in their sorted table when asked for (under a
    millisecond; `positions_of` takes many at once): read into Python, a million took
    0.1 s and 0.13 GB of a reopen. A repeated id (a file with errors) is at its first
    place, and they come in timeline order, as Timeline.position's."""

    def __init__(self, database: SavedDatabase) -> None:
        self._database = database

    def __getitem__(self, event_id: str) -> int:
        ((found,),) = self._database.rows("SELECT min(pos) FROM saved.ids WHERE id = ?", [event_id])
        if found is None:
            raise KeyError(event_id)
        return int(found)

    def positions_of(self, ids: Iterable[str]) -> dict[str, int]:
        """These ids' places, those that are here, in one query."""
        wanted = list(set(ids))
        if not wanted:
            return {}
        found = self._database.rows(
            "SELECT id, min(pos) FROM saved.ids WHERE id IN (SELECT unnest(?::VARCHAR[]))"
            " GROUP BY id",
            [wanted],
        )
        return {event_id: int(pos) for event_id, pos in found}

    @cached_property
    def _count(self) -> int:
        ((count,),) = self._database.rows("SELECT count(DISTINCT id) FROM saved.ids")
        return int(count)

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def items(self) -> ItemsView[str, int]:  # all in one query, not one a key
        return self._all().items()

    def values(self) -> ValuesView[int]:
        return self._all().values()

    def _all(self) -> dict[str, int]:
        found = self._database.rows(
            "SELECT id, min(pos) AS first FROM saved.ids GROUP BY id ORDER BY first"
        )
        return {event_id: int(pos) for event_id, pos in found}


def _array(kind: str, numbers: Any) -> array[int]:
    values = array(kind)
    values.frombytes(numbers.astype("=i8" if kind == "q" else "=i4", copy=False).tobytes())
    return values


def decoder(kind: type[T]) -> Callable[[bytes], T]:
    """MessagePack to the model's type."""
    return msgspec.msgpack.Decoder(kind, dec_hook=decode_hook).decode


_REFERRERS: Final = decoder(tuple[str, list[int]])
"""A row of the backlinks table: an id and where the events that point at it are."""


class StoredRows(Computed[T]):
    """The items of a table (events, warnings, bitmaps, search texts), one value per row,
    read a BLOCK at a time around the one asked for, the recent blocks kept: the rows on
    screen and around them. A million warnings are ready at once, for their count."""

    def __init__(
        self,
        database: SavedDatabase,
        table: str,
        column: str,
        count: int,
        decode: Callable[[Any], T],
    ) -> None:
        self._database = database
        self._table = table
        self._column = column
        self._count = count
        self._decode = decode
        self._blocks: dict[int, list[T]] = {}

    def __len__(self) -> int:
        return self._count

    def item(self, index: int) -> T:
        block, at = divmod(index, BLOCK)
        items = self._blocks.get(block)
        if items is None:
            items = self._read(block * BLOCK, min(block * BLOCK + BLOCK, self._count))
            if len(self._blocks) >= KEPT_BLOCKS:
                self._blocks.pop(next(iter(self._blocks)), None)  # the oldest
            self._blocks[block] = items
        return items[at]

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if not isinstance(index, slice):
            return super().__getitem__(index)
        first, last, step = index.indices(self._count)
        if step != 1 or last <= first:
            return super().__getitem__(index)
        return self._read(first, last)

    def __iter__(self) -> Iterator[T]:
        for first in range(0, self._count, CHUNK):
            yield from self._read(first, min(first + CHUNK, self._count))

    def take(self, positions: Iterable[int]) -> Iterator[T]:
        """The items at these positions, in their order, read a window of CHUNK positions
        at a time: the 174,427 events of a million that match `energy` took 3,900 reads of
        a block each (12 s), and ascending or descending runs take one read per window.
        Only the items asked for are decoded."""
        window: list[int] = []
        for position in positions:
            if not 0 <= position < self._count:
                raise IndexError(position)
            if window and not -CHUNK < position - window[0] < CHUNK:
                yield from self._taken(window)
                window = []
            window.append(position)
        if window:
            yield from self._taken(window)

    def _taken(self, window: list[int]) -> Iterator[T]:
        first, last = min(window), max(window) + 1
        if len(window) == 1:
            yield self.item(first)  # its block is kept: the rows around it come next
            return
        blobs = self._database.blobs(self._table, self._column, first, last)
        decode = self._decode
        for position in window:
            yield decode(blobs[position - first])

    def _read(self, first: int, last: int) -> list[T]:
        decode = self._decode
        return [
            decode(blob) for blob in self._database.blobs(self._table, self._column, first, last)
        ]


# Writing


def write(
    path: str, before: Fingerprint, timeline: Timeline, warnings: Sequence[Problem], skipped: int
) -> None:
    """Write the snapshot of a timeline loaded from `path`, if the file is still what
    `before` (taken before it was read) says. ValueError if DuckDB can't."""
    if fingerprint(path, before.options) != before or not len(timeline):
        return
    where = snapshot_path(path, before.options)
    write_database(
        where, lambda connection: _write_tables(connection, before, timeline, warnings, skipped)
    )
    _forget_old(where.parent)


def write_database(where: Path, fill: Callable[[duckdb.DuckDBPyConnection], None]) -> None:
    """A DuckDB database at `where`, made by `fill` in a temporary file beside it and
    put in its place in one step. ValueError for what DuckDB refused."""
    import duckdb

    where.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(where)
    temporary = where.parent / f".{where.name}.{secrets.token_hex(6)}.tmp"
    try:
        connection = connect(str(temporary), memory_limit=WRITING_MEMORY_LIMIT)
        try:
            fill(connection)
        finally:
            connection.close()
        os.replace(temporary, where)
    except duckdb.Error as exc:
        raise ValueError(str(exc)) from exc
    finally:
        for left in (temporary, Path(f"{temporary}.wal")):
            left.unlink(missing_ok=True)


def _write_tables(
    connection: duckdb.DuckDBPyConnection,
    before: Fingerprint,
    timeline: Timeline,
    warnings: Sequence[Problem],
    skipped: int,
) -> None:
    import numpy as np  # here: `print` of a large file looks for a snapshot without it

    encoder = msgspec.msgpack.Encoder(enc_hook=encode_hook)
    texts = {name: timeline.texts(name, keep=False) for name in COLUMN_EXTRACTORS}
    date_ids: dict[str, int] = {}
    events = timeline.events

    def rows(first: int, last: int) -> dict[str, Any]:
        chunk = events[first:last]
        found: dict[str, Any] = {
            "pos": np.arange(first, last, dtype=np.int64),
            "id": np.array([e.id for e in chunk], dtype=object),
            "event": np.array([encoder.encode(e) for e in chunk], dtype=object),
            "date_index": np.fromiter(
                (date_ids.setdefault(e.date.to_text(), len(date_ids)) for e in chunk),
                np.int32,
                len(chunk),
            ),
            # What catching up compares (seen.py): made here, in the background, so that
            # a reopen does not decode every event for it (11 s at a million).
            "print": np.fromiter(map(event_fingerprint, chunk), np.uint64, len(chunk)),
        }
        for name in ARRAYS:
            found[name] = np.frombuffer(getattr(timeline, name), np.int64)[first:last]
        for name, source in texts.items():
            found[f"c_{name}"] = np.array([source[i] for i in range(first, last)], dtype=object)
        return found

    types = {"pos": "BIGINT", "id": "VARCHAR", "event": "BLOB", "date_index": "INTEGER"}
    types |= {"print": "UBIGINT"}
    types |= {name: "BIGINT" for name in ARRAYS}
    types |= {f"c_{name}": "VARCHAR" for name in COLUMN_EXTRACTORS}
    add_rows(connection, "events", types, len(events), rows)
    # Sorted by id as Python sorts (DuckDB orders text by its UTF-8 bytes: by code point);
    # a repeated id (a file with errors) is found at its first place, as Timeline.position.
    connection.execute("CREATE TABLE ids AS SELECT id, pos FROM events ORDER BY id, pos")
    latest = timeline.latest.to_text() if timeline.latest is not None else None
    meta = Meta(
        timeline.title, timeline.description, timeline.sources, timeline.extra, skipped, latest
    )
    connection.execute(
        "CREATE TABLE about (version INTEGER, fingerprint BLOB, count BIGINT, meta BLOB)"
    )
    connection.execute(
        "INSERT INTO about VALUES (?, ?, ?, ?)",
        [VERSION, encoder.encode(before), len(timeline), encoder.encode(meta)],
    )
    lists: dict[str, Sequence[Any]] = {"warnings": warnings, "dates": list(date_ids)}
    for name, items in lists.items():
        types = {"pos": "BIGINT", "item": "BLOB"}
        add_rows(connection, name, types, len(items), _encoded(items, encoder.encode))
    # Each id's backlinks, found by the id too: the first event shown on a reopen needs
    # its own, and reading them all took 0.37 s of a million events' 1.2 s reopen. Sorted
    # by id, a lookup reads one row group (DuckDB orders text by code point, as Python).
    referrers = sorted(timeline.referrers().items())
    encoded = _encoded(referrers, encoder.encode)
    add_rows(
        connection,
        "referrers",
        {"pos": "BIGINT", "item": "BLOB", "id": "VARCHAR"},
        len(referrers),
        lambda first, last: {
            **encoded(first, last),
            "id": np.array([target for target, _ in referrers[first:last]], dtype=object),
        },
    )


def _encoded(items: Sequence[Any], encode: Callable[[Any], bytes]) -> Rows:
    """Rows of `pos` and `item`, each item encoded."""
    import numpy as np

    return lambda first, last: {
        "pos": np.arange(first, last, dtype=np.int64),
        "item": np.array([encode(item) for item in items[first:last]], dtype=object),
    }


def add_rows(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    types: dict[str, str],
    count: int,
    rows: Rows,
) -> None:
    """A table of `count` rows, `rows(first, last)` giving the columns of those rows (in
    the order of `types`), made and written a row group at a time: never all of them in
    memory at once, and the app's thread gets the interpreter between them."""
    declared = ", ".join(f"{name} {kind}" for name, kind in types.items())
    connection.execute(f"CREATE TABLE {table} ({declared})")
    for first in range(0, count, WRITTEN_AT_ONCE):
        connection.register("chunk", rows(first, min(first + WRITTEN_AT_ONCE, count)))
        connection.execute(f"INSERT INTO {table} SELECT * FROM chunk")
        connection.unregister("chunk")


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
