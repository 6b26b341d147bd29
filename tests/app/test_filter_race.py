"""The list always shows the result of the text now in the filter bar, however the
filter's thread and the synchronous path interleave (files above SYNC_FILTER_LIMIT)."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from tests.support.app import make_app, ready, shown_ids, write_events
from tui.app import timeline_app
from tui.model.events import Timeline
from tui.model.query import Query, parse_query
from tui.screens import main


def thirty_events(path: Path) -> Path:
    events = []
    for day in range(1, 31):
        title = f"Fighting near Kursk, day {day}" if day <= 11 else f"Shelling report {day}"
        if day == 30:
            title = "Kursx is a misspelling kept on purpose"
        events.append({"id": f"e{day}", "date": f"2025-01-{day:02d}", "title": title})
    return write_events(path / "thirty.json", events)


@pytest.fixture
def slow_threaded_filter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every filter over 20 events goes to the thread, one event per chunk, slowly,
    so that a later keystroke lands while an earlier filter is still running."""
    monkeypatch.setattr(main, "SYNC_FILTER_LIMIT", 20)
    monkeypatch.setattr(main, "FILTER_CHUNK", 1)
    # No word index: the predicate's thread is the one that must not race.
    monkeypatch.setattr(main.MainScreen, "_build_index", lambda self, timeline, place: None)
    each_event_takes(monkeypatch, 0.002)


def each_event_takes(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The filter, in the filter's thread, takes this long more for each event it tests."""
    real = Query.filter

    def slow(
        self: Query, timeline: Timeline, within: Sequence[int] | None = None, **kwargs: Any
    ) -> list[int]:
        if threading.current_thread() is not threading.main_thread():
            time.sleep(seconds * len(timeline if within is None else within))
        return real(self, timeline, within, **kwargs)

    monkeypatch.setattr(Query, "filter", slow)


def fresh(app: timeline_app.TimelineApp, text: str) -> list[str]:
    query = parse_query(text, app.timeline.latest_year)
    return [app.timeline[i].id for i in query.filter(app.timeline)]


@pytest.mark.parametrize(
    "keys",
    [
        [*"kursk", "backspace", "x"],  # kursk, kurs, kursx: the issue's report
        [*"kursk", "backspace", "backspace", "backspace", "backspace", "backspace"],
        [*"sh", "backspace", "backspace", *"kursk"],
        [*"kursk", "ctrl+u", *"day", "backspace", "backspace", "backspace", *"kursx"],
        [*"k", "backspace", *"shelling", "backspace"],
    ],
)
async def test_quick_typing_and_deleting_shows_the_result_of_the_final_text(
    tmp_path: Path, slow_threaded_filter: None, keys: list[str]
) -> None:
    app = make_app(thirty_events(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        for key in keys:
            await pilot.press(key)
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = app.query_one("#filter", Input).value
        assert shown_ids(app) == fresh(app, text), text
        count = str(app.query_one("#count").render())
        assert count.startswith(f"{len(fresh(app, text))} of 30 events")


async def test_the_issue_sequence_ends_on_the_one_kursx_event(
    tmp_path: Path, slow_threaded_filter: None
) -> None:
    app = make_app(thirty_events(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"kursk", "backspace", "x")
        await app.workers.wait_for_complete()
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#filter", Input).value == "kursx"
        assert shown_ids(app) == ["e30"]


@pytest.fixture
def filter_shown_in_parts(monkeypatch: pytest.MonkeyPatch, slow_threaded_filter: None) -> None:
    """The predicate's thread shows what it has found after every five events, each
    taking 10 ms: a filter of the thirty is seen in six parts."""
    monkeypatch.setattr(main, "FILTER_CHUNK", 5)
    monkeypatch.setattr(main, "PART_SHOWN_AFTER", 0.0)
    monkeypatch.setattr(main, "PART_SHOWN_EVERY", 0.0)
    each_event_takes(monkeypatch, 0.008)


async def _count_once_searching(pilot: object, app: timeline_app.TimelineApp) -> str:
    for _ in range(300):
        count = str(app.query_one("#count").render())
        if "searching" in count:
            return count
        await pilot.pause(0.01)  # type: ignore[attr-defined]
    raise AssertionError("no part of the result was shown")


async def test_what_the_predicate_has_found_so_far_is_shown_until_the_whole_result(
    tmp_path: Path, filter_shown_in_parts: None
) -> None:
    app = make_app(thirty_events(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        app.query_one("#filter", Input).value = "kurs"
        count = await _count_once_searching(pilot, app)
        wanted = fresh(app, "kurs")
        part = shown_ids(app)
        assert part == wanted[: len(part)] and len(part) < len(wanted)
        assert count.startswith(f"{len(part)}+ of 30 events (searching, ")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_ids(app) == wanted
        assert str(app.query_one("#count").render()).startswith(f"{len(wanted)} of 30 events")


async def test_typing_on_from_a_part_of_a_result_tests_every_event_again(
    tmp_path: Path, filter_shown_in_parts: None
) -> None:
    """`k` is shown in part (the first days); `ku` must not be looked for only there."""
    app = make_app(thirty_events(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        filter_input = app.query_one("#filter", Input)
        filter_input.value = "k"
        await _count_once_searching(pilot, app)
        filter_input.value = "ku"
        for _ in range(300):  # the whole result of `ku` (`k`'s thread ends cancelled)
            if app.main.positions_text == "ku":
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert shown_ids(app) == fresh(app, "ku") and "e30" in shown_ids(app)


async def test_the_thread_does_not_wait_for_all_texts_made_in_the_background(
    tmp_path: Path, filter_shown_in_parts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Until the background has made all text's column (never, here), the filter makes
    each text as it tests it rather than make (or wait for) the whole column."""

    monkeypatch.setattr(Timeline, "prepare_search", lambda self: None)
    app = make_app(thirty_events(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        app.query_one("#filter", Input).value = "kurs"
        for _ in range(300):
            if app.main.positions_text == "kurs":
                break
            await pilot.pause(0.01)
        assert not app.timeline.has_column("text")  # (fresh makes it: asked after)
        assert shown_ids(app) == fresh(app, "kurs")
