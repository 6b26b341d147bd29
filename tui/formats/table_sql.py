"""A large CSV with our columns read by DuckDB (see sql_read.py): the file parsed and
each row made our event in SQL, saying again column by column what table.py's
`plain_event` says in Python. At a million rows the row-by-row reader takes most of a
minute and several times the file's size in memory.

Only what SQL says exactly as Python does is said in SQL. A row without an id is made
in SQL but given its id by Python (from its date and title, unique among all the
file's ids, in file order: `given_id`). A row SQL can't make is marked, carries its
cells, and is made by `plain_event` itself: a list cell written as JSON, an `extra`
cell whose keys are taken or hold a null, a coordinate that is not a plain decimal. A
cell of JSON that does not parse ends the SQL route (`error`), as does a file DuckDB's
strict reader refuses (ragged rows, a stray quote, line ends of two kinds, not UTF-8),
a header named twice or one that is like one of our keys: the row-by-row reader says
what is wrong where. The rows of the file's own record (`record` is `title` or
`source`) are read by a second, narrow scan and made by `file_record`. Nothing from the
file is pasted into SQL: the columns are named `c0`, `c1` ... by us, and every name or
text from the file is a bound value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final

from ..model.problems import Problem
from ..model.validation import EVENT_KEYS, close_match
from .base import RowsOrigins
from .sql_read import First, SqlRead, copy_rows, csv_cells, csv_connection, csv_header
from .table import PLAIN_FIELDS, RECORDS, file_record, plain_event, said_id
from .tabular import RowOrigins
from .timelinejs import UsedIds, unique

if TYPE_CHECKING:
    from ..model.events import Event

SET_APART: Final = ("lat", "lon", "record", "extra")
"""Columns that are not a key of the event of their own."""


class TableRead(SqlRead):
    format = "csv"

    def __init__(self, path: str, names: list[str]) -> None:
        super().__init__(path, {})
        self.names = names
        self.used = UsedIds()

    def made_by_sql(
        self, events: Sequence[Event], left: Mapping[int, Any], unnamed: Mapping[int, Any]
    ) -> None:
        at = self.names.index("id") if "id" in self.names else None
        self.used = UsedIds(  # every id but the placeholders of rows without one
            event.id
            for n, event in enumerate(events)
            if n not in unnamed
            and (n not in left or (at is not None and (left[n][at] or "").strip()))
        )

    def event(self, cells: list[str | None], index: int) -> dict[str, Any] | None:
        values = ["" if cell is None else cell for cell in cells]
        row = dict(zip(self.names, values, strict=True))
        problems: list[Problem] = []
        event = plain_event(row, 0, {}, problems)
        if problems:
            return None  # DuckDB read a JSON cell Python does not: Python says where
        if not event["id"]:
            event["id"] = self.given_id([event.get("date", ""), event.get("title", "")], index)
        return event

    def given_id(self, said: list[str], index: int) -> str:
        """As give_ids: from the row's date and title, else its line."""
        made = said_id({"date": said[0], "title": said[1]})
        return unique(made or f"row-{self.origins[index].line}", self.used)

    def first_ids(self, said: list[list[str]], own: list[str]) -> tuple[list[str], bool] | None:
        used, ids = UsedIds(own), []
        for date, title in said:
            made = said_id({"date": date, "title": title})
            if not made:
                return None  # its line names it: only reading the file finds that
            ids.append(unique(made, used))
        return ids, "id" not in self.names

    @cached_property
    def origins(self) -> RowsOrigins:
        return RowOrigins(self.path, {f: f for f in PLAIN_FIELDS}, ("record", RECORDS))


def read_table_sql(path: str, first: First | None = None) -> TableRead | None:
    """The CSV at `path` read by DuckDB, or None if SQL should not read it (see the
    module's docstring). `first`: told its first rows before (copy_rows)."""
    header = csv_header(path)
    if header is None:
        return None
    names, separator = header
    index = {name: i for i, name in enumerate(names)}
    if len(index) != len(names) or "date" not in index or not {"title", "headline"} & set(index):
        return None  # a name twice (Python keeps the last), or the reader's error to say
    headline_is_title = "title" not in index
    unknown = [
        name
        for name in names
        if name not in EVENT_KEYS
        and name not in SET_APART
        and not (name == "headline" and headline_is_title)
    ]
    if any(close_match(name, EVENT_KEYS) for name in unknown):
        return None  # the builder's "did you mean"
    import duckdb

    read = TableRead(path, names)
    sql, parameters = _query(names, unknown, headline_is_title)
    parameters |= {"path": path, "delim": separator, "out": read.json_path}
    try:
        with csv_connection() as connection:
            if "record" in index:  # first: what the first rows are told is the file's
                records = connection.execute(
                    _records_query(len(names), index["record"]),
                    {"path": path, "delim": separator, "records": list(RECORDS)},
                ).fetchall()
                if not _file_records(read, names, records):
                    read.close()
                    return None
            copy_rows(connection, sql, parameters, read, first)
    except duckdb.Error:
        read.close()
        return None
    return read


def _file_records(read: TableRead, names: list[str], records: list[tuple[Any, ...]]) -> bool:
    """The file's own record into `read.document`; False where it has a problem."""
    problems: list[Problem] = []
    for record, cells in records:
        row = dict(zip(names, ["" if cell is None else cell for cell in cells], strict=True))
        file_record(read.document, record, row, 0, {}, problems)
    return not problems


def _records_query(width: int, record: int) -> str:
    cells = ", ".join(f"c{i}" for i in range(width))
    return (
        f"SELECT py_strip(c{record}) AS record, [{cells}] FROM {csv_cells(width)}"
        f" WHERE py_strip(c{record}) IN $records"
    )


_PLAIN_NUMBER: Final = "-?[0-9]+([.,][0-9]+)?"
_NEGATIVE_ZERO: Final = "-0+([.,]0+)?"


def _query(
    names: list[str], unknown: list[str], headline_is_title: bool
) -> tuple[str, dict[str, Any]]:
    """The COPY statement, and its values other than the file's and the output's names."""
    width = len(names)
    index = {name: i for i, name in enumerate(names)}

    def c(name: str) -> str:
        return f"c{index[name]}" if name in index else "NULL"

    stripped = ", ".join(f"nullif(py_strip(c{i}), '') AS c{i}" for i in range(width))
    cells = ", ".join(f"c{i}" for i in range(width))

    def bad_json(name: str) -> str:
        """A JSON cell Python's json.loads refuses is its problem to say, at its place."""
        cell = c(name)
        if name in ("sources", "related"):
            return f"(starts_with({cell}, '[') AND NOT json_valid({cell}))"
        if name == "extra":
            is_object = f"json_valid({cell}) AND json_type({cell}::JSON) = 'OBJECT'"
            return f"({cell} IS NOT NULL AND NOT ({is_object}))"
        return f"({cell} IS NOT NULL AND NOT json_valid({cell}))"

    checked = [bad_json(n) for n in ("sources", "related", "history", "extra") if n in index]
    refused = (
        f"CASE WHEN {' OR '.join(checked)} THEN error('a JSON cell for Python') ELSE false END"
        if checked
        else "false"
    )
    odd = ["false"]  # a row without an id is not odd: given_id gives it its id
    odd += [f"starts_with({c(n)}, '[')" for n in ("tags", "actors", "claimed_by") if n in index]
    if "extra" in index:
        extra = c("extra")
        odd.append(
            f"({extra} IS NOT NULL AND (contains({extra}, 'null')"
            f" OR list_has_any(json_keys({extra}::JSON), $taken)))"
        )
    if "place" in index:
        numbers = " OR ".join(
            f"({c(n)} IS NOT NULL AND (NOT regexp_full_match({c(n)}, '{_PLAIN_NUMBER}')"
            f" OR regexp_full_match({c(n)}, '{_NEGATIVE_ZERO}')))"
            for n in ("lat", "lon")
            if n in index
        )
        if numbers:
            odd.append(f"({c('place')} IS NOT NULL AND ({numbers}))")
    by_python = " OR ".join(odd)

    def number(name: str) -> str:
        return f"replace({c(name)}, ',', '.')::DOUBLE" if name in index else "NULL"

    def listed(name: str) -> str:
        return f"CASE WHEN by_python THEN []::VARCHAR[] ELSE py_split({c(name)}) END"

    def json_cell(name: str, otherwise: str) -> str:
        cell = c(name)
        return (
            f"CASE WHEN by_python OR {cell} IS NULL THEN '[]'::JSON"
            f" WHEN starts_with({cell}, '[') THEN {cell}::JSON ELSE {otherwise} END"
        )

    keys = {f"k{n}": name for n, name in enumerate(unknown)}

    def unknown_object(names_here: list[str]) -> str:
        entries = ", ".join(f"$k{unknown.index(n)}, {c(n)}" for n in names_here)
        return f"json_merge_patch('{{}}', json_object({entries}))"

    extra_at = index.get("extra", width)
    before = [n for n in unknown if index[n] < extra_at]
    after = [n for n in unknown if index[n] > extra_at]
    own = unknown_object(before)
    if "extra" in index:
        own = f"json_merge_patch({own}, coalesce({c('extra')}::JSON, '{{}}'::JSON))"
    if after:
        own = f"json_merge_patch({own}, {unknown_object(after)})"
    history, sources = c("history"), c("sources")
    title = "headline" if headline_is_title else "title"
    fields = {
        "id": f"coalesce({c('id')}, 'row')",  # a placeholder: given_id gives it
        "date": f"CASE WHEN by_python THEN '2000' ELSE {c('date')} END",
        "title": f"CASE WHEN by_python THEN 'row' ELSE {c(title)} END",
        "summary": c("summary"),
        "kind": c("kind"),
        "reported": f"CASE WHEN by_python THEN NULL ELSE {c('reported')} END",
        "status": f"CASE WHEN by_python THEN NULL ELSE {c('status')} END",
        "notes": c("notes"),
        "tags": listed("tags"),
        "actors": listed("actors"),
        "claimed_by": listed("claimed_by"),
        "sources": json_cell(
            "sources",
            f"CASE WHEN starts_with({sources}, 'http') THEN to_json([{{'url': {sources}}}])"
            f" ELSE to_json([{{'title': {sources}}}]) END",
        ),
        "related": json_cell(
            "related", f"to_json(list_transform(py_split({c('related')}), lambda x: {{'id': x}}))"
        ),
        "history": (
            f"CASE WHEN by_python OR {history} IS NULL THEN '[]'::JSON ELSE {history}::JSON END"
        ),
        "place": f"""CASE WHEN by_python OR {c("place")} IS NULL THEN NULL ELSE
            {{'name': {c("place")}, 'lat': {number("lat")}, 'lon': {number("lon")}}} END""",
        "extra": f"CASE WHEN by_python THEN NULL ELSE nullif({own}, '{{}}'::JSON) END",
        "cells": "CASE WHEN by_python THEN cells END",
        "said": f"CASE WHEN NOT by_python AND {c('id')} IS NULL"
        f" THEN [coalesce({c('date')}, ''), coalesce({c(title)}, '')] END",
    }
    event = ",\n  ".join(f"{expression} AS {name}" for name, expression in fields.items())
    record = c("record")
    events_only = f"({record} IS NULL OR {record} NOT IN $records)" if "record" in index else "true"
    sql = f"""
COPY (
  WITH raw AS (SELECT * FROM {csv_cells(width)}),
  s AS (SELECT {stripped}, [{cells}] AS cells FROM raw),
  t AS (SELECT *, coalesce({by_python}, false) AS by_python, ({refused}) AS refused FROM s)
  SELECT {event}
  FROM t
  WHERE coalesce({cells}) IS NOT NULL AND {events_only} AND NOT refused
) TO $out (FORMAT json)
"""
    parameters: dict[str, Any] = dict(keys)
    if "$taken" in sql:
        parameters["taken"] = sorted({*EVENT_KEYS, *names, "title"})
    if "$records" in sql:
        parameters["records"] = list(RECORDS)
    return sql, parameters
