"""The DuckDB store (DESIGN.md §5): a timeline's events as rows of a DuckDB table in
timeline order, so that a row's `pos` is its position; queries compiled to SQL
(sql.py) with bound parameters; results as numpy arrays, never a Python int per row.

Each row keeps the event itself (MessagePack, as msgspec encodes the model's structs)
beside the columns that queries read, so a database opened again answers a page of
rows without the file it came from.

Only this module imports duckdb and numpy, and nothing imports it on the way of a
small file: `timeline print` on the bundled story never loads either.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, overload

import duckdb
import msgspec
import numpy as np
import numpy.typing as npt

from .cache import MEMORY_LIMIT
from .dates import decode_hook, encode_hook
from .engine import connect
from .events import (
    GRADE_NUMBERS,
    SEPARATOR,
    STATUS_LABELS,
    Event,
    Timeline,
)
from .query import SEARCHED_COLUMNS
from .sql import STEPS, TABLE, compile_where, grade_column, search_column
from .text import search_form

if TYPE_CHECKING:
    from .query import Query
    from .sidecar import Layer
    from .store import TextCounts


class Positions(Sequence[int]):
    """A result: positions in timeline order, kept as a numpy array."""

    def __init__(self, array: npt.NDArray[np.int64]) -> None:
        self.array = array

    def __len__(self) -> int:
        return len(self.array)

    @overload
    def __getitem__(self, index: int) -> int: ...

    @overload
    def __getitem__(self, index: slice) -> Positions: ...

    def __getitem__(self, index: int | slice) -> int | Positions:
        if isinstance(index, slice):
            return Positions(self.array[index])
        return int(self.array[index])

    def __iter__(self) -> Iterator[int]:
        return iter(self.array.tolist())


class DuckStore:
    """A timeline in a DuckDB database: in memory, or a file (`path`) that later
    processes may open read-only together (`DuckStore.open`)."""

    def __init__(self, connection: duckdb.DuckDBPyConnection) -> None:
        self.connection = connection
        (count,) = self._one(f"SELECT count(*) FROM {TABLE}")
        self._count = int(count)
        self._decode = msgspec.msgpack.Decoder(Event, dec_hook=decode_hook).decode
        self.text_counts: TextCounts | None = None  # facets: counted from the columns

    @classmethod
    def build(cls, timeline: Timeline, path: str = ":memory:") -> DuckStore:
        connection = connect(path, memory_limit=MEMORY_LIMIT)
        _write_tables(connection, timeline)
        return cls(connection)

    @classmethod
    def open(cls, path: str) -> DuckStore:
        return cls(connect(path, read_only=True, memory_limit=MEMORY_LIMIT))

    def close(self) -> None:
        self.connection.close()

    def __len__(self) -> int:
        return self._count

    def select(self, query: Query, layer: Layer | None = None) -> Positions:
        where, params = compile_where(query, self.positions_of, layer)
        cursor = self.connection.cursor()  # one per call: a thread of its own may run it
        try:
            found = cursor.execute(
                f"SELECT pos FROM {TABLE} WHERE {where} ORDER BY pos", params
            ).fetchnumpy()
        finally:
            cursor.close()
        return Positions(np.asarray(found["pos"], dtype=np.int64))

    def count(self, query: Query, layer: Layer | None = None) -> int:
        where, params = compile_where(query, self.positions_of, layer)
        (count,) = self._one(f"SELECT count(*) FROM {TABLE} WHERE {where}", params)
        return int(count)

    def events_at(self, positions: Sequence[int]) -> list[Event]:
        wanted = [int(p) for p in positions]
        rows = self._all(f"SELECT pos, event FROM {TABLE} WHERE pos = ANY(?)", [wanted])
        found = {pos: self._decode(blob) for pos, blob in rows}
        return [found[p] for p in wanted]

    def get(self, event_id: str) -> Event | None:
        rows = self._all(
            f"SELECT e.event FROM {TABLE} e JOIN ids USING (pos) WHERE ids.id = ?", [event_id]
        )
        return self._decode(rows[0][0]) if rows else None

    def positions_of(self, ids: Iterable[str]) -> list[int]:
        wanted = list(ids)
        if not wanted:
            return []
        return [int(p) for (p,) in self._all("SELECT pos FROM ids WHERE id = ANY(?)", [wanted])]

    def _all(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        cursor = self.connection.cursor()
        try:
            return cursor.execute(sql, params or []).fetchall()
        finally:
            cursor.close()

    def _one(self, sql: str, params: list[Any] | None = None) -> tuple[Any, ...]:
        rows = self._all(sql, params)
        return rows[0]


def _write_tables(connection: duckdb.DuckDBPyConnection, timeline: Timeline) -> None:
    events = timeline.events
    encode = msgspec.msgpack.Encoder(enc_hook=encode_hook).encode
    columns: dict[str, Any] = {
        "pos": np.arange(len(events), dtype=np.int64),
        "id": np.array([e.id for e in events], dtype=object),
        "earliest": np.asarray(timeline.earliests, dtype=np.int64),
        "latest": np.asarray(timeline.latests, dtype=np.int64),
        "known": np.asarray(timeline.known, dtype=np.int64),
    }
    for name in SEARCHED_COLUMNS:
        texts = timeline.texts(name, keep=False)
        columns[search_column(name)] = np.array([search_form(t) for t in texts], dtype=object)
    for name, grade in GRADE_NUMBERS.items():
        numbers = np.fromiter((grade(e, timeline) for e in events), np.int64, len(events))
        # Not graded is NULL (corroboration is always a count): SQL compares no NULL.
        graded = numbers if name == "corroboration" else np.ma.masked_equal(numbers, 0)
        columns[grade_column(name)] = graded
    columns["event"] = np.array([encode(e) for e in events], dtype=object)
    connection.register("incoming", columns)
    connection.execute(f"CREATE TABLE {TABLE} AS SELECT * FROM incoming ORDER BY pos")
    connection.unregister("incoming")

    steps = [  # the search form of each step's status, as `status:` reads it then
        (
            pos,
            seq,
            change.date.known_by,
            search_form(SEPARATOR + STATUS_LABELS[change.status] + SEPARATOR),
        )
        for pos, event in enumerate(events)
        if event.history
        for seq, change in enumerate(event.history)
        if change.status is not None
    ]
    connection.execute(
        f"CREATE TABLE {STEPS} (pos BIGINT, seq INTEGER, known_by BIGINT, s_status VARCHAR)"
    )
    if steps:
        connection.executemany(f"INSERT INTO {STEPS} VALUES (?, ?, ?, ?)", steps)
    ids = timeline.position
    connection.execute("CREATE TABLE ids (id VARCHAR, pos BIGINT)")
    connection.register(
        "incoming_ids",
        {
            "id": np.array(list(ids.keys()), dtype=object),
            "pos": np.fromiter(ids.values(), dtype=np.int64, count=len(ids)),
        },
    )
    connection.execute("INSERT INTO ids SELECT * FROM incoming_ids")
    connection.unregister("incoming_ids")
