"""The snapshot of a large file (tui/model/cache.py): its write, its size, and a reopen
from it against the first open, each in a process of its own (an empty snapshot folder
for the first), on every shape. `python bench/snapshot.py [--size N] [--shape ours bare
acled parquet]` (bench/generate.py's file of N events, 1,000,000 by default; the other
shapes are bench/stores.py's)."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.index import shape_path  # noqa: E402

CHILD = r"""
import json, resource, sys, time
start = time.perf_counter()
from tui.model import cache
from tui.model.loading import load_path, source_size

path, write = sys.argv[1], sys.argv[2] == "write"
loaded = load_path(path, snapshot=True)
timeline = loaded.timeline
timeline.starts, timeline.filed  # the list's arrays, as the app builds them on load
figures = {"open": time.perf_counter() - start, "kind": type(timeline).__name__}
at = time.perf_counter()
timeline.events[len(timeline) // 2 : len(timeline) // 2 + 40]
figures["a page of 40"] = time.perf_counter() - at
at = time.perf_counter()
timeline.column("text")
figures["the search text"] = time.perf_counter() - at
if write and loaded.snapshot_due is None:
    print(json.dumps({"none": "no snapshot: the file is under 16 MB"}))
    sys.exit()
if write:
    at = time.perf_counter()
    cache.write(path, loaded.snapshot_due, timeline, loaded.warnings, loaded.skipped)
    figures["write"] = time.perf_counter() - at
    figures["size"] = sum(p.stat().st_size for p in cache.cache_dir().glob("*.snapshot"))
figures["peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(figures))
"""


def child(path: Path, write: bool, folder: str) -> dict[str, float | str]:
    environment = {**os.environ, "TIMELINE_CACHE_DIR": folder, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), "write" if write else "read"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    found: dict[str, float | str] = json.loads(done.stdout.splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument(
        "--shape", nargs="*", default=["ours"], help="ours, bare, acled, parquet, table"
    )
    args = parser.parse_args()
    print(f"\n# The snapshot at {args.size:,} events ({os.cpu_count()} cores)\n")
    print(
        "| shape | first open | written (size) | reopen | reopen / first | a page of 40"
        " | search text | peak: first, reopen |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for shape in args.shape:
        path = shape_path(shape, args.size)
        folder = tempfile.mkdtemp(prefix="timeline-bench-snapshot-")
        try:
            first = child(path, True, folder)
            again = {} if "none" in first else child(path, False, folder)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        from tui.model.loading import source_size

        mb = source_size(str(path)) / 1e6
        if "none" in first:
            print(f"| {shape}, {mb:,.0f} MB | {first['none']} |")
            continue
        assert first["kind"] != "CachedTimeline" and again["kind"] == "CachedTimeline"
        print(
            f"| {shape}, {mb:,.0f} MB | {first['open']:.2f} s"
            f" | {first['write']:.1f} s ({float(first['size']) / 1e6:,.0f} MB)"
            f" | {again['open']:.2f} s | {float(again['open']) / float(first['open']):.3f}x"
            f" | {float(again['a page of 40']) * 1000:.1f} ms"
            f" | {again['the search text']:.2f} s"
            f" | {float(first['peak']) / 1e6:,.0f}, {float(again['peak']) / 1e6:,.0f} MB |"
        )


if __name__ == "__main__":
    main()
