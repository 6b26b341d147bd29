"""The rows of the app's event list: headings, events and the gaps between them.

Rows are kept in two flat arrays, not a list of objects, so a million events
cost a few megabytes; a row's text is made only when it is drawn.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence
from operator import sub
from typing import Final

from ..model.dates import DAY, Precision, When
from ..model.events import Timeline
from ..model.text import plural
from .headings import heading_text, headings_of_keys

HEADING: Final = 0
EVENT: Final = 1
GAP: Final = 2


class RowLayout:
    """Rows for the events at `positions` (timeline indexes, in order)."""

    def __init__(self, timeline: Timeline, positions: Sequence[int]) -> None:
        self.timeline = timeline
        self.positions = positions
        self.kinds = array("b")
        self.values = array("q")
        """HEADING: year*100+month (0 for a whole year); EVENT: timeline index;
        GAP: the index in `positions` of the event before the gap."""
        self.event_rows = array("q")
        """Row of the k-th event in `positions`."""
        self._build()

    def _build(self) -> None:
        """Headings and gaps are found from flat arrays of the shown events' start and
        heading keys; the event rows between them are added a run at a time."""
        positions = self.positions
        date_at = self.timeline.date_at
        starts = self.starts = self.timeline.shown(self.timeline.starts, positions)
        extras: list[tuple[int, int, int]] = []  # (before the k-th event, kind, value)
        two_days = 2 * DAY
        gaps = [k for k, step in enumerate(map(sub, starts[1:], starts), 1) if step >= two_days]
        for k in gaps:
            before, after = date_at(positions[k - 1]), date_at(positions[k])
            if gap_text(before, after) is not None:
                extras.append((k, GAP, k - 1))
        filed = self.timeline.shown(self.timeline.filed, positions)
        extras += ((k, HEADING, year * 100 + month) for k, year, month in headings_of_keys(filed))
        extras.sort(key=lambda extra: (extra[0], extra[1] != GAP))
        kinds, values, event_rows = self.kinds, self.values, self.event_rows
        done = 0
        for k, kind, value in [*extras, (len(positions), -1, 0)]:
            if k > done:
                event_rows.extend(range(len(kinds), len(kinds) + k - done))
                kinds.frombytes(bytes([EVENT]) * (k - done))
                values.extend(positions[done:k])
                done = k
            if kind >= 0:
                kinds.append(kind)
                values.append(value)

    def __len__(self) -> int:
        return len(self.kinds)

    def heading_text(self, row: int) -> str:
        year, month = divmod(self.values[row], 100)
        return heading_text(year, month)

    def gap_text(self, row: int) -> str:
        k = self.values[row]
        before = self.timeline.date_at(self.positions[k])
        after = self.timeline.date_at(self.positions[k + 1])
        return gap_text(before, after) or ""

    def event_index_at_row(self, row: int) -> int | None:
        """The index in `positions` of the event on `row`, or of the next event below it."""
        k = bisect_left(self.event_rows, row)
        return k if k < len(self.event_rows) else None


def gap_text(before: When, after: When) -> str | None:
    """`2 days later`, `about 3 months later`: said only at the coarser date's precision,
    and only when the gap is worth a line (two days or more)."""
    a = before.start or before.end
    b = after.start or after.end
    if a is None or b is None:
        return None
    precision = min(before.precision, after.precision)
    about = "about " if before.approximate or after.approximate else ""
    months = (b.year - a.year) * 12 + ((b.month or 1) - (a.month or 1))
    if precision >= Precision.DAY:
        days = (after.sort_start - before.sort_start) // DAY
        if days < 2:
            return None
        if days < 14:
            return f"{about}{days} days later"
        if (b.day or 1) < (a.day or 1):
            months -= 1
        if months < 2:
            return f"{about}{days // 7} weeks later"
    elif precision == Precision.MONTH:
        if months < 2:
            return None
    else:
        years = b.year - a.year
        return f"{about}{plural(years, 'year')} later" if years >= 2 else None
    years, months = divmod(months, 12)
    parts = [plural(years, "year")] if years else []
    if months:
        parts.append(plural(months, "month"))
    return f"{about}{' '.join(parts)} later"
