"""A large file's word index saved beside its snapshot (cache.py), so that reopening the
unchanged file searches at full speed at once, rather than after the index is built
again (most of a minute at a million events).

It is used only under the same fingerprint as the file was read with, and the same
versions of this layout and of the snapshot's; a stale, damaged or other file is
ignored (and replaced when the app has built the index again).

A DuckDB database, as the snapshot is: a table per field for its words and one for its
whole values (`pos`, the word's place in sorted order, the word, its bitmap in
roaring's portable format), one row per event for the grades and the facets' codes,
a table per facet for its distinct texts. Neither the words nor their bitmaps are held
in memory (whole, a million events' index took 430 MB; its words alone, read into lists,
0.3 s and 0.3 GB of a reopen): DuckDB finds a prefix's words, and their bitmaps are read
when a query reaches them, a block of neighbours at a time (a prefix's words are next
to each other).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import msgspec
import numpy as np
from pyroaring import BitMap

from .cache import VERSION as SNAPSHOT_VERSION
from .cache import (
    Fingerprint,
    Rows,
    SavedDatabase,
    SnapshotPlace,
    StoredRows,
    add_rows,
    index_path,
    read_saved,
    write_database,
)
from .events import Timeline
from .word_index import LAST, FieldIndex, WordIndex

if TYPE_CHECKING:
    import duckdb

VERSION: Final = 2
"""Bumped whenever what is saved, or the index's meaning, changes. 2: a DuckDB database
(it was a file of sections)."""


class About(msgspec.Struct):
    version: int
    snapshot_version: int
    fingerprint: Fingerprint
    count: int
    fields: list[str]
    grades: list[str]
    counted: list[str]


# Writing


def write(place: SnapshotPlace, index: WordIndex) -> None:
    """Save the index of the timeline read from the file at `place`. ValueError if DuckDB
    can't."""
    write_database(index_path(place), lambda connection: _write(connection, place, index))


def _write(connection: duckdb.DuckDBPyConnection, place: SnapshotPlace, index: WordIndex) -> None:
    for name, field in index.fields.items():
        if not isinstance(field, FieldIndex):
            raise ValueError("only an index built from the events is saved")
        _add_keyed(connection, f"words_{name}", field.words, field.bitmaps)
        values = field.values
        _add_keyed(connection, f"values_{name}", values.keys_sorted, values.postings)
    count = len(index.timeline)
    numbers: dict[str, Any] = {"pos": np.arange(count, dtype=np.int64)}
    types = {"pos": "BIGINT"}
    for name, grades in index.grades.items():
        numbers[f"g_{name}"] = np.asarray(grades, dtype=np.int64)
        types[f"g_{name}"] = "BIGINT"
    for name, (texts, codes) in index.codes.items():
        numbers[f"c_{name}"] = np.asarray(codes, dtype=np.uint32)
        types[f"c_{name}"] = "UINTEGER"
        types_of_texts = {"pos": "BIGINT", "text": "VARCHAR"}
        add_rows(connection, f"texts_{name}", types_of_texts, len(texts), _numbered(texts, "text"))
    add_rows(
        connection,
        "numbers",
        types,
        count,
        lambda first, last: {name: column[first:last] for name, column in numbers.items()},
    )
    about = About(
        VERSION,
        SNAPSHOT_VERSION,
        place.fingerprint,
        count,
        list(index.fields),
        list(index.grades),
        list(index.codes),
    )
    connection.execute("CREATE TABLE about (about BLOB, with_history BLOB)")
    connection.execute(
        "INSERT INTO about VALUES (?, ?)",
        [msgspec.msgpack.encode(about), index.with_history.serialize()],
    )


def _numbered(values: Sequence[Any], name: str) -> Rows:
    """Rows of `pos` and `name` from `values`."""
    return lambda first, last: {
        "pos": np.arange(first, last, dtype=np.int64),
        name: np.array(values[first:last], dtype=object),
    }


def _add_keyed(
    connection: duckdb.DuckDBPyConnection, table: str, keys: list[str], bitmaps: Sequence[BitMap]
) -> None:
    """Sorted keys (words, whole values) and their bitmaps (roaring's portable format),
    one row each."""
    add_rows(
        connection,
        table,
        {"pos": "BIGINT", "key": "VARCHAR", "bitmap": "BLOB"},
        len(keys),
        lambda first, last: {
            "pos": np.arange(first, last, dtype=np.int64),
            "key": np.array(keys[first:last], dtype=object),
            "bitmap": np.array([b.serialize() for b in bitmaps[first:last]], dtype=object),
        },
    )


# Reading


def read(place: SnapshotPlace, timeline: Timeline) -> WordIndex | None:
    """The saved index of `timeline`, read from the file at `place`, if it is current.
    The database stays open: bitmaps are read from it when a query reaches them."""
    return read_saved(index_path(place), lambda saved: _index(saved, place.fingerprint, timeline))


def _index(database: SavedDatabase, fingerprint: Fingerprint, timeline: Timeline) -> WordIndex:
    rows = database.rows("SELECT about, with_history FROM saved.about")
    if len(rows) != 1:
        raise ValueError("damaged: about")
    about = msgspec.msgpack.decode(rows[0][0], type=About)
    if (about.version, about.snapshot_version) != (VERSION, SNAPSHOT_VERSION):
        raise ValueError("another version")
    if about.fingerprint != fingerprint or about.count != len(timeline):
        raise ValueError("the file has changed")
    expected = {("about", "about"), ("about", "with_history"), ("numbers", "pos")}
    for name in about.fields:
        for kind in ("words", "values"):
            expected |= {(f"{kind}_{name}", column) for column in ("pos", "key", "bitmap")}
    expected |= {("numbers", f"g_{name}") for name in about.grades}
    for name in about.counted:
        expected |= {("numbers", f"c_{name}"), (f"texts_{name}", "pos"), (f"texts_{name}", "text")}
    if database.columns() != expected:
        raise ValueError("damaged: not the tables of a word index")

    fields = {name: SavedField(database, name) for name in about.fields}
    numbers = database.numbers("SELECT * FROM saved.numbers")
    if any(len(column) != about.count for column in numbers.values()):
        raise ValueError("damaged: numbers")
    grades = {name: np.asarray(numbers[f"g_{name}"], dtype=np.int64) for name in about.grades}
    codes = {}
    for name in about.counted:
        distinct: list[str] = database.numbers(f"SELECT text FROM saved.texts_{name}")[
            "text"
        ].tolist()
        numbered_codes = np.asarray(numbers[f"c_{name}"], dtype=np.uint32)
        if len(numbered_codes) and int(numbered_codes.max()) >= len(distinct):
            raise ValueError(f"damaged: {name}")
        codes[name] = (distinct, numbered_codes)
    with_history = BitMap.deserialize(rows[0][1])
    return WordIndex.of_parts(timeline, fields, grades, with_history, codes)


class SavedField:
    """A field of a saved index (word_index.Field), its words left in their table: DuckDB
    finds a prefix's words, a range of the sorted table (1 ms over a million words: each
    row group's bounds skip the rest), and the words that hold a part (12 ms)."""

    def __init__(self, database: SavedDatabase, name: str) -> None:
        self._database = database
        self._words = f"saved.words_{name}"
        table = f"words_{name}"
        count = _keys_read(database, table)
        self._bitmaps = StoredRows(database, table, "bitmap", count, BitMap.deserialize)
        self.values: Mapping[str, BitMap] = SavedValues(database, f"values_{name}")

    def prefixed(self, prefix: str) -> BitMap:
        ((low, high),) = self._database.rows(
            f"SELECT min(pos), max(pos) FROM {self._words} WHERE key >= ? AND key < ?",
            [prefix, prefix + LAST],
        )
        if low is None:
            return BitMap()
        return BitMap.union(BitMap(), *self._bitmaps[low : high + 1])

    def containing(self, part: str) -> BitMap:
        found = self._database.rows(
            f"SELECT pos FROM {self._words} WHERE contains(key, ?) ORDER BY pos", [part]
        )
        return BitMap.union(BitMap(), *self._bitmaps.take(pos for (pos,) in found))


class SavedValues(Mapping[str, BitMap]):
    """A field's whole values, each found in its table when asked for."""

    def __init__(self, database: SavedDatabase, table: str) -> None:
        self._database = database
        self._table = table
        self._count = _keys_read(database, table)
        self._bitmaps = StoredRows(database, table, "bitmap", self._count, BitMap.deserialize)

    def __getitem__(self, value: str) -> BitMap:
        found = self._database.rows(f"SELECT pos FROM saved.{self._table} WHERE key = ?", [value])
        if not found:
            raise KeyError(value)
        pos: int = found[0][0]
        return self._bitmaps[pos]

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[str]:
        found = self._database.numbers(f"SELECT key FROM saved.{self._table}")
        keys: list[str] = found["key"].tolist()
        return iter(keys)


def _keys_read(database: SavedDatabase, table: str) -> int:
    """The table's rows, its keys read through once by DuckDB, not into Python (40 ms for
    a million events' index): a file cut short, or a row gone, is found now, not at a
    keystroke."""
    ((count, first, last, _),) = database.rows(
        f"SELECT count(*), min(pos), max(pos), sum(strlen(key)) FROM saved.{table}"
    )
    if count and (first, last) != (0, count - 1):
        raise ValueError(f"damaged: {table}")
    return int(count)
