"""A wheel carries what the installed command needs: the bundled story and the stylesheet."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import BUNDLED, ROOT


def test_the_wheel_ships_the_bundled_story_and_the_styles(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            str(ROOT),
            "-w",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("timeline-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        assert {"tui/data/events.json", "tui/app/app.tcss", "tui/cli.py"} <= names
        assert archive.read("tui/data/events.json") == BUNDLED.read_bytes()
        entry_points = next(n for n in names if n.endswith("entry_points.txt"))
        assert "timeline = tui.cli:console" in archive.read(entry_points).decode()
        archive.extractall(tmp_path / "installed")
    # Run from the unpacked wheel, away from the checkout: the story is found inside it.
    installed = tmp_path / "installed"
    where = subprocess.run(
        [sys.executable, "-c", "from tui.model.locations import bundled_events as b; print(b())"],
        capture_output=True,
        text=True,
        cwd=installed,
        check=True,
    ).stdout.strip()
    assert Path(where) == installed / "tui" / "data" / "events.json"
    printed = subprocess.run(
        [sys.executable, "-m", "tui", "print", "--width", "100"],
        capture_output=True,
        text=True,
        cwd=installed,
        check=True,
    ).stdout
    assert "Zelenskyy" in printed
