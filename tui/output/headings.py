"""Year and month headings, the same in the app's list, the text format and Markdown.

A year with more than MONTH_HEADINGS_AFTER events is split under month headings.
Headings only move forward: an event that names no month (a year-precision date
sorts among the first days of its year) stays under the heading above it, its
own date showing that it is the whole year, never gaining a month.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import Final

from ..model.dates import MONTH_NAMES
from ..model.events import Event

MONTH_HEADINGS_AFTER: Final = 5


def heading_text(year: int, month: int | None) -> str:
    name = str(year) if year > 0 else f"{1 - year} BCE"
    return f"{name} {MONTH_NAMES[month - 1]}" if month else name


def headings(events: Sequence[Event]) -> Iterator[tuple[int, int, int]]:
    """(index of the event the heading goes before, year, month or 0), in order."""
    return headings_of_keys([event.date.filed for event in events])


def headings_of_keys(filed: Sequence[int]) -> Iterator[tuple[int, int, int]]:
    """The same from each event's `When.filed` key (year * 100 + month)."""
    return headings_of_runs([(key, len(list(run))) for key, run in groupby(filed)])


def headings_of_runs(runs: Sequence[tuple[int, int]]) -> Iterator[tuple[int, int, int]]:
    """The same from runs of equal `filed` keys, (key, length) in order. The walk is over
    runs, not over events: a million events cost milliseconds."""
    per_year: Counter[int] = Counter()
    for key, length in runs:
        per_year[key // 100] += length
    current: tuple[int, int] | None = None
    index = 0
    for key, length in runs:
        year, month = divmod(key, 100)
        if per_year[year] <= MONTH_HEADINGS_AFTER:
            month = 0
        if current is None or year != current[0] or (month and month != current[1]):
            current = (year, month)
            yield index, year, month
        index += length
