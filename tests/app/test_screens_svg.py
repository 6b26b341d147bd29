"""Pictures of the main screens (pytest-textual-snapshot). After a deliberate
change of look: `make snapshots` rewrites them; look at the pictures, and commit them
only in a commit that says what changed on screen and why."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from tests.conftest import BUNDLED
from tests.support.app import make_app, ready


async def settle(pilot: Pilot[Any]) -> None:
    await ready(pilot)
    pilot.app.query_one("#filter", Input).cursor_blink = False


def test_main_screen(snap_compare: Any) -> None:
    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 36), run_before=settle)


def test_cursor_on_the_capture(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("j", "j", "j", "j")

    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 36), run_before=run_before)


def test_filter_with_an_error_shown(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"tag:pow after:someday")

    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 36), run_before=run_before)


def test_drill_in_screen(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("slash", *"id:capture", "enter", "enter")
        await pilot.pause()

    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 40), run_before=run_before)


def test_help_screen(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("question_mark")

    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 50), run_before=run_before)


def test_facets_screen(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("f")

    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 40), run_before=run_before)


def test_replay_on_11_january(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        await pilot.press("a", "a", "a", "a", "a")

    assert snap_compare(make_app(BUNDLED), terminal_size=(120, 36), run_before=run_before)


def test_small_terminal_40x12(snap_compare: Any) -> None:
    assert snap_compare(make_app(BUNDLED), terminal_size=(40, 12), run_before=settle)
