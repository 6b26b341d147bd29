"""The word index and what reads it, in-process, each against what it replaced in the same
run: the index's build, its save beside a snapshot and its read on a reopen; a result's
rows laid out with numpy against the Python walk; a result's facets counted over the
index against a walk of the columns. The build is timed against the plain decode of
the file (the target is 3x). `python bench/index.py [--size N] [--shape ours bare acled
parquet]` (bench/generate.py's file of N events, 1,000,000 by default; the other shapes
are bench/stores.py's)."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from array import array
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = ("", "e", "energy", "tag:pow -status:context")


def best(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument(
        "--shape", nargs="*", default=["ours"], help="ours, bare, acled, parquet, table"
    )
    args = parser.parse_args()
    for shape in args.shape:
        measure(shape_path(shape, args.size), shape)


def shape_path(shape: str, size: int) -> Path:
    if shape != "ours":
        from bench.stores import shapes

        return shapes(size)[shape]
    path = ROOT / "bench" / "data" / f"{size}.json"
    if not path.exists():
        import subprocess

        generate = [sys.executable, str(ROOT / "bench" / "generate.py"), str(size), str(path)]
        subprocess.run(generate, check=True)
    return path


def plain_decode(path: Path) -> float:
    """The fastest plain read of the file into Python values, the collector paused: the
    index's build target is 3x this (msgspec for JSON, the csv module for a CSV, DuckDB's
    rows for Parquet)."""
    import gc

    gc.disable()
    try:
        start = time.perf_counter()
        if path.suffix == ".json":
            import msgspec

            msgspec.json.decode(path.read_bytes())
        elif path.suffix == ".csv":
            import csv

            with path.open(newline="", encoding="utf-8") as handle:
                list(csv.reader(handle))
        else:
            import duckdb

            duckdb.sql("SELECT * FROM read_parquet(?)", params=[str(path)]).fetchall()
        return time.perf_counter() - start
    finally:
        gc.enable()


def measure(path: Path, shape: str) -> None:
    from tui.model import cache, index_file
    from tui.model.loading import load_path, source_size
    from tui.model.query import parse_query
    from tui.model.word_index import WordIndex
    from tui.output import rows
    from tui.output.stats import FACET_NAMES, facet_counts

    decoded = min(plain_decode(path) for _ in range(2))
    timeline = load_path(str(path)).timeline
    timeline.starts, timeline.filed  # noqa: B018 (built once, as the app does on load)
    print(
        f"\n# The word index at {len(timeline):,} events: {shape}, {path.name},"
        f" {source_size(str(path)) / 1e6:,.0f} MB ({os.cpu_count()} cores)"
    )
    first: list[float] = []
    start = time.perf_counter()
    index = WordIndex(
        timeline,
        counted=FACET_NAMES,
        first_words=lambda _: first.append(time.perf_counter() - start),
    )
    built = time.perf_counter() - start
    print(
        f"plain decode {decoded:.1f} s (gc paused); first words in {first[0]:.1f} s;"
        f" built in {built:.1f} s: {built / decoded:.1f}x the decode (target 3x)"
    )
    with tempfile.TemporaryDirectory() as folder:
        place = cache.SnapshotPlace(
            str(Path(folder) / "bench.snapshot"), cache.Fingerprint(0, 0, "", "")
        )
        start = time.perf_counter()
        index_file.write(place, index)
        written = time.perf_counter() - start
        saved = cache.index_path(place).stat().st_size
        reads = [best(lambda: index_file.read(place, timeline), 1) for _ in range(3)]
    print(f"saved in {written:.1f} s, {saved / 1e6:,.0f} MB;")
    print(
        f"read again in {statistics.median(reads):.2f} s (median of 3):"
        f" {statistics.median(reads) / built:.3f}x the build"
    )
    print(
        "\n| query | shown | select | rows: Python walk | rows: numpy | facets: walk | facets: index |"
    )
    print("|---|---|---|---|---|---|---|")
    for text in QUERIES:
        query = parse_query(text, timeline)
        selected = best(lambda: index.select(query))  # noqa: B023 (used at once)
        shown = array("q", index.select(query).tobytes())
        laid_out = {}
        for name, limit in (("walk", 10**12), ("numpy", rows.VECTORISED_FROM)):
            saved_limit, rows.VECTORISED_FROM = rows.VECTORISED_FROM, limit
            laid_out[name] = best(lambda: rows.RowLayout(timeline, shown))  # noqa: B023
            rows.VECTORISED_FROM = saved_limit
        walked = best(lambda: facet_counts(timeline, shown), 1)  # noqa: B023
        counted = best(lambda: facet_counts(timeline, shown, index.text_counts))  # noqa: B023
        assert facet_counts(timeline, shown, index.text_counts) == facet_counts(timeline, shown)
        print(
            f"| `{text}` | {len(shown):,} | {selected * 1000:.2f} ms"
            f" | {laid_out['walk'] * 1000:.0f} ms | {laid_out['numpy'] * 1000:.0f} ms"
            f" | {walked * 1000:.0f} ms | {counted * 1000:.0f} ms |"
        )
    print(
        f"\n(Rows with numpy from {rows.VECTORISED_FROM:,} on; facets walked: the first"
        " query's time includes making each column once.)"
    )


if __name__ == "__main__":
    main()
