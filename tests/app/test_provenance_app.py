"""Provenance in the app (DESIGN.md §7): grades, corroboration and the status history in
the list and the detail pane, and the replay showing each status as it was known."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import OptionList

from tests.conftest import BUNDLED
from tests.support.app import current_id, make_app, ready, shown_ids
from tui.app import TimelineApp
from tui.widgets.event_list import EventList


def detail(app: TimelineApp) -> str:
    return str(app.main.query_one("#detail-body").render())


def row(app: TimelineApp, event_id: str) -> str:
    lst = app.query_one(EventList)
    rows = lst.layout_rows
    for y in range(len(rows)):
        if rows.kinds[y] == 1 and app.timeline[rows.values[y]].id == event_id:
            return "".join(s.text for s in lst.render_line(y - lst.scroll_offset.y))
    raise AssertionError(f"{event_id} is not shown")


async def test_the_detail_pane_grades_each_source_and_shows_the_history() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(140, 60)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"id:=capture", "enter")
        text = " ".join(detail(app).split())
        assert "corroboration 2 independent sources" in text
        assert "Kursk battlefield in Russia” (Ukraine says 2 North Korean soldiers captured" in text
        assert "12 January 2025) · B1)" in text  # DW's reliability, the citation's credibility
        assert "Soldiers for Ukrainian POWs · F)" in text  # the article: cannot be judged
        assert (
            "history 11 Jan 2025 ● reported by Zelenskyy, Security Service of Ukraine:"
            " announced;" in text
        )
        assert "12 Jan 2025 ✓ confirmed by South Korea NIS: the NIS confirms" in text
        assert "✓²" in row(app, "capture")  # confirmed, on two independent sources
        await pilot.press("escape", "escape")
        assert "○ " in row(app, "invasion") and "○²" not in row(app, "invasion")


async def test_the_replay_shows_each_status_as_known_that_day_and_marks_what_is_new() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        main = app.main
        while main.replay_index is None or "11 Jan 2025" not in str(
            main.query_one("#count").render()
        ):
            await pilot.press("a")
        assert "●²" in row(app, "capture")  # reported, as known on 11 January
        assert row(app, "capture").rstrip().endswith("new")
        assert "new" not in row(app, "troops-10k")
        main.jump_to_event("capture")  # shown in this step: the replay goes on
        await pilot.pause()
        assert current_id(app) == "capture" and main.replay_index is not None
        assert "● reported as known then; now ✓ confirmed" in " ".join(detail(app).split())
        await pilot.press("a")  # 12 January
        assert "12 Jan 2025" in str(main.query_one("#count").render())
        assert "✓²" in row(app, "capture") and "new" not in row(app, "capture")
        assert row(app, "nis-confirms").rstrip().endswith("new")
        await pilot.press("escape")  # the replay ends: the latest status again
        assert main.replay_index is None and "✓²" in row(app, "capture")


async def test_provenance_facets_and_filters() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f")
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Independent sources (2)" in prompts
        assert "Best source reliability (3)" in prompts
        index = prompts.index("Independent sources (2)")
        assert prompts[index + 1].split() == ["10", "1"]
        assert prompts[index + 2].split() == ["3", "2"]
        options.highlighted = index + 2
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.query_one("#filter").value == "corroboration:=2"  # type: ignore[attr-defined]
        assert shown_ids(app) == ["capture", "nis-confirms", "casualties"]
        await pilot.press("slash", "ctrl+u", *"reliability:<=C -reliability:<=B", "enter")
        assert shown_ids(app) == ["treaty", "casualties"]


async def test_an_archived_copy_is_shown_with_when_it_was_made(tmp_path: Path) -> None:
    from tui.screens.event_screen import EventScreen

    digest = "0123456789abcdef" * 4
    document = {
        "sources": {
            "wire": {
                "title": "The wire",
                "url": "https://example.org/story",
                "reliability": "A",
                "archived": "https://web.archive.org/web/2025/https://example.org/story",
                "captured": "2025-01-13",
                "sha256": digest,
            }
        },
        "events": [
            {
                "id": "e",
                "date": "2025-01-12",
                "title": "T",
                "sources": [{"ref": "wire", "quote": "words", "credibility": 2}],
            }
        ],
    }
    path = tmp_path / "f.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    app = make_app(path)
    async with app.run_test(size=(140, 40)) as pilot:
        await ready(pilot)
        assert "“words” (The wire · A2 · archived 13 Jan 2025)" in detail(app)
        await pilot.press("enter")
        assert isinstance(app.screen, EventScreen)
        full = str(app.screen.query_one("#event-content").render())
        assert "https://example.org/story" in full
        assert "archived copy https://web.archive.org/web/2025/https://example.org/story" in full
        assert f"sha256 {digest}" in full
        assert "A2: source completely reliable, information probably true" in full
