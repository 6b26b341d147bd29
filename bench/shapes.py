"""`timeline print QUERY` to a pipe on every shape, each against its peer in the same run:

    python bench/shapes.py [--size N] [--runs R] [--only SHAPE ...]

The shapes are bench/stores.py's (generated once under bench/data/): our format, a bare
array whose every event has keys the format doesn't know and cites a source the file
does not define (a warning per citation), read from standard input; our format as a
writer of prose keeps it (a paragraph break in each summary, a tab and a CRLF in some
notes, pretty-printed as jq prints it: text the loader cleans); our format as a script
or a hand writes it (places and sources in short forms, a mark of direction, a misspelt
key, a database's own columns); an ACLED CSV; a
Parquet file, and the same as a hive-partitioned folder (DuckDB alone printing the
same matches beside them, for reference); our columns as a spreadsheet holds them (`;`, CRLF, its own column, rows
without ids); our events as iCalendar (our export, and the same VEVENTs without our
record) and as our TimelineJS export, each timed against our JSON's print. Per shape: `timeline print` of the query to /dev/null (wall time, median
of R runs, and the child's peak memory), with an empty snapshot folder so every run is
a first open; the peer doing the same (jq's select on the JSON shapes, from standard
input where ours reads it; DuckDB's read_csv with the same words on a CSV); and, for
JSON, the plain decode (msgspec, collector paused) that any reader of the file pays.
A child's peak memory is never below this process's own (about 50 MB: Linux carries
the parent's peak over at exec), so figures near it are floors, not measurements.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import run as run_measured  # noqa: E402
from bench.stores import shapes  # noqa: E402
from tui.model.loading import source_size  # noqa: E402

PY = sys.executable
TIMELINE = str(Path(PY).parent / "timeline")
QUERY = "drone"
JQ_FILTER = (
    '(if type == "array" then .[] else .events[] end)'
    " | select(([.title, .summary, .notes, .kind] + (.tags // []) + (.actors // [])"
    ' | map(select(. != null)) | join(" ")) | test("\\\\bdrone"; "i")) | .title'
)
DUCKDB_SCAN = """
import sys, duckdb
duckdb.execute("SET threads = 2")
date, text, columns = sys.argv[2:5]
rows = duckdb.execute(
    f"SELECT {date}, {text} FROM read_csv(?) WHERE regexp_matches(concat_ws(' ', {columns}),"
    " ?, 'i')",
    [sys.argv[1], r"\\bdrone"],
).fetchall()
sys.stdout.writelines(f"{d} {n}\\n" for d, n in rows)
"""
PARQUET_SCAN = """
import sys, duckdb
duckdb.execute("SET threads = 2")
text = "concat_ws(' ', title, summary, notes, kind, array_to_string(tags, ' '),"
text += " array_to_string(actors, ' '))"
rows = duckdb.execute(
    f"SELECT date, title FROM read_parquet(?, hive_partitioning = true)"
    f" WHERE regexp_matches({text}, ?, 'i')",
    [sys.argv[1], r"\\bdrone"],
).fetchall()
sys.stdout.writelines(f"{d} {n}\\n" for d, n in rows)
"""
"""DuckDB alone printing the Parquet shapes' matches (a reference; the issue sets no
target for them): a folder is read as a glob of its files."""
SCANNED = {
    "acled": ["event_date", "notes", "notes, event_type, sub_event_type, actor1, actor2, location"],
    "table": ["date", "title", "title, summary, notes, kind, tags, actors"],
}
"""Per CSV shape: the columns DuckDB alone prints, and those it searches."""
PLAIN_DECODE = """
import gc, sys, time, msgspec
data = open(sys.argv[1], "rb").read()
gc.disable()
start = time.perf_counter()
msgspec.json.decode(data)
print(time.perf_counter() - start)
"""


def run(command: list[str], stdin: Path | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak memory (MB) and lines written of a command, as a first open."""
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "TIMELINE_CACHE_DIR": scratch}
        out = Path(scratch) / "out"
        elapsed, peak = run_measured(command, stdout=out, env=env, stdin=stdin)
        with open(out, "rb") as written:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: written.read(1 << 20), b""))
    return elapsed, peak, lines


def median(command: list[str], runs: int, stdin: Path | None = None) -> tuple[float, float, int]:
    results = [run(command, stdin) for _ in range(runs)]
    lines = results[0][2]
    return statistics.median(r[0] for r in results), max(r[1] for r in results), lines


JSON_SHAPES = ("ours", "bare", "prose", "loose")
EXPORTED = ("ics", "ics-plain", "timelinejs")
"""Our events as another tool's format, as our exports (or another tool) write them."""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--only",
        nargs="*",
        help="these shapes only (ours, bare, prose, loose, acled, parquet, hive, table, ics,"
        " ics-plain, timelinejs)",
    )
    args = parser.parse_args()
    jq = shutil.which("jq")
    print(f"# `timeline print '{QUERY}'` to a pipe, {args.size:,} events ({os.cpu_count()} cores)")
    print("| shape | ours | peer | time ratio (target) | peak memory, ours / peer (target) |")
    print("|---|---|---|---|---|")
    # Generated in a child: a child of a process that has grown (json.loads of a big file)
    # reports that process's peak as its own (Linux carries it over at exec).
    subprocess.run(
        [PY, "-c", f"from bench.stores import shapes; shapes({args.size})"], cwd=ROOT, check=True
    )
    json_time: float | None = None
    for name, path in shapes(args.size).items():
        if args.only and name not in args.only:
            continue
        from_stdin = name == "bare"
        source = "-" if from_stdin else str(path)
        stdin = path if from_stdin else None
        ours_t, ours_m, found = median([TIMELINE, "print", source, QUERY], args.runs, stdin)
        if name == "ours":
            json_time = ours_t
        size = source_size(str(path)) / 1e6
        ours = f"{ours_t:.2f} s, {ours_m:.0f} MB, {found:,} lines ({size:.0f} MB file)"
        if name in SCANNED:
            peer_t, peer_m, _ = median(
                [PY, "-c", DUCKDB_SCAN, str(path), *SCANNED[name]], args.runs
            )
            peer, target_t, target_m = f"DuckDB alone {peer_t:.2f} s, {peer_m:.0f} MB", 3.0, None
        elif name in ("parquet", "hive"):
            scanned = str(path / "**" / "*.parquet") if path.is_dir() else str(path)
            peer_t, peer_m, _ = median([PY, "-c", PARQUET_SCAN, scanned], args.runs)
            print(
                f"| {name} | {ours} | DuckDB alone {peer_t:.2f} s, {peer_m:.0f} MB |"
                f" {ours_t / peer_t:.1f}x (no target) | {ours_m / peer_m:.2f}x |"
            )
            continue
        elif name in JSON_SHAPES and jq:
            peer_t, peer_m, _ = median(
                [jq, "-r", JQ_FILTER, *([] if from_stdin else [str(path)])], args.runs, stdin
            )
            peer, target_t, target_m = f"jq {peer_t:.2f} s, {peer_m:.0f} MB", 0.3, 0.5
        elif name in EXPORTED and json_time is not None:
            # No peer prints these; the cliff is against the same events as our JSON.
            ratio = f"{ours_t / json_time:.1f}x our JSON's time (no target)"
            print(f"| {name} | {ours} | our JSON {json_time:.2f} s | {ratio} | |")
            continue
        else:
            reason = "no peer" if name in EXPORTED else "jq not installed"
            print(f"| {name} | {ours} | {reason}: skipped | | |")
            continue
        verdict_t = "met" if ours_t / peer_t <= target_t else "not met"
        memory = f"{ours_m / peer_m:.2f}x"
        if target_m is not None:
            memory += f" (≤{target_m}x: {'met' if ours_m / peer_m <= target_m else 'not met'})"
        print(
            f"| {name} | {ours} | {peer} | {ours_t / peer_t:.2f}x"
            f" (≤{target_t}x: {verdict_t}) | {memory} |"
        )
        if name in JSON_SHAPES:
            decode = statistics.median(
                float(subprocess.check_output([PY, "-c", PLAIN_DECODE, str(path)]))
                for _ in range(args.runs)
            )
            print(
                f"| {name}: plain decode | {decode:.2f} s (msgspec, collector paused) |"
                f" | print / decode {ours_t / decode:.1f}x | |"
            )


if __name__ == "__main__":
    main()
