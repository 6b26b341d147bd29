"""iCalendar (.ics), through the `icalendar` library, which handles line folding,
escaping and time zones better than our own code would.

Reading: each VEVENT becomes an event; an all-day DTSTART is a day, a timed
one a minute. Writing: day precision as all-day events, month and year
precision as all-day spans, uncertainty in the description; our own record
of each event rides along in an X- property so that a round trip is lossless.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import IO, Any, Final

from ..model.dates import DatePoint, Precision
from ..model.events import Event, Timeline
from ..model.problems import Problem, Severity
from ..model.text import clean_text, plural
from .base import Format, Imported, Origin
from .ical_events import event_of
from .ical_quick import begin_lines_of_text, json_value
from .ical_quick import read as read_quick

RECORD: Final = "X-TIMELINE-EVENT"
ICS_LAST_YEAR: Final = 9998
"""iCalendar dates run from year 1 to 9999, and an event in 9999 would end in 10000."""
FILE_RECORD: Final = "X-TIMELINE-FILE"
"""On the calendar: the file's title, description, named sources and unknown keys."""


def from_ics(data: bytes) -> Imported:
    """`data`: UTF-8, without a byte-order mark (the loader checks it)."""
    quick = read_quick(data)
    if quick is None:
        return _from_ics_library(data.decode())
    document, events, begin_lines = quick
    origins = [
        Origin(line=begin_lines[i] if i < len(begin_lines) else None, columns={})
        for i in range(len(events))
    ]
    document["events"] = events
    return Imported(document, origins, [], format="ics")


def _from_ics_library(text: str) -> Imported:
    import icalendar

    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as exc:
        return Imported(
            {"events": []},
            [],
            [Problem(Severity.ERROR, f"not a readable iCalendar file: {exc}", line=1, column=1)],
        )
    begin_lines = begin_lines_of_text(text)
    document: dict[str, Any] = {}
    name = calendar.get("X-WR-CALNAME")
    if name:
        document["title"] = str(name)
    description = calendar.get("X-WR-CALDESC")
    if description:
        document["description"] = str(description)
    own = json_value(calendar.get(FILE_RECORD))
    if isinstance(own, dict):
        document = {key: value for key, value in own.items() if key != "events"}
    events: list[dict[str, Any]] = []
    origins: list[Origin] = []
    problems: list[Problem] = []
    for index, component in enumerate(calendar.walk("VEVENT")):
        line = begin_lines[index] if index < len(begin_lines) else None
        origins.append(Origin(line=line, columns={}))
        record = _own_record(component)
        if record is not None:
            events.append(record)
            continue
        broken = _broken_property(component)
        if broken is not None:
            message = f"event {index + 1}: {broken}"
            problems.append(Problem(Severity.ERROR, message, line=line or 1, column=1))
            origins.pop()
            continue
        for name in _TEXTS:
            values = component.get(name)
            if isinstance(values, list):  # the library's list of each: not a text
                message = f"event {index + 1}: {name} is given {_times(values)}; the first is used"
                problems.append(Problem(Severity.WARNING, message, line=line or 1, column=1))
        events.append(vevent(component, index))
    document["events"] = events
    return Imported(document, origins, problems, format="ics")


def _own_record(component: Any) -> Any:
    """The event as our own export wrote it alongside (see RECORD), if it did."""
    return json_value(component.get(RECORD))


_READ_PROPERTIES: Final = ("DTSTART", "DTEND", "DURATION", "GEO")
"""The properties whose values are read (icalendar parses them on first access)."""


def _broken_property(component: Any) -> str | None:
    """What is wrong with a property this reader uses, if one can't be read."""
    from icalendar.prop import vBroken, vGeo

    for name in _READ_PROPERTIES:
        value = component.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            return f"{name} is given {_times(value)}; an event has one"
        if isinstance(value, vBroken):
            readable = False
        elif name == "GEO":
            readable = isinstance(value, vGeo)
        else:  # a date or time (a time of day alone, or a period, is not one); a duration
            kind = timedelta if name == "DURATION" else date
            readable = isinstance(getattr(value, "dt", None), kind)
        if not readable:
            shown = clean_text(_as_written(value))[:40]
            return f'{name} "{shown}" is not a valid {name} value'
    return None


_TEXTS: Final = ("UID", "SUMMARY", "DESCRIPTION", "LOCATION", "URL")
"""The texts an event reads, each once in a VEVENT (RFC 5545)."""


def _times(values: list[Any]) -> str:
    shown = ", ".join(f'"{clean_text(_as_written(item))[:40]}"' for item in values)
    return f"{len(values)} times ({shown})"


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) else value


def _as_written(value: Any) -> str:
    from icalendar.prop import vBroken

    if isinstance(value, vBroken):
        return str(value)
    try:
        written = value.to_ical()
        return written.decode("utf-8") if isinstance(written, bytes) else str(written)
    except (AttributeError, ValueError, TypeError):
        return str(getattr(value, "dt", value))


def vevent(component: Any, index: int) -> dict[str, Any]:
    start = component.get("DTSTART")
    end = component.get("DTEND")
    duration = component.get("DURATION")
    start_value = start.dt if start is not None else None
    if end is None and start is not None and duration is not None:
        end_value = start.dt + duration.dt
    else:
        end_value = end.dt if end is not None else None
    geo = component.get("GEO")
    categories = component.get("CATEGORIES")
    text = {name: str(_first(component.get(name)) or "") for name in _TEXTS}
    return event_of(
        index,
        uid=text["UID"],
        start=start_value,
        end=end_value,
        title=text["SUMMARY"],
        description=text["DESCRIPTION"],
        location=text["LOCATION"],
        geo=None if geo is None else (float(geo.latitude), float(geo.longitude)),
        categories=None if categories is None else _categories(categories),
        url=text["URL"],
    )


def _categories(categories: Any) -> list[str]:
    groups = categories if isinstance(categories, list) else [categories]
    return [str(c) for group in groups for c in getattr(group, "cats", [group])]


# Writing


def _ics_date(point: DatePoint) -> date:
    return date(point.year, point.month or 1, point.day or 1)


def _after(point: DatePoint) -> date:
    """The exclusive all-day end of a point at its precision."""
    if point.precision == Precision.YEAR:
        return date(point.year + 1, 1, 1)
    if point.precision == Precision.MONTH:
        assert point.month is not None
        return date(point.year + (point.month == 12), point.month % 12 + 1, 1)
    return _ics_date(point) + timedelta(days=1)


def _moment(point: DatePoint) -> datetime:
    from datetime import timezone

    tz = None if point.tz_minutes is None else timezone(timedelta(minutes=point.tz_minutes))
    moment = datetime(
        point.year,
        point.month or 1,
        point.day or 1,
        point.hour or 0,
        point.minute or 0,
        point.second or 0,
        tzinfo=tz,
    )
    # In UTC (`…Z`): an offset is no time zone, and a TZID needs a VTIMEZONE to define
    # it. A time written without an offset stays floating, as iCalendar allows.
    return moment if tz is None else moment.astimezone(UTC)


def to_calendar(timeline: Timeline, positions: Sequence[int]) -> tuple[bytes, list[str]]:
    """The .ics bytes, and what could not be written (dates outside years 1 to 9998)."""
    import icalendar

    from ..model.describe import event_as_text
    from .timeline import event_document, file_document, inert

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//timeline//timeline//EN")
    calendar.add("version", "2.0")
    if timeline.title:
        calendar.add("x-wr-calname", timeline.title)
    if timeline.description:
        calendar.add("x-wr-caldesc", icalendar.vText(timeline.description))
    own = file_document(timeline)
    if own:
        calendar.add(FILE_RECORD, inert(json.dumps(own, ensure_ascii=False)))
    skipped: list[str] = []
    for event in timeline.events_at(positions):
        points = [p for p in (event.date.start, event.date.end) if p is not None]
        if any(not 1 <= p.year <= ICS_LAST_YEAR for p in points):
            skipped.append(event.id)
            continue
        component = icalendar.Event()
        component.add("uid", f"{event.id}@timeline")
        component.add("summary", event.title)
        try:
            add_dates(component, event)
        except OverflowError:  # in UTC, a time at the edge of year 1 is before it
            skipped.append(event.id)
            continue
        component.add("description", event_as_text(timeline, event))
        if event.place is not None:
            component.add("location", event.place.name)
            if event.place.lat is not None and event.place.lon is not None:
                component.add("geo", (event.place.lat, event.place.lon))
        if event.tags:
            component.add("categories", list(event.tags))
        url = next((timeline.source_url(r) for r in event.sources if timeline.source_url(r)), None)
        if url:
            component.add("url", url)
        component.add(RECORD, inert(json.dumps(event_document(event), ensure_ascii=False)))
        component.add("dtstamp", datetime(2000, 1, 1))
        calendar.add_component(component)
    return calendar.to_ical(), skipped


def add_dates(component: Any, event: Event) -> None:
    start = event.date.start or event.date.end
    end = event.date.end or event.date.start
    assert start is not None and end is not None
    if start.hour is not None:
        component.add("dtstart", _moment(start))
        if end is not start and end.hour is not None:
            component.add("dtend", _moment(end))
        return
    component.add("dtstart", _ics_date(start))
    component.add("dtend", _after(end if end.hour is None else start))


def _sniff(head: bytes, columns: set[str]) -> bool:
    return head[:15].upper() == b"BEGIN:VCALENDAR"


def _write(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> list[str]:
    data, skipped = to_calendar(timeline, positions)
    out.write(data.decode("utf-8"))
    if not skipped:
        return []
    return [
        f"left out {plural(len(skipped), 'event')} dated before year 1 or after 9998, which"
        " iCalendar cannot hold: " + ", ".join(skipped[:10])
    ]


FORMAT: Final = Format(
    "ics",
    "iCalendar (.ics): calendars' events",
    read=from_ics,
    utf8=True,
    write=_write,
    sniff=_sniff,
    rank=10,
)
