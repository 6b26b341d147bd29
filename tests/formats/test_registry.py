"""The format registry: every format module found, `--from` and `--format` choices from
it, and each writer writing through it what its module writes."""

from __future__ import annotations

import io

from tests.conftest import BUNDLED
from tui.formats import byte_writers, formats, writers
from tui.formats.ical import to_calendar
from tui.formats.table import write_csv
from tui.formats.timeline import write_json
from tui.formats.timelinejs import write_timelinejs
from tui.model.dates import parse_when
from tui.model.events import Event, Timeline
from tui.model.loading import load_path


def test_every_format_module_is_in_the_registry_most_particular_first() -> None:
    assert list(formats()) == [
        "parquet", "ics", "timeline", "timelinejs", "acled", "timelinejs-csv", "csv"
    ]  # fmt: skip
    assert list(writers()) == ["ics", "json", "timelinejs", "csv"]
    assert list(byte_writers()) == ["parquet"]


def write(name: str, timeline: Timeline, positions: list[int], out: io.StringIO) -> list[str]:
    writer = writers()[name].write
    assert writer is not None
    return writer(timeline, positions, out)


def test_each_writer_writes_through_the_registry_what_its_module_writes() -> None:
    timeline = load_path(str(BUNDLED)).timeline
    positions = list(range(len(timeline)))
    for name, module_writer in (
        ("json", write_json),
        ("csv", write_csv),
        ("timelinejs", write_timelinejs),
    ):
        direct, registered = io.StringIO(), io.StringIO()
        module_writer(timeline, positions, direct)
        assert write(name, timeline, positions, registered) == []
        assert registered.getvalue() == direct.getvalue() != ""
    data, _ = to_calendar(timeline, positions)
    out = io.StringIO()
    assert write("ics", timeline, positions, out) == []
    assert out.getvalue() == data.decode("utf-8")


def test_the_ics_writer_says_what_it_left_out() -> None:
    timeline = Timeline(
        [Event("far", parse_when("9999-01-01"), "t"), Event("near", parse_when("2025"), "t")]
    )
    out = io.StringIO()
    notes = write("ics", timeline, [0, 1], out)
    assert notes == [
        "left out 1 event dated before year 1 or after 9998, which iCalendar cannot hold: far"
    ]
    assert "near@timeline" in out.getvalue() and "far@timeline" not in out.getvalue()


def test_a_time_that_is_before_year_1_in_utc_is_left_out_not_a_crash() -> None:
    """`0001-01-01T00:00+00:01` is in year 0 once written in UTC, as iCalendar wants."""
    timeline = Timeline(
        [
            Event("edge", parse_when("0001-01-01T00:00+00:01"), "t"),
            Event("near", parse_when("2025"), "t"),
        ]
    )
    out = io.StringIO()
    assert write("ics", timeline, [0, 1], out) == [
        "left out 1 event dated before year 1 or after 9998, which iCalendar cannot hold: edge"
    ]
    assert "near@timeline" in out.getvalue() and "edge@timeline" not in out.getvalue()
