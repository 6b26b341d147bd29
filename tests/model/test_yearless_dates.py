"""A query date written without a year takes the only year that has events then, and
says which year it took (DESIGN.md §2; issue: `on:"sept 27"` found nothing)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tui.model.loading import load_bytes
from tui.model.query import parse_query

EVENTS = [
    {"id": "vote", "date": "2022-09-27", "title": "Referendum results"},
    {"id": "anniversary", "date": "2023-09-27", "title": "A year on"},
    {"id": "summit", "date": "2023-06-10", "title": "Summit"},
    {"id": "later", "date": "2024-01-15", "title": "Later"},
]


def timeline(events: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    return load_bytes(json.dumps({"events": events}).encode(), "f").timeline


def ids(text: str, events: list[dict[str, str]]) -> tuple[list[str], list[str]]:
    story = timeline(events)
    query = parse_query(text, story)
    return [story[i].id for i in query.filter(story)], query.notes


def test_the_only_year_with_such_a_day_is_taken_and_said() -> None:
    found, notes = ids('on:"sept 27"', [EVENTS[0], EVENTS[2], EVENTS[3]])
    assert found == ["vote"]
    assert notes == ['"sept 27" read as 27 Sep 2022, the only year with events then']


def test_the_only_year_with_events_in_a_month_is_taken() -> None:
    found, notes = ids("in:june", EVENTS)
    assert found == ["summit"] and "read as Jun 2023" in notes[0]


def test_several_years_take_the_latest_events_year_and_name_the_others() -> None:
    found, notes = ids('on:"sept 27"', EVENTS)
    assert found == []
    assert notes == [
        '"sept 27" read as 27 Sep 2024 (the latest event\'s year; write the year for 2022, 2023)'
    ]


def test_no_year_with_such_a_day_takes_the_latest_events_year() -> None:
    _, notes = ids('on:"dec 25"', EVENTS)
    assert notes == ['"dec 25" read as 25 Dec 2024 (the latest event\'s year)']


def test_a_date_with_its_year_notes_nothing() -> None:
    assert ids('on:"27 sept 2022"', EVENTS) == (["vote"], [])


def test_print_says_on_stderr_which_year_it_took(tmp_path: Path) -> None:
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"events": [EVENTS[0], EVENTS[3]]}))
    result = subprocess.run(
        [sys.executable, "-m", "tui", "print", str(path), 'on:"sept 27"'],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0
    assert "Referendum results" in result.stdout
    assert 'timeline: "sept 27" read as 27 Sep 2022, the only year' in result.stderr


async def test_the_app_says_which_year_and_t_goes_to_it(tmp_path: Path) -> None:
    from textual.widgets import Input, Static

    from tests.support.app import current_id, make_app, ready, shown_ids

    path = tmp_path / "story.json"
    path.write_text(json.dumps({"events": [EVENTS[0], EVENTS[2], EVENTS[3]]}))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t", *"sept 27", "enter")
        assert current_id(app) == "vote"
        await pilot.press("slash")
        app.query_one("#filter", Input).value = 'on:"sept 27"'
        await pilot.pause()
        assert shown_ids(app) == ["vote"]
        notice = app.query_one("#notice", Static)
        assert notice.display and "read as 27 Sep 2022" in str(notice.render())
        app.query_one("#filter", Input).value = "summit"
        await pilot.pause()
        assert not notice.display
