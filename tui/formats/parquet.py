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
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Any, Final

import msgspec

from ..model.events import Timeline
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
    import duckdb
    import numpy

    known = set(FIELDS)
    documents, extras = [], []
    for event in timeline.events_at(positions):
        document = event_document(event)
        extra = {k: v for k, v in document.items() if k not in known}
        documents.append(msgspec.json.encode(document).decode())
        extras.append(msgspec.json.encode(extra).decode() if extra else None)
    metadata = msgspec.json.encode(file_document(timeline)).decode()
    with _scratch(".parquet") as path, duckdb.connect() as connection:
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
    return []  # nothing left out: every field has its column


def described(
    connection: duckdb.DuckDBPyConnection, path: str
) -> tuple[dict[str, str], list[bytes]]:
    """The file's columns with their DuckDB types, and our metadata (empty: another tool's
    file). Raises duckdb.Error."""
    types = {
        name: kind
        for name, kind, *_ in connection.execute(
            "DESCRIBE SELECT * FROM read_parquet(?)", [path]
        ).fetchall()
    }
    metadata = [
        value
        for key, value in connection.execute(
            "SELECT key, value FROM parquet_kv_metadata(?)", [path]
        ).fetchall()
        if key == METADATA_KEY.encode()
    ]
    return types, metadata


def read_parquet(data: bytes) -> Imported:
    import duckdb

    with _scratch(".parquet") as path, duckdb.connect() as connection:
        with open(path, "wb") as handle:
            handle.write(data)
        try:
            types, metadata = described(connection, path)
            rows = connection.execute("SELECT to_json(t) FROM read_parquet(?) t", [path]).fetchall()
        except duckdb.Error as exc:
            # DuckDB's first line says why; the rest is our scratch file's name and SQL.
            reason = re.sub(r" in file '[^']*'", "", str(exc).strip().splitlines()[0])
            raise FormatError(f"not a Parquet file DuckDB can read ({reason})", 1) from None
    ours = bool(metadata)
    document: dict[str, Any] = {}
    if ours:
        try:
            document = msgspec.json.decode(metadata[0])
        except msgspec.DecodeError as exc:
            raise FormatError(
                f"the file's `{METADATA_KEY}` metadata is not JSON: {exc}", 1
            ) from None
        if not isinstance(document, dict):
            raise FormatError(f"the file's `{METADATA_KEY}` metadata is not a JSON object", 1)
    names = list(types)
    columns = {name: (number, name) for number, name in enumerate(names, start=1)}
    timestamps = {name for name, kind in types.items() if kind.startswith("TIMESTAMP")}
    events, origins = [], []
    for row, (text,) in enumerate(rows, start=1):
        events.append(parquet_event(msgspec.json.decode(text), timestamps, ours))
        origins.append(Origin(line=row, columns=columns))
    document["events"] = events
    return Imported(document, origins, format="parquet")


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
