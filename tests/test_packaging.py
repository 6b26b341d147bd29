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
        assert "timeline = tui.cli:run" in archive.read(entry_points).decode()
