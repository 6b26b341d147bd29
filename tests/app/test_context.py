"""`c`: every event near the highlighted one, whatever the filter; `+`/`-` widen and
narrow the window; Esc goes back to the filtered list, the cursor on the same event."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from tests.support.app import current_id, make_app, ready, shown_ids, write_events


def january(tmp_path: Path) -> Path:
    days = {"d01": 1, "d05": 5, "d09": 9, "d20": 20, "d31": 31}
    events = [
        {"id": key, "date": f"2025-01-{day:02d}", "title": f"Day {day} report"}
        for key, day in days.items()
    ]
    return write_events(tmp_path / "january.json", events)


async def test_context_shows_the_neighbours_whatever_the_filter(tmp_path: Path) -> None:
    app = make_app(january(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"day 9", "enter")
        assert shown_ids(app) == ["d09"]
        await pilot.press("c")
        assert shown_ids(app) == ["d05", "d09"]  # 2 to 16 January
        assert current_id(app) == "d09"
        notice = str(app.query_one("#notice", Static).render())
        assert "within 7 days of “Day 9 report”" in notice
        await pilot.press("plus")
        assert shown_ids(app) == ["d01", "d05", "d09", "d20"]  # 14 days
        assert current_id(app) == "d09"
        await pilot.press("minus", "minus")
        assert shown_ids(app) == ["d09"]  # 3 days
        await pilot.press("plus", "plus", "plus", "plus")
        assert shown_ids(app) == ["d01", "d05", "d09", "d20", "d31"]  # 90 days
        await pilot.press("escape")
        assert shown_ids(app) == ["d09"] and current_id(app) == "d09"
        assert app.query_one(Input).value == "day 9"
        assert "Context" not in str(app.query_one("#notice", Static).render())


async def test_a_new_filter_ends_the_context_and_plus_does_nothing_without_one(
    tmp_path: Path,
) -> None:
    app = make_app(january(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("plus")
        assert len(shown_ids(app)) == 5
        await pilot.press("j", "j", "c")
        assert shown_ids(app) == ["d05", "d09"] and current_id(app) == "d09"
        await pilot.press("slash", *"report")
        assert len(shown_ids(app)) == 5  # the filter's result, not the context
