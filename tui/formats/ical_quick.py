"""The common shape of an iCalendar file, read without building the `icalendar`
library's objects: at about a millisecond an event, the library takes minutes over a
large calendar.

The shape: one VCALENDAR of VEVENTs, each content line a name and simple parameters;
DTSTART and DTEND a date, a floating time or a time in UTC; no DURATION; no property
that the reader uses given twice (CATEGORIES aside). Everything else, and anything the
library would read as broken, is left to the library: `read` says None and the caller
reads the whole file as before. The same file gives the same events either way (a
hypothesis test compares them); the library's own helpers unfold, unescape and split
the values, so that they agree.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any, Final

import msgspec

_LINE: Final = re.compile(r"([A-Z0-9-]+)((?:;[A-Za-z0-9-]+=[^\";:,\\]*)*):(.*)", re.DOTALL)
"""A content line whose name and parameters hold nothing to unescape or quote."""
_DATE: Final = re.compile(r"(\d{4})(\d\d)(\d\d)")
_TIME: Final = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(Z?)")
_NUMBER: Final = r"[+-]?\d+(?:\.\d+)?"
_GEO: Final = re.compile(f"({_NUMBER});({_NUMBER})")
_READ: Final = frozenset(
    {"UID", "SUMMARY", "DESCRIPTION", "LOCATION", "GEO", "URL", "DTSTART", "DTEND"}
)
_decode: Final = msgspec.json.Decoder().decode
_DATES: Final = ("DTSTART", "DTEND")
"""The read properties that may have a parameter (VALUE)."""
_RECORD: Final = "X-TIMELINE-EVENT"
_FILE_RECORD: Final = "X-TIMELINE-FILE"

Properties = dict[str, list[tuple[str, str]]]
"""A component's properties: name to (parameters, raw value), in order."""


class _NotQuick(Exception):
    """Left to the library."""


def read(text: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """The calendar's document (without its events) and its events, or None when the
    file is not of the common shape."""
    lines = [line for line in _content_lines(text) if line]
    if len(lines) < 2 or lines[0] != "BEGIN:VCALENDAR" or lines[-1] != "END:VCALENDAR":
        return None
    calendar: Properties = {}
    components: list[Properties] = []
    current: Properties | None = None
    match = _LINE.fullmatch
    for line in lines[1:-1]:
        found = match(line)
        if found is None:
            return None
        name, parameters, value = found.groups()
        if name == "BEGIN":
            if value != "VEVENT" or current is not None:
                return None
            current = {}
        elif name == "END":
            if value != "VEVENT" or current is None:
                return None
            components.append(current)
            current = None
        elif current is not None:
            current.setdefault(name, []).append((parameters, value))
        elif name.startswith("X-") or _reads_on_a_calendar(line):
            calendar.setdefault(name, []).append((parameters, value))
        else:
            return None
    if current is not None:
        return None
    try:
        document = _document(calendar)
        events = [_event(component, index) for index, component in enumerate(components)]
    except _NotQuick:
        return None
    return document, events


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


def _content_lines(text: str) -> list[str]:
    """The library's unfolding and splitting, done by `str` methods where they agree.
    With no empty line in the text, the library's fold (a line break, any empty lines,
    a space or tab) is a line break and a space or tab; with no two carriage returns in
    a row, taking the folds out one kind at a time joins no new one."""
    from icalendar.parser.content_line import NEWLINE, UFOLD

    if "\n\n" in text or "\n\r\n" in text or "\r\r" in text:
        return NEWLINE.split(UFOLD.sub("", text))
    for fold in ("\r\n ", "\r\n\t", "\n ", "\n\t"):
        text = text.replace(fold, "")
    return [line.removesuffix("\r") for line in text.split("\n")]


def _document(calendar: Properties) -> dict[str, Any]:
    document: dict[str, Any] = {}
    name = _raw(calendar, "X-WR-CALNAME")
    if name:
        document["title"] = name
    description = _raw(calendar, "X-WR-CALDESC")
    if description:
        document["description"] = description
    own = json_value(_raw(calendar, _FILE_RECORD))
    if isinstance(own, dict):
        document = {key: value for key, value in own.items() if key != "events"}
    return document


def _event(component: Properties, index: int) -> dict[str, Any]:
    from icalendar.parser.property import unescape_backslash

    from .ical_events import event_of

    record = json_value(_raw(component, _RECORD))
    if record is not None:
        return record  # type: ignore[no-any-return]
    if "DURATION" in component:
        raise _NotQuick
    for name, values in component.items():
        if name in _READ and (len(values) > 1 or (values[0][0] and name not in _DATES)):
            raise _NotQuick

    def text(name: str) -> str:
        values = component.get(name)
        if not values:
            return ""
        raw = values[0][1]
        return unescape_backslash(raw) if "\\" in raw else raw

    geo = None
    if "GEO" in component:
        found = _GEO.fullmatch(component["GEO"][0][1])
        if found is None:
            raise _NotQuick
        geo = (float(found[1]), float(found[2]))
    start, end = _when(component, "DTSTART"), _when(component, "DTEND")
    return event_of(
        index,
        uid=text("UID"),
        start=start,
        end=end,
        title=text("SUMMARY"),
        description=text("DESCRIPTION"),
        location=text("LOCATION"),
        geo=geo,
        categories=_categories(component["CATEGORIES"]) if "CATEGORIES" in component else None,
        url=text("URL"),
    )


def _when(component: Properties, name: str) -> date | datetime | None:
    values = component.get(name)
    if not values:
        return None
    parameters, value = values[0]
    try:
        if parameters in ("", ";VALUE=DATE") and (found := _DATE.fullmatch(value)):
            return date(int(found[1]), int(found[2]), int(found[3]))
        if parameters in ("", ";VALUE=DATE-TIME") and (found := _TIME.fullmatch(value)):
            year, month, day, hour, minute, second = (int(found[i]) for i in range(1, 7))
            zone = UTC if found[7] else None
            return datetime(year, month, day, hour, minute, second, tzinfo=zone)
    except ValueError:  # no such day: the library calls it broken
        raise _NotQuick from None
    raise _NotQuick


def _categories(values: list[tuple[str, str]]) -> list[str]:
    from icalendar.parser.property import split_on_unescaped_comma

    try:  # as the library's vCategory holds them: its vText of a str is the str
        return [part for _, raw in values for part in split_on_unescaped_comma(raw)]
    except ValueError:  # the library keeps it as broken
        raise _NotQuick from None


def _raw(properties: Properties, name: str) -> str | None:
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
    text = str(value)  # the library's vUnknown, or our own reader's text
    try:
        return _decode(text)
    except msgspec.DecodeError:
        return _json_loads(text)


def _json_loads(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return None
