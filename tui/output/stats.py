"""Counts over events: per period, and per status, kind, tag, actor, place and who claims it.
Used by `timeline stats` and by the app's facets."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Final

from ..model.dates import civil_from_seconds
from ..model.events import SEPARATOR, Timeline, span_of
from ..model.store import TextCounts
from ..model.text import plural
from .density import Buckets

FACET_FIELDS: Final = (
    ("file", "Files", "file"),
    ("status", "Status", "status"),
    ("kind", "Kind", "kind"),
    ("tag", "Tags", "tag"),
    ("actor", "Actors", "actor"),
    ("place", "Places", "place"),
    ("by", "Claimed by", "who claims it"),
    ("corroboration", "Independent sources", "independent sources"),
    ("reliability", "Best source reliability", "best source reliability (A best)"),
    ("credibility", "Best credibility", "best credibility (1 best)"),
)
"""The filter field, the title of its table in the app and on a terminal, and what
plain `stats` counts it by."""
MAX_PERIODS: Final = 40


FACET_NAMES: Final = tuple(name for name, _, _ in FACET_FIELDS)


def facet_counts(
    timeline: Timeline, positions: Sequence[int], text_counts: TextCounts | None = None
) -> dict[str, Counter[str]]:
    """Counted from the search columns, whose texts hold an event's values between
    separators: equal texts are counted once, then split."""
    counts: dict[str, Counter[str]] = {}
    for name in FACET_NAMES:
        if text_counts is not None:
            joined = text_counts(name, positions)
        else:
            column = timeline.column(name)
            if isinstance(positions, range) and positions == range(len(column)):
                joined = Counter(column)
            else:
                joined = Counter(map(column.__getitem__, positions))
        counter: Counter[str] = Counter()
        for text, count in joined.items():
            for value in text.split(SEPARATOR):
                if value:
                    counter[value] += count
        # Most first, then by value: the same order whichever way they were counted
        # (`most_common` keeps a tie in the order the values came).
        counts[name] = Counter(dict(sorted(counter.items(), key=lambda item: (-item[1], item[0]))))
    return counts


def period_label(unit: str, seconds: int) -> str:
    year, month, day = civil_from_seconds(seconds)
    shown = str(year) if year > 0 else f"{1 - year} BCE"
    labels = {
        "day": f"{year:04d}-{month:02d}-{day:02d}",
        "week": f"week of {year:04d}-{month:02d}-{day:02d}",
        "month": f"{year:04d}-{month:02d}",
        "quarter": f"{shown} Q{(month - 1) // 3 + 1}",
        "decade": f"{shown}s",
        "century": f"{shown}s",
    }
    return labels.get(unit, shown)


def period_counts(
    timeline: Timeline, positions: Sequence[int]
) -> tuple[str, list[tuple[str, int]]]:
    """(unit, [(period, count)]): every period from the first shown event to the last,
    empty ones too, in a unit chosen so that there are at most MAX_PERIODS."""
    if not positions:
        return "period", []
    start = timeline.starts[positions[0]]
    end = timeline.starts[positions[-1]]
    buckets = Buckets(start, end, MAX_PERIODS)
    counts = buckets.counts(timeline.shown(timeline.starts, positions))
    return buckets.unit, [
        (period_label(buckets.unit, buckets.start_of(i)), n) for i, n in enumerate(counts)
    ]


def bar(count: int, peak: int, width: int) -> str:
    if not count:
        return ""
    return "█" * max(1, round(count / max(peak, 1) * width))


def stats_lines(
    timeline: Timeline,
    positions: Sequence[int],
    width: int = 80,
    top: int = 10,
    text_counts: TextCounts | None = None,
) -> Iterator[str]:
    """The plain-text report: what `timeline stats` writes into a pipe. `text_counts`:
    the word index's, for a large file (facet_counts)."""
    yield timeline.title or "Timeline"
    span = span_of(timeline, positions)
    shown = plural(len(positions), "event")
    if len(positions) != len(timeline):
        shown = f"{len(positions)} of {len(timeline)} events"
    yield shown + (f" · {span}" if span else "")
    unit, periods = period_counts(timeline, positions)
    if periods:
        yield ""
        yield f"Events per {unit}"
        label_width = max(len(label) for label, _ in periods)
        peak = max(n for _, n in periods)
        bar_width = max(width - label_width - 12, 10)
        for label, count in periods:
            yield f"  {label:<{label_width}}  {count:>6}  {bar(count, peak, bar_width)}".rstrip()
    facets = facet_counts(timeline, positions, text_counts)
    for name, _, by in FACET_FIELDS:
        counter = facets[name]
        if not counter:
            continue
        yield ""
        more = f" (top {top} of {len(counter)})" if len(counter) > top else ""
        yield f"By {by}{more}"
        common = counter.most_common(top)
        label_width = min(max(len(value) for value, _ in common), 40)
        for value, count in common:
            label = value if len(value) <= 40 else value[:39] + "…"
            yield f"  {label:<{label_width}}  {count:>6}"
