"""The app, driven with Pilot: every key, the filter, drill-in and back, replay.
(Stars, notes and the rest of the analyst's keys: test_analyst.py.)"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from tests.conftest import BUNDLED
from tests.support.app import (
    current_id,
    event_list,
    keys_in_one_read,
    make_app,
    ready,
    shown_ids,
    wait_for_exit,
    warnings_listed,
    write_events,
)
from tui.app import TimelineApp
from tui.screens.event_screen import EventScreen
from tui.screens.facets import FacetsScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen


def text_of(app: TimelineApp, selector: str) -> str:
    return str(app.query_one(selector, Static).render())


async def test_opens_on_the_bundled_story_with_title_count_and_cursor_on_the_first_event() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert text_of(app, "#title") == "North Korean soldiers captured in Kursk"
        assert text_of(app, "#count").startswith("13 of 13 events · 24 Feb 2022 – 13 Jan 2025")
        assert current_id(app) == "invasion"
        assert event_list(app).has_focus


async def test_start_up_focuses_the_list_at_once_and_makes_the_footer_keys_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each change of focus or bindings made every footer key again (about 11 ms each on
    the first frame); the filter bar had the focus first, then the list."""
    from textual.widgets._footer import FooterKey

    made: list[str] = []
    focused: list[object] = []
    key_init = FooterKey.__init__

    def counting_init(self: FooterKey, key: str, *args: Any, **kwargs: Any) -> None:
        made.append(key)
        key_init(self, key, *args, **kwargs)

    set_focus = MainScreen.set_focus

    def recording_set_focus(self: MainScreen, widget: Any, *args: Any, **kwargs: Any) -> None:
        focused.append(widget)
        set_focus(self, widget, *args, **kwargs)

    monkeypatch.setattr(FooterKey, "__init__", counting_init)
    monkeypatch.setattr(MainScreen, "set_focus", recording_set_focus)
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        shown = [key.key for key in app.screen.query(FooterKey)]
        assert shown and "slash" in shown
        assert sorted(made) == sorted(shown)
        assert [type(widget).__name__ for widget in focused] == ["EventList"]


async def test_movement_keys() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("j", "down")
        assert current_id(app) == "troops-10k"
        await pilot.press("k")
        assert current_id(app) == "treaty"
        await pilot.press("end")
        assert current_id(app) == "article"
        await pilot.press("home")
        assert current_id(app) == "invasion"
        await pilot.press("G")
        assert current_id(app) == "article"
        await pilot.press("g")
        assert current_id(app) == "invasion"
        await pilot.press("up")  # stays at the top
        assert current_id(app) == "invasion"
        await pilot.press("pagedown")
        assert event_list(app).cursor > 5
        await pilot.press("pageup")
        assert event_list(app).cursor == 0


async def test_filter_narrows_as_you_type_and_keeps_the_last_good_result_on_error() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash")
        assert app.query_one("#filter", Input).has_focus
        counts = []
        for char in "on:2024-06-19":
            await pilot.press(char)
            counts.append(len(shown_ids(app)))
        assert shown_ids(app) == ["treaty"]
        assert counts[0] > counts[-1] == 1  # it narrowed while typing, not only at the end
        assert text_of(app, "#count").startswith("1 of 13 events")
        await pilot.press("ctrl+u")
        for char in "tag:pow after:someday":
            await pilot.press(char)
        error = app.query_one("#filter-error", Static)
        assert error.display
        assert 'unknown date "someday" at column 15' in str(error.render())
        assert app.query_one("#filter", Input).has_class("-invalid")
        # The list keeps what the last text that parsed showed: "tag:pow after".
        from tui.model.query import parse_query

        assert app.main.positions_text == "tag:pow after"
        last_good = parse_query("tag:pow after", app.timeline).filter(app.timeline)
        assert shown_ids(app) == [app.timeline[i].id for i in last_good]
        await pilot.press("enter")
        assert event_list(app).has_focus


async def test_a_deeply_nested_filter_is_an_error_under_the_bar_not_a_crash() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tag:pow")
        app.query_one("#filter", Input).value = "(" * 500 + "kursk" + ")" * 500
        await pilot.pause()
        error = str(app.query_one("#filter-error", Static).render())
        assert "nested too deeply" in error and "at column 65" in error
        assert len(shown_ids(app)) == 6  # the last good result stays
        assert app.return_code is None


async def test_an_empty_result_names_the_nearest_value_under_the_count() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"kind:statment")
        assert shown_ids(app) == []
        notice = app.query_one("#notice", Static)
        assert notice.display
        assert 'no event has kind "statment"; the nearest is "statement"' in str(notice.render())


async def test_escape_leaves_the_filter_then_clears_it() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tag:pow")
        assert len(shown_ids(app)) == 6
        await pilot.press("escape")
        assert event_list(app).has_focus and len(shown_ids(app)) == 6
        await pilot.press("escape")
        assert len(shown_ids(app)) == 13
        assert app.query_one("#filter", Input).value == ""


async def test_keys_typed_right_after_slash_enter_and_escape_go_where_the_focus_went() -> None:
    """`/` then the filter at once: no letter lost to the list (`n` would open a note).
    Enter or Esc then a list key at once: the key moves the cursor, not into the bar.
    Enter then Esc on the list: the event closes; the filter stays."""
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        filter_input = app.query_one("#filter", Input)
        await keys_in_one_read(pilot, "slash", *"tag:pow", "enter", "j", "j")
        assert filter_input.value == "tag:pow"
        assert len(shown_ids(app)) == 6
        assert event_list(app).has_focus and event_list(app).cursor == 2
        await keys_in_one_read(pilot, "slash", "escape", "j")
        assert filter_input.value == "tag:pow"
        assert event_list(app).has_focus and event_list(app).cursor == 3
        await keys_in_one_read(pilot, "enter", "escape")  # the event opened and closed
        assert app.screen is app.main and filter_input.value == "tag:pow"
        assert len(shown_ids(app)) == 6 and event_list(app).cursor == 3
        await keys_in_one_read(pilot, "slash", *"on", "slash")
        assert filter_input.value == "on/"  # the bar's text was selected; a `/` in it is typed
        assert filter_input.has_focus


def test_a_text_box_names_every_character_textual_cannot() -> None:
    """The keys whose character Textual's key_to_character misses, as it names them from
    the characters typed: exactly those a text box names itself."""
    from textual.keys import _character_to_key, key_to_character

    from tui.widgets.text_boxes import UNNAMED_CHARACTERS

    missed = {
        _character_to_key(c): c
        for c in map(chr, range(32, 127))
        if key_to_character(_character_to_key(c)) != c
    }
    assert missed == UNNAMED_CHARACTERS


async def test_editing_keys_typed_fast_apply_in_order_with_the_characters() -> None:
    """Backspace, ← and Ctrl+U in the same read as the characters around them."""
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        keys = ["slash", *"ab", "backspace", "c", "left", "x", "ctrl+u", "k"]
        await keys_in_one_read(pilot, *keys)
        filter_input = app.query_one("#filter", Input)
        assert (filter_input.value, filter_input.cursor_position) == ("kc", 1)


async def test_matches_are_highlighted_in_the_rows() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"kursk")
        lst = event_list(app)
        match = lst.rich_style + lst.get_component_rich_style("event-list--match")
        marked_titles = 0
        for k, row in enumerate(lst.layout_rows.event_rows):
            strip = lst._render_row(row, lst.layout_rows.kinds[row], 100, False)
            marked = [segment.text for segment in strip if segment.style == match]
            title = app.timeline[lst.positions[k]].title
            # The word where the title has it, and nothing else; a row that matched
            # elsewhere (the summary, a quote) marks nothing in its title.
            expected = [w for w in title.replace(",", " ").split() if w.lower() == "kursk"]
            assert marked == expected, (title, marked)
            marked_titles += bool(marked)
        assert marked_titles >= 1


async def test_enter_opens_the_capture_and_related_events_can_be_followed_and_left() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"id:capture", "enter", "enter")
        screen = app.screen
        assert isinstance(screen, EventScreen)
        body = str(screen.query_one("#event-content", Static).render())
        assert "On January 9, Ukrainian forces apprehended these soldiers" in body
        assert "claimed by Security Service of Ukraine, South Korea NIS" in body
        assert "known 11 Jan 2025" in body
        related = screen.query_one("#related", OptionList)
        targets = [related.get_option_at_index(i).id for i in range(related.option_count)]
        assert "nis-confirms" in targets and "announce" in targets
        related.highlighted = targets.index("nis-confirms")
        await pilot.press("enter")
        assert screen.event.id == "nis-confirms"
        await pilot.press("enter")  # follow again: a two-step history
        second = screen.event.id
        assert second != "nis-confirms"
        await pilot.press("escape")
        assert screen.event.id == "nis-confirms"
        await pilot.press("escape")
        assert screen.event.id == "capture"
        await pilot.press("escape")
        assert not isinstance(app.screen, EventScreen)
        assert current_id(app) == "capture"


async def test_the_event_screen_shows_unknown_keys(tmp_path: Path) -> None:
    place = {"name": "Kursk", "lat": 51.7, "lng": 36.2}
    event = {"id": "a", "date": "2025", "title": "T", "witness": "Ann", "place": place}
    event["sources"] = [{"url": "https://bbc.co.uk", "section": "World\x1b[31m"}]
    app = make_app(write_events(tmp_path / "x.json", [event]))
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        body = str(app.screen.query_one("#event-content", Static).render())
        assert "witness: Ann" in body
        assert "place.lng: 36.2" in body  # inside the event too, named by where
        assert "sources[0].section: World\n" in body  # and cleaned for showing


async def test_replay_steps_through_the_days_things_became_known() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("a")
        assert shown_ids(app) == ["invasion"]
        while "11 Jan 2025" not in text_of(app, "#count"):
            await pilot.press("a")
        known = shown_ids(app)
        assert "capture" in known and "announce" in known
        assert "nis-confirms" not in known
        assert current_id(app) in ("capture", "announce")
        await pilot.press("a")
        assert "nis-confirms" in shown_ids(app)
        await pilot.press("A")
        assert "nis-confirms" not in shown_ids(app)
        await pilot.press("escape")
        assert len(shown_ids(app)) == 13
        assert "as known" not in text_of(app, "#count")


async def test_replay_combines_with_the_filter() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"tag:pow", "enter")
        for _ in range(5):
            await pilot.press("a")
        # Exactly what `asof:` that day says, among the filter's events; and not nothing.
        from tui.model.dates import DAY, civil_from_seconds
        from tui.model.query import parse_query

        day = app.main.replay_days[app.main.replay_index]  # type: ignore[index]
        year, month, dom = civil_from_seconds(day * DAY)
        query = parse_query(f"tag:pow asof:{year:04d}-{month:02d}-{dom:02d}", app.timeline)
        expected = [app.timeline[i].id for i in query.filter(app.timeline)]
        assert expected and shown_ids(app) == expected


async def test_go_to_a_date_typed_like_the_filter() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("t", *"oct-2024", "enter")
        assert current_id(app) == "troops-10k"
        await pilot.press("t", *"jan 12", "enter")  # no year: the latest event's
        assert current_id(app) == "nis-confirms"
        await pilot.press("t", *"someday", "enter")
        assert "unknown date" in str(app.screen.query_one("#goto-error", Static).render())
        await pilot.press("escape")
        assert current_id(app) == "nis-confirms"


async def test_a_dialog_takes_the_keys_typed_right_after_the_key_that_opened_it() -> None:
    """`t` and the date in one read; `f` and a facet's keys; `t` typed in the bar is text."""
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await keys_in_one_read(pilot, "t", *"oct-2024", "enter")
        assert current_id(app) == "troops-10k"
        await keys_in_one_read(pilot, "f", "escape")
        assert not isinstance(app.screen, FacetsScreen) and event_list(app).has_focus
        await keys_in_one_read(pilot, "slash", *"tnfs")
        assert app.query_one("#filter", Input).value == "tnfs"
        assert app.screen is app.main


async def test_month_and_year_jumps() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("right_square_bracket")
        assert current_id(app) == "treaty"  # the next month with an event
        await pilot.press("right_square_bracket")
        assert current_id(app) == "troops-10k"
        await pilot.press("right_curly_bracket")
        assert current_id(app) == "capture"  # first event of 2025
        await pilot.press("left_square_bracket")
        assert current_id(app) == "more-troops"  # Dec 2024
        await pilot.press("left_curly_bracket")
        assert current_id(app) == "invasion"  # 2023 has nothing; the year before that
        await pilot.press("end", "left_curly_bracket")
        assert current_id(app) == "treaty"  # first event of 2024


async def test_facets_count_the_shown_events_and_add_a_term_to_the_filter() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"after:2025-01-01", "enter", "f")
        screen = app.screen
        assert isinstance(screen, FacetsScreen)
        assert screen.counts["status"]["context"] == 1  # only the article, not 2022's invasion
        options = screen.query_one("#facets", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("status:=confirmed")
        await pilot.press("enter")
        assert app.query_one("#filter", Input).value == "after:2025-01-01 status:=confirmed"
        assert shown_ids(app) == ["capture", "nis-confirms"]


async def test_copy_puts_the_event_as_text_on_the_clipboard() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"id:capture", "enter", "y")
        assert app.clipboard.startswith(
            "Ukrainian forces capture two wounded North Korean soldiers in Kursk\n"
        )
        assert "9 Jan 2025 · known 11 Jan 2025 · confirmed" in app.clipboard
        assert "\nCorroboration: 2 independent sources\n" in app.clipboard
        assert 'in the Kursk battlefield in Russia" (Ukraine says 2 North Korean' in app.clipboard
        assert "12 January 2025), B1, https://www.dw.com/en/" in app.clipboard
        assert "\nHistory: 12 Jan 2025 confirmed by South Korea NIS: the NIS" in app.clipboard


@pytest.mark.parametrize("in_tmux", [True, False])
async def test_copy_says_it_was_sent_not_that_it_arrived(
    in_tmux: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if in_tmux:
        monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    else:
        monkeypatch.delenv("TMUX", raising=False)
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("y")
        (said,) = [n.message for n in app._notifications]
        assert said.startswith("Sent the event to the terminal's clipboard.")
        assert "Copied" not in said
        assert ("set -g set-clipboard on" in said) is in_tmux
        await pilot.press("question_mark")
        help_text = str(app.screen.query_one(Static).render())
        assert ("set-clipboard" in help_text) is in_tmux


async def test_open_link_opens_the_source_url() -> None:
    app = make_app(BUNDLED)
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("o")  # the invasion cites the article, which has no URL
        assert opened == []
        await pilot.press("slash", *"id:treaty", "enter", "o")
        assert opened == [
            "https://unn.ua/en/news/reuters-russia-dprk-sign-strategic-partnership-agreement-that-includes-military-support"
        ]


def app_with_links(tmp_path: Path, sources: list[dict[str, str]]) -> tuple[TimelineApp, list[str]]:
    """An app on one event citing `sources`, and the list of the links it opened."""
    path = write_events(
        tmp_path / "links.json",
        [{"id": "a", "date": "2025-01-09", "title": "x", "sources": sources}],
    )
    app = make_app(path)
    opened: list[str] = []
    app.open_url = lambda url, new_tab=True: opened.append(url)  # type: ignore[method-assign]
    return app, opened


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "javascript:alert(1)",
        "FILE:///tmp/x",
        "ssh://host/",
        "vscode://file/etc",
        "/etc/passwd",
        " file:///x",
    ],
)
async def test_open_link_opens_only_http_and_https_and_says_what_it_refused(
    tmp_path: Path, url: str
) -> None:
    app, opened = app_with_links(tmp_path, [{"url": url}])
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("o")
        await pilot.press("enter", "o")  # and from the event screen
        await pilot.pause()
        assert opened == []
        said = [n.message for n in app._notifications]
        assert any("only http and https" in m for m in said), said


async def test_open_link_skips_a_refused_link_for_a_web_one_and_the_palette_offers_it(
    tmp_path: Path,
) -> None:
    sources = [{"url": "file:///etc/passwd"}, {"url": "HTTPS://example.org/a"}]
    app, opened = app_with_links(tmp_path, sources)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("o")
        assert opened == ["HTTPS://example.org/a"]
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Open link" in titles


async def test_help_lists_every_key_and_the_status_marks() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 50)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        for expected in (
            "PgUp PgDn",
            "ctrl+p",
            "✓  confirmed: independently verified",
            "asof:2025-01-11",
        ):
            assert expected in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_searches_events() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*"strategic partnership")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert current_id(app) == "treaty"


async def test_theme_choice_is_remembered(private_state: Path) -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((private_state / "state.json").read_text())["theme"] == "nord"
    again = make_app(BUNDLED)
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert again.theme == "nord"


async def test_mouse_click_moves_the_cursor_and_a_second_click_opens() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        lst = event_list(app)
        row = lst.layout_rows.event_rows[4]  # the capture
        await pilot.click(lst, offset=(10, row + 1))  # +1: the border
        assert current_id(app) == "capture"
        await pilot.click(lst, offset=(10, row + 1))
        assert isinstance(app.screen, EventScreen)


async def test_clicking_the_density_strip_jumps_there() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        strip = app.query_one("#density")
        await pilot.click(strip, offset=(strip.size.width - 2, 0))
        assert current_id(app) == "capture"


async def test_the_density_strip_counts_from_the_starts_it_is_given(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list's layout found the shown events' starts: the strip counts those, not a
    copy looked up again on the app's thread, on a filter and on a resize."""
    from tui.output.density import Buckets
    from tui.widgets.density import DensityStrip

    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        strip = app.query_one(DensityStrip)
        counted: list[bool] = []  # for each count: was it over the list's own starts?
        real = Buckets.counts

        def counting(self: Buckets, starts: object) -> list[int]:
            counted.append(starts is event_list(app).layout_rows.starts)
            return real(self, starts)  # type: ignore[arg-type]

        monkeypatch.setattr(Buckets, "counts", counting)
        await pilot.press("slash", *"tag:pow")
        assert sum(strip._counts) == len(shown_ids(app)) == 6
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert sum(strip._counts) == 6
        assert len(counted) >= 2 and all(counted), counted


async def test_a_small_terminal_still_works_and_resizing_keeps_the_cursor() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(40, 12)) as pilot:
        await ready(pilot)
        await pilot.press("end")
        assert current_id(app) == "article"
        lst = event_list(app)
        row = lst.layout_rows.event_rows[lst.cursor]
        assert lst.scroll_y <= row < lst.scroll_y + lst.scrollable_content_region.height
        for size in [(120, 36), (40, 12), (80, 20), (40, 12)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert current_id(app) == "article"
            row = lst.layout_rows.event_rows[lst.cursor]
            assert lst.scroll_y <= row < lst.scroll_y + lst.scrollable_content_region.height


async def test_data_text_is_never_markup(tmp_path: Path) -> None:
    title = "[bold]B[/bold] [@click=app.quit]quit[/] [link=https://x.invalid]L[/link]"
    path = write_events(
        tmp_path / "m.json", [{"id": "a", "date": "2025", "title": title, "summary": title}]
    )
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        line = "".join(segment.text for segment in event_list(app).render_line(1))
        assert "[bold]B[/bold] [@click=app.quit]quit[/]" in line
        detail = str(app.query_one("#detail-body", Static).render())
        assert title in detail
        await pilot.click(event_list(app), offset=(30, 2))
        await pilot.pause()
        assert app.is_running


async def test_an_empty_file_says_so(tmp_path: Path) -> None:
    path = write_events(tmp_path / "empty.json", [])
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        empty = app.query_one("#empty", Static)
        assert empty.display and "no events" in str(empty.render())
        await pilot.press(
            "j", "enter", "a", "m", "f", "escape", "t", "escape", "right_square_bracket"
        )
        assert app.is_running


async def test_a_bad_file_exits_2_with_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"id": "a",}]}')
    app = make_app(bad)
    async with app.run_test() as pilot:
        await wait_for_exit(pilot)
    assert app.return_code == 2
    assert app.load_error is not None and "trailing comma" in str(app.load_error)


async def test_a_crash_while_loading_is_kept_for_the_console_script_not_shown_by_textual(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.formats import table

    def broken(text: str) -> object:
        return 1 // 0

    monkeypatch.setattr(table, "from_plain", broken)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("date,title\n2025-01-09,x\n")
    app = make_app(sheet)
    async with app.run_test() as pilot:
        await wait_for_exit(pilot)
    assert app.return_code == 70
    assert isinstance(app.crash, ZeroDivisionError)


async def test_the_first_frame_comes_before_loading_finishes(monkeypatch: object) -> None:
    import threading

    from tui.app import loads, timeline_app

    release = threading.Event()
    real_load = loads.load_path

    def slow_load(path: str, progress, options=None, **how):  # type: ignore[no-untyped-def]
        progress("reading 50%")
        release.wait(10)
        return real_load(path, progress, options, **how)

    loads.load_path = slow_load  # type: ignore[assignment]
    small_files = timeline_app.SYNC_LOAD_BYTES
    timeline_app.SYNC_LOAD_BYTES = 0  # as if the bundled file were a big one
    try:
        app = make_app(BUNDLED)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert not app.loaded
            await pilot.pause()
            assert text_of(app, "#count").startswith("loading")
            assert "reading 50%" in text_of(app, "#count")
            assert app.query_one("#loading").display
            release.set()
            await ready(pilot)
            assert not app.query_one("#loading").display
    finally:
        loads.load_path = real_load  # type: ignore[assignment]
        timeline_app.SYNC_LOAD_BYTES = small_files


def test_only_plain_words_typed_further_narrow_the_previous_result() -> None:
    from tui.screens.main import narrows

    assert (
        narrows("kur", "kursk") and narrows("kursk", "kursk pow") and narrows("kursk ", "kursk p")
    )
    assert not narrows("", "kursk")
    assert not narrows("kursk", "kursk OR pow")
    assert not narrows("after:2025", "after:2025-01")  # a later date is a broader "after"
    assert not narrows("tag:pow", "tag:pow,capture")
    assert not narrows("kursk", "kurs")


async def test_long_dates_widen_their_column_instead_of_being_cut(tmp_path: Path) -> None:
    path = write_events(
        tmp_path / "dates.json",
        [
            {"id": "a", "date": "2022-08-31/2022-09-02", "title": "Interval"},
            {"id": "b", "date": "2022-09-26T09:30+02:00", "title": "Timed"},
            {"id": "c", "date": "2022-09-27", "title": "Plain day"},
        ],
    )
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.pause()
        lst = event_list(app)
        lines = [lst.render_line(y).text for y in range(len(lst.layout_rows))]
        text = "\n".join(lines)
        assert "31 Aug – 2 Sep 2022" in text and "26 Sep 2022 09:30 +02:00" in text
        assert "…" not in text
        titles = [
            line.index(title)
            for line in lines
            for title in ("Interval", "Timed", "Plain day")
            if title in line
        ]
        assert len(set(titles)) == 1  # the titles still line up
    app = make_app(path)
    async with app.run_test(size=(40, 12)) as pilot:  # narrow: the title keeps its room
        await ready(pilot)
        await pilot.pause()
        lst = event_list(app)
        assert lst.date_width <= 40 - 5 - 24 or lst.date_width == 14


async def test_w_lists_the_files_warnings_with_line_and_column(tmp_path: Path) -> None:
    from tui.screens.warnings import WarningsScreen

    path = tmp_path / "warned.json"
    path.write_text(
        '{"events": [\n'
        ' {"id": "a", "date": "2025", "title": "x", "tittle": "y"},\n'
        ' {"id": "b", "date": "2025", "title": "[b]z[/b]", "related": [{"id": "nowhere"}]}\n'
        "]}"
    )
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        said, text = await warnings_listed(pilot)
        assert "2 warnings in this file (w lists them)." in said
        assert "2 warnings in warned.json" in text
        assert '2:44  event "a": unknown key "tittle": did you mean "title"?' in text
        assert 'related id "nowhere" is not an event in this file' in text
        await pilot.press("escape")
        assert not isinstance(app.screen, WarningsScreen)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Warnings" in titles


async def test_who_claims_it_is_a_facet_that_filters_by_claimant() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FacetsScreen)
        assert screen.counts["by"]["South Korea NIS"] == 7
        options = screen.query_one("#facets", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index('by:"South Korea NIS"')
        await pilot.press("enter")
        assert app.query_one("#filter", Input).value == 'by:"South Korea NIS"'
        assert len(shown_ids(app)) == 7


async def test_w_lists_the_first_thousand_warnings_and_says_how_many_more(
    tmp_path: Path,
) -> None:
    from tui.screens.warnings import SHOWN_UP_TO, WarningsScreen

    count = SHOWN_UP_TO + 5
    events = [
        {"id": f"e{n}", "date": "2025", "title": "t", "sources": [{"ref": f"gone{n}"}]}
        for n in range(count)
    ]
    path = tmp_path / "many.json"
    path.write_text(json.dumps(events, indent=1))
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await pilot.press("w")
        assert isinstance(app.screen, WarningsScreen)
        text = str(app.screen.query_one(Static).render())
        assert f"{count} warnings in many.json" in text
        assert f'source "gone{SHOWN_UP_TO - 1}" is not' in text
        assert f'source "gone{SHOWN_UP_TO}" is not' not in text
        assert "… and 5 more; `timeline validate many.json` lists every one." in text
