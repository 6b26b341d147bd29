"""The rows of the app's event list: headings, events and the gaps between them.

Rows are kept in two flat arrays, not a list of objects, so a million events
cost a few megabytes; a row's text is made only when it is drawn.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from operator import sub
from typing import Final

from ..model.dates import DAY, Precision, When
from ..model.events import Timeline
from ..model.text import plural
from .headings import heading_text, headings_of_keys, headings_of_runs

HEADING: Final = 0
EVENT: Final = 1
GAP: Final = 2
VECTORISED_FROM: Final = 50_000
"""Results at least this long are laid out with numpy (imported only then)."""


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
        if len(self.positions) >= VECTORISED_FROM:
            self._build_vectorised()
            return
        positions = self.positions
        starts = self.starts = self.timeline.shown(self.timeline.starts, positions)
        two_days = 2 * DAY
        gaps = [k for k, step in enumerate(map(sub, starts[1:], starts), 1) if step >= two_days]
        filed = self.timeline.shown(self.timeline.filed, positions)
        extras = self._extras(gaps, headings_of_keys(filed))
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

    def _extras(
        self, gaps: Iterable[int], headings: Iterable[tuple[int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """The rows that are not events, (before the k-th event, kind, value), in order:
        a gap (`gaps`: where two days or more pass) where it is worth a line, then the
        heading."""
        date_at, positions = self.timeline.date_at, self.positions
        extras = [
            (k, GAP, k - 1)
            for k in gaps
            if gap_text(date_at(positions[k - 1]), date_at(positions[k])) is not None
        ]
        extras += ((k, HEADING, year * 100 + month) for k, year, month in headings)
        extras.sort(key=lambda extra: (extra[0], extra[1] != GAP))
        return extras

    def _build_vectorised(self) -> None:
        """The same with numpy, for a large result (a keystroke's first letter can match
        most of a million events): the Python walk took 0.9 s for 675,000 events."""
        import numpy as np  # large results only: a small file's startup never loads it

        from ..model.arrays import positions_array

        shown = positions_array(self.positions)
        starts = np.frombuffer(self.timeline.starts, dtype=np.int64)[shown]
        self.starts = array("q", starts.tobytes())
        gaps = np.flatnonzero(np.diff(starts) >= 2 * DAY) + 1
        filed = np.frombuffer(self.timeline.filed, dtype=np.int64)[shown]
        run_starts = np.flatnonzero(np.diff(filed, prepend=filed[0] - 1))
        lengths = np.diff(run_starts, append=len(filed))
        runs = list(zip(filed[run_starts].tolist(), lengths.tolist(), strict=True))
        extras = self._extras(gaps.tolist(), headings_of_runs(runs))
        count = len(shown)
        before = np.array([k for k, _, _ in extras], dtype=np.int64)
        extra_rows = before + np.arange(len(extras))
        # The k-th event comes after k events and after every extra placed before it.
        event_rows = np.arange(count) + np.searchsorted(before, np.arange(count), side="right")
        kinds = np.full(count + len(extras), EVENT, dtype=np.int8)
        kinds[extra_rows] = [kind for _, kind, _ in extras]
        values = np.empty(count + len(extras), dtype=np.int64)
        values[event_rows] = shown
        values[extra_rows] = [value for _, _, value in extras]
        self.kinds = array("b", kinds.tobytes())
        self.values = array("q", values.tobytes())
        self.event_rows = array("q", event_rows.tobytes())

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
