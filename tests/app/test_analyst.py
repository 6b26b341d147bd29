"""The analyst's keys (DESIGN.md §6), driven with Pilot: stars, notes, labels, views, the
filter's history, `e` and the new event, exporting the view, catching up."""

from __future__ import annotations

import asyncio
import csv
import json
import os
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, TextArea

from tests.conftest import BUNDLED
from tests.support.app import (
    current_id,
    event_list,
    fake_editor,
    keys_in_one_read,
    make_app,
    ready,
    shown_ids,
    until,
)
from tui.app import TimelineApp, timeline_app
from tui.app.catching_up import CaughtUp
from tui.model.sidecar import Sidecar
from tui.output.rows import EVENT
from tui.screens.ask import AskScreen, ConfirmScreen, NoteScreen
from tui.widgets.event_list import EventList


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """The bundled story in a folder of its own, so its sidecar is beside it."""
    path = tmp_path / "story.json"
    path.write_bytes(BUNDLED.read_bytes())
    return path


@pytest.fixture(autouse=True)
def quick_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(timeline_app, "WATCH_SECONDS", 0.05)


def sidecar_of(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        path.with_name(path.stem + ".notes.json").read_text(encoding="utf-8")
    )
    return data


def row_text(app: TimelineApp, event_id: str) -> str:
    """The list's row of an event, as drawn."""
    lst = event_list(app)
    rows = lst.layout_rows
    for y in range(len(rows)):
        if rows.kinds[y] == EVENT and app.timeline[rows.values[y]].id == event_id:
            return "".join(segment.text for segment in lst.render_line(y - lst.scroll_offset.y))
    raise AssertionError(f"{event_id} is not in the list")


def detail_text(app: TimelineApp) -> str:
    return str(app.main.query_one("#detail-body").render())


async def test_stars_toggle_jump_and_survive_a_restart(story: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("j", "asterisk", "end", "m", "home")  # m stays an alias
        assert sorted(app.main.sidecar.starred()) == ["article", "treaty"]
        await pilot.press("apostrophe")
        assert current_id(app) == "treaty"
        assert "★ starred" in detail_text(app)
        assert row_text(app, "treaty").startswith("★")
        assert not row_text(app, "invasion").startswith("★")
        await pilot.press("apostrophe")
        assert current_id(app) == "article"
        await pilot.press("apostrophe")  # wraps around
        assert current_id(app) == "treaty"
    written = sidecar_of(story)
    assert written["file"] == "story.json"
    assert written["events"] == {"article": {"starred": True}, "treaty": {"starred": True}}
    again = make_app(story)
    async with again.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert sorted(again.main.sidecar.starred()) == ["article", "treaty"]
        await pilot.press("j", "asterisk")  # unstar
        assert again.main.sidecar.starred() == ["article"]
        await pilot.press("slash", *"is:starred", "enter")
        assert shown_ids(again) == ["article"]


async def test_old_bookmarks_become_stars_once(story: Path, private_state: Path) -> None:
    key = str(story.resolve())
    (private_state / "state.json").write_text(
        json.dumps({"bookmarks": {key: ["capture", "announce"]}}), encoding="utf-8"
    )
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert sorted(app.main.sidecar.starred()) == ["announce", "capture"]
        assert any(
            n.message.startswith("Bookmarks (2) are stars now, kept in ")
            for n in app._notifications
        )
    state = json.loads((private_state / "state.json").read_text(encoding="utf-8"))
    assert key not in state.get("bookmarks", {})
    assert sorted(sidecar_of(story)["events"]) == ["announce", "capture"]


async def test_a_note_is_written_saved_marked_and_found(story: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"id:=capture", "enter")
        assert current_id(app) == "capture"
        await pilot.press("n")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"Ask the SBU", "enter", *"for the video")
        await pilot.press("ctrl+s")
        assert not isinstance(app.screen, NoteScreen)
        assert sidecar_of(story)["events"]["capture"] == {"note": "Ask the SBU\nfor the video"}
        assert "your note Ask the SBU" in detail_text(app)
        assert "✎" in row_text(app, "capture")
        await pilot.press("slash", "ctrl+u", *"note:sbu", "enter")
        assert shown_ids(app) == ["capture"]
        await pilot.press("slash", "ctrl+u", *"is:noted OR status:context", "enter")
        assert "capture" in shown_ids(app) and "invasion" in shown_ids(app)
        # Editing it again starts from the saved text; emptying it removes it.
        await pilot.press("escape", "slash", "ctrl+u", *"note:sbu", "enter", "n")
        area = app.screen.query_one(TextArea)
        assert area.text == "Ask the SBU\nfor the video"
        area.text = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "capture" not in sidecar_of(story)["events"]
        assert shown_ids(app) == []  # the filter reads the notes again


async def test_a_note_typed_fast_keeps_its_editing_keys_in_order(story: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        # `n` and the note in the same read: the dialog takes every key, in order.
        await keys_in_one_read(pilot, "n", *"Asx", "backspace", "k", "enter", *"ok")
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text == "Ask\nok"


async def test_keys_typed_with_l_or_x_reach_the_dialog_they_open(
    story: Path, tmp_path: Path
) -> None:
    """`l` and `x` open their dialogs, and focus the box, before the next key is sent
    on, as `n` does: the keys typed with them are the dialog's, not the list's. (A
    screen without a box, `D` or `w`, takes the keys typed with it as it is.)"""
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        first = current_id(app)
        await keys_in_one_read(pilot, "l", *"jk", "enter")
        assert app.main.sidecar.get(first or "").labels == ("jk",)
        assert current_id(app) == first and not isinstance(app.screen, AskScreen)
        target = tmp_path / "fast.csv"
        await keys_in_one_read(pilot, "x", "ctrl+u", *str(target), "enter")
        await until(pilot, target.exists)


async def test_escape_asks_before_a_changed_note_is_lost(story: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("n", "escape")  # unchanged: closes at once
        assert not isinstance(app.screen, NoteScreen | ConfirmScreen)
        await pilot.press("n", *"draft", "escape")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # keep editing
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text == "draft"
        await pilot.press("escape", "y")  # discard
        assert not isinstance(app.screen, NoteScreen | ConfirmScreen)
        assert app.main.sidecar.get(current_id(app) or "").note == ""
    assert not story.with_name("story.notes.json").exists()


async def test_labels_are_offered_from_the_others_and_counted_in_the_facets(
    story: Path,
) -> None:
    from textual.widgets import OptionList

    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("l", *"verify-date", "enter")
        first = current_id(app)
        await pilot.press("j", "l", *"ver")
        assert isinstance(app.screen, AskScreen)
        answer = app.screen.query_one(Input)
        await pilot.pause()
        assert answer._suggestion == "verify-date"
        await pilot.press("right", "enter")
        second = current_id(app)
        assert app.main.sidecar.get(second or "").labels == ("verify-date",)
        assert "#verify-date" in row_text(app, second or "")
        await pilot.press("slash", *"label:verify", "enter")
        assert shown_ids(app) == [first, second]
        await pilot.press("escape", "escape", "f")
        options = app.screen.query_one(OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert "Yours" in prompts
        assert any(p.split() == ["2", "#verify-date"] for p in prompts)
        await pilot.press("escape")
        assert current_id(app) == first
        await pilot.press("l", *"verify-date", "enter")  # again: removed
        assert app.main.sidecar.get(first or "").labels == ()
        assert app.main.sidecar.get(second or "").labels == ("verify-date",)


async def test_a_saved_view_filters_by_name_and_is_in_the_palette(story: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tag:pow -status:context", "enter")
        expected = shown_ids(app)
        await pilot.press("s", *"pow", "enter")
        assert sidecar_of(story)["views"] == {"pow": "tag:pow -status:context"}
        await pilot.press("escape", "escape")
        assert len(shown_ids(app)) == len(app.timeline)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "View @pow" in titles
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "View @pow")
        command.callback()
        await pilot.pause()
        assert app.main.query_one("#filter", Input).value == "@pow"
        assert shown_ids(app) == expected
        # A view that would use itself is refused, with the reason.
        await pilot.press("slash", "ctrl+u", *"@pow kursk", "enter", "s", *"pow", "enter")
        assert isinstance(app.screen, AskScreen)
        assert "uses itself" in str(app.screen.query_one("#ask-error").render())


async def test_the_filter_bar_remembers_each_files_filters(story: Path, tmp_path: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"kursk", "enter")
        await pilot.press("slash", "ctrl+u", *"tag:pow", "enter")
        await pilot.press("slash", "ctrl+u", *"dra")
        filter_bar = app.main.query_one("#filter", Input)
        await pilot.press("up")
        assert filter_bar.value == "tag:pow"
        await pilot.press("up")
        assert filter_bar.value == "kursk"
        await pilot.press("up")  # the oldest stays
        assert filter_bar.value == "kursk"
        await pilot.press("down", "down")
        assert filter_bar.value == "dra"  # back to what was being typed
    again = make_app(story)
    async with again.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "up")
        assert again.main.query_one("#filter", Input).value == "tag:pow"
    other = tmp_path / "other.json"
    other.write_bytes(BUNDLED.read_bytes())
    third = make_app(other)
    async with third.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "up")
        assert third.main.query_one("#filter", Input).value == ""


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return fake_editor(tmp_path, monkeypatch)


async def test_e_opens_the_editor_at_the_events_line(story: Path, editor: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"id:=capture", "enter", "e")
        await until(pilot, editor.exists)
    lines = story.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if '"id": "capture"' in text)
    assert editor.read_text().splitlines() == ["--wait", f"+{line}", str(story)]


async def test_a_new_event_goes_into_the_file_and_the_editor_opens_on_it(
    story: Path, editor: Path
) -> None:
    before = story.read_text(encoding="utf-8")
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"id:=capture", "enter", "N")
        await until(pilot, lambda: app.timeline.get("new-2025-01-09") is not None)
        event = app.timeline.get("new-2025-01-09")
        assert event is not None and event.title == "Edited in the editor"  # reloaded
        assert event.status is None and event.sources == ()  # nothing invented
    after = story.read_text(encoding="utf-8")
    called = editor.read_text().splitlines()
    line = int(called[1][1:])
    assert after.splitlines()[line - 1].strip() == "{"
    assert after.splitlines()[line].strip() == '"id": "new-2025-01-09",'
    # Every other byte is as it was: the insertion is all that changed.
    start = after.index(",\n    {\n", len(before) - 200)
    end = after.index("\n    }", start) + len("\n    }")
    assert after[:start] + after[end:] == before


async def test_a_served_app_starts_no_editor_and_exports_as_a_download(
    story: Path, editor: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    delivered: list[tuple[str, str | None]] = []

    def deliver_text(self: TimelineApp, handle: Any, **options: Any) -> None:
        delivered.append((handle.read(), options.get("save_filename")))

    monkeypatch.setattr(TimelineApp, "deliver_text", deliver_text)
    before = story.read_bytes()
    app = TimelineApp(str(story), served=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("e", "N")
        await pilot.pause()
        footer_keys = {b.binding.key for b in app.screen.active_bindings.values() if b.enabled}
        assert "e" not in footer_keys and "N" not in footer_keys
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "New event" not in titles and "Edit in $EDITOR" not in titles
        await pilot.press("question_mark")
        help_text = str(app.screen.query_one("Static").render())
        assert "add a new event" not in help_text and "download the shown events" in help_text
        await pilot.press("escape", "slash", *"tag:pow", "enter", "x")
        assert isinstance(app.screen, AskScreen)
        await pilot.press("ctrl+u", *"pow.md", "enter")
        await pilot.pause()
    assert not editor.exists()
    assert story.read_bytes() == before
    assert not (story.parent / "pow.md").exists()
    [(text, name)] = delivered
    assert name == "pow.md" and "Filtered by `tag:pow`" in text


async def test_export_writes_what_is_shown_and_says_what_made_it(
    story: Path, tmp_path: Path
) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tag:pow", "enter", "asterisk")
        shown = shown_ids(app)
        target = tmp_path / "brief.md"
        await pilot.press("x", "ctrl+u", *str(target), "enter")
        await until(pilot, target.exists)
        brief = target.read_text(encoding="utf-8")
        assert f"Filtered by `tag:pow`: {len(shown)} of 13 events." in brief
        assert "★ starred" in brief
        # The context ignores the filter, and the export says so.
        await pilot.press("slash", *"id:=capture", "enter", "c", "x")
        target = tmp_path / "context.csv"
        await pilot.press("ctrl+u", *str(target), "enter")
        await until(pilot, target.exists)
        in_context = shown_ids(app)
        rows = list(csv.DictReader(target.open(encoding="utf-8")))
        assert [row["id"] for row in rows if not row.get("record")] == in_context
        # An existing file is replaced only when the user says so.
        await pilot.press("escape", "x", "ctrl+u", *str(target), "enter")
        assert isinstance(app.screen, ConfirmScreen)
        target.write_text("mine", encoding="utf-8")
        await pilot.press("n")
        assert target.read_text(encoding="utf-8") == "mine"
        await pilot.press("x", "ctrl+u", *str(target), "enter", "y")
        await until(pilot, lambda: target.read_text(encoding="utf-8") != "mine")
        await pilot.press("x", "ctrl+u", *str(tmp_path / "bad.doc"), "enter")
        assert isinstance(app.screen, AskScreen)
        assert "End the name with" in str(app.screen.query_one("#ask-error").render())


async def test_catching_up_shows_what_is_new_since_the_last_open(tmp_path: Path) -> None:
    path = tmp_path / "live.json"

    def write(*events: tuple[str, str]) -> None:
        items = [
            {"id": i, "date": "2025-01-0" + str(n + 1), "title": t}
            for n, (i, t) in enumerate(events)
        ]
        path.write_text(json.dumps({"events": items}), encoding="utf-8")

    write(("a", "A"), ("b", "B"))
    first = make_app(path)
    async with first.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await until(pilot, first.catching_up.done.is_set)
        await pilot.pause()
        assert first.main.new_since is None  # nothing to compare with: nothing is new
        assert "new since" not in str(first.main.query_one("#count").render())
    write(("a", "A"), ("b", "B, revised"), ("c", "C"))
    second = make_app(path)
    async with second.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await until(pilot, lambda: second.main.new_since is not None)
        assert "2 new since" in str(second.main.query_one("#count").render())
        await pilot.press("slash", *"is:new", "enter")
        assert shown_ids(second) == ["b", "c"]
        write(("a", "A"), ("b", "B, revised"), ("c", "C"), ("d", "D"))  # while open
        await until(pilot, lambda: shown_ids(second) == ["b", "c", "d"])


async def test_notes_on_events_no_longer_in_the_file_are_kept_and_listed(story: Path) -> None:
    Sidecar.for_file(str(story)).set_note("long-gone", "from an older version")
    Sidecar.for_file(str(story)).set_starred("\x1b]0;pwned\x07gone", True)  # hostile text
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        messages = [n.message for n in app._notifications]
        said = next(m for m in messages if "annotated events no longer in the file" in m)
        assert "long-gone" in said and "\x1b" not in said and "\x07" not in said
        await pilot.press("asterisk")
    assert sidecar_of(story)["events"]["long-gone"] == {"note": "from an older version"}


async def test_read_only_keeps_notes_for_the_session(story: Path) -> None:
    from tui.model.locations import data_dir
    from tui.model.state import StateStore

    state = StateStore(data_dir() / "state.json", writable=False)
    app = TimelineApp(str(story), state=state)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("asterisk", "n", *"mine", "ctrl+s")
        assert app.main.sidecar.get(current_id(app) or "").note == "mine"
        assert app.main.sidecar.get(current_id(app) or "").starred
    assert not story.with_name("story.notes.json").exists()
    assert not any(Path(data_dir()).glob("seen/*"))  # nor what the file held


def test_the_new_event_key_is_shown_in_the_footer() -> None:
    from tui.screens.main import MainScreen

    shown = {b.key for b in MainScreen.BINDINGS if getattr(b, "show", True)}  # type: ignore[union-attr]
    assert "N" in shown and "n" in shown
    assert os.environ.get("TIMELINE_DATA_DIR")


async def test_a_reload_reads_the_notes_file_again_and_filters_with_it(story: Path) -> None:
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"is:starred", "enter")
        assert shown_ids(app) == []
        Sidecar.for_file(str(story)).set_starred("capture", True)  # another app's star
        story.write_text(story.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        await until(pilot, lambda: shown_ids(app) == ["capture"])
        assert row_text(app, "capture").startswith("★")


def test_the_facets_count_marks_on_shown_events_once_each_as_the_filter_finds_them() -> None:
    """Stars and labels are looked up mark by mark: a mark on a hidden event is not
    counted, and one on an alias of a shown event's id counts that event once, as
    `is:starred` and `label:` select it."""
    from types import MappingProxyType

    from tui.model.loading import load_bytes
    from tui.model.query import parse_query
    from tui.model.sidecar import Layer
    from tui.screens.facets import FacetsScreen

    events = [{"id": f"e{i}", "date": f"2025-01-0{i + 1}", "title": "t"} for i in range(4)]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "four.json").timeline
    timeline.aliases = MappingProxyType({"old-e1": "e1"})
    timeline.__dict__.pop("position", None)  # found again with the alias
    mine = Layer(
        starred={"e1", "old-e1", "e3", "gone"},
        labels={"e1": ("check",), "old-e1": ("check", "odd"), "e3": ("check",)},
    )
    shown = [0, 1, 2]
    screen = FacetsScreen(timeline, shown, mine)
    assert screen.mine["is:starred"] == 1
    assert screen.labels == {"check": 1, "odd": 1}
    for term, count in (("is:starred", 1), ("label:check", 1), ("label:odd", 1)):
        found = parse_query(term, timeline).filter(timeline, shown, layer=mine)
        assert len(found) == count, term


async def test_catching_up_that_ends_while_the_app_shuts_down_is_dropped(story: Path) -> None:
    """Seen in CI: catching up posted its answer as `run_test` shut the app down, after
    the main screen's list was pruned, and marking the new events found no list."""
    app = make_app(story)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await until(pilot, app.catching_up.done.is_set)
        prune, main = app._prune, app.main

        async def prune_then_catch_up(*nodes: Any, parent: Any = None) -> None:
            if main in nodes:  # its children first, as a prune does, then the answer
                await main.query_one(EventList).remove()
                app.post_message(CaughtUp(app.timeline, {"x"}, None))
                await asyncio.sleep(0.05)
            await prune(*nodes, parent=parent)

        app._prune = prune_then_catch_up  # type: ignore[method-assign]
    assert main.new_ids == set()  # dropped, and no error raised by the context's end
