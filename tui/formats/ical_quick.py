"""The common shape of an iCalendar file, read without building the `icalendar`
library's objects: at about a millisecond an event, the library takes minutes over a
large calendar.

It reads the file's bytes, decoding only the values it uses: as a str, the whole text
takes four bytes a character once one of them is outside the first plane. The shape: one
VCALENDAR of VEVENTs, each content line a name and simple parameters; DTSTART and DTEND
a date, a floating time or a time in UTC; no DURATION; no property that the reader uses
given twice (CATEGORIES aside). Everything else, and anything the library would read as
broken, is left to the library: `read` says None and the caller reads the whole file as
before. The same file gives the same events either way (a hypothesis test compares
them). Lines are unfolded, and values unescaped and split, by the library's own rules:
its helpers, or `bytes` and `str` methods where property tests show they agree.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any, Final, NamedTuple

import msgspec

_LINE: Final = re.compile(rb"([A-Z0-9-]+)((?:;[A-Za-z0-9-]+=[^\";:,\\]*)*):(.*)", re.DOTALL)
"""A content line whose name and parameters hold nothing to unescape or quote (no byte
of a UTF-8 character outside ASCII is one of those it excludes)."""
_DATE: Final = re.compile(rb"(\d{4})(\d\d)(\d\d)")
_TIME: Final = re.compile(rb"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(Z?)")
_NUMBER: Final = rb"[+-]?\d+(?:\.\d+)?"
_GEO: Final = re.compile(b"(" + _NUMBER + b");(" + _NUMBER + b")")
_READ: Final = frozenset(
    {b"UID", b"SUMMARY", b"DESCRIPTION", b"LOCATION", b"GEO", b"URL", b"DTSTART", b"DTEND"}
)
_decode: Final = msgspec.json.Decoder().decode
_DATES: Final = (b"DTSTART", b"DTEND")
"""The read properties that may have a parameter (VALUE)."""
_RECORD: Final = b"X-TIMELINE-EVENT"
_FILE_RECORD: Final = b"X-TIMELINE-FILE"

Properties = dict[bytes, list[tuple[bytes, bytes]]]
"""A component's properties: name to (parameters, raw value), in order."""


class _NotQuick(Exception):
    """Left to the library."""


class Quick(NamedTuple):
    document: dict[str, Any]
    """The calendar's document, without its events."""
    events: list[dict[str, Any]]
    begin_lines: list[int]
    """Where each VEVENT begins (begin_lines_of_text)."""


def read(data: bytes) -> Quick | None:
    """The calendar read, or None when the file is not of the common shape. `data`:
    UTF-8, without a byte-order mark."""
    breaks = _Breaks(data)
    lines = [line for line in _content_lines(data, breaks) if line]
    if len(lines) < 2 or lines[0] != b"BEGIN:VCALENDAR" or lines[-1] != b"END:VCALENDAR":
        return None
    try:
        document, events = _read(lines)
    except _NotQuick:
        return None
    del lines
    return Quick(document, events, begin_lines_of_bytes(data, breaks))


class _Breaks:
    """The file's line breaks, counted once for its unfolding and its line numbers: one
    pass keeps them alone (CR, LF, and the controls `str.splitlines` breaks at), another
    counts CRLF where there is a CR."""

    def __init__(self, data: bytes) -> None:
        kept = data.translate(None, _ALL_BUT_BREAKS)
        self.cr, self.lf = kept.count(b"\r"), kept.count(b"\n")
        self.controls = len(kept) - self.cr - self.lf
        self.crlf = data.count(b"\r\n") if self.cr else 0


_ALL_BUT_BREAKS: Final = bytes(range(256)).translate(None, b"\r\n\x0b\x0c\x1c\x1d\x1e")


def _read(lines: list[bytes]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The calendar's own properties and its events, each VEVENT made an event as soon
    as it ends (the properties of all of them were held at once: 0.2 GB at 100,000)."""
    calendar: Properties = {}
    events: list[dict[str, Any]] = []
    current: Properties | None = None
    match = _LINE.fullmatch
    for line in lines[1:-1]:
        found = match(line)
        if found is None:
            raise _NotQuick
        name, parameters, value = found.groups()
        if name == b"BEGIN":
            if value != b"VEVENT" or current is not None:
                raise _NotQuick
            current = {}
        elif name == b"END":
            if value != b"VEVENT" or current is None:
                raise _NotQuick
            events.append(_event(current, len(events)))
            current = None
        elif current is not None:
            current.setdefault(name, []).append((parameters, value))
        elif name.startswith(b"X-") or _reads_on_a_calendar(line.decode()):
            calendar.setdefault(name, []).append((parameters, value))
        else:
            raise _NotQuick
    if current is not None:
        raise _NotQuick
    return _document(calendar), events


def _reads_on_a_calendar(line: str) -> bool:
    """Whether the library reads a calendar's own property (VERSION, NAME,
    REFRESH-INTERVAL, …) without an error: a calendar, unlike an event, refuses the
    whole file for one it cannot read. Checked with the library's own types, as its
    parser does; the few it treats apart are left to it."""
    from icalendar.parser.content_line import Contentline
    from icalendar.prop import TypesFactory

    content_line = Contentline(line)  # type: ignore[no-untyped-call]
    try:
        name, parameters, value = content_line.parts()
        if name in ("CATEGORIES", "FREEBUSY", "RDATE") or "TZID" in parameters:
            return False
        factory: Any = TypesFactory.instance().for_property(name, parameters.value)
        raw = getattr(factory, "get_value_from_content_line", None)
        factory.from_ical(raw(content_line) if raw is not None else value)
    except (ValueError, TypeError):
        return False
    return True


def _content_lines(data: bytes, breaks: _Breaks | None = None) -> list[bytes]:
    """The library's unfolding and splitting (`NEWLINE.split(UFOLD.sub("", text))`), done
    by `bytes` methods where they agree, with as few passes over the file as they take.
    With no empty line, the library's fold (a line break, any empty lines, a space or tab)
    is a line break and a space or tab; with no two carriage returns in a row, taking the
    folds out one kind at a time joins no new one. Both are ASCII, never a byte of a
    longer character, so the bytes unfold as the text does. A property test holds this
    to the library's own on any text."""
    from icalendar.parser.content_line import NEWLINE, UFOLD

    breaks = breaks or _Breaks(data)
    if not breaks.cr:  # LF alone (or no line break)
        if b"\n\n" not in data:
            return _unfolded(data, (b"\n ", b"\n\t")).split(b"\n")
    elif breaks.cr == breaks.lf == breaks.crlf:  # CRLF alone: each CR before an LF
        if b"\r\n\r\n" not in data:
            return _unfolded(data, (b"\r\n ", b"\r\n\t")).split(b"\r\n")
    elif b"\n\n" not in data and b"\n\r\n" not in data and b"\r\r" not in data:
        lines = _unfolded(data, (b"\r\n ", b"\r\n\t", b"\n ", b"\n\t")).split(b"\n")
        return [line.removesuffix(b"\r") for line in lines[:-1]] + lines[-1:]
    return [line.encode() for line in NEWLINE.split(UFOLD.sub("", data.decode()))]


def _unfolded(data: bytes, folds: tuple[bytes, ...]) -> bytes:
    for fold in folds:
        data = data.replace(fold, b"")
    return data


def begin_lines_of_text(text: str) -> list[int]:
    """The number of each line that reads BEGIN:VEVENT (a VEVENT's place in the file)."""
    return [
        i + 1 for i, line in enumerate(text.splitlines()) if line.strip().upper() == "BEGIN:VEVENT"
    ]


_WIDE_BREAKS: Final = (re.compile(b"\xc2\x85"), re.compile(b"\xe2\x80[\xa8\xa9]"))
"""U+0085, U+2028 and U+2029 as UTF-8, where `str.splitlines` breaks lines too (two
searches, each from a literal: a third of the time of one alternation, or of `in`)."""
_PART: Final = 1 << 24


def begin_lines_of_bytes(data: bytes, breaks: _Breaks | None = None) -> list[int]:
    """begin_lines_of_text, found in the bytes where lines break at LF and CRLF alone
    (else from the text). A line whose text upper-cases to BEGIN:VEVENT holds
    `n:vevent` in any ASCII case (`ı`.upper() is I, but no character's upper case is N):
    each such line is read as begin_lines_of_text reads it."""
    breaks = breaks or _Breaks(data)
    if breaks.controls or breaks.cr != breaks.crlf or any(w.search(data) for w in _WIDE_BREAKS):
        return begin_lines_of_text(data.decode())
    found: list[int] = []
    line, counted = 1, 0
    for at in _ascii_case_free(data, b"n:vevent"):
        start = data.rfind(b"\n", 0, at) + 1
        end = data.find(b"\n", at)
        text = data[start : None if end < 0 else end].decode()
        if text.strip().upper() == "BEGIN:VEVENT":
            line += data.count(b"\n", counted, start)
            counted = start
            found.append(line)
    return found


def _ascii_case_free(data: bytes, lower: bytes) -> Iterator[int]:
    """Where `lower` is in `data` with its ASCII letters in any case (lowered a part at a
    time: no copy of the whole file)."""
    overlap = len(lower) - 1
    for first in range(0, len(data), _PART):
        part = data[first : first + _PART + overlap].lower()
        at = part.find(lower)
        while at >= 0:  # none starts in the overlap: it is one byte short of one
            yield first + at
            at = part.find(lower, at + 1)


def _document(calendar: Properties) -> dict[str, Any]:
    document: dict[str, Any] = {}
    name = _raw(calendar, b"X-WR-CALNAME")
    if name:
        document["title"] = name.decode()
    description = _raw(calendar, b"X-WR-CALDESC")
    if description:
        document["description"] = description.decode()
    own = json_value(_raw(calendar, _FILE_RECORD))
    if isinstance(own, dict):
        document = {key: value for key, value in own.items() if key != "events"}
    return document


def _event(component: Properties, index: int) -> dict[str, Any]:
    from .ical_events import event_of

    record = json_value(_raw(component, _RECORD))
    if record is not None:
        return record  # type: ignore[no-any-return]
    if b"DURATION" in component:
        raise _NotQuick
    for name, values in component.items():
        if name in _READ and (len(values) > 1 or (values[0][0] and name not in _DATES)):
            raise _NotQuick

    def text(name: bytes) -> str:
        values = component.get(name)
        return unescaped(values[0][1].decode()) if values else ""

    geo = None
    if b"GEO" in component:
        found = _GEO.fullmatch(component[b"GEO"][0][1])
        if found is None:
            raise _NotQuick
        geo = (float(found[1]), float(found[2]))
    start, end = _when(component, b"DTSTART"), _when(component, b"DTEND")
    categories = component.get(b"CATEGORIES")
    return event_of(
        index,
        uid=text(b"UID"),
        start=start,
        end=end,
        title=text(b"SUMMARY"),
        description=text(b"DESCRIPTION"),
        location=text(b"LOCATION"),
        geo=geo,
        categories=None if categories is None else _categories(categories),
        url=text(b"URL"),
    )


def _when(component: Properties, name: bytes) -> date | datetime | None:
    values = component.get(name)
    if not values:
        return None
    parameters, value = values[0]
    try:
        if parameters in (b"", b";VALUE=DATE") and (found := _DATE.fullmatch(value)):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if parameters in (b"", b";VALUE=DATE-TIME") and (found := _TIME.fullmatch(value)):
            year, month, day, hour, minute, second = (int(found[i]) for i in range(1, 7))
            zone = UTC if found[7] else None
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:  # no such day: the library calls it broken
        raise _NotQuick from None
    raise _NotQuick


def unescaped(raw: str) -> str:
    """The library's `unescape_backslash` (one regex substitution, a Python call a match),
    done by `str.replace` where they agree: with no escaped backslash, no escape is part
    of another, nor does taking one out make another."""
    if "\\" not in raw:
        return raw
    if "\\\\" in raw:
        from icalendar.parser.property import unescape_backslash

        return unescape_backslash(raw)  # type: ignore[no-any-return]
    for escape, character in _ESCAPES:
        raw = raw.replace(escape, character)
    return raw


_ESCAPES: Final = (("\\,", ","), ("\\;", ";"), ("\\:", ":"), ("\\n", "\n"), ("\\N", "\n"))


def split_categories(raw: str) -> list[str]:
    """The library's `split_on_unescaped_comma` (a Python loop a character), done by
    `str.split` where there is no escape."""
    if "\\" not in raw:
        return raw.split(",")
    from icalendar.parser.property import split_on_unescaped_comma

    return split_on_unescaped_comma(raw)


def _categories(values: list[tuple[bytes, bytes]]) -> list[str]:
    try:  # as the library's vCategory holds them: its vText of a str is the str
        return [part for _, raw in values for part in split_categories(raw.decode())]
    except ValueError:  # the library keeps it as broken
        raise _NotQuick from None


def _raw(properties: Properties, name: bytes) -> bytes | None:
    """An X- property's value: the library leaves it as written."""
    values = properties.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise _NotQuick
    return values[0][1]


def json_value(value: object) -> Any:
    """An X- property's JSON (our record), or None: as `json.loads` reads it, by msgspec
    where they agree (what msgspec refuses, NaN or a lone surrogate, json reads). Both
    routes read records with it."""
    if value is None:
        return None
    text = value if isinstance(value, bytes) else str(value)  # ours, or the library's vUnknown
    try:
        return _decode(text)
    except msgspec.DecodeError:
        return _json_loads(text.decode() if isinstance(text, bytes) else text)


def _json_loads(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return None
