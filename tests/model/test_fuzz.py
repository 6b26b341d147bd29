"""Any input either loads (or parses) or fails with the project's own error,
carrying a location; never another exception. `make fuzz` runs these long."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import event, given
from hypothesis import strategies as st

from tests.conftest import BUNDLED
from tests.support.dates import whens
from tui.model.dates import DateError, When, parse_when
from tui.model.loading import load_bytes, load_path
from tui.model.problems import LoadError, Problem
from tui.model.query import QueryError, parse_query

STORY = load_path(str(BUNDLED)).timeline

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)
DATE_LIKE = st.sampled_from(
    ["2025-01-09", "2025-01", "2025", "2025-02-30", "2025-13-01", "0000-00-00",
     "2025-01-09/2024-01-01", "../2025", "2025-01-09~", "-0044-03-15",
     "2025-01-09T14:30+02:00", "", "..", "2025/"]
) | st.text(alphabet="0123456789-/~?%.T:+Z", max_size=25)  # fmt: skip
FIELD_VALUES = st.one_of(JSON_VALUES, DATE_LIKE, st.lists(st.text(max_size=10), max_size=3))
EVENT_KEYS = st.sampled_from(
    ["id", "date", "title", "summary", "kind", "tags", "actors", "place", "reported", "status",
     "claimed_by", "sources", "related", "notes", "tittle", "extra"]
)  # fmt: skip
EVENTS = st.lists(st.dictionaries(EVENT_KEYS, FIELD_VALUES, max_size=10), max_size=6)
FILES = st.one_of(
    EVENTS,
    st.fixed_dictionaries(
        {"events": EVENTS}, optional={"title": JSON_VALUES, "sources": JSON_VALUES}
    ),
    JSON_VALUES,
)


def check_load(data: bytes) -> None:
    try:
        load_bytes(data, "fuzz.json")
    except LoadError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert_located(problem)


def assert_located(problem: Problem) -> None:
    """A message, and a line and column that are in the file (1-based)."""
    assert problem.message
    assert problem.line is not None and problem.line >= 1, problem
    assert problem.column is not None and problem.column >= 1, problem


@given(st.binary(max_size=200))
def test_any_bytes_load_or_fail_with_a_located_error(data: bytes) -> None:
    check_load(data)


@given(FILES)
def test_any_json_shaped_like_an_event_file_loads_or_fails_with_located_errors(
    document: Any,
) -> None:
    check_load(json.dumps(document).encode())


@given(FILES, st.integers(0, 400), st.binary(min_size=1, max_size=3))
def test_corrupted_json_loads_or_fails_with_a_located_error(
    document: Any, at: int, junk: bytes
) -> None:
    data = json.dumps(document).encode()
    at = min(at, len(data))
    check_load(data[:at] + junk + data[at:])


@given(st.text(max_size=40) | DATE_LIKE | whens().map(When.to_text))
def test_any_text_is_a_date_or_a_date_error_with_a_column(text: str) -> None:
    try:
        when = parse_when(text)
    except DateError as exc:
        assert 1 <= exc.column <= len(text) + 1
    else:
        event("a date")
        assert when.earliest <= when.latest and parse_when(when.to_text()) == when


@given(st.text(max_size=60) | st.text(alphabet='ab :"()-ORNTAD.,=2025tagonfterbsi~', max_size=40))
def test_any_text_is_a_query_or_a_query_error_with_a_column(text: str) -> None:
    try:
        query = parse_query(text, 2025)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1
    else:
        event("a query")
        found = query.filter(STORY)  # a query that parses runs, and finds events in order
        assert found == sorted(set(found)) and all(0 <= i < len(STORY) for i in found)
        assert parse_query(text, 2025).filter(STORY) == found  # and means the same again


@given(
    st.sampled_from(["timeline", "timelinejs", "timelinejs-csv", "csv", "acled", "ics"]),
    st.text(max_size=300)
    | st.sampled_from(
        [
            "Year,Month,Day,Headline\n19x5,13,,x\n",
            "event_id_cnty,event_date,time_precision\nA,2025-99-01,2\n",
            "date,title,sources\n2025,x,[not json\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:2025\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\nDURATION:P1D\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ]
    ),
)
def test_any_text_in_any_format_loads_or_fails_with_a_located_error(fmt: str, text: str) -> None:
    from tui.model.loading import LoadOptions

    try:
        load_bytes(text.encode(), "fuzz", options=LoadOptions(format=fmt))
    except LoadError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert_located(problem)


def test_a_reader_that_crashes_is_a_bug_the_fuzz_test_sees(monkeypatch: Any) -> None:
    """An unexpected exception in a reader is not dressed up as a LoadError at 1:1."""
    import pytest

    from tui.formats import table

    def broken(text: str) -> Any:
        return 1 // 0

    monkeypatch.setattr(table, "from_plain", broken)
    with pytest.raises(ZeroDivisionError):
        load_bytes(b"date,title\n2025,x\n", "x.csv")
    with pytest.raises(ZeroDivisionError):
        test_any_text_in_any_format_loads_or_fails_with_a_located_error()


@given(st.sampled_from(["\r", "\r\n", "\n"]), st.sampled_from(["csv", "timelinejs-csv", "acled"]))
def test_csv_with_any_line_breaks_is_read_or_fails_at_a_real_line(newline: str, fmt: str) -> None:
    from tui.model.loading import LoadOptions

    header = {
        "csv": "date,title",
        "timelinejs-csv": "Year,Month,Day,Headline",
        "acled": "event_id_cnty,event_date,time_precision,notes",
    }[fmt]
    row = {"csv": "2025-01-09,x", "timelinejs-csv": "2025,1,9,x", "acled": "A1,2025-01-09,1,x"}
    text = header + newline + row[fmt] + newline
    loaded = load_bytes(text.encode(), "f", options=LoadOptions(format=fmt))
    assert len(loaded.timeline) == 1
