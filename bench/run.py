"""Every benchmark of the scale issue, with its peer measured in the same run.

    python bench/run.py [--size N] [--skip-peers]

Generates (once, deterministically) event files of 10k, 100k and N events
under bench/data/ (and bench/stores.py's bare and ACLED shapes of N, for the app's
memory and reopen), then prints one table: each figure, the peer's figure, the
ratio and the target. Wall times are medians of a few runs; peak memory is the
child process's maximum resident set (wait4). A peer that is not installed is
skipped and the table says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PY = sys.executable
TIMELINE = str(Path(PY).parent / "timeline")
SNAPSHOTS = DATA / "snapshots"
QUERY = "kursk"
JQ_FILTER = '.events[] | select(([.title, .summary, .notes, .kind] + (.tags // []) + (.actors // []) | join(" ")) | test("kursk"; "i")) | .title'


@dataclass
class Row:
    figure: str
    ours: str
    peer: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""


def run(
    command: list[str],
    stdout: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: Path | None = None,
) -> tuple[float, float]:
    """Wall seconds and peak RSS in MB of a command."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    source = open(stdin, "rb") if stdin else subprocess.DEVNULL  # noqa: SIM115
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=source, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    for opened in (out, source):
        if opened is not subprocess.DEVNULL:
            opened.close()  # type: ignore[union-attr]
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise RuntimeError(f"{command[0]} failed: {os.waitstatus_to_exitcode(status)}")
    return elapsed, usage.ru_maxrss / 1024


def median_run(command: list[str], runs: int, stdout: Path | None = None) -> tuple[float, float]:
    results = [run(command, stdout) for _ in range(runs)]
    return statistics.median(r[0] for r in results), max(r[1] for r in results)


def snapshot_mb() -> float:
    return sum(p.stat().st_size for p in SNAPSHOTS.glob("*.snapshot")) / 1e6


def ensure_file(count: int) -> Path:
    DATA.mkdir(parents=True, exist_ok=True)
    path = DATA / f"{count}.json"
    if not path.exists():
        print(f"generating {path.name} …", file=sys.stderr)
        subprocess.run([PY, str(ROOT / "bench" / "generate.py"), str(count), str(path)], check=True)
    return path


def ratio_row(
    figure: str, ours: float, peer: float | None, target: float, unit: str, peer_name: str
) -> Row:
    if peer is None:
        return Row(
            figure,
            f"{ours:.2f} {unit}",
            "skipped",
            None,
            f"≤{target}×",
            None,
            f"{peer_name} not installed",
        )
    ratio = ours / peer
    return Row(
        figure,
        f"{ours:.2f} {unit}",
        f"{peer:.2f} {unit}",
        ratio,
        f"≤{target}×",
        ratio <= target,
        peer_name,
    )


FIRST_FRAME = """
import sys, time
start = time.perf_counter()
from tui.app import TimelineApp
from tui.screens.main import MainScreen
shown = MainScreen.show_first_events
def show_first_events(self, *args):
    shown(self, *args)
    self.call_after_refresh(lambda: print("rows", time.perf_counter() - start, flush=True))
MainScreen.show_first_events = show_first_events
class Measured(TimelineApp):
    def _start(self):
        super()._start()
        self.call_after_refresh(lambda: print("first", time.perf_counter() - start, flush=True))
    def _loaded(self, loaded):
        super()._loaded(loaded)
        self.call_after_refresh(self.done)
    def done(self):
        print("interactive", time.perf_counter() - start, flush=True)
        self.exit()
Measured(sys.argv[1]).run(headless=True, size=(120, 40))
"""

SETTLED = """
import resource, sys, threading, time
start = time.perf_counter()
from tui.app import TimelineApp
from tui.screens.main import SYNC_FILTER_LIMIT
def peak():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
class Measured(TimelineApp):
    def _loaded(self, loaded):
        super()._loaded(loaded)
        print("interactive", time.perf_counter() - start, flush=True)
        print("interactive_peak", peak(), flush=True)
        threading.Thread(target=self.settle, daemon=True).start()
    def settle(self):
        # The app's own work after the load: search texts, the word index (saved beside
        # the snapshot), the snapshot. What a person who keeps the app open meets.
        self.background_done.wait()
        indexed = len(self.timeline) > SYNC_FILTER_LIMIT
        while indexed and (self.main.word_index is None or not self.main.word_index.complete):
            time.sleep(0.1)
        print("settled", time.perf_counter() - start, flush=True)
        print("settled_peak", peak(), flush=True)
        self.call_from_thread(self.exit)
Measured(sys.argv[1]).run(headless=True, size=(120, 40))
"""
"""The app opened and left to finish its background work: the peak memory of a session,
not of its first second. On a first open it saves the snapshot and the word index."""

MINIMAL = """
import time
start = time.perf_counter()
from textual.app import App
class Minimal(App):
    def on_mount(self):
        self.call_after_refresh(lambda: (print("first", time.perf_counter() - start, flush=True), self.exit()))
Minimal().run(headless=True, size=(120, 40))
"""

WRITE_SNAPSHOT = """
import sys, time
from tui.model import cache
from tui.model.loading import load_path
loaded = load_path(sys.argv[1], snapshot=True)
assert loaded.snapshot_due is not None, "a snapshot was already there"
start = time.perf_counter()
cache.write(sys.argv[1], loaded.snapshot_due, loaded.timeline, loaded.warnings, loaded.skipped)
print("write", time.perf_counter() - start, flush=True)
"""

PLAIN_DECODE = """
import gc, sys, time, msgspec
start = time.perf_counter()
data = open(sys.argv[1], "rb").read()
gc.disable()
msgspec.json.decode(data)
print("decode", time.perf_counter() - start, flush=True)
"""


def timed_script(script: str, *args: str) -> tuple[dict[str, float], float]:
    start = time.perf_counter()
    process = subprocess.Popen(
        [PY, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        text=True,
    )
    out, _ = process.communicate()
    figures = {
        line.split()[0]: float(line.split()[1])
        for line in out.splitlines()
        if len(line.split()) == 2
    }
    return figures, time.perf_counter() - start


def memory_rows(label: str, figures: dict[str, float], size_mb: float, target: float) -> list[Row]:
    """Peak memory against the file's size: when the list is interactive, and once the
    app's background work is done (SETTLED), which is what the target is held to."""
    rows = []
    for when, key, held in (
        ("list interactive", "interactive_peak", None),
        ("background work done", "settled_peak", target),
    ):
        peak = figures.get(key, float("nan"))
        rows.append(
            Row(
                f"{label}, peak memory, {when}",
                f"{peak:.0f} MB",
                f"{size_mb:.0f} MB file",
                peak / size_mb,
                f"≤{held}×" if held is not None else "-",
                peak / size_mb <= held if held is not None else None,
                "file size" if held is not None else "file size; the target is held at the end",
            )
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run([PY, "-m", "compileall", "-q", str(ROOT / "tui")], check=True)
    # The bench's own snapshot folder, empty: every figure before the reopen ones is
    # of a first open.
    shutil.rmtree(SNAPSHOTS, ignore_errors=True)
    os.environ["TIMELINE_CACHE_DIR"] = str(SNAPSHOTS)
    sizes = sorted({10_000, 100_000, args.size})
    files = {n: ensure_file(n) for n in sizes}
    big = files[args.size]
    size_mb = big.stat().st_size / 1e6
    rows: list[Row] = []

    # timeline print QUERY to a pipe, against jq.
    ours_t, ours_m = median_run([TIMELINE, "print", str(big), QUERY], args.runs, Path(os.devnull))
    jq = shutil.which("jq")
    jq_t = jq_m = None
    if jq:
        jq_t, jq_m = median_run([jq, "-r", JQ_FILTER, str(big)], args.runs, Path(os.devnull))
    rows.append(ratio_row(f"print '{QUERY}' to a pipe, time", ours_t, jq_t, 0.3, "s", "jq"))
    rows.append(ratio_row(f"print '{QUERY}' to a pipe, peak memory", ours_m, jq_m, 0.5, "MB", "jq"))

    # timeline print --format csv to a file, against VisiData's batch conversion.
    csv_t, _ = median_run([TIMELINE, "print", str(big), "--format", "csv"], 1, DATA / "out.csv")
    vd = shutil.which("vd") or (
        str(Path(PY).parent / "vd") if (Path(PY).parent / "vd").exists() else None
    )
    vd_t = None
    if vd:
        vd_t, _ = run([vd, "-b", str(big), "-o", str(DATA / "out.tsv")])
    rows.append(ratio_row("print --format csv to a file", csv_t, vd_t, 0.1, "s", "VisiData -b"))

    # The app: first frame and the full list, against a minimal Textual app and a plain decode.
    minimal = statistics.median(
        timed_script(MINIMAL)[0].get("first", float("nan")) for _ in range(args.runs)
    )
    opened = [timed_script(FIRST_FRAME, str(big))[0] for _ in range(args.runs)]
    first = statistics.median(o.get("first", float("nan")) for o in opened)
    interactive = statistics.median(o.get("interactive", float("nan")) for o in opened)
    decode = statistics.median(
        timed_script(PLAIN_DECODE, str(big))[0]["decode"] for _ in range(args.runs)
    )
    rows.append(
        ratio_row(
            "app first frame (with load progress)", first, minimal, 1.5, "s", "minimal Textual app"
        )
    )
    rows.append(
        ratio_row(
            "app full list interactive", interactive, decode, 2.0, "s", "msgspec decode, gc paused"
        )
    )
    # Rows on screen: the file's first events while the rest is read (or, where it can't
    # show them early, the whole list). Against a fixed target, not a peer.
    first_rows = statistics.median(
        o.get("rows", o.get("interactive", float("nan"))) for o in opened
    )
    rows.append(
        Row(
            "app first screen of events",
            f"{first_rows:.2f} s",
            "-",
            None,
            "≤2 s",
            first_rows <= 2,
            f"absolute, {os.cpu_count()} cores",
        )
    )

    # Growth: seconds per event from 10k to the big file.
    per_event = {}
    for n, path in files.items():
        seconds, _ = median_run([TIMELINE, "print", str(path), QUERY], args.runs, Path(os.devnull))
        per_event[n] = seconds / n * 1e6
    growth = per_event[max(sizes)] / per_event[min(sizes)]
    rows.append(
        Row(
            "growth of print time per event",
            f"{per_event[max(sizes)]:.1f} µs at {max(sizes):,}",
            f"{per_event[min(sizes)]:.1f} µs at {min(sizes):,}",
            growth,
            "≤1.5×",
            growth <= 1.5,
            "same command, smaller file",
        )
    )

    # Peak memory as the list becomes interactive, and once the app's own background work
    # (search texts, word index, snapshot) is done: what a session holds. This first open
    # saves the snapshot and the word index that the reopens below read.
    first_open = timed_script(SETTLED, str(big))[0]
    rows += memory_rows("app first open", first_open, size_mb, 1.0)

    # Reopening the unchanged file, from what the first open above saved.
    reopened = [timed_script(FIRST_FRAME, str(big))[0] for _ in range(args.runs)]
    reopen = statistics.median(o.get("interactive", float("nan")) for o in reopened)
    rows.append(
        ratio_row(
            "reopen unchanged file, list interactive",
            reopen,
            interactive,
            0.1,
            "s",
            "first open, same run",
        )
    )
    reopen_settled = timed_script(SETTLED, str(big))[0]
    rows.append(
        ratio_row(
            "reopen, list and word index ready",
            reopen_settled.get("settled", float("nan")),
            interactive,
            0.1,
            "s",
            "first open's list, same run",
        )
    )
    rows += memory_rows("app reopen", reopen_settled, size_mb, 0.25)
    warm_t, warm_m = median_run([TIMELINE, "print", str(big), QUERY], args.runs, Path(os.devnull))
    rows.append(
        Row(
            f"print '{QUERY}' with the snapshot and index",
            f"{warm_t:.2f} s",
            f"{jq_t:.2f} s" if jq_t else "skipped",
            warm_t / jq_t if jq_t else None,
            "-",
            None,
            f"jq; no target; {warm_m:.0f} MB peak",
        )
    )
    # The snapshot's write on its own, timed (the app writes it in the background).
    shutil.rmtree(SNAPSHOTS, ignore_errors=True)
    written = timed_script(WRITE_SNAPSHOT, str(big))[0]["write"]
    rows.append(
        Row(
            "snapshot write (in the background)",
            f"{written:.2f} s",
            "-",
            None,
            "-",
            None,
            f"{snapshot_mb():.0f} MB on disk",
        )
    )

    # The app's memory and its reopen on shapes the generator did not write: a bare array
    # whose events have unknown keys and a source the file does not define, and an ACLED
    # CSV (bench/stores.py's, made here if missing).
    sys.path.insert(0, str(ROOT))
    from bench.stores import shapes

    for shape in ("bare", "acled"):
        path = shapes(args.size)[shape]
        shape_mb = path.stat().st_size / 1e6
        shutil.rmtree(SNAPSHOTS, ignore_errors=True)
        opened_once = timed_script(SETTLED, str(path))[0]
        rows += memory_rows(f"{shape}: app first open", opened_once, shape_mb, 1.0)
        again = timed_script(SETTLED, str(path))[0]
        rows.append(
            ratio_row(
                f"{shape}: reopen, list and word index ready",
                again.get("settled", float("nan")),
                opened_once.get("interactive", float("nan")),
                0.1,
                "s",
                "its first open's list, same run",
            )
        )
        rows += memory_rows(f"{shape}: app reopen", again, shape_mb, 0.25)

    print(
        f"\nscale benchmarks, {os.cpu_count()} cores, {args.size:,} events ({size_mb:.0f} MB), medians of {args.runs}"
    )
    print(f"{'figure':42} {'ours':>20} {'peer':>20} {'ratio':>7} {'target':>7}  verdict")
    for row in rows:
        ratio = f"{row.ratio:.2f}" if row.ratio is not None else "-"
        verdict = "met" if row.met else ("NOT met" if row.met is False else "skipped")
        if row.target == "-":
            verdict = "info"
        print(
            f"{row.figure:42} {row.ours:>20} {row.peer:>20} {ratio:>7} {row.target:>7}  {verdict} ({row.note})"
        )


if __name__ == "__main__":
    main()
