"""Parquet in and out: `print --format parquet` writes a file that DuckDB reads with
our columns' own types and that reads back as the same timeline (from a file or from
standard input); a Parquet file another tool wrote is read column by column; a file
that is not one is an error, with no traceback; a terminal is not written to."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BUNDLED, ROOT
from tests.support.timelines import assert_same_timeline
from tui.model.loading import load_path
from tui.model.problems import LoadError


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], input=stdin, capture_output=True, cwd=ROOT
    )


@pytest.fixture(scope="module")
def story_parquet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    result = run("print", "--format", "parquet")
    assert result.returncode == 0, result.stderr
    path = tmp_path_factory.mktemp("parquet") / "story.parquet"
    path.write_bytes(result.stdout)
    return path


def test_print_writes_parquet_that_reads_back_as_the_same_story(story_parquet: Path) -> None:
    assert story_parquet.read_bytes()[:4] == b"PAR1"
    assert_same_timeline(load_path(str(BUNDLED)).timeline, load_path(str(story_parquet)).timeline)


def test_the_parquet_columns_have_their_own_types_for_other_tools(story_parquet: Path) -> None:
    connection = duckdb.connect()
    types = dict(
        (name, kind)
        for name, kind, *_ in connection.execute(
            "DESCRIBE SELECT * FROM read_parquet(?)", [str(story_parquet)]
        ).fetchall()
    )
    assert types["tags"] == "VARCHAR[]"
    assert types["place"] == 'STRUCT("name" VARCHAR, lat DOUBLE, lon DOUBLE)'
    assert types["sources"].endswith("credibility INTEGER)[]")
    assert types["extra"] == "JSON"
    row = connection.execute(
        "SELECT date, tags, place.lat, sources[1].ref FROM read_parquet(?) WHERE id = 'capture'",
        [str(story_parquet)],
    ).fetchone()
    assert row == ("2025-01-09", ["capture", "pow"], 51.73, "article")


def test_a_query_and_standard_input_work_with_parquet(story_parquet: Path) -> None:
    result = run("print", "-", "tag:pow", "--format", "json", stdin=story_parquet.read_bytes())
    assert result.returncode == 0, result.stderr
    ids = [event["id"] for event in json.loads(result.stdout)["events"]]
    assert ids == [
        "capture", "announce", "nis-confirms", "exchange-offer", "nis-training", "soldiers-wishes"
    ]  # fmt: skip


def test_a_parquet_file_another_tool_wrote_is_read_column_by_column(tmp_path: Path) -> None:
    path = tmp_path / "theirs.parquet"
    connection = duckdb.connect()
    connection.execute(
        "COPY (SELECT * FROM (VALUES"
        " ('a', DATE '2025-01-09', 'Capture in Kursk', 'ACLED', 12),"
        " ('b', DATE '2025-01-12', 'NIS confirms', 'ACLED', 3)"
        " ) t(id, date, title, origin, fatalities)) TO ? (FORMAT parquet)",
        [str(path)],
    )
    connection.execute(
        "COPY (SELECT 'c' AS id, TIMESTAMP '2025-01-11 14:30:00' AS date, 'Announced' AS title)"
        " TO ? (FORMAT parquet)",
        [str(tmp_path / "timed.parquet")],
    )
    loaded = load_path(str(path))
    first = loaded.timeline.get("a")
    assert first is not None and first.date.to_text() == "2025-01-09"
    assert first.extra == {"origin": "ACLED", "fatalities": 12}  # unknown keys, kept
    timed = load_path(str(tmp_path / "timed.parquet")).timeline.get("c")
    assert timed is not None and timed.date.to_text() == "2025-01-11T14:30"


def test_a_parquet_problem_names_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "bad.parquet"
    duckdb.connect().execute(
        "COPY (SELECT * FROM (VALUES ('a', '2025-01-09', 'fine'), ('b', 'someday', 'bad date'))"
        " t(id, date, title)) TO ? (FORMAT parquet)",
        [str(path)],
    )
    with pytest.raises(LoadError) as raised:
        load_path(str(path))
    (problem,) = raised.value.errors
    assert (problem.line, problem.column) == (2, 2)  # the second row, the second column
    assert "someday" in problem.message and "(column date)" in problem.message


def test_a_damaged_parquet_file_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "damaged.parquet"
    path.write_bytes(b"PAR1\x00\x00 not really parquet PAR1")
    result = run("print", str(path))
    assert result.returncode == 2
    stderr = result.stderr.decode()
    assert "Traceback" not in stderr
    assert "damaged.parquet:1:1: error: not a Parquet file DuckDB can read" in stderr
    assert "timeline-parquet-" not in stderr and "SELECT" not in stderr  # nothing of ours


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_parquet_is_not_written_to_a_terminal() -> None:
    main, secondary = os.openpty()
    try:
        result = subprocess.run(
            [sys.executable, "-m", "tui", "print", "--format", "parquet"],
            stdout=secondary,
            stderr=subprocess.PIPE,
            cwd=ROOT,
        )
    finally:
        os.close(secondary)
        os.close(main)
    assert result.returncode == 2
    assert b"parquet is binary: send it to a file" in result.stderr


@pytest.mark.parametrize(
    ("column", "date"),
    [
        ("TIMESTAMP '2025-01-11 14:30:00'", "2025-01-11T14:30"),
        ("TIMESTAMPTZ '2025-01-11 14:30:00+02'", "2025-01-11T12:30Z"),  # the instant, in UTC
        ("DATE '2025-01-11'", "2025-01-11"),
    ],
)
def test_a_parquet_date_or_timestamp_column_is_a_date(
    tmp_path: Path, column: str, date: str
) -> None:
    path = tmp_path / "dated.parquet"
    connection = duckdb.connect()
    connection.execute("SET TimeZone = 'UTC'")
    connection.execute(
        f"COPY (SELECT 'a' AS id, {column} AS date, 'Dated' AS title) TO ? (FORMAT parquet)",
        [str(path)],
    )
    event = load_path(str(path)).timeline.get("a")
    assert event is not None and event.date.to_text() == date
