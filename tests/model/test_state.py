"""What the app writes for the user survives anything: a writer killed at any
moment leaves the old content or the new, and a corrupt file is set aside."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from pathlib import Path

from tests.conftest import BUNDLED
from tests.support.app import make_app, ready
from tui.model.state import StateStore

KILLS = 200


def version(n: int) -> list[str]:
    return [f"event-{j:04d}" for j in range(n)]


def test_a_writer_killed_200_times_never_leaves_a_corrupt_file(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    StateStore(path).set_strings("bookmarks", "/some/file.json", version(1))
    rng = random.Random(1234)
    for kill in range(KILLS):
        child = os.fork()
        if child == 0:  # the writer: rewrite the state as fast as it can until killed
            try:
                store = StateStore(path)
                n = 2 + kill
                while True:
                    store.set_strings("bookmarks", "/some/file.json", version(n % 300 + 1))
                    n += 7
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.02))
        os.kill(child, signal.SIGKILL)
        os.waitpid(child, 0)
        data = json.loads(path.read_text(encoding="utf-8"))  # never half-written
        marks = data["bookmarks"]["/some/file.json"]
        assert marks == version(len(marks)), f"kill {kill}: not a version that was written"
    # A killed writer may leave its temporary file, at most one a kill, never anything
    # else; the next write removes those older than STALE_SECONDS.
    from tui.model.state import STALE_SECONDS

    assert {p.name for p in tmp_path.iterdir()} - {"state.json"} == {
        p.name for p in tmp_path.glob(".state.json.*.tmp")
    }
    leftovers = list(tmp_path.glob(".state.json.*.tmp"))
    assert len(leftovers) <= KILLS
    old = time.time() - STALE_SECONDS - 1
    for leftover in leftovers:
        os.utime(leftover, (old, old))
    StateStore(path).set_strings("bookmarks", "/some/file.json", version(3))
    assert list(tmp_path.glob(".state.json.*.tmp")) == []


def test_stale_temporaries_are_cleaned_up(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    stale = tmp_path / ".state.json.abc.tmp"
    stale.write_text("{half")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    StateStore(path).update("theme", "nord")
    assert not stale.exists()


async def test_a_corrupt_state_file_is_set_aside_with_a_warning(private_state: Path) -> None:
    state = private_state / "state.json"
    state.write_text('{"bookmarks": {"x": ["a"]', encoding="utf-8")
    app = make_app(BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        notices = [n.message for n in app._notifications]
        assert any("was corrupt" in message for message in notices)
        await pilot.press("slash", "k", "enter")  # and it still works: the history is saved
        await pilot.pause()
        assert app.is_running
    [aside] = private_state.glob("state.json.corrupt-*")
    assert aside.read_text(encoding="utf-8") == '{"bookmarks": {"x": ["a"]'  # the user's data, kept
    assert json.loads(state.read_text(encoding="utf-8"))["history"] == {
        str(BUNDLED.resolve()): ["k"]
    }


def test_a_read_only_store_keeps_changes_for_the_session_and_writes_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "state.json"
    path.write_text('{"theme": "nord", "bookmarks": {"/f.json": ["a"]}}')
    before = path.read_bytes()
    store = StateStore(path, writable=False)
    store.set_strings("history", "/f.json", ["a", "b"])
    store.update("theme", "gruvbox")
    assert store.strings("history", "/f.json") == ["a", "b"] and store.theme() == "gruvbox"
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]  # no temporary file either
    path.write_text("{not json")
    corrupt = StateStore(path, writable=False)
    assert corrupt.read() == {} and corrupt.warnings == [f"{path} is corrupt; left as it is"]
    assert path.read_text() == "{not json"
