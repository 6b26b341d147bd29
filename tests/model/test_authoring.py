"""A new event appended as text, the line an event is on, and the starter file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tui.model.authoring import (
    NEW_TITLE,
    AuthoringError,
    append_event,
    event_line,
    fresh_id,
    starter_text,
)
from tui.model.loading import load_path


def removed(after: str, before: str) -> str:
    """`after` without the one run of text inserted into `before`."""
    start = next(i for i, (a, b) in enumerate(zip(after, before, strict=False)) if a != b)
    end = len(after) - (len(before) - start)
    return after[:start] + after[end:]


@pytest.mark.parametrize(
    "original",
    [
        BUNDLED.read_text(encoding="utf-8"),  # indented, events not the last key
        '{"events":[{"id":"a","date":"2024","title":"x"}],"title":"t"}',  # one line
        '[\r\n  {"id": "a", "date": "2024", "title": "x"}\r\n]\r\n',  # bare array, CRLF
        '{"title": "empty", "events": []}',
        '\ufeff{"events": [{"id": "a", "date": "2024", "title": "x ] } \\" ["}]}',  # BOM
    ],
)
def test_a_new_event_is_inserted_and_nothing_else_changes(tmp_path: Path, original: str) -> None:
    path = tmp_path / "story.json"
    path.write_bytes(original.encode("utf-8"))
    before_ids = {e.id for e in load_path(str(path)).timeline}
    event_id, line = append_event(str(path), "2025-01-09", before_ids)
    after = path.read_bytes().decode("utf-8")
    loaded = load_path(str(path))
    assert {e.id for e in loaded.timeline} == before_ids | {event_id}
    new = loaded.timeline.get(event_id)
    assert new is not None and new.title == NEW_TITLE and str(new.date.to_text()) == "2025-01-09"
    assert new.status is None and new.sources == () and new.claimed_by == ()
    assert loaded.warnings == []
    assert '"id": "new-2025-01-09"' in after.splitlines()[line]  # the line after its `{`
    if original.strip().endswith("[]}"):
        assert json.loads(after)["events"][0]["id"] == event_id
    else:
        assert removed(after, original) == original
    assert ("\r\n" in after) == ("\r\n" in original)


def test_a_csv_gets_a_last_row(tmp_path: Path) -> None:
    path = tmp_path / "story.csv"
    path.write_text("date,title,id,tags\n2024,hello,a,x", encoding="utf-8")
    event_id, line = append_event(str(path), "2024-05", {"a"})
    assert path.read_text(encoding="utf-8") == (
        f"date,title,id,tags\n2024,hello,a,x\n2024-05,{NEW_TITLE},new-2024-05,\n"
    )
    assert line == 3 and event_id == "new-2024-05"


def test_what_cannot_take_a_new_event_says_why(tmp_path: Path) -> None:
    other = tmp_path / "slides.json"
    other.write_text('{"events": {"not": "a list"}}', encoding="utf-8")
    with pytest.raises(AuthoringError, match="not an event file with an `events` array"):
        append_event(str(other), "2024", set())
    broken = tmp_path / "broken.json"
    broken.write_text('{"events": [', encoding="utf-8")
    with pytest.raises(AuthoringError, match="is not valid JSON"):
        append_event(str(broken), "2024", set())
    acled = tmp_path / "acled.csv"
    acled.write_text("event_date,notes\n2024-01-01,x\n", encoding="utf-8")
    with pytest.raises(AuthoringError, match="no `date` and `title` columns"):
        append_event(str(acled), "2024", set())
    assert broken.read_text(encoding="utf-8") == '{"events": ['


def test_fresh_ids_never_clash() -> None:
    assert fresh_id("2025-01-09", set()) == "new-2025-01-09"
    assert fresh_id("2025-01-09", {"new-2025-01-09"}) == "new-2025-01-09-2"
    assert fresh_id("2025-01-09/..", {"new-2025-01-09", "new-2025-01-09-2"}) == "new-2025-01-09-3"
    assert fresh_id("-0044-03~", {"new-0044-03"}) == "new-0044-03-2"


def test_the_line_an_event_is_on() -> None:
    text = BUNDLED.read_text(encoding="utf-8")
    lines = text.splitlines()
    line = event_line(text, "capture")
    assert line is not None and '"id": "capture"' in lines[line - 1]
    assert event_line(text, "no-such-id") is None
    assert event_line('{"id":"caf\\u00e9"}', "café") == 1
    assert event_line("date,title,id\n2024,x,some-id\n2024,y,some-id-2\n", "some-id") == 2


def test_the_starter_file_has_one_event_of_each_kind_of_date(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text(starter_text(), encoding="utf-8")
    loaded = load_path(str(path))
    assert loaded.warnings == []
    shown = {e.id: e.date.display() for e in loaded.timeline}
    assert shown == {
        "a-day": "9 Jan 2025",
        "a-minute": "9 Jan 2025 14:30 +02:00",
        "a-month": "Oct 2024",
        "a-year": "2024",
        "about": "c. 15 Dec 2024",
        "uncertain": "20 Dec 2024?",
        "both": "c. Nov 2024?",
        "an-interval": "9–12 Jan 2025",
        "open-ended": "from Jun 2024",
        "long-ago": "15 Mar 45 BCE",
        "full": "11 Jan 2025",
    }
