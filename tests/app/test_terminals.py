"""Terminal sizes from 20x5 to 300x100, resized again and again while a file loads."""

from __future__ import annotations

import threading

import pytest

from tests.conftest import BUNDLED
from tests.support.app import current_id, event_list, make_app, ready
from tui.app import loads, timeline_app

SIZES = [(20, 5), (300, 100), (40, 12), (21, 6), (120, 36), (80, 24), (20, 5), (300, 100)]


@pytest.mark.parametrize(
    "size", [(20, 5), (40, 12), (80, 24), (300, 100)], ids=lambda s: f"{s[0]}x{s[1]}"
)
async def test_every_size_opens_and_moves(size: tuple[int, int]) -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press("j", "end", "enter", "escape", "question_mark", "escape", "f", "escape")
        assert current_id(app) == "article"


async def test_resizing_repeatedly_while_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    release = threading.Event()
    real_load = loads.load_path

    def slow_load(path: str, progress, options=None, **how):  # type: ignore[no-untyped-def]
        release.wait(10)
        return real_load(path, progress, options, **how)

    monkeypatch.setattr(loads, "load_path", slow_load)
    monkeypatch.setattr(timeline_app, "SYNC_LOAD_BYTES", 0)
    app = make_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        release.set()
        await ready(pilot)
        for size in SIZES:
            await pilot.resize_terminal(*size)
            await pilot.press("down")
            await pilot.pause()
        assert app.is_running
        lst = event_list(app)
        assert current_id(app) == app.timeline[lst.positions[len(SIZES)]].id
