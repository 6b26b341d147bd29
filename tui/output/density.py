"""Events per period for the density strip: the period zooms from days to
centuries so that the whole span fits the width."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Final

from ..model.dates import DAY, MONTH_ABBR, civil_from_seconds, days_from_civil

UNITS: Final = ("day", "week", "month", "quarter", "year", "decade", "century")
_MONTHS_PER: Final = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}


def _civil(seconds: int) -> tuple[int, int]:
    year, month, _ = civil_from_seconds(seconds)
    return year, month


class Buckets:
    """Periods of one unit from the first event's period to the last's."""

    def __init__(self, start: int, end: int, width: int) -> None:
        self.unit = UNITS[-1]
        self.origin = 0
        self.count = 1
        for unit in UNITS:
            origin = self._index(unit, start, 0)
            count = self._index(unit, end, 0) - origin + 1
            if count <= max(width, 1):
                self.unit, self.origin, self.count = unit, origin, count
                break
        else:
            self.origin = self._index(self.unit, start, 0)
            self.count = self._index(self.unit, end, 0) - self.origin + 1

    @staticmethod
    def _index(unit: str, seconds: int, origin: int) -> int:
        if unit == "day":
            return seconds // DAY - origin
        if unit == "week":
            return (seconds // DAY + 3) // 7 - origin  # weeks start on Monday
        year, month = _civil(seconds)
        return (year * 12 + month - 1) // _MONTHS_PER[unit] - origin

    def index(self, seconds: int) -> int:
        return min(max(self._index(self.unit, seconds, self.origin), 0), self.count - 1)

    def start_of(self, bucket: int) -> int:
        """First second of a bucket, for jumping to it."""
        n = bucket + self.origin
        if self.unit == "day":
            return n * DAY
        if self.unit == "week":
            return (n * 7 - 3) * DAY
        months = n * _MONTHS_PER[self.unit]
        year, month0 = divmod(months, 12)
        return days_from_civil(year, month0 + 1, 1) * DAY

    def label(self, bucket: int) -> str:
        """The year where a year begins (and at the first bucket), for the axis; in days
        and weeks (a zoomed strip), the month where a month begins too."""
        year, month = _civil(self.start_of(bucket))
        text = str(year) if year > 0 else f"{1 - year} BCE"
        if self.unit in ("day", "week"):
            previous = _civil(self.start_of(bucket - 1)) if bucket else None
            if previous == (year, month):
                return ""
            name = MONTH_ABBR[month - 1]
            return f"{name} {text}" if bucket == 0 or month == 1 else name
        if bucket == 0 or self.unit not in ("month", "quarter"):
            return text
        previous_year, _ = _civil(self.start_of(bucket - 1))
        return text if previous_year != year else ""

    def end_of(self, bucket: int) -> int:
        """The first second after a bucket."""
        return self.start_of(bucket + 1)

    def counts(self, starts: Sequence[int]) -> list[int]:
        """Events per bucket, from the shown events' starts. They are in order, so each
        bucket's edge is found by bisection: the cost grows with the buckets, not the events."""
        edges = [bisect_left(starts, self.start_of(i)) for i in range(1, self.count)]
        edges = [0, *edges, len(starts)]
        return [edges[i + 1] - edges[i] for i in range(self.count)]
