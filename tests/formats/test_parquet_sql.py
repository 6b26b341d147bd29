"""A Parquet file is read by DuckDB into our events in SQL (parquet_sql.py); the Python
reader (parquet.py) is the reference: the same timeline and the same problems at the
same rows and columns, or the file is left to it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from tests.support.routes import assert_same, both_routes, python_route_only, sql_route_watched
from tests.support.timelines import exported, files
from tui.model.loading import Loaded, load_bytes, load_path


def _written(tmp_path: Path, select: str, parameters: list[Any] | None = None) -> Path:
    """A Parquet file another tool wrote: DuckDB's COPY of `select`."""
    import duckdb

    path = tmp_path / "other.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"COPY ({select}) TO '{path}' (FORMAT parquet)", parameters or [])
    return path


@settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    deadline=None,
    max_examples=60,
)
@given(data=st.data(), thorough=st.booleans())
def test_our_parquet_is_read_the_same_by_sql(
    tmp_path: Path, data: st.DataObject, thorough: bool
) -> None:
    """Every field, unknown keys of every JSON type (nulls inside them too), the file's
    title, description and named sources in its metadata."""
    document = data.draw(files("parquet"))
    original = load_bytes(json.dumps(document).encode(), "story.json")
    path = tmp_path / "story.parquet"
    path.write_bytes(exported(original.timeline, "parquet"))
    by_sql, by_rows, taken = both_routes(path, thorough)
    event("read by SQL" if taken else "left to Python")
    assert_same(by_sql, by_rows)


def test_a_file_read_by_several_threads_keeps_its_order(tmp_path: Path) -> None:
    path = _written(
        tmp_path,
        "SELECT 'e' || lpad(((i * 7919) % 300000)::VARCHAR, 6, '0') AS id, '2025-01-09' AS date,"
        " 'Event ' || i AS title, CASE WHEN i % 3 = 0 THEN NULL ELSE ['a', 'b'] END AS tags,"
        " CASE WHEN i % 2 = 0 THEN {'name': 'Kursk', 'lat': 51.7, 'lon': NULL} END AS place,"
        " i % 7 AS x_score FROM range(300000) r(i)",
    )
    by_sql, by_rows, taken = both_routes(path)
    assert taken
    assert isinstance(by_sql, Loaded)
    assert [e.id for e in by_sql.timeline] == [f"e{(i * 7919) % 300000:06d}" for i in range(300000)]
    assert_same(by_sql, by_rows)
    first = by_sql.timeline.get("e000000")
    assert first.extra == {"x_score": 0} and first.tags == () and first.place.name == "Kursk"


@pytest.mark.parametrize(
    ("select", "by_sql"),
    [
        # Columns of many types the format doesn't know, nulls at every depth.
        (
            "SELECT 'a' AS id, '2025-01-09' AS date, 't' AS title, {'k': NULL, 'n': 1} AS info,"
            " [1, NULL] AS nums, NULL::VARCHAR AS gone, 2.5 AS score, DATE '2025-01-09' AS seen,"
            " [{'ref': NULL, 'title': 'Wire', 'quote': NULL, 'url': NULL, 'credibility': 2}]"
            " AS sources, {'date': '2025', 'status': 'claimed', 'by': NULL, 'note': NULL} AS h",
            True,
        ),
        # A history whose steps leave `by` null; a relation to an event that is not there.
        (
            "SELECT * FROM (VALUES ('a', '2025-01-09', 't', [{'date': '2025-01-09',"
            " 'status': 'claimed', 'by': NULL::VARCHAR[], 'note': NULL::VARCHAR}],"
            " [{'id': 'nowhere', 'rel': 'follows'}])) v(id, date, title, history, related)",
            True,
        ),
        # Lenient forms only the builder reads: a string for a list, a number for an id.
        ("SELECT 'a' AS id, '2025' AS date, 't' AS title, 'x; y' AS tags", False),
        ("SELECT 1 AS id, '2025' AS date, 't' AS title", False),
        # TIMESTAMP columns (as pandas writes datetimes), written as EDTF: to the minute,
        # seconds kept unless nought, a time zone's offset, nanoseconds, a null, a date BC
        # and infinity left as they are (the builder says what is wrong), a timestamp in a
        # column of the event's own, a list of them left as DuckDB writes them.
        ("SELECT 'a' AS id, TIMESTAMP '2025-01-09 14:30:00' AS date, 't' AS title", True),
        (
            "SELECT 'e' || i AS id, CASE i % 4 WHEN 0 THEN TIMESTAMP '2025-01-09 14:30:00'"
            " WHEN 1 THEN TIMESTAMP '2025-01-09 14:30:27.5' WHEN 2 THEN NULL"
            " ELSE TIMESTAMP '1970-01-01 00:00:00.000001' END AS seen,"
            " '2025' AS date, 't' AS title, [TIMESTAMP '2025-01-09 14:30:00'] AS x_times,"
            " TIMESTAMP_NS '2025-01-09 14:30:00.123456789' AS x_ns FROM range(8) r(i)",
            True,
        ),
        (
            "SELECT 'a' AS id, TIMESTAMPTZ '2025-01-09 14:30:00+05:30' AS date, 't' AS title",
            True,
        ),
        (
            "SELECT 'a' AS id, TIMESTAMP '2025-01-09 14:30:00' AS date, 't' AS title,"
            " TIMESTAMP '2025-01-08 09:00:00' AS reported",
            True,
        ),
        ("SELECT 'a' AS id, '-infinity'::TIMESTAMP AS date, 't' AS title", False),
        (  # the same in columns of the event's own: kept as DuckDB writes them
            "SELECT 'a' AS id, '2025' AS date, 't' AS title,"
            " TIMESTAMP '-0043-03-15 10:00:00' AS x_when, 'infinity'::TIMESTAMP AS x_end",
            True,
        ),
        ("SELECT 'a' AS id, TIMESTAMP '-0043-03-15 10:00:00' AS date, 't' AS title", False),
        # A column like one of our keys (the builder's "did you mean").
        ("SELECT 'a' AS id, '2025' AS date, 't' AS title, 'x' AS titel", False),
        # Errors: a date that is not one, an id twice.
        ("SELECT 'a' AS id, '2025-02-30' AS date, 't' AS title", False),
        ("SELECT 'a' AS id, '2025' AS date, 't' AS title FROM range(2)", False),
        # No `id` column; no rows.
        ("SELECT '2025' AS date, 't' AS title", False),
        ("SELECT 'a' AS id, '2025' AS date, 't' AS title WHERE false", False),
        # Text to clean, cleaned as Python cleans it; a title of marks alone, an error.
        ("SELECT 'a' AS id, '2025' AS date, 't\x1b[31m' AS title, '\u200fא' AS notes", True),
        ("SELECT 'a' AS id, '2025' AS date, '\u200f' AS title", False),
    ],
)
def test_other_tools_parquet_is_read_the_same_by_sql(
    tmp_path: Path, select: str, by_sql: bool
) -> None:
    path = _written(tmp_path, select)
    read_by_sql, by_rows, taken = both_routes(path)
    assert taken == by_sql
    assert_same(read_by_sql, by_rows)


def test_rows_whose_extra_meets_a_column_are_made_by_python(tmp_path: Path) -> None:
    """Our file's `extra` adds keys only where the row has none: a key of a column, or one
    of ours (given where its column is null), or an `extra` with a null in it, is made by
    parquet_event, in its place."""
    import duckdb

    path = tmp_path / "ours.parquet"
    rows = [
        ("a", "2025-01-09", "t", None, None, '{"x": 1}'),
        ("b", "2025-01-10", "t", None, "w", '{"summary": "from extra", "y": null}'),
        ("c", "2025-01-11", "t", "s", None, '{"summary": "ignored", "x_desk": "kyiv"}'),
        ("d", "2025-01-12", "t", None, None, "[1, 2]"),
    ]
    with duckdb.connect() as connection:
        connection.execute(
            "CREATE TABLE t (id VARCHAR, date VARCHAR, title VARCHAR, summary VARCHAR,"
            " x_desk VARCHAR, extra JSON)"
        )
        connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", rows)
        connection.execute(f"COPY t TO '{path}' (FORMAT parquet, KV_METADATA {{timeline: '{{}}'}})")
    read_by_sql, by_rows, taken = both_routes(path)
    assert taken
    assert_same(read_by_sql, by_rows)
    assert isinstance(read_by_sql, Loaded)
    timeline = read_by_sql.timeline
    assert timeline.get("a").extra == {"x": 1}
    assert timeline.get("b").summary == "from extra" and timeline.get("b").extra == {
        "x_desk": "w",
        "y": None,
    }
    assert timeline.get("c").summary == "s" and timeline.get("c").extra == {"x_desk": "kyiv"}
    assert timeline.get("d").extra is None


def test_parquet_from_standard_input_is_read_by_sql_too(tmp_path: Path) -> None:
    from tests.support.timelines import assert_same_timeline

    path = _written(
        tmp_path,
        "SELECT 'e' || i AS id, '2025-01-0' || (i % 9 + 1) AS date, 'Event ' || i AS title,"
        " [{'id': 'e' || ((i + 1) % 50), 'rel': 'follows'}] AS related, i AS x_score"
        " FROM range(50) r(i)",
    )
    data = path.read_bytes()
    with sql_route_watched() as taken:
        by_sql = load_bytes(data, "<stdin>")
    assert taken == [True]
    with python_route_only():
        by_rows = load_bytes(data, "<stdin>")
    assert_same_timeline(by_sql.timeline, by_rows.timeline)
    assert by_sql.timeline.get("e7").extra == {"x_score": 7}


def test_a_file_duckdb_refused_is_not_offered_to_it_again(tmp_path: Path) -> None:
    """Its bytes go to the Python reader: not through a scratch file to DuckDB a second
    time (as standard input's bytes are)."""
    path = _written(tmp_path, "SELECT 'a' AS id, '2025' AS date, 't' AS title, 'x' AS titel")
    with sql_route_watched() as taken:
        loaded = load_path(str(path))
    assert taken == [False]
    assert loaded.timeline.get("a") is not None


def test_a_file_pandas_wrote_is_read_the_same_by_sql() -> None:
    """Written by pandas 3.1 with pyarrow 26 (`DataFrame.to_parquet`): datetimes as
    TIMESTAMP, one with a time zone, seconds and half seconds, missing values (NaT), lists
    that are empty, and pandas' own metadata in the file."""
    path = DATA / "pandas-datetimes.parquet"
    by_sql, by_rows, taken = both_routes(path)
    assert taken
    assert_same(by_sql, by_rows)
    timeline = by_sql.timeline
    assert timeline.get("p1").date.to_text() == "2022-02-24T03:37"
    assert timeline.get("p1").extra == {"seen_utc": "2024-01-01T00:00:01.5+00:00", "score": 1}
    assert timeline.get("p0").reported is None and timeline.get("p0").tags == ()
