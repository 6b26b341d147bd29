"""No error is swallowed in silence: each one is told to the user, or written where
TIMELINE_DEBUG shows it."""

from __future__ import annotations

import ast
import os
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_no_except_in_the_package_passes_in_silence() -> None:
    silent = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ExceptHandler) and all(
                isinstance(statement, ast.Pass) for statement in node.body
            ):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("suppress"):
                silent.append(f"{path.relative_to(ROOT)}:{node.lineno} (suppress)")
    assert silent == []


def test_a_leftover_that_cannot_be_removed_is_written_where_debug_shows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from tui.model.state import STALE_SECONDS, write_atomically

    target = tmp_path / "state.json"
    leftover = tmp_path / ".state.json.abc.tmp"
    leftover.write_text("half")
    old = leftover.stat().st_mtime - STALE_SECONDS - 10
    os.utime(leftover, (old, old))
    real_unlink = Path.unlink

    def refuse(self: Path, missing_ok: bool = False) -> None:
        if self == leftover:
            raise PermissionError(13, "Permission denied")
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", refuse)
    monkeypatch.setenv("TIMELINE_DEBUG", "1")
    write_atomically(target, "{}")
    assert target.read_text() == "{}"
    err = capfd.readouterr().err
    assert "could not remove the leftover" in err and "Permission denied" in err
    monkeypatch.delenv("TIMELINE_DEBUG")
    write_atomically(target, "{}")
    assert capfd.readouterr().err == ""


def test_a_snapshot_that_cannot_be_written_is_told_to_the_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from tui.app.timeline_app import prepare
    from tui.model import cache
    from tui.model.loading import load_bytes

    loaded = load_bytes(b'{"events": [{"id": "a", "date": "2025", "title": "x"}]}', "f")
    loaded.snapshot_due = cache.Fingerprint(1, 1, "x", "o")

    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cache, "write", full_disk)
    monkeypatch.setenv("TIMELINE_DEBUG", "1")
    told: list[str] = []
    prepare(loaded.timeline, [(str(tmp_path / "f.json"), loaded)], threading.Event(), told.append)
    assert told == ["Could not save a snapshot for a faster next open: No space left on device"]
    assert "snapshot of" in capfd.readouterr().err


async def test_a_theme_that_cannot_be_saved_is_told_to_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.conftest import BUNDLED
    from tests.support.app import make_app, ready
    from tui.model.state import StateStore

    def read_only(self: StateStore, key: str, value: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(StateStore, "update", read_only)
    app = make_app(BUNDLED)
    async with app.run_test() as pilot:
        await ready(pilot)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert "Could not save the theme for next time: Permission denied" in said
