"""`timeline stats` on a terminal: the same counts as Rich tables, data text as Text."""

from __future__ import annotations

from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..model.events import Timeline, span_of
from ..model.store import TextCounts
from .stats import FACET_FIELDS, bar, facet_counts, period_counts


def print_stats(
    timeline: Timeline,
    positions: Sequence[int],
    width: int,
    top: int,
    text_counts: TextCounts | None = None,
) -> None:
    console = Console(width=width, highlight=False, markup=False, emoji=False)
    console.print(Text(timeline.title or "Timeline", style="bold"))
    span = span_of(timeline, positions)
    console.print(
        Text(
            f"{len(positions)} of {len(timeline)} events" + (f" · {span}" if span else ""),
            style="dim",
        )
    )
    unit, periods = period_counts(timeline, positions)
    if periods:
        table = Table(
            title=f"Events per {unit}", box=box.SIMPLE, title_justify="left", show_header=False
        )
        table.add_column("period", style="bold")
        table.add_column("count", justify="right")
        table.add_column("bar", style="cyan", no_wrap=True)
        peak = max(n for _, n in periods)
        for label, count in periods:
            table.add_row(
                Text(label), Text(str(count)), Text(bar(count, peak, max(width - 30, 10)))
            )
        console.print(table)
    facets = facet_counts(timeline, positions, text_counts)
    for name, title, _ in FACET_FIELDS:
        counter = facets[name]
        if not counter:
            continue
        more = f" (top {top} of {len(counter)})" if len(counter) > top else ""
        table = Table(title=title + more, box=box.SIMPLE, title_justify="left", show_header=False)
        table.add_column(name, overflow="fold")
        table.add_column("count", justify="right")
        for value, count in counter.most_common(top):
            table.add_row(Text(value), Text(str(count)))
        console.print(table)
