"""The scale issue's last targets, on 10,000,000 events in a hive-partitioned Parquet
folder: the list interactive within 10 s of launch, each key of a typed word within 1 s
at the median, peak memory under 2 GB; and, as at every size, the first screen of events
within 2 s.

    python bench/ten_million.py [--copies 10] [--limit-mb 2000] [--timeout 600]

The folder is made once, deterministically, from bench/stores.py's Parquet shape of
1,000,000 events: each event `--copies` times (the copies' ids made unique), written by
DuckDB a folder per year and month (`year=2019/month=03/...`), as stores.py's hive shape
is. The app runs on it in a child process, headless (Pilot); this process reads the
child's resident memory every 0.1 s and stops it once it passes `--limit-mb` (the target:
past it, the target is not met, and a machine with less memory than ten million events
take is not brought down) or at the timeout. What the child reached before it was
stopped is reported as reached; what it did not reach, as not reached, with the memory
and the time at the stop.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stores import DATA, shapes  # noqa: E402

WORD = "energy"

APP = """
import asyncio, statistics, sys, time
start = time.perf_counter()
sys.path.insert(0, sys.argv[2])
from bench.app_keys import typing
from tui.app import TimelineApp

async def main(path):
    app = TimelineApp(path)
    async with app.run_test(size=(120, 40)) as pilot:
        rows = False
        while not app.loaded and app.is_running:
            if not rows and app.main.first_events:  # the file's first events, shown
                rows = True
                print("rows", time.perf_counter() - start, flush=True)
            await pilot.pause(0.05)
        if not app.loaded:  # it could not read the folder
            raise SystemExit(app.return_code or 2)
        print("interactive", time.perf_counter() - start, flush=True)
        latencies, _, _ = await typing(app, sys.argv[3])
        print("key_median", statistics.median(latencies), flush=True)
        print("key_worst", max(latencies), flush=True)

asyncio.run(main(sys.argv[1]))
"""


def folder(copies: int) -> Path:
    """The hive folder of `copies` times the 1,000,000 Parquet shape, made once."""
    made = DATA / f"hive-{copies}x1000000"
    if made.exists():
        return made
    import duckdb

    parquet = DATA / "stores-ours-1000000.parquet"
    if not parquet.exists():  # made with the other shapes
        parquet = shapes(1_000_000)["parquet"]
    scratch = made.with_name(made.name + ".tmp")
    with duckdb.connect() as connection:
        connection.execute(
            "COPY (SELECT * REPLACE (CASE WHEN k = 0 THEN id ELSE id || '~' || k END AS id),"
            " substr(date, 1, 4) AS year, coalesce(nullif(substr(date, 6, 2), ''), 'none')"
            " AS month FROM read_parquet(?), range(?) AS copies(k))"
            " TO ? (FORMAT parquet, PARTITION_BY (year, month))",
            [str(parquet), copies, str(scratch)],
        )
    scratch.rename(made)
    return made


def resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


def measure(path: Path, limit_mb: float, timeout: float) -> tuple[dict[str, float], str]:
    """The child's figures, and why it ended (`done`, or where it was stopped)."""
    snapshots = DATA / "snapshots-10m"
    shutil.rmtree(snapshots, ignore_errors=True)  # a first open, every run
    env = os.environ | {"TIMELINE_CACHE_DIR": str(snapshots)}
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", APP, str(path), str(ROOT), WORD],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
        env=env,
        text=True,
    )
    figures: dict[str, float] = {}

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            parts = line.split()
            if len(parts) == 2:
                figures[parts[0]] = float(parts[1])

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    peak, ended = 0.0, "done"
    while child.poll() is None:
        peak = max(peak, resident_mb(child.pid))
        elapsed = time.perf_counter() - start
        if peak > limit_mb or elapsed > timeout:
            child.kill()
            child.wait()
            why = f"{peak:,.0f} MB" if peak > limit_mb else f"{timeout:.0f} s"
            ended = f"stopped at {why}, {elapsed:.1f} s after launch"
            break
        time.sleep(0.1)
    reader.join(timeout=5)
    if ended == "done" and child.returncode != 0:
        ended = f"the app ended with code {child.returncode}"
    figures["peak"] = peak
    return figures, ended


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--limit-mb", type=float, default=2000)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    path = folder(args.copies)
    files = list(path.rglob("*.parquet"))
    size = sum(f.stat().st_size for f in files) / 1e6
    figures, ended = measure(path, args.limit_mb, args.timeout)
    print(
        f"\n# the app on {args.copies:,} million events, a hive-partitioned Parquet folder"
        f" ({len(files)} files, {size:,.0f} MB; {os.cpu_count()} cores): {ended}"
    )
    print("| figure | ours | target | met |\n|---|---|---|---|")

    def row(figure: str, key: str, target: float, unit: str, scale: float = 1.0) -> None:
        value = figures.get(key)
        shown = f"{value * scale:,.1f} {unit}" if value is not None else "not reached"
        met = "yes" if value is not None and value <= target else "NOT met"
        print(f"| {figure} | {shown} | ≤ {target * scale:,.0f} {unit} | {met} |")

    row("first screen of events, from launch", "rows", 2, "s")
    row("list interactive, from launch", "interactive", 10, "s")
    row(f"typing `{WORD}`, per key, median", "key_median", 1, "ms", 1000)
    row("peak memory (read every 0.1 s)", "peak", 2000, "MB")


if __name__ == "__main__":
    main()
