"""Keys in the app at scale, in-process with Pilot: typing a six-letter word into
the filter (key press to refreshed list, each typed character echoed at once),
the facets of the result, and jumps (End, Home, `]`, `t` to a date).
`python bench/app_keys.py --size N [--shape ours|bare|acled|parquet ...]` (the shapes
are bench/stores.py's; `ours` at 1,000,000 is bench/generate.py's file).

Measured twice: on the first open of the file, once the work the app does after
loading (search texts, the snapshot, the word index) is over, and on a reopen from the
snapshot."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = {"acled": "strike"}
"""The word typed, where the shape's text has no `energy`."""


def _date(text: str) -> int:
    from tui.model.dates import parse_when

    return parse_when(text).earliest


AT_ONCE = "first open, typed as soon as the list is shown (the index not built yet)"
FIRST_WORDS = "first open, typed once the words of all text are indexed (the rest building)"


def _index_state(app: Any) -> str:
    index = app.main.word_index
    return "none" if index is None else "complete" if index.complete else "first words only"


async def after_refresh(app: Any) -> float:
    """The time once the screen has been redrawn after what was just done."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()
    return time.perf_counter()


async def typing(app: Any, word: str) -> tuple[list[float], list[float], float]:
    """Each character set into the filter as a key press would: the seconds until the list
    shows that query's result (or, while the predicate searches a large timeline, the part
    of it found so far: the count says "searching"), and until the input's own redraw (the
    echo); and the seconds from the last key to its whole result."""
    from textual.widgets import Input

    filter_input = app.query_one("#filter", Input)
    filter_input.focus()
    latencies, echoes = [], []
    for i in range(1, len(word) + 1):
        prefix = word[:i]
        start = time.perf_counter()
        filter_input.value = prefix
        echoes.append(await after_refresh(app) - start)
        while app.main.words != [prefix]:
            await asyncio.sleep(0.001)
        latencies.append(await after_refresh(app) - start)
    while app.main.positions_text != word:  # the whole result, not a part of it
        await asyncio.sleep(0.001)
    return latencies, echoes, await after_refresh(app) - start


async def type_word(app: Any, word: str, label: str, shown_at: float) -> None:
    """Typing alone, before the whole index is there: by the filter's predicate (which
    shares the interpreter with the index's build), or over the first words indexed.
    `shown_at`: when the list was first on screen."""
    from tui.widgets.event_list import EventList

    if label == FIRST_WORDS:
        while app.main.word_index is None:
            if not app.is_running or time.perf_counter() - shown_at > 900:
                raise SystemExit("the first words were never indexed (the app stopped, or 15 min)")
            await asyncio.sleep(0.05)
        print(f"\n  the first words indexed {time.perf_counter() - shown_at:.1f} s after the list")
    ready_at_start = _index_state(app)
    latencies, echoes, whole = await typing(app, word)
    shown = len(app.query_one(EventList).positions)
    ready_at_end = _index_state(app)
    median = statistics.median(latencies)
    print(f"\napp keys at {len(app.timeline):,} events, {label} ({os.cpu_count()} cores)")
    print(
        f"  typing {word!r}: per key to refreshed list (its first rows), median"
        f" {median * 1000:.0f} ms, worst {max(latencies) * 1000:.0f} ms (target: each within 500 ms:"
        f" {'met' if max(latencies) <= 0.5 else 'NOT met'}); {shown:,} shown at the end;"
        f" index at the start: {ready_at_start}, at the end: {ready_at_end}"
    )
    print(f"  per key: {', '.join(f'{x * 1000:.0f}' for x in latencies)} ms")
    print(f"  the last key's whole result: {whole * 1000:.0f} ms after it")
    print(f"  echo of each typed character: max {max(echoes) * 1000:.0f} ms (target: one frame)")
    if label == FIRST_WORDS:
        while _index_state(app) != "complete" and app.is_running:
            await asyncio.sleep(0.05)
        print(f"  the whole index {time.perf_counter() - shown_at:.1f} s after the list")


async def measure(path: Path, label: str, word: str = "energy") -> None:

    from tui.app import TimelineApp
    from tui.screens.main import SYNC_FILTER_LIMIT
    from tui.widgets.event_list import EventList

    app = TimelineApp(str(path))
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.loaded:
            await pilot.pause(0.05)
        await pilot.pause()
        if label in (AT_ONCE, FIRST_WORDS):
            await type_word(app, word, label, time.perf_counter())
            return
        await asyncio.to_thread(app.background_done.wait)
        # Above the sync limit the filter reads the word index once it is built.
        waited = time.perf_counter()
        while len(app.timeline) > SYNC_FILTER_LIMIT and _index_state(app) != "complete":
            if not app.is_running or time.perf_counter() - waited > 900:
                raise SystemExit("the word index was never ready (the app stopped, or 15 min)")
            await asyncio.sleep(0.05)
        index_wait = time.perf_counter() - waited
        lst = app.query_one(EventList)

        # Jumps: from the key's action to the redrawn screen (Pilot's own waits left out:
        # they cost about 100 ms a key even on a 13-event file).
        jumps: dict[str, float] = {}
        actions = {
            "End": lst.action_last,
            "Home": lst.action_first,
            "]": lambda: app.main.action_jump_months(1),
            "t 2020-03-01": lambda: setattr(
                lst, "cursor", lst.index_at_or_after(_date("2020-03-01"))
            ),
        }
        for name, action in actions.items():
            start = time.perf_counter()
            action()
            jumps[name] = await after_refresh(app) - start
        latencies, echoes, _ = await typing(app, word)
        shown = len(app.query_one(EventList).positions)
        # The facets of the result: from the key to the screen drawn with their counts.
        start = time.perf_counter()
        await app.main.action_facets()  # the screen pushed and mounted (its own await)
        facets = await after_refresh(app) - start
        app.pop_screen()
        count, kind = len(app.timeline), type(app.timeline).__name__  # gone once it exits
    median = statistics.median(latencies)
    p95 = sorted(latencies)[max(0, round(0.95 * len(latencies)) - 1)]
    print(
        f"\napp keys at {count:,} events, {label} ({os.cpu_count()} cores),"
        f" in-process with Pilot ({kind})"
    )
    print(
        f"  typing {word!r}: per key to refreshed list, median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"(targets 100 / 250 ms: {'met' if median <= 0.1 and p95 <= 0.25 else 'NOT met'}); {shown:,} shown at the end"
    )
    print(f"  echo of each typed character: max {max(echoes) * 1000:.0f} ms (target: one frame)")
    print(f"  word index ready {index_wait:.1f} s after the app's other background work")
    print(
        f"  facets of the {shown:,} shown: {facets * 1000:.0f} ms (target 100 ms: {'met' if facets <= 0.1 else 'NOT met'})"
    )
    for name, seconds in jumps.items():
        print(
            f"  jump {name}: {seconds * 1000:.0f} ms (target 30 ms: {'met' if seconds <= 0.03 else 'NOT met'})"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument(
        "--shape", nargs="*", default=["ours"], help="ours, bare, acled, parquet, table"
    )
    args = parser.parse_args()
    size = args.size
    for shape in args.shape:
        if shape == "ours":
            path = ROOT / "bench" / "data" / f"{size}.json"
            if not path.exists():
                import subprocess

                subprocess.run(
                    [sys.executable, str(ROOT / "bench" / "generate.py"), str(size), str(path)],
                    check=True,
                )
        else:
            from bench.stores import shapes

            path = shapes(size)[shape]
        snapshots = ROOT / "bench" / "data" / "snapshots"
        shutil.rmtree(snapshots, ignore_errors=True)
        os.environ["TIMELINE_CACHE_DIR"] = str(snapshots)
        os.environ.setdefault("TIMELINE_DATA_DIR", str(ROOT / "bench" / "data" / "state"))
        word = WORDS.get(shape, "energy")
        from tui.model.loading import source_size

        print(f"\n# {shape}: {path.name}, {source_size(str(path)) / 1e6:,.0f} MB")
        for before in (AT_ONCE, FIRST_WORDS):
            asyncio.run(measure(path, before, word))
            shutil.rmtree(snapshots, ignore_errors=True)
        asyncio.run(measure(path, "first open", word))
        asyncio.run(measure(path, "reopened from its snapshot", word))


if __name__ == "__main__":
    main()
