"""A Parquet file, or a dataset's files (model/datasets.py) in one read, read by DuckDB
into our events in SQL (see sql_read.py), saying again column by column what
parquet.py's `parquet_event` says in Python: a column named as one of our fields is
that field (the members a struct leaves null left out), any other column is a key of
the event's own, kept when it is not null; our own files' `extra` column adds its keys
where the row has no such key. The Python reader decoded each row
on its own and then the whole file again: a million rows took 40 s and 6 GB.

A TIMESTAMP column (pandas writes datetimes so) is written as EDTF as `parquet.py`'s
`_date_text` writes it, from the same text of DuckDB's. A row SQL can't make exactly
so (an `extra` whose keys meet a column's, which holds a null, or which is not an
object) carries the row as JSON and is made by `parquet_event`. A file with a column
named like one of our keys, or that DuckDB can't read, is left to the Python reader,
which says what is wrong. Columns are referred to by position (`#3`), and every name
from the file is a bound value: nothing from the file is pasted into SQL.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Final

import msgspec

from ..model.engine import connect
from ..model.events import OWN
from ..model.fast_path import LISTS
from ..model.validation import EVENT_KEYS, close_match
from .base import FormatError, RowsOrigins
from .parquet import FileRows, parquet_event, rows_per_file, scan, timeline_record
from .sql_read import First, SqlRead, copy_rows, threads


class ParquetRead(SqlRead):
    format = "parquet"

    def __init__(
        self,
        files: list[str],
        document: dict[str, Any],
        types: dict[str, str],
        ours: bool,
        dataset: bool,
    ) -> None:
        super().__init__(files[0], document)
        self.files = files
        self.dataset = dataset
        self.names = list(types)
        self.timestamps = {name for name, kind in types.items() if kind.startswith("TIMESTAMP")}
        self.ours = ours
        self.counts: list[int] = []

    def event(self, cells: Any, index: int) -> dict[str, Any]:
        return parquet_event(cells, self.timestamps, self.ours)

    @cached_property  # asked twice for each problem placed
    def origins(self) -> RowsOrigins:
        columns = {name: (number, name) for number, name in enumerate(self.names, start=1)}
        return FileRows(self.files, self.counts, columns, named=self.dataset)


def read_parquet_sql(
    files: list[str], root: str | None = None, first: First | None = None
) -> ParquetRead | None:
    """A Parquet file, or a dataset's files (`root`: the folder they are under), read by
    DuckDB; None if SQL should not read it (see the module's docstring). `first`: told
    its first rows before (copy_rows)."""
    import duckdb

    with connect() as connection:
        connection.execute("SET threads = ?", [threads()])
        try:
            read = scan(connection, files, root)
            record = timeline_record(connection, files)
            counts = rows_per_file(connection, files)
        except (duckdb.Error, FormatError):
            return None
        types = read.types
        names = list(types)
        ours = record is not None
        document: Any = {}
        if record is not None:
            try:
                document = msgspec.json.decode(record)
            except msgspec.DecodeError:
                return None
            if not isinstance(document, dict) or "events" in document:
                return None
        unknown = [n for n in names if n not in EVENT_KEYS and not (ours and n == "extra")]
        if (
            not {"id", "date", "title"} <= set(names)
            or any(n.startswith(OWN) or close_match(n, EVENT_KEYS) for n in unknown)
            or len(set(names)) != len(names)
        ):
            return None
        parquet = ParquetRead(files, document, types, ours, dataset=root is not None)
        sql, parameters = _query(read.sql, types, unknown, ours)
        try:
            parameters |= {"files": files, "out": parquet.json_path}
            copy_rows(connection, sql, parameters, parquet, first)
        except duckdb.Error:
            parquet.close()
            return None
        parquet.counts = counts
    return parquet


_TIMESTAMP: Final = r"^(-?\d{4,}-\d\d-\d\d) (\d\d:\d\d)(:\d\d(?:\.\d+)?)?([+-]\d\d)?(?::?(\d\d))?$"
"""parquet.py's _TIMESTAMP, anchored (RE2 picks the same groups: no backreferences)."""


def _json(column: str, kind: str) -> str:
    """A column's value as JSON; a TIMESTAMP's as `_date_text` writes it: to the minute,
    seconds kept unless nought, the offset as `+00:00`; a text it does not match (a date
    BC, `infinity`) as it is."""
    if not kind.startswith("TIMESTAMP") or kind.endswith("]"):
        return f"to_json({column})"
    text = f"json_extract_string(to_json({column}), '$')"
    # The match's groups taken once (a struct; '' where the text does not match: `day` is
    # in every match) and read by a lambda: six regex calls a value took twice as long.
    groups = f"regexp_extract({text}, $timestamp, ['day', 'minute', 'seconds', 'hours', 'minutes'])"
    return (
        f"to_json(list_transform([{{'m': {groups}, 't': {text}}}], lambda x:"
        " CASE WHEN x.m.day = '' THEN x.t ELSE x.m.day || 'T' || x.m.minute"
        " || CASE WHEN regexp_matches(x.m.seconds, '[1-9]') THEN x.m.seconds ELSE '' END"
        " || CASE WHEN x.m.hours <> '' THEN x.m.hours || ':'"
        " || coalesce(nullif(x.m.minutes, ''), '00') ELSE '' END END)[1])"
    )


def _query(
    scan: str, types: dict[str, str], unknown: list[str], ours: bool
) -> tuple[str, dict[str, Any]]:
    """The COPY statement from `scan` (parquet.scan), and its values other than the files'
    and the output's names."""
    position = {name: f"#{n}" for n, name in enumerate(types, start=1)}
    keys = {f"k{n}": name for n, name in enumerate(unknown)}
    by_python = "false"
    if ours and "extra" in types:
        extra = position["extra"]
        by_python = (
            f"({extra} IS NOT NULL AND (json_type({extra}) <> 'OBJECT'"
            f" OR contains({extra}::VARCHAR, 'null')"
            f" OR list_has_any(json_keys({extra}), $taken)))"
        )
    fields = []
    for name in EVENT_KEYS:
        if name not in types:
            continue
        column, kind = position[name], types[name]
        if kind.endswith("[]") and kind.startswith("STRUCT"):
            value = (
                f"to_json(list_transform({column}, lambda x: json_merge_patch('{{}}', to_json(x))))"
            )
        elif kind.startswith("STRUCT"):
            value = (
                f"CASE WHEN {column} IS NULL THEN NULL"
                f" ELSE json_merge_patch('{{}}', to_json({column})) END"
            )
        else:
            value = _json(column, kind)
        if name in LISTS:
            value = f"coalesce({value}, '[]'::JSON)"
        placeholder = {"id": "'\"row\"'", "date": "'\"2000\"'", "title": "'\"row\"'"}.get(
            name, "'[]'" if name in LISTS else "NULL"
        )
        fields.append(f"CASE WHEN {by_python} THEN {placeholder}::JSON ELSE {value} END AS {name}")
    entries = ", ".join(
        f"struct_pack(k := $k{n}, v := {_json(position[name], types[name])})"
        for n, name in enumerate(unknown)
    )
    own = (
        f"to_json(map_from_entries(list_filter([{entries}], lambda e: e.v IS NOT NULL)))"
        if unknown
        else "'{}'::JSON"
    )
    if ours and "extra" in types:
        own = f"json_merge_patch({own}, coalesce({position['extra']}, '{{}}'::JSON))"
    fields.append(f"CASE WHEN {by_python} THEN NULL ELSE nullif({own}, '{{}}'::JSON) END AS extra")
    fields.append(f"CASE WHEN {by_python} THEN to_json(t) END AS cells")
    sql = f"""
COPY (
  SELECT {", ".join(fields)}
  FROM {scan} t
) TO $out (FORMAT json)
"""
    parameters: dict[str, Any] = dict(keys)
    if "$taken" in sql:
        parameters["taken"] = sorted(set(types) | set(EVENT_KEYS))
    if "$timestamp" in sql:
        parameters["timestamp"] = _TIMESTAMP
    return sql, parameters
