"""Several files in the app (DESIGN.md §6), driven with Pilot: one timeline with a mark
per file, `file:`, the detail pane, notes in each file's own sidecar, each file reloading
on its own, `D` and events marked the same, and the density strip's zoom and span."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from tests.support.app import (
    current_id,
    event_list,
    fake_editor,
    keys_in_one_read,
    ready,
    shown_ids,
    until,
    warnings_listed,
)
from tui.app import TimelineApp, timeline_app
from tui.screens.dupes import DupesScreen
from tui.widgets.density import DensityStrip


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline_app, "WATCH_SECONDS", 0.05)


def detail_text(app: TimelineApp) -> str:
    return str(app.query_one("#detail-body", Static).render())


def row_text(app: TimelineApp, index: int) -> str:
    lst = event_list(app)
    row = lst.layout_rows.event_rows[index] - int(lst.scroll_y)
    return lst.render_line(row).text


async def filter_by(pilot: Any, text: str) -> None:
    app = pilot.app
    await pilot.press("slash")
    app.query_one("#filter", Input).value = text
    await pilot.press("enter")
    await until(pilot, lambda: app.main.positions_text == text)


async def test_two_files_open_as_one_timeline_with_a_mark_each(several_files: list[str]) -> None:
    app = TimelineApp(several_files)
    async with app.run_test(size=(130, 36)) as pilot:
        await ready(pilot)
        assert len(app.timeline) == 7
        title = str(app.main.query_one("#title", Static).render())
        assert title == "1 newsroom.json  2 wire.csv"
        assert row_text(app, 0).startswith("1   19 Jun 2024")  # file mark, no star, no note
        assert row_text(app, 2).startswith("2   10 Jan 2025")
        await filter_by(pilot, "file:wire.csv")
        assert shown_ids(app) == ["wire.csv:capture", "drones", "wire.csv:offer"]
        await pilot.press("escape", "escape")  # the list, then the filter cleared
        await until(pilot, lambda: len(shown_ids(app)) == 7)
        app.main.jump_to_event("wire.csv:capture")
        await pilot.pause()
        assert "file wire.csv" in detail_text(app)
        assert "Agency report" in detail_text(app)
        assert app.main.warnings[-1].message.startswith('id "offer" is in newsroom.json and')


async def test_a_star_goes_to_the_events_own_file_under_its_own_id(
    several_files: list[str],
) -> None:
    app = TimelineApp(several_files)
    async with app.run_test(size=(130, 36)) as pilot:
        await ready(pilot)
        app.main.jump_to_event("wire.csv:capture")
        await pilot.pause()
        await pilot.press("asterisk")
        await until(pilot, lambda: Path(several_files[1]).with_name("wire.notes.json").exists())
        notes = json.loads(Path(several_files[1]).with_name("wire.notes.json").read_text())
        assert notes == {"file": "wire.csv", "events": {"capture": {"starred": True}}}
        assert not Path(several_files[0]).with_name("newsroom.notes.json").exists()
        await filter_by(pilot, "is:starred")
        assert shown_ids(app) == ["wire.csv:capture"]


@pytest.mark.parametrize("assemble_here", [50_000, 0], ids=["here", "in a thread"])
async def test_each_file_reloads_on_its_own(
    several_files: list[str], assemble_here: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timeline_app, "ASSEMBLE_HERE", assemble_here)
    app = TimelineApp(several_files)
    async with app.run_test(size=(130, 36)) as pilot:
        await ready(pilot)
        newsroom = app.parts[0]
        wire = Path(several_files[1])
        wire.write_text(wire.read_text() + "later,2025-01-20,A later wire story,,,reported,\n")
        await until(pilot, lambda: len(app.timeline) == 8)
        assert app.parts[0] is newsroom  # not read again
        assert "later" in shown_ids(app)
        wire.write_text("id,date,title\nx,2025-13-01,bad month\n")
        await until(pilot, lambda: app.main.file_status is not None)
        assert app.main.file_status == "wire.csv has 1 error; showing the last good version"
        assert len(app.timeline) == 8


async def test_D_finds_the_planted_pair_and_s_shows_it_once(several_files: list[str]) -> None:
    app = TimelineApp(several_files)
    async with app.run_test(size=(130, 40)) as pilot:
        await ready(pilot)
        await pilot.press("D")
        screen = app.screen
        assert isinstance(screen, DupesScreen)
        await until(pilot, lambda: screen.found == 2)
        title = str(screen.query_one("#dupes-title", Static).render())
        assert title == "2 possible duplicates among 7 events"
        options = screen.query_one("#dupes", OptionList)
        assert options.highlighted == 0
        await pilot.press("s")
        await until(pilot, lambda: len(app.timeline) == 6)
        await until(pilot, lambda: screen.found == 1)  # the other pair is left
        written = json.loads(Path(several_files[0]).with_name("newsroom.notes.json").read_text())
        assert written["events"] == {
            "capture": {"same_as": [{"file": "wire.csv", "id": "capture"}]}
        }
        # The pair marked is listed first, as one, and Enter goes to it.
        await pilot.press("home", "enter")
        await until(pilot, lambda: not isinstance(app.screen, DupesScreen))
        assert current_id(app) == "newsroom.json:capture"
        detail = detail_text(app)
        assert "marked the same as" in detail and "Agency report" in detail
        assert "Two North Korean soldiers captured by Ukraine in Kursk" in detail
        # Not the same after all: both are shown again.
        await pilot.press("D")
        screen = app.screen
        assert isinstance(screen, DupesScreen)
        await until(pilot, lambda: screen.found == 1)
        await pilot.press("home", "s")
        await until(pilot, lambda: len(app.timeline) == 7)
        written = json.loads(Path(several_files[0]).with_name("newsroom.notes.json").read_text())
        assert written["events"] == {}


async def test_the_strip_zooms_around_the_cursor_and_a_span_filters(tmp_path: Path) -> None:
    events = [
        {
            "id": f"e{month}-{day}",
            "date": f"2024-{month:02d}-{day:02d}",
            "title": f"E {month} {day}",
        }
        for month in range(1, 13)
        for day in (3, 17)
    ]
    path = tmp_path / "year.json"
    path.write_text(json.dumps({"events": events}))
    app = TimelineApp(str(path))
    async with app.run_test(size=(100, 36)) as pilot:
        await ready(pilot)
        strip = app.query_one(DensityStrip)
        assert strip.window is None
        await pilot.press("end")  # 17 Dec 2024
        await pilot.press("z")
        assert strip.window is not None
        low, high = strip.window
        assert high - low < 200 * 86400 and high > strip.full_span()[1] - 86400  # type: ignore[index]
        assert strip.render_line(1).text.startswith("◀")
        await pilot.press("z", "z", "z")
        assert strip._buckets is not None and strip._buckets.unit == "day"
        axis = strip.render_line(1).text
        assert axis.startswith("◀Nov 2024") and " Dec " in axis and axis.rstrip().endswith("▶")
        await pilot.press("Z", "Z", "Z", "Z", "Z")
        assert strip.window is None
        # v, two periods to the left, Enter: after: and before: in the filter.
        await pilot.press("v")
        assert app.focused is strip
        assert "Choosing a span" in str(app.main.query_one("#notice", Static).render())
        unit = strip._buckets.unit  # type: ignore[union-attr]
        await pilot.press("left", "left", "enter")
        text = app.query_one("#filter", Input).value
        assert text.startswith("after:") and " before:" in text
        await until(pilot, lambda: app.main.positions_text == text)
        assert unit == "week"
        assert shown_ids(app)[-1] == "e12-17" and len(shown_ids(app)) < 24
        assert app.focused is event_list(app)
        # Esc leaves a span without filtering; a drag chooses one.
        await pilot.press("v", "escape")
        assert app.query_one("#filter", Input).value == text
        await pilot.mouse_down(DensityStrip, offset=(2, 0))
        await pilot.hover(DensityStrip, offset=(20, 0))
        await pilot.mouse_up(DensityStrip, offset=(20, 0))
        await pilot.pause()
        dragged = app.query_one("#filter", Input).value
        assert dragged.startswith("after:2024-01-0") and dragged != text


async def test_a_span_typed_fast_is_chosen_as_one_typed_slowly(tmp_path: Path) -> None:
    """`v` moves the focus to the strip at once: its `l` widens the span (the label's
    `l` is a priority binding that leaves it to the strip), and Enter filters by it."""
    events = [{"id": f"e{m}", "date": f"2024-{m:02d}-03", "title": f"E {m}"} for m in range(1, 13)]
    path = tmp_path / "year.json"
    path.write_text(json.dumps({"events": events}))
    filters = []
    for fast in (False, True):
        app = TimelineApp(str(path))
        async with app.run_test(size=(100, 36)) as pilot:
            await ready(pilot)
            await pilot.press("home")
            keys = ("v", "l", "l", "right", "enter")
            await (keys_in_one_read(pilot, *keys) if fast else pilot.press(*keys))
            assert app.focused is event_list(app) and app.screen is app.main
            filters.append(app.query_one("#filter", Input).value)
    assert filters[0].startswith("after:") and filters[1] == filters[0]


async def test_a_group_linked_in_a_chain_is_undone_whole(tmp_path: Path) -> None:
    title = "Shelling of the Kupiansk market"
    story = tmp_path / "story.json"
    story.write_text(
        json.dumps({"events": [{"id": i, "date": "2025-01-09", "title": title} for i in "abc"]})
    )
    links = {"a": [{"id": "b"}], "b": [{"id": "c"}]}  # a = b and b = c: all three
    tmp_path.joinpath("story.notes.json").write_text(
        json.dumps({"events": {i: {"same_as": found} for i, found in links.items()}})
    )
    app = TimelineApp(str(story))
    async with app.run_test(size=(130, 40)) as pilot:
        await ready(pilot)
        assert len(app.timeline) == 1
        await pilot.press("D")
        screen = app.screen
        assert isinstance(screen, DupesScreen)
        await until(pilot, lambda: screen.query_one("#dupes", OptionList).highlighted == 1)
        await pilot.press("s")
        await until(pilot, lambda: len(app.timeline) == 3)
        await until(pilot, lambda: screen.found == 3)
        notes = json.loads(tmp_path.joinpath("story.notes.json").read_text())
        assert notes["events"] == {}


async def test_e_opens_the_events_own_file_at_its_own_id(
    several_files: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    record = fake_editor(tmp_path, monkeypatch)
    app = TimelineApp(several_files)
    async with app.run_test(size=(130, 36)) as pilot:
        await ready(pilot)
        app.main.jump_to_event("wire.csv:capture")
        await pilot.pause()
        await pilot.press("e")
        await until(pilot, record.exists)
    assert record.read_text().splitlines() == ["--wait", "+2", several_files[1]]


def _warned(path: Path, ref: str) -> None:
    path.write_text(
        json.dumps([{"id": ref, "date": "2025", "title": "t", "sources": [{"ref": ref}]}])
    )


async def test_w_names_the_file_of_each_warning(tmp_path: Path) -> None:
    """Files opened together: a line and column say nothing without their file."""

    _warned(tmp_path / "kyiv.json", "gone-a")
    _warned(tmp_path / "seoul.json", "gone-b")
    app = TimelineApp([str(tmp_path / "kyiv.json"), str(tmp_path / "seoul.json")])
    async with app.run_test(size=(120, 36)) as pilot:
        _, text = await warnings_listed(pilot)
        lines = text.splitlines()
        at = [n for n, line in enumerate(lines) if "is not among" in line]
        assert [lines[n - 1].strip() for n in at] == ["kyiv.json", "seoul.json"]
        assert '"gone-a"' in lines[at[0]] and '"gone-b"' in lines[at[1]]


async def test_a_parquet_folder_s_warnings_are_said_to_be_in_its_files(tmp_path: Path) -> None:
    import duckdb

    for part in ("year=2024", "year=2025"):
        (tmp_path / "lake" / part).mkdir(parents=True)
        with duckdb.connect() as connection:
            connection.execute(
                "COPY (SELECT 'e' || ? AS id, '2025' AS date, 't' AS title,"
                " [{'ref': 'gone'}] AS sources) TO ? (FORMAT parquet)",
                [part, str(tmp_path / "lake" / part / "000000_0")],
            )
    app = TimelineApp(str(tmp_path / "lake"))
    async with app.run_test(size=(120, 36)) as pilot:
        said, text = await warnings_listed(pilot)
        assert "2 warnings in these files (w lists them)." in said
        assert f"{tmp_path / 'lake' / 'year=2024' / '000000_0'}\n      1:" in text
        assert f"{tmp_path / 'lake' / 'year=2025' / '000000_0'}\n      1:" in text
