"""A large file's first events are on screen while the rest of it is read; the whole
timeline then takes their place, the cursor on the same event."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.model.test_large_files import in_parts
from tests.support.app import current_id, make_app, ready, shown_ids, until
from tui.app import timeline_app
from tui.model import fast_path, loading


def _held(monkeypatch: pytest.MonkeyPatch, check: str) -> threading.Event:
    """The loader's `check` (checked_json, checked_sql: what reads the whole file after
    its first events) held until the event returned is set."""
    release = threading.Event()
    checked = getattr(loading, check)

    def held(*args: Any, **kwargs: Any) -> Any:
        release.wait(10)  # the rest of the file, read once the test has looked
        return checked(*args, **kwargs)

    monkeypatch.setattr(loading, check, held)
    monkeypatch.setattr(timeline_app, "SYNC_LOAD_BYTES", 0)
    return release


async def test_a_large_file_shows_its_first_events_while_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = [
        {"id": f"e{n:03}", "date": f"2025-01-{n % 28 + 1:02}", "title": f"Event {n}"}
        for n in range(200)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"title": "Big story", "events": events}, indent=1))
    release = _held(monkeypatch, "checked_json")
    monkeypatch.setattr(fast_path, "PREVIEW_BYTES", 2000)
    app = make_app(path)
    with in_parts(50):  # and whatever happens, the held load goes on at the end
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: app.main.first_events)
            await pilot.pause()
            first = len(app.timeline)
            assert 0 < first < 200
            assert shown_ids(app)[:3] == ["e000", "e001", "e002"]  # of the first read
            count = str(app.query_one("#count", Static).render())
            assert count.startswith(f"{first} of the file's first {first} events · loading")
            assert str(app.query_one("#title", Static).render()) == "Big story"
            assert app.main.check_action("facets", ()) is None  # waits for all of it
            assert app.main.check_action("warnings", ()) is None
            assert app.main.check_action("star", ()) is True  # the ids are the file's
            await pilot.press("j", "j")
            assert current_id(app) == "e002"

            release.set()
            await ready(pilot)
            assert not app.main.first_events and len(app.timeline) == 200
            count = str(app.query_one("#count", Static).render())
            assert count.startswith("200 of 200 events")
            assert current_id(app) == "e002"  # where the cursor was
            assert shown_ids(app)[:3] == ["e000", "e028", "e056"]  # all of 1 Jan now
            assert app.main.check_action("facets", ()) is True


async def test_stars_notes_and_labels_wait_while_a_first_id_may_yet_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row without an id is named from its date and title: a later row's own id may
    take that name, and a star kept by it would then be that row's."""
    from tui.formats import sql_read

    path = tmp_path / "sheet.csv"
    path.write_text("id,date,title\n,2025-01-02,A\nb,2025-01-01,B\n2025-01-02-a,2025-01-05,D\n")
    release = _held(monkeypatch, "checked_sql")
    monkeypatch.setattr(loading, "SQL_AT_LEAST", 0)
    monkeypatch.setattr(sql_read, "FIRST_ROWS", 2)
    app = make_app(path)
    try:
        async with app.run_test(size=(120, 30)) as pilot:
            await until(pilot, lambda: app.main.first_events)
            await pilot.pause()
            assert shown_ids(app) == ["b", "2025-01-02-a"]
            for action in ("star", "note", "label"):
                assert app.main.check_action(action, ()) is None
            assert app.main.check_action("open_current", ()) is True
            await pilot.press("j", "asterisk")
            assert app.main.mine.starred == set()
            release.set()
            await ready(pilot)
            assert shown_ids(app) == ["b", "2025-01-02-a-2", "2025-01-02-a"]
            assert app.main.check_action("star", ()) is True
    finally:
        release.set()


async def test_with_several_files_one_files_first_events_are_shown_while_all_are_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until all are read and made one timeline (which marks an id two files share with
    the file's name), the first file's first events, said to be its."""
    paths = []
    for name in ("a.json", "b.json"):
        events = [{"id": f"e{n:03}", "date": "2025-01-02", "title": name} for n in range(100)]
        paths.append(tmp_path / name)
        paths[-1].write_text(json.dumps({"title": name.upper(), "events": events}, indent=1))
    release = _held(monkeypatch, "checked_json")
    monkeypatch.setattr(fast_path, "PREVIEW_BYTES", 2000)
    app = timeline_app.TimelineApp([str(path) for path in paths])
    with in_parts(50):
        try:
            async with app.run_test(size=(120, 30)) as pilot:
                await until(pilot, lambda: app.main.first_events)
                await pilot.pause()
                first = len(app.timeline)
                assert 0 < first < 100 and {e.title for e in app.timeline} == {"a.json"}
                count = str(app.query_one("#count", Static).render())
                assert count.startswith(f"{first} of a.json's first {first} events · loading")
                assert str(app.query_one("#title", Static).render()) == "a.json + b.json"
                assert app.main.check_action("star", ()) is None  # e000 will be a.json:e000
                release.set()
                await ready(pilot)
                assert len(app.timeline) == 200 and not app.main.first_events
                assert app.main.check_action("star", ()) is True
        finally:
            release.set()
