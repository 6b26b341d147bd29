"""A large ACLED export read by DuckDB (see sql_read.py): the CSV parsed and each row
made our event in SQL, saying again column by column what acled.py's `acled_event` says
in Python. At a million rows this takes seconds where the row-by-row reader takes a
minute.

Only what SQL says exactly as Python does is said in SQL. A row it can't (no id, whose
`row-N` needs its line; a week or month around a date that is not a plain day; a
coordinate that is not a plain decimal) is marked, carries its cells, and is made by
`acled_event` itself. A file DuckDB's strict reader refuses (ragged rows, a stray
quote, line ends of two kinds, not UTF-8) is refused here: the row-by-row reader takes
it and says what is wrong where. Nothing from the file is pasted into SQL: the columns
are named `c0`, `c1` ... by us, and every name or text from the file is a bound value.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any, Final

from ..model.validation import EVENT_KEYS, close_match
from .acled import ACLED_FIELDS, ACLED_TITLE, ACLED_USED, acled_event
from .base import RowsOrigins
from .sql_read import First, SqlRead, copy_rows, csv_cells, csv_connection, csv_header
from .tabular import RowOrigins


class AcledRead(SqlRead):
    format = "acled"

    def __init__(self, path: str, names: list[str]) -> None:
        super().__init__(path, {"title": ACLED_TITLE})
        self.names = names

    def event(self, cells: list[str | None], index: int) -> dict[str, Any]:
        values = ["" if cell is None else cell for cell in cells]
        row = {name: value for name, value in zip(self.names, values, strict=False)}
        needs_line = not row.get("event_id_cnty", "").strip()  # its id is `row-LINE`
        return acled_event(row, (self.origins[index].line or 0) if needs_line else 0)

    @cached_property
    def origins(self) -> RowsOrigins:
        return RowOrigins(self.path, ACLED_FIELDS)


def read_acled_sql(path: str, first: First | None = None) -> AcledRead | None:
    """The ACLED file at `path` read by DuckDB, or None if SQL should not read it (see
    the module's docstring). `first`: told its first rows before (copy_rows)."""
    header = csv_header(path)
    if header is None or not {"event_id_cnty", "event_date"} <= set(header[0]):
        return None
    names, separator = header
    index = {name: i for i, name in enumerate(names)}  # a name given twice: the last, as Python
    unknown = [name for name in index if name not in ACLED_USED]
    if any(name in EVENT_KEYS or close_match(name, EVENT_KEYS) for name in unknown):
        return None  # the builder's warning, or a column that overrides ours
    import duckdb

    read = AcledRead(path, names)
    sql, parameters = _query(len(names), index, unknown)
    parameters |= {"path": path, "delim": separator, "out": read.json_path}
    try:
        with csv_connection() as connection:
            copy_rows(connection, sql, parameters, read, first)
    except duckdb.Error:
        read.close()
        return None
    return read


_PLAIN_DAY: Final = "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}"
_PLAIN_NUMBER: Final = "-?[0-9]+([.,][0-9]+)?"
_NEGATIVE_ZERO: Final = "-0+([.,]0+)?"


def _query(width: int, index: dict[str, int], unknown: list[str]) -> tuple[str, dict[str, Any]]:
    """The COPY statement, and its values other than the file's and the output's names."""

    def c(name: str) -> str:
        return f"c{index[name]}" if name in index else "NULL"

    stripped = ", ".join(f"nullif(py_strip(c{i}), '') AS c{i}" for i in range(width))
    cells = ", ".join(f"c{i}" for i in range(width))
    keys = {f"k{n}": name for n, name in enumerate(unknown)}
    extra = ", ".join(f"$k{n}, {c(name)}" for n, name in enumerate(unknown))
    fatalities = (
        f"CASE WHEN regexp_full_match({c('fatalities')}, '[0-9]{{1,18}}')"
        f" THEN {c('fatalities')}::BIGINT::JSON ELSE to_json({c('fatalities')}) END"
    )
    date, precision = c("event_date"), c("time_precision")
    day = f"try_cast({date} AS DATE)"
    plain_day = (
        f"(regexp_full_match({date}, '{_PLAIN_DAY}') AND {day} IS NOT NULL"
        f" AND year({day}) BETWEEN 1001 AND 9998)"
    )
    odd_numbers = " OR ".join(
        f"({c(n)} IS NOT NULL AND (NOT regexp_full_match({c(n)}, '{_PLAIN_NUMBER}')"
        f" OR regexp_full_match({c(n)}, '{_NEGATIVE_ZERO}')))"
        for n in ("latitude", "longitude")
    )
    by_python = (
        f"{c('event_id_cnty')} IS NULL OR ({precision} IN ('2', '3') AND NOT {plain_day})"
        f" OR {odd_numbers}"
    )
    where = f"concat_ws(', ', {c('location')}, {c('admin1')}, {c('country')})"

    def number(name: str) -> str:
        return f"replace({c(name)}, ',', '.')::DOUBLE"

    fields = {
        "id": f"CASE WHEN by_python THEN 'row' ELSE {c('event_id_cnty')} END",
        "date": f"""CASE WHEN by_python THEN '2000'
            WHEN {precision} = '3' THEN left({date}, 7)
            WHEN {precision} = '2' THEN strftime({day} - 3, '%Y-%m-%d') || '/'
                                        || strftime({day} + 3, '%Y-%m-%d')
            ELSE {date} END""",
        "title": f"""concat(coalesce({c("sub_event_type")}, {c("event_type")}, 'Event'), ': ',
            concat_ws(' – ', {c("actor1")}, {c("actor2")}),
            CASE WHEN {c("location")} IS NULL THEN '' ELSE ', ' || {c("location")} END)""",
        "kind": c("event_type"),
        "tags": f"""list_concat(one({c("disorder_type")}), one({c("sub_event_type")}),
            py_split({c("tags")}))""",
        "actors": f"""list_concat(one({c("actor1")}), py_split({c("assoc_actor_1")}),
            one({c("actor2")}), py_split({c("assoc_actor_2")}))""",
        "claimed_by": f"py_split({c('source')})",
        "sources": f"list_transform(py_split({c('source')}), lambda s: {{'title': s}})",
        "summary": c("notes"),
        "place": f"""CASE WHEN by_python OR {where} = '' THEN NULL ELSE
            {{'name': {where}, 'lat': {number("latitude")}, 'lon': {number("longitude")}}} END""",
        "extra": f"""nullif(json_merge_patch('{{}}', json_object({extra}{", " if extra else ""}
            'fatalities', {fatalities})), '{{}}')""",
        "cells": "CASE WHEN by_python THEN cells END",
    }
    event = ",\n  ".join(f"{expression} AS {name}" for name, expression in fields.items())
    sql = f"""
COPY (
  WITH raw AS (SELECT * FROM {csv_cells(width)}),
  s AS (SELECT {stripped}, [{cells}] AS cells FROM raw),
  t AS (SELECT *, ({by_python}) AS by_python FROM s)
  SELECT {event}
  FROM t
  WHERE coalesce({cells}) IS NOT NULL
) TO $out (FORMAT json)
"""
    return sql, keys
