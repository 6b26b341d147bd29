"""Hostile text in event fields is shown as inert text (control characters
removed), in `timeline print` to a pipe and to a terminal, and in the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

from tests.conftest import ROOT
from tests.support.app import event_list, make_app, ready
from tests.support.hostile import FORBIDDEN, PAYLOADS, hostile_file
from tests.support.terminal import SGR, run_in_pty

NAMES = sorted(PAYLOADS)


@pytest.mark.parametrize("name", NAMES)
def test_print_to_a_pipe_writes_no_control_characters(name: str, tmp_path: Path) -> None:
    path = hostile_file(tmp_path / "evil.json", PAYLOADS[name])
    for fmt in ("text", "markdown", "csv", "json", "ics", "timelinejs"):
        result = subprocess.run(
            [sys.executable, "-m", "tui", "print", str(path), "--format", fmt, "--width", "80"],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "\x1b" not in out
        assert not [c for c in out if "\x80" <= c <= "\x9f" or c in "\u202e\x07"], fmt
    text = subprocess.run(
        [sys.executable, "-m", "tui", "print", str(path), "--width", "80"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    assert max(cell_len(line) for line in text.splitlines()) <= 80


@pytest.mark.parametrize("name", NAMES)
def test_print_to_a_terminal_in_colour_emits_only_its_own_colours(
    name: str, tmp_path: Path
) -> None:
    path = hostile_file(tmp_path / "evil.json", PAYLOADS[name])
    out = run_in_pty([sys.executable, "-m", "tui", "print", str(path), "--color", "always"])
    assert SGR.search(out), "colour was on"
    rest = SGR.sub("", out)
    assert "\x1b" not in rest
    for bad in FORBIDDEN:
        assert bad not in out
    plain_lines = [line for line in rest.replace("\r", "").splitlines()]
    assert max(cell_len(line) for line in plain_lines) <= 100


def test_markup_in_data_is_printed_as_written(tmp_path: Path) -> None:
    path = hostile_file(tmp_path / "evil.json", PAYLOADS["markup-action"])
    out = run_in_pty([sys.executable, "-m", "tui", "print", str(path), "--color", "always"])
    assert "[@click=app.quit]quit[/]" in SGR.sub("", out)


@pytest.mark.parametrize("name", NAMES)
async def test_the_app_shows_hostile_text_inert_and_aligned(name: str, tmp_path: Path) -> None:
    path = hostile_file(tmp_path / "evil.json", PAYLOADS[name])
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        lst = event_list(app)
        width = lst.scrollable_content_region.width
        for y in range(len(lst.layout_rows)):
            strip = lst.render_line(y)
            text = "".join(segment.text for segment in strip)
            assert strip.cell_length == width
            assert not [c for c in text if c < " " or "\x7f" <= c <= "\x9f" or c == "\u202e"]
        # Open the event, click around, follow nothing: no action fires, nothing copied.
        await pilot.click(lst, offset=(30, 2))
        await pilot.click(lst, offset=(30, 2))
        await pilot.pause()
        await pilot.click(app.screen, offset=(20, 3))
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.clipboard == ""
        assert app.title == "timeline"
        screen_text = app.export_screenshot()
        assert "pwned" not in app.title
        assert "\x1b]52" not in screen_text


async def test_markup_in_data_is_visible_text_in_the_app(tmp_path: Path) -> None:
    path = hostile_file(tmp_path / "evil.json", PAYLOADS["markup-action"])
    app = make_app(path)
    async with app.run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        row = "".join(
            s.text for s in event_list(app).render_line(event_list(app).layout_rows.event_rows[0])
        )
        assert "[@click=app.quit]quit[/]" in row
        detail = str(app.query_one("#detail-body").render())
        assert "Summary [@click=app.quit]quit[/] [@click=app.bell]bell[/] end" in detail


def test_colour_on_a_terminal_unless_no_color() -> None:
    assert SGR.search(run_in_pty([sys.executable, "-m", "tui", "print"]))
    plain = run_in_pty([sys.executable, "-m", "tui", "print"], extra_env={"NO_COLOR": "1"})
    assert "\x1b" not in plain and "13 events" in plain


async def test_markup_in_a_title_stays_words_in_the_command_palette(tmp_path: Path) -> None:
    from textual.command import CommandList

    path = hostile_file(tmp_path / "evil.json", PAYLOADS["markup-action"])
    app = make_app(path)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"Title")
        await pilot.pause(0.5)
        options = app.screen.query_one(CommandList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("[@click=app.quit]quit[/]" in prompt for prompt in prompts), prompts
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("hostile", ["\x9b", "\x85", "\u202e", "\u200b", "\x7f"])
def test_a_hostile_key_in_a_warnings_json_path_is_escaped_and_still_placed(
    hostile: str, tmp_path: Path
) -> None:
    """A key like a known one is a warning that names the key's JSON path: the key is
    data text, so what clean_text removes is written there as a \\u escape."""
    import json

    key = "titl" + hostile
    path = tmp_path / "keys.json"
    path.write_text(json.dumps([{"id": "a", "date": "2025", "title": "t", key: "x"}]))
    out = subprocess.run(
        [sys.executable, "-m", "tui", "validate", str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    ).stdout
    assert hostile not in out and not any(forbidden in out for forbidden in FORBIDDEN)
    assert f"[{json.dumps(key)}].<key>)" in out  # json.dumps escapes every non-ASCII
    column = path.read_text().index(json.dumps(key)) + 1
    assert f"keys.json:1:{column}: warning" in out
