"""The open file changes on disk: the app follows it without losing the cursor,
and keeps the last good data when the new content is invalid or gone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.support.app import current_id, make_app, ready, shown_ids, until
from tui.app import TimelineApp, timeline_app
from tui.widgets.event_list import EventList


def events(*titles: tuple[str, str, str]) -> str:
    return json.dumps(
        {"title": "Live", "events": [{"id": i, "date": d, "title": t} for i, d, t in titles]}
    )


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline_app, "WATCH_SECONDS", 0.05)


def count_text(app: TimelineApp) -> str:
    return str(app.query_one("#count").render())


def notice_text(app: TimelineApp) -> str:
    notice = app.query_one("#notice")
    return str(notice.render()) if notice.display else ""


async def test_a_changed_file_reloads_and_the_cursor_stays_on_the_same_event(
    tmp_path: Path,
) -> None:
    path = tmp_path / "live.json"
    path.write_text(
        events(("a", "2025-01-01", "A"), ("b", "2025-01-02", "B"), ("c", "2025-01-03", "C"))
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        assert current_id(app) == "b"
        # b moves to the end and gets a new title; two events arrive before it.
        path.write_text(
            events(
                ("new1", "2024-12-01", "New 1"),
                ("a", "2025-01-01", "A"),
                ("new2", "2025-01-01", "New 2"),
                ("c", "2025-01-03", "C"),
                ("b", "2025-02-01", "B, corrected"),
            )
        )
        await until(pilot, lambda: len(shown_ids(app)) == 5)
        assert current_id(app) == "b"
        assert app.timeline.get("b").title == "B, corrected"  # type: ignore[union-attr]
        assert "⚠" not in count_text(app)


async def test_invalid_content_keeps_the_last_good_data_and_shows_the_errors(
    tmp_path: Path,
) -> None:
    path = tmp_path / "live.json"
    path.write_text(events(("a", "2025-01-01", "A"), ("b", "2025-01-02", "B")))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        path.write_text('{"events": [{"id": "a", "date": "2025-02-30", "title": "A"},')
        await until(pilot, lambda: app.main.file_status is not None)
        assert "error" in notice_text(app) and "last good version" in notice_text(app)
        assert shown_ids(app) == ["a", "b"] and current_id(app) == "b"
        # Fixed again: reloaded, the warning goes.
        path.write_text(
            events(("a", "2025-01-01", "A"), ("b", "2025-01-02", "B"), ("z", "2025-03-01", "Z"))
        )
        await until(pilot, lambda: len(shown_ids(app)) == 3)
        assert app.main.file_status is None and current_id(app) == "b"
        assert notice_text(app) == ""


async def test_a_deleted_file_keeps_the_data_and_a_rename_over_it_reloads(tmp_path: Path) -> None:
    path = tmp_path / "live.json"
    path.write_text(events(("a", "2025-01-01", "A"), ("b", "2025-01-02", "B")))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("j")
        path.unlink()
        await until(pilot, lambda: app.main.file_status is not None)
        assert "gone" in notice_text(app)
        assert shown_ids(app) == ["a", "b"]
        # An editor's save: write a new file beside it, rename it over the old name.
        temporary = tmp_path / ".live.json.swp"
        temporary.write_text(events(("b", "2025-01-02", "B"), ("c", "2025-01-05", "C")))
        os.replace(temporary, path)
        await until(pilot, lambda: shown_ids(app) == ["b", "c"])
        assert current_id(app) == "b" and app.main.file_status is None


async def test_filter_and_stars_survive_a_reload(tmp_path: Path) -> None:
    path = tmp_path / "live.json"
    path.write_text(
        events(
            ("a", "2025-01-01", "Alpha"),
            ("b", "2025-01-02", "Beta"),
            ("c", "2025-01-03", "Alpha 2"),
        )
    )
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("m", "slash", *"alpha", "enter")
        assert shown_ids(app) == ["a", "c"]
        path.write_text(events(("a", "2025-01-01", "Alpha"), ("d", "2025-01-04", "Alpha 3")))
        await until(pilot, lambda: shown_ids(app) == ["a", "d"])
        assert app.main.sidecar.starred() == ["a"]
        assert app.main.query_one(EventList).marks.starred == {"a"}


async def test_at_80_columns_the_count_and_the_file_status_are_both_whole(tmp_path: Path) -> None:
    path = tmp_path / "live.json"
    path.write_text(events(*[(f"e{i}", f"2025-01-{i + 1:02d}", f"E{i}") for i in range(24)]))
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        path.write_text('{"events": [{"id": "a", "date": "2025-02-30", "title": "A"},')
        await until(pilot, lambda: app.main.file_status is not None)
        await pilot.pause()
        count = app.query_one("#count")
        assert "24 of 24 events" in count_text(app)
        assert count.size.width >= len(count_text(app))  # not cut
        notice = app.query_one("#notice")
        text = notice_text(app)
        assert "the file has 1 error; showing the last good version" in text
        assert notice.size.width >= len(text)


async def test_an_open_event_shows_the_reloaded_data(tmp_path: Path) -> None:
    from textual.widgets import OptionList, Static

    from tui.screens.event_screen import EventScreen

    path = tmp_path / "live.json"
    dangling = [{"id": "a", "date": "2025-01-01", "title": "A", "related": [{"id": "b"}]}]
    path.write_text(json.dumps({"events": dangling}))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, EventScreen)
        related = screen.query_one("#related", OptionList)
        assert "not in this file" in str(related.get_option_at_index(0).prompt)
        fixed = [*dangling, {"id": "b", "date": "2025-01-02", "title": "B, now here"}]
        fixed[0] = {**fixed[0], "title": "A, edited"}
        path.write_text(json.dumps({"events": fixed}))
        await until(pilot, lambda: len(app.timeline) == 2)
        await pilot.pause()
        assert app.screen is screen
        prompt = str(related.get_option_at_index(0).prompt)
        assert "not in this file" not in prompt and "B, now here" in prompt
        assert "A, edited" in str(screen.query_one("#event-content", Static).render())
        path.write_text(json.dumps({"events": [fixed[1]]}))  # and the event is gone
        await until(pilot, lambda: len(app.timeline) == 1)
        await pilot.pause()
        assert "A, edited" in str(screen.query_one("#event-content", Static).render())
        assert any("no longer in the file" in n.message for n in app._notifications)


async def test_a_parquet_folder_reloads_when_a_file_under_it_is_added_or_removed(
    tmp_path: Path,
) -> None:
    import duckdb

    root = tmp_path / "lake"

    def part(folder: str, *ids: str) -> Path:
        path = root / folder / "part-0.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        rows = " UNION ALL ".join(
            f"SELECT '{i}' AS id, '2025-01-0{i[-1]}' AS date, 'T' AS title" for i in ids
        )
        with duckdb.connect() as connection:
            connection.execute(f"COPY ({rows}) TO ? (FORMAT parquet)", [str(path)])
        return path

    part("month=01", "e1", "e2")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert shown_ids(app) == ["e1", "e2"]
        added = part("month=02/day=09", "e9")  # two folders down
        await until(pilot, lambda: shown_ids(app) == ["e1", "e2", "e9"])
        assert app.timeline.get("e9").extra == {"month": "02", "day": "09"}  # type: ignore[union-attr]
        added.unlink()
        await until(pilot, lambda: shown_ids(app) == ["e1", "e2"])
        for path in root.rglob("*.parquet"):
            path.unlink()
        await until(pilot, lambda: app.main.file_status is not None)
        assert "gone" in notice_text(app) and shown_ids(app) == ["e1", "e2"]


async def test_the_files_are_looked_at_off_the_app_s_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each second: a Parquet folder of 10,000 files takes 60 ms to walk, which the
    app's thread would spend between keys."""
    import threading

    path = tmp_path / "live.json"
    path.write_text(events(("a", "2025-01-01", "A")))
    where: list[bool] = []
    real = timeline_app.file_stat

    def watched(name: str) -> tuple[int, int, int] | None:
        where.append(threading.current_thread() is threading.main_thread())
        return real(name)

    monkeypatch.setattr(timeline_app, "file_stat", watched)
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        loaded = len(where)
        await until(pilot, lambda: len(where) > loaded + 2)
        path.write_text(events(("a", "2025-01-01", "A"), ("b", "2025-01-02", "B")))
        await until(pilot, lambda: shown_ids(app) == ["a", "b"])
    assert where[loaded:] and not any(where[loaded:])


async def test_what_a_thread_says_after_the_app_has_closed_is_dropped(tmp_path: Path) -> None:
    """Catching up and the look at the files run in threads: an answer that arrives as
    the app shuts down (its screens gone) is dropped, not a crash (CI once saw
    catching up's answer reach an app with no screen)."""
    from tui.app.catching_up import CaughtUp
    from tui.app.loads import Looked

    path = tmp_path / "live.json"
    path.write_text(events(("a", "2025-01-01", "A")))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        timeline = app.timeline
    assert not app.screen_stack
    app._caught_up(CaughtUp(timeline, {"a"}, None))
    app._looked(Looked([None]))  # the file gone, as it would be said
