from __future__ import annotations

import contextlib
import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot

from tui.app import TimelineApp
from tui.widgets.event_list import EventList


def make_app(path: Path | str) -> TimelineApp:
    return TimelineApp(str(path))


async def ready(pilot: Pilot[Any]) -> None:
    """Wait until the file has loaded and the screen has settled."""
    app = pilot.app
    assert isinstance(app, TimelineApp)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert app.loaded


async def filtered(pilot: Pilot[Any], text: str) -> list[int]:
    """Type a filter and Enter, as a person would; once its result is shown, the positions
    the list shows."""
    app = pilot.app
    assert isinstance(app, TimelineApp)
    await pilot.press("slash", *text, "enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    return list(event_list(app).positions)


KEY_CHARACTERS = {
    "slash": "/",
    "enter": "\r",
    "escape": "\x1b",
    "backspace": "\x7f",
    "ctrl+u": "\x15",
}


async def keys_in_one_read(pilot: Pilot[Any], *keys: str) -> None:
    """Keys that reach the app together, as a terminal read delivers fast typing (or a
    loaded machine's): each is sent on before the one before it has been handled."""
    for key in keys:
        char = key if len(key) == 1 else KEY_CHARACTERS.get(key)
        pilot.app.post_message(events.Key(key, char))
    await pilot.pause()
    await pilot.pause()


async def until(pilot: Pilot[Any], condition: Any, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the app never got there")


async def wait_for_exit(pilot: Pilot[Any]) -> None:
    """Until the app has chosen its return code (it exits on a file it cannot load)."""
    for _ in range(100):
        if pilot.app.return_code is not None:
            return
        await pilot.pause(0.02)


def event_list(app: TimelineApp) -> EventList:
    return app.query_one(EventList)


def shown_ids(app: TimelineApp) -> list[str]:
    lst = event_list(app)
    return [app.timeline[p].id for p in lst.positions]


def current_id(app: TimelineApp) -> str | None:
    event = event_list(app).current
    return event.id if event else None


def write_events(path: Path, events: list[dict[str, Any]], **top: Any) -> Path:
    path.write_text(json.dumps({"title": "Test", **top, "events": events}), encoding="utf-8")
    return path


def fake_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """$EDITOR: a script that records how it was called, and changes a title to show
    that live reload picks the edit up. The app's suspend is a no-op (headless)."""
    record = tmp_path / "editor-called"
    script = tmp_path / "fake-editor"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        f"pathlib.Path({str(record)!r}).write_text('\\n'.join(sys.argv[1:]))\n"
        "path = pathlib.Path(sys.argv[-1])\n"
        "path.write_text(path.read_text().replace('New event: say what happened',"
        " 'Edited in the editor'), encoding='utf-8')\n"
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("EDITOR", f"{script} --wait")
    monkeypatch.delenv("VISUAL", raising=False)

    @contextlib.contextmanager
    def no_suspend(self: TimelineApp) -> Iterator[None]:
        yield

    monkeypatch.setattr(TimelineApp, "suspend", no_suspend)
    return record


async def warnings_listed(pilot: Pilot[Any]) -> tuple[list[str], str]:
    """Once the file has loaded: what the app said of it (its notifications), and the
    text of the `w` list it opens."""
    from textual.widgets import Static

    from tui.screens.warnings import WarningsScreen

    app = pilot.app
    await ready(pilot)
    said = [n.message for n in app._notifications]
    await pilot.press("w")
    assert isinstance(app.screen, WarningsScreen)
    return said, str(app.screen.query_one(Static).render())
