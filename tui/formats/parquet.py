"""Parquet, read and written through DuckDB: a column per field of DESIGN.md §1, with
their own types (lists, a struct for the place, lists of structs for sources, relations
and history), the unknown keys of each event as one JSON column (`extra`), and the
file's title, description, named sources and unknown keys as JSON in the file's
key-value metadata (`timeline`). So our file written as Parquet reads back the same,
and any tool that reads Parquet (DuckDB, Polars, pandas, Spark) reads its columns.

A Parquet file another tool wrote is read column by column: a column named as one of
our fields is that field (a DATE or TIMESTAMP column as a date), any other is an
unknown key, kept. Its problems are said at the row (1 is the first) and column.

duckdb (and numpy, which hands it the columns) are imported only when a Parquet file is
read or written.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from itertools import accumulate
from typing import IO, TYPE_CHECKING, Any, Final, NamedTuple

import msgspec

from ..model.datasets import partition_keys
from ..model.engine import connect
from ..model.events import Timeline, has_nested_unknown_keys
from ..model.sequences import Computed
from ..model.text import clean_text, plural
from .base import Format, FormatError, Imported, Origin
from .timeline import event_document, file_document

if TYPE_CHECKING:
    import duckdb

MAGIC: Final = b"PAR1"
METADATA_KEY: Final = "timeline"
EVENT_STRUCTURE: Final = msgspec.json.encode(
    {
        "id": "VARCHAR",
        "date": "VARCHAR",
        "title": "VARCHAR",
        "summary": "VARCHAR",
        "kind": "VARCHAR",
        "tags": ["VARCHAR"],
        "actors": ["VARCHAR"],
        "place": {"name": "VARCHAR", "lat": "DOUBLE", "lon": "DOUBLE"},
        "reported": "VARCHAR",
        "status": "VARCHAR",
        "claimed_by": ["VARCHAR"],
        "sources": [
            {
                "ref": "VARCHAR",
                "quote": "VARCHAR",
                "title": "VARCHAR",
                "url": "VARCHAR",
                "credibility": "INTEGER",
            }
        ],
        "related": [{"id": "VARCHAR", "rel": "VARCHAR"}],
        "notes": "VARCHAR",
        "history": [{"date": "VARCHAR", "status": "VARCHAR", "by": ["VARCHAR"], "note": "VARCHAR"}],
    }
).decode()
"""The columns we write and their types, as DuckDB's json_transform takes them."""
FIELDS: Final = tuple(msgspec.json.decode(EVENT_STRUCTURE))


@contextmanager
def _scratch(suffix: str) -> Iterator[str]:
    """A file name in a folder of our own, removed after: DuckDB reads and writes
    Parquet by name."""
    folder = tempfile.mkdtemp(prefix="timeline-parquet-")
    try:
        yield os.path.join(folder, f"data{suffix}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_parquet(timeline: Timeline, positions: Sequence[int], out: IO[bytes]) -> list[str]:
    import numpy

    known = set(FIELDS)
    documents, extras = [], []
    nested_left = 0
    for event in timeline.events_at(positions):
        nested_left += has_nested_unknown_keys(event)
        document = event_document(event)
        extra = {k: v for k, v in document.items() if k not in known}
        documents.append(msgspec.json.encode(document).decode())
        extras.append(msgspec.json.encode(extra).decode() if extra else None)
    metadata = msgspec.json.encode(file_document(timeline)).decode()
    with _scratch(".parquet") as path, connect() as connection:
        connection.register(
            "incoming",
            {
                "n": numpy.arange(len(documents), dtype=numpy.int64),
                "document": numpy.array(documents, dtype=object),
                "extra": numpy.array(extras, dtype=object),
            },
        )
        columns = ", ".join(f"e.{name}" for name in FIELDS)
        connection.execute(
            f"COPY (SELECT {columns}, extra::JSON AS extra FROM (SELECT n, extra,"
            " unnest(json_transform(document, ?)) FROM incoming) e ORDER BY n)"
            f" TO ? (FORMAT parquet, KV_METADATA {{{METADATA_KEY}: ?}})",
            [EVENT_STRUCTURE, path, metadata],
        )
        with open(path, "rb") as written:
            shutil.copyfileobj(written, out)
    if nested_left:
        return [
            f"left out the unknown keys inside the places, sources, relations or history of"
            f" {plural(nested_left, 'event')} (their columns are structs of our fields;"
            " --format json keeps them)"
        ]
    return []  # nothing else left out: every field has its column


class Scan(NamedTuple):
    """What a read selects FROM (SQL naming `$files`, bound to `files`) and the columns
    it gives, with their DuckDB types."""

    sql: str
    files: list[str]
    types: dict[str, str]


def scan(connection: duckdb.DuckDBPyConnection, files: list[str], root: str | None) -> Scan:
    """One Parquet file (`root` None: a folder's name above it says nothing of its events,
    though DuckDB would read `key=value` folders as columns), or a dataset's files
    (datasets.py): their columns matched by name, and the partitions below `root` as
    text. Raises duckdb.Error."""
    if root is None:
        sql = "read_parquet($files, hive_partitioning = false)"
        return Scan(sql, files, _columns(connection, sql, files))
    options = "union_by_name = true, hive_types_autocast = false"
    sql = f"read_parquet($files, hive_partitioning = true, {options})"
    types = _columns(connection, sql, files)
    without = f"read_parquet($files, hive_partitioning = false, {options})"
    plain = _columns(connection, without, files)
    inside = partition_keys(root, files)
    above = [name for name in types if name not in plain and name not in inside]
    if above:  # left out by position: no name from a path is pasted into SQL
        kept = ", ".join(f"#{n}" for n, name in enumerate(types, start=1) if name not in above)
        sql = f"(SELECT {kept} FROM {sql})"
        types = {name: kind for name, kind in types.items() if name not in above}
    return Scan(sql, files, types)


def _columns(connection: duckdb.DuckDBPyConnection, sql: str, files: list[str]) -> dict[str, str]:
    found = connection.execute(f"DESCRIBE SELECT * FROM {sql}", {"files": files}).fetchall()
    return {name: kind for name, kind, *_ in found}


def timeline_record(connection: duckdb.DuckDBPyConnection, files: list[str]) -> bytes | None:
    """Our record of the timeline (title, named sources), which each of our files carries
    in its metadata; None for another tool's files. FormatError where the files of a
    dataset carry different ones. Raises duckdb.Error."""
    found: dict[str, bytes | None] = dict.fromkeys(files, None) | {
        name: value
        for name, key, value in connection.execute(
            "SELECT file_name, key, value FROM parquet_kv_metadata($files)", {"files": files}
        ).fetchall()
        if key == METADATA_KEY.encode()
    }
    first = found[files[0]]
    other = next((file for file in files if found[file] != first), None)
    if other is not None:
        raise FormatError(
            f"its files carry different `{METADATA_KEY}` records"
            f" ({clean_text(files[0])} and {clean_text(other)}):"
            " they are not parts of one timeline written by this tool",
            1,
        )
    return first


def rows_per_file(connection: duckdb.DuckDBPyConnection, files: list[str]) -> list[int]:
    """How many rows each file holds, in the files' order. Raises duckdb.Error."""
    counts = dict.fromkeys(files, 0)
    for name, rows in connection.execute(
        "SELECT file_name, sum(num_rows) FROM parquet_file_metadata($files) GROUP BY file_name",
        {"files": files},
    ).fetchall():
        counts[name] = int(rows)
    return [counts[file] for file in files]


class FileRows(Computed[Origin]):
    """Where the Nth row (from 0) of files read one after the other came from: a row (from
    1) of a file, which is named if the files are a dataset's (cleaned: a name found in a
    folder reaches the terminal)."""

    def __init__(
        self,
        files: list[str],
        counts: list[int],
        columns: dict[str, tuple[int, str]],
        named: bool,
    ) -> None:
        self.names = [clean_text(file) for file in files] if named else None
        self.ends = list(accumulate(counts))
        self.columns = columns

    def __len__(self) -> int:
        return self.ends[-1] if self.ends else 0

    def item(self, index: int) -> Origin:
        at = bisect_right(self.ends, index)
        first = self.ends[at - 1] if at else 0
        file = self.names[at] if self.names is not None else None
        return Origin(line=index - first + 1, columns=self.columns, file=file)


def read_parquet(data: bytes) -> Imported:
    with _scratch(".parquet") as path:
        with open(path, "wb") as handle:
            handle.write(data)
        return read_parquet_files([path], None)


def read_parquet_files(files: list[str], root: str | None) -> Imported:
    """A Parquet file, or a dataset's files (`root` the folder they are under) one by one
    (their columns and partitions may differ, which DuckDB refuses in one read), row by
    row: each row decoded on its own (parquet_sql.py makes them in SQL, where it can)."""
    import duckdb

    named = root is not None
    document: dict[str, Any] = {}
    events: list[dict[str, Any]] = []
    origins: list[Origin] = []
    with connect() as connection:
        try:
            record = timeline_record(connection, files)
        except duckdb.Error as exc:
            raise _unreadable(exc, named) from None
        ours = record is not None
        if record is not None:
            try:
                document = msgspec.json.decode(record)
            except msgspec.DecodeError as exc:
                raise FormatError(
                    f"the file's `{METADATA_KEY}` metadata is not JSON: {exc}", 1
                ) from None
            if not isinstance(document, dict):
                raise FormatError(f"the file's `{METADATA_KEY}` metadata is not a JSON object", 1)
        for file in files:
            try:
                read = scan(connection, [file], root)
                sql = f"SELECT to_json(t) FROM {read.sql} t"
                rows = connection.execute(sql, {"files": read.files}).fetchall()
            except duckdb.Error as exc:
                raise _unreadable(exc, named) from None
            columns = {name: (number, name) for number, name in enumerate(read.types, start=1)}
            shown = clean_text(file) if named else None  # a name found in a folder
            timestamps = {n for n, kind in read.types.items() if kind.startswith("TIMESTAMP")}
            for row, (text,) in enumerate(rows, start=1):
                events.append(parquet_event(msgspec.json.decode(text), timestamps, ours))
                origins.append(Origin(line=row, columns=columns, file=shown))
    document["events"] = events
    return Imported(document, origins, format="parquet")


def _unreadable(exc: Exception, named: bool) -> FormatError:
    """DuckDB's first line says why; the rest is the file's name and our SQL. (Cleaned:
    it quotes names found in a folder.)"""
    reason = clean_text(str(exc).strip().splitlines()[0])
    if not named:  # a scratch copy's name, which says nothing
        reason = re.sub(r" in file '[^']*'", "", reason)
    if named:  # which file of them: DuckDB's reason says, not a line of the folder
        return FormatError(f"not Parquet files DuckDB can read ({reason})", None)
    return FormatError(f"not a Parquet file DuckDB can read ({reason})", 1)


def parquet_event(values: dict[str, Any], timestamps: set[str], ours: bool) -> dict[str, Any]:
    """One row (as DuckDB's to_json writes it) as our event (parquet_sql.py says the same
    in SQL, for the rows it can)."""
    event = {k: _date_text(v) if k in timestamps else v for k, v in values.items()}
    event = {k: _without_nulls(v) if k in NESTED else v for k, v in event.items() if v is not None}
    if ours:
        extra = event.pop("extra", None)
        if isinstance(extra, dict):
            for key, value in extra.items():
                event.setdefault(key, value)
    return event


NESTED: Final = frozenset({"place", "sources", "related", "history"})
"""Our fields whose columns are structs (or lists of them): a member a row leaves out
is null in its struct, as it is absent from the JSON object."""


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


_TIMESTAMP: Final = re.compile(
    r"(?P<day>-?\d{4,}-\d\d-\d\d) (?P<minute>\d\d:\d\d)(?P<seconds>:\d\d(?:\.\d+)?)?"
    r"(?P<hours>[+-]\d\d)?(?::?(?P<minutes>\d\d))?"
)


def _date_text(value: Any) -> Any:
    """A TIMESTAMP as DuckDB writes it in JSON (`2025-01-09 14:30:00`, with a time zone
    `2025-01-09 12:30:00+00`), as EDTF: to the minute, the offset as `+00:00`. Seconds
    other than nought are kept, and the loader says it reads minutes only."""
    match = _TIMESTAMP.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return value
    seconds = match["seconds"] or ""
    text = f"{match['day']}T{match['minute']}"
    if seconds.strip(":.0"):
        text += seconds
    if match["hours"]:
        text += f"{match['hours']}:{match['minutes'] or '00'}"
    return text


FORMAT: Final = Format(
    "parquet",
    "Parquet: columns with their own types, read and written through DuckDB",
    read=read_parquet,
    binary=True,
    write_bytes=write_parquet,
    sniff=lambda head, columns: head.startswith(MAGIC),
    rank=5,
)
