"""Dates with their real precision: the EDTF subset of DESIGN.md §1.

A date is an interval [earliest, latest] in seconds on a proleptic Gregorian
axis that runs through year 0 and before (astronomical numbering), so BCE dates
sort and compare like any other. Python's `datetime` stops at year 1, which is
why the arithmetic here is our own.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Final

import msgspec

from .problems import ColumnError

__all__ = [
    "DateError",
    "DatePoint",
    "Precision",
    "When",
    "days_in_month",
    "parse_when",
]

MONTH_NAMES: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTH_ABBR: Final = tuple(name[:3] for name in MONTH_NAMES)

DAY: Final = 86_400
OPEN_START: Final = -(2**62)
OPEN_END: Final = 2**62


class DateError(ColumnError):
    """A date that can't be read; `column` is 1-based within the date text."""


class Precision(IntEnum):
    YEAR = 0
    MONTH = 1
    DAY = 2
    MINUTE = 3
    SECOND = 4


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if is_leap(year) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 for any proleptic Gregorian date (H. Hinnant's algorithm)."""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    mp = (month + 9) % 12
    doy = (153 * mp + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def civil_from_seconds(seconds: int) -> tuple[int, int, int]:
    """(year, month, day) of an instant on our axis: the inverse of days_from_civil."""
    z = seconds // DAY + 719_468
    era = z // 146_097
    doe = z - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + 3 if mp < 10 else mp - 9
    return yoe + era * 400 + (month <= 2), month, day


def month_start(year: int, month: int) -> int:
    """First second of a month; months past 12 or below 1 roll into other years."""
    extra_years, month0 = divmod(month - 1, 12)
    return days_from_civil(year + extra_years, month0 + 1, 1) * DAY


class DatePoint(msgspec.Struct, frozen=True, gc=False):
    """One end of a date: a year, month, day or moment, maybe qualified."""

    year: int
    month: int | None = None
    day: int | None = None
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    tz_minutes: int | None = None
    """Offset from UTC in minutes; None for a floating (local) time."""
    approximate: bool = False
    uncertain: bool = False

    @property
    def precision(self) -> Precision:
        if self.second is not None:
            return Precision.SECOND
        if self.minute is not None:
            return Precision.MINUTE
        if self.day is not None:
            return Precision.DAY
        if self.month is not None:
            return Precision.MONTH
        return Precision.YEAR

    @property
    def earliest(self) -> int:
        """First second the point covers."""
        month = self.month or 1
        day = self.day or 1
        seconds = days_from_civil(self.year, month, day) * DAY
        if self.hour is not None:
            seconds += self.hour * 3600 + (self.minute or 0) * 60 + (self.second or 0)
            seconds -= (self.tz_minutes or 0) * 60
        return seconds

    @property
    def latest(self) -> int:
        """Last second the point covers."""
        precision = self.precision
        if precision == Precision.SECOND:
            return self.earliest
        if precision == Precision.MINUTE:
            return self.earliest + 59
        if precision == Precision.DAY:
            return self.earliest + DAY - 1
        if precision == Precision.MONTH:
            assert self.month is not None
            return self.earliest + days_in_month(self.year, self.month) * DAY - 1
        return days_from_civil(self.year + 1, 1, 1) * DAY - 1

    @property
    def qualifier(self) -> str:
        if self.approximate and self.uncertain:
            return "%"
        if self.approximate:
            return "~"
        if self.uncertain:
            return "?"
        return ""

    def to_text(self) -> str:
        """The EDTF form, the inverse of parsing."""
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        if self.hour is not None:
            text += f"T{self.hour:02d}:{self.minute or 0:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            if self.tz_minutes is not None:
                text += format_offset(self.tz_minutes)
        return text + self.qualifier

    def year_text(self) -> str:
        """The year for people: astronomical year 0 is 1 BCE, -44 is 45 BCE."""
        return f"{1 - self.year} BCE" if self.year <= 0 else str(self.year)

    def plain_display(self) -> str:
        """The point at its precision, without qualifiers: `9 Jan 2025`, `Jan 2025`."""
        year = self.year_text()
        if self.month is None:
            return year
        month = MONTH_ABBR[self.month - 1]
        if self.day is None:
            return f"{month} {year}"
        text = f"{self.day} {month} {year}"
        if self.hour is not None:
            text += f" {self.hour:02d}:{self.minute or 0:02d}"
            if self.second is not None:
                text += f":{self.second:02d}"
            if self.tz_minutes is not None:
                text += " UTC" if self.tz_minutes == 0 else f" {format_offset(self.tz_minutes)}"
        return text

    def display(self) -> str:
        return qualify(self.plain_display(), self.approximate, self.uncertain)


def qualify(text: str, approximate: bool, uncertain: bool) -> str:
    return f"{'c. ' if approximate else ''}{text}{'?' if uncertain else ''}"


def format_offset(minutes: int) -> str:
    if minutes == 0:
        return "Z"
    sign = "+" if minutes > 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


class When:
    """A single date (`start is end`) or an interval; None is an open end (`..`).

    Not a msgspec Struct on purpose: the loader decodes event files straight
    into the model, and msgspec hands a custom type's JSON string to our hook
    (`decode_hook`), which parses each distinct date text once. The bounds and
    the sort key are computed once, here.
    """

    __slots__ = (
        "_text",
        "earliest",
        "end",
        "filed",
        "interval",
        "latest",
        "sort_key",
        "sort_start",
        "span",
        "start",
    )

    def __init__(
        self, start: DatePoint | None, end: DatePoint | None, interval: bool = False
    ) -> None:
        self.start = start
        self.end = end
        self.interval = interval
        self.earliest: int = OPEN_START if start is None else start.earliest
        self.latest: int = OPEN_END if end is None else end.latest
        known = start if start is not None else end
        # Where the date sits on the axis: an open start sorts at its known end.
        self.sort_start: int = known.earliest if known is not None else 0
        # Finer dates first at the same start; open intervals are longest.
        self.span: int = self.latest - self.earliest
        self.sort_key: tuple[int, int] = (self.sort_start, self.span)
        # The heading it is filed under: year * 100 + month (0 when it names no month).
        self.filed: int = 0 if known is None else known.year * 100 + (known.month or 0)
        self._text: str | None = None

    @classmethod
    def of(cls, point: DatePoint) -> When:
        return cls(point, point, False)

    @property
    def known_by(self) -> int:
        """The last moment of the date: what it says is known only once all of it has
        passed (`2023-03` by the end of March, not on the 1st). An open end is a thing
        still going on: what is known is that it began, by the end of its start."""
        if self.end is not None:
            return self.latest
        return self.start.latest if self.start is not None else OPEN_START

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, When):
            return NotImplemented
        return (self.start, self.end, self.interval) == (other.start, other.end, other.interval)

    def __hash__(self) -> int:
        return hash((self.start, self.end, self.interval))

    def __repr__(self) -> str:
        return f"When({self.to_text()!r})"

    @property
    def precision(self) -> Precision:
        """The coarsest precision of the known ends."""
        points = [p for p in (self.start, self.end) if p is not None]
        return min(p.precision for p in points)

    @property
    def approximate(self) -> bool:
        return any(p.approximate for p in (self.start, self.end) if p is not None)

    @property
    def uncertain(self) -> bool:
        return any(p.uncertain for p in (self.start, self.end) if p is not None)

    def to_text(self) -> str:
        """The EDTF form (made once: exports and snapshots ask for it a million times)."""
        if self._text is None:
            if not self.interval:
                assert self.start is not None
                self._text = self.start.to_text()
            else:
                start = ".." if self.start is None else self.start.to_text()
                end = ".." if self.end is None else self.end.to_text()
                self._text = f"{start}/{end}"
        return self._text

    def display(self) -> str:
        """For people, at the date's own precision: `9 Jan 2025`, `c. Dec 2024`, `9–12 Jan 2025`."""
        if not self.interval:
            assert self.start is not None
            return self.start.display()
        if self.start is None:
            assert self.end is not None
            return f"until {self.end.display()}"
        if self.end is None:
            return f"from {self.start.display()}"
        return display_range(self.start, self.end)

    def year(self) -> int:
        """The year the date is filed under."""
        point = self.start if self.start is not None else self.end
        assert point is not None
        return point.year

    def month(self) -> int | None:
        """The month the date is filed under, if it names one."""
        point = self.start if self.start is not None else self.end
        assert point is not None
        return point.month


def display_range(start: DatePoint, end: DatePoint) -> str:
    """`9–12 Jan 2025`, `9 Jan – 3 Feb 2025`, `Dec 2024 – Jan 2025`: shared parts once."""
    same_qualifiers = start.qualifier == end.qualifier
    plain_dates = start.hour is None and end.hour is None
    if same_qualifiers and plain_dates and start.precision == end.precision:
        approx, unsure = start.approximate, start.uncertain
        if start.year == end.year and start.precision == Precision.DAY:
            month_a = MONTH_ABBR[(start.month or 1) - 1]
            month_b = MONTH_ABBR[(end.month or 1) - 1]
            year = start.year_text()
            if start.month == end.month:
                return qualify(f"{start.day}–{end.day} {month_a} {year}", approx, unsure)
            return qualify(f"{start.day} {month_a} – {end.day} {month_b} {year}", approx, unsure)
        if start.year == end.year and start.precision == Precision.MONTH:
            month_a = MONTH_ABBR[(start.month or 1) - 1]
            month_b = MONTH_ABBR[(end.month or 1) - 1]
            return qualify(f"{month_a}–{month_b} {start.year_text()}", approx, unsure)
        if start.precision == Precision.YEAR:
            return qualify(f"{start.year_text()}–{end.year_text()}", approx, unsure)
    return f"{start.display()} – {end.display()}"


class _Scanner:
    """Reads one date point, reporting the column of the first thing that is wrong."""

    def __init__(self, text: str, offset: int) -> None:
        self.text = text
        self.pos = 0
        self.offset = offset  # columns before `text` in the whole date string

    def fail(self, message: str, pos: int | None = None) -> DateError:
        return DateError(message, self.offset + (self.pos if pos is None else pos) + 1)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def digits(self, count: int, what: str) -> int:
        chunk = self.text[self.pos : self.pos + count]
        if len(chunk) < count or not chunk.isascii() or not chunk.isdigit():
            found = describe(self.text[self.pos :])
            raise self.fail(f"expected {what} ({count} digits), found {found}")
        self.pos += count
        return int(chunk)

    def point(self) -> DatePoint:
        negative = self.peek() == "-"
        if negative:
            self.pos += 1
        year_start = self.pos
        year = self.digits(4, "a year")
        if self.peek().isdigit():
            raise self.fail("years have four digits", year_start)
        if negative:
            year = -year
        month = day = hour = minute = second = tz = None
        if self.peek() == "-":
            self.pos += 1
            month_pos = self.pos
            month = self.digits(2, "a month")
            if not 1 <= month <= 12:
                raise self.fail(f"month {month:02d} is out of range (01-12)", month_pos)
            if self.peek() == "-":
                self.pos += 1
                day_pos = self.pos
                day = self.digits(2, "a day")
                last = days_in_month(year, month)
                if not 1 <= day <= last:
                    name = MONTH_NAMES[month - 1]
                    raise self.fail(
                        f"day {day:02d} is out of range for {name} {year} (01-{last})", day_pos
                    )
                if self.peek() == "T":
                    self.pos += 1
                    hour, minute, second, tz = self.time()
        approximate = uncertain = False
        mark = self.peek()
        if mark in ("~", "?", "%"):
            self.pos += 1
            approximate = mark in ("~", "%")
            uncertain = mark in ("?", "%")
        if self.pos < len(self.text):
            raise self.fail(f"unexpected {describe(self.text[self.pos :])} after the date")
        return DatePoint(year, month, day, hour, minute, second, tz, approximate, uncertain)

    def time(self) -> tuple[int, int, int | None, int | None]:
        hour_pos = self.pos
        hour = self.digits(2, "an hour")
        if hour > 23:
            raise self.fail(f"hour {hour:02d} is out of range (00-23)", hour_pos)
        if self.peek() != ":":
            raise self.fail(f"expected ':' after the hour, found {describe(self.text[self.pos :])}")
        self.pos += 1
        minute_pos = self.pos
        minute = self.digits(2, "minutes")
        if minute > 59:
            raise self.fail(f"minute {minute:02d} is out of range (00-59)", minute_pos)
        second = None
        if self.peek() == ":":
            self.pos += 1
            second_pos = self.pos
            second = self.digits(2, "seconds")
            if second > 59:
                raise self.fail(f"second {second:02d} is out of range (00-59)", second_pos)
        tz = None
        if self.peek() == "Z":
            self.pos += 1
            tz = 0
        elif self.peek() in ("+", "-"):
            sign = 1 if self.peek() == "+" else -1
            self.pos += 1
            tz_pos = self.pos
            tz_hours = self.digits(2, "an offset's hours")
            if self.peek() != ":":
                raise self.fail("expected ':' in the time zone offset")
            self.pos += 1
            tz_minutes = self.digits(2, "an offset's minutes")
            if tz_minutes > 59 or tz_hours * 60 + tz_minutes > 14 * 60:
                raise self.fail("time zone offset is out of range (-14:00 to +14:00)", tz_pos)
            tz = sign * (tz_hours * 60 + tz_minutes)
        return hour, minute, second, tz


def describe(rest: str) -> str:
    if not rest:
        return "the end"
    return repr(rest[:12] + ("…" if len(rest) > 12 else ""))


def encode_hook(value: object) -> str:
    """msgspec's hook the other way: a date as its text (the snapshot, the DuckDB store,
    what a file held when last open)."""
    if isinstance(value, When):
        return value.to_text()
    raise NotImplementedError(type(value))


_PARSED: dict[str, When] = {}
"""Each date text met while a file is read, parsed: its events share the one When. Let go
once the file is read (forget_parsed)."""


def forget_parsed() -> None:
    """Let go of the dates parsed while a file was read. Kept, they outlive its events and
    hold the memory around them: interleaved with a million events, 93,000 of them kept
    1.7 GB from the system once the events were gone (each block of the allocator that
    one of them is in stays), 0.08 GB without them."""
    _PARSED.clear()


def decode_hook(kind: type, value: object) -> object:
    """msgspec's hook for our custom types: a date's text, parsed once per distinct text."""
    if kind is When:
        if not isinstance(value, str):
            raise ValueError(f"expected a date string, found {type(value).__name__}")
        when = _PARSED.get(value)
        if when is None:
            try:
                when = parse_when(value)
            except DateError as exc:
                raise ValueError(str(exc)) from None
            if len(_PARSED) < 1_000_000:
                _PARSED[value] = when
        return when
    raise NotImplementedError(kind)


def parse_when(text: str) -> When:
    """Parse an EDTF date or interval; raises DateError with the column."""
    if not isinstance(text, str):
        raise DateError(f"expected a date string, found {type(text).__name__}", 1)
    if not text.strip():
        raise DateError("empty date", 1)
    if text != text.strip():
        raise DateError("unexpected space around the date", 1)
    written = _written_by_hand(text)
    if written is not None:
        raise DateError(written, 1)
    if "/" in text:
        slash = text.index("/")
        left, right = text[:slash], text[slash + 1 :]
        if "/" in right:
            raise DateError("an interval has one '/'", slash + 2 + right.index("/"))
        start = None if left == ".." else _point(left, 0)
        end = None if right == ".." else _point(right, slash + 1)
        if start is None and end is None:
            raise DateError("an interval needs at least one known end", 1)
        if start is not None and end is not None and end.latest < start.earliest:
            raise DateError(
                f"the interval ends ({end.display()}) before it starts ({start.display()})",
                slash + 2,
            )
        return When(start, end, True)
    return When.of(_point(text, 0))


_BY_HAND: Final = re.compile(r"(\d{1,4})([/.-])(\d{1,2})\2(\d{1,4})", re.ASCII)
"""`26/09/2022`, `9.26.2022`, `2022/09/26`: a day written as people write it."""


def _written_by_hand(text: str) -> str | None:
    """What to write instead of a day in a common non-EDTF shape, if `text` is one."""
    match = _BY_HAND.fullmatch(text)
    if match is None or (match.group(2) == "-" and len(match.group(1)) == 4):
        return None  # 2022-09-26 is ours; anything else goes to the parser
    first, middle, last = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if len(match.group(1)) == 4:
        readings = [(first, middle, last)]  # year/month/day
    elif len(match.group(4)) == 4:
        readings = [(last, middle, first), (last, first, middle)]  # d/m/y, then m/d/y
    else:
        return None
    valid = sorted(
        {(y, m, d) for y, m, d in readings if 1 <= m <= 12 and 1 <= d <= days_in_month(y, m)}
    )
    if not valid:
        return None
    options = " or ".join(f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in valid)
    shape = "" if len(valid) == 1 else " (the day and month could be either way round)"
    return f'"{text}": dates are written year-month-day{shape}; write {options}'


_PLAIN_POINT: Final = re.compile(r"(\d{4})(?:-(\d\d)(?:-(\d\d))?)?([~?%]?)", re.ASCII)
"""A year, month or day, maybe qualified: most dates, read without the scanner."""


def _point(text: str, offset: int) -> DatePoint:
    if not text:
        raise DateError("an interval end is empty (write '..' for an open end)", offset + 1)
    plain = _PLAIN_POINT.fullmatch(text)
    if plain is not None:
        year_text, month_text, day_text, mark = plain.groups()
        year = int(year_text)
        month = int(month_text) if month_text else None
        day = int(day_text) if day_text else None
        valid_month = month is None or 1 <= month <= 12
        if valid_month and (day is None or 1 <= day <= days_in_month(year, month or 1)):
            return DatePoint(
                year,
                month,
                day,
                approximate=mark in ("~", "%"),
                uncertain=mark in ("?", "%"),
            )
    return _Scanner(text, offset).point()  # everything else, and every error's message
