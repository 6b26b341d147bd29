"""Start-up figures for small files, each against its peer measured in the same run.

    python bench/startup.py [--runs N]

- `timeline print` on the bundled file, to a pipe, against `python -c "import rich.console"`;
- the app's first frame on the bundled file (loaded and drawn, headless) against a
  minimal Textual app that exits after its first frame.

Runs alternate between the two commands of a pair so that noise on this shared
machine hits both alike; medians are reported.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

MINIMAL_APP = """
from textual.app import App
class Minimal(App):
    def on_mount(self):
        self.call_after_refresh(self.exit)
Minimal().run(headless=True)
"""

OUR_FIRST_FRAME = """
from tui.app import TimelineApp
class FirstFrame(TimelineApp):
    def _loaded(self, loaded):
        super()._loaded(loaded)
        self.call_after_refresh(self.exit)
FirstFrame("events.json").run(headless=True)
"""


def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
    )
    return time.perf_counter() - start


def pair(ours: list[str], peer: list[str], runs: int) -> tuple[float, float]:
    wall(ours), wall(peer)  # warm the file cache
    ours_times, peer_times = [], []
    for _ in range(runs):
        ours_times.append(wall(ours))
        peer_times.append(wall(peer))
    return statistics.median(ours_times), statistics.median(peer_times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    py = sys.executable
    # Installed packages come byte-compiled (pip does it); a checkout may not be,
    # for instance where PYTHONDONTWRITEBYTECODE is set. Compile ours like the peer's.
    subprocess.run([py, "-m", "compileall", "-q", str(ROOT / "tui")], check=True)
    timeline = str(Path(py).parent / "timeline")
    rows = [
        (
            "timeline print (bundled file, to a pipe)",
            'python -c "import rich.console"',
            1.3,
            *pair([timeline, "print"], [py, "-c", "import rich.console"], runs),
        ),
        (
            "app first frame (bundled file, headless)",
            "minimal Textual app, first frame",
            1.15,
            *pair([py, "-c", OUR_FIRST_FRAME], [py, "-c", MINIMAL_APP], runs),
        ),
    ]
    print(f"start-up, median of {runs} alternating runs, {os.cpu_count()} cores")
    print(f"{'figure':44} {'ours':>8} {'peer':>8} {'ratio':>6} {'target':>7}  peer")
    for name, peer_name, target, ours, peer in rows:
        ratio = ours / peer
        verdict = "met" if ratio <= target else "NOT met"
        figures = f"{ours * 1000:6.0f}ms {peer * 1000:6.0f}ms {ratio:6.2f} {'≤' + str(target):>7}"
        print(f"{name:44} {figures}  {peer_name} ({verdict})")


if __name__ == "__main__":
    main()
