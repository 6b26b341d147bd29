"""TimelineJS3: its JSON (read and written) and the parts its spreadsheet shares.

TimelineJS dates are objects of parts (`year`, `month`, `day`, `hour`,
`minute`, `second`) that may be numbers, strings or empty strings; the parts
present give the precision. Text fields are HTML.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import IO, Any, Final

from ..model.dates import DatePoint, Precision
from ..model.events import STATUS_LABELS, STATUS_MEANINGS, Event, Timeline
from .base import Format, Imported, Origin
from .html import html_to_text
from .timeline import event_document, file_document, inert

DATE_PARTS: Final = ("year", "month", "day", "hour", "minute", "second")
RECORD: Final = "x_timeline"
FILE_RECORD: Final = "x_timeline_file"
"""On the document: the file's title, description, named sources and unknown keys
(TimelineJS ignores keys it does not know)."""
"""A slide key (TimelineJS ignores unknown keys) holding our own record of the
event, so that our JSON → TimelineJS → our JSON loses nothing."""
EVENT_KEYS: Final = frozenset(
    {
        "start_date",
        "end_date",
        "text",
        "media",
        "group",
        "unique_id",
        "display_date",
        "type",
        RECORD,
    }
)


def part(value: Any) -> str:
    """A date part as text: numbers and strings alike, "" for absent."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def date_text(parts: dict[str, Any]) -> str:
    """Our EDTF form of a TimelineJS date object, at the precision of its parts.

    Parts that are not numbers are passed on as written, so the loader's
    date check reports them (`expected a month (2 digits), found 'Dec'`).
    """
    year, month, day, hour, minute, second = (part(parts.get(name)) for name in DATE_PARTS)
    if not year:
        return ""
    text = _padded(year, 4, signed=True)
    if month:
        text += "-" + _padded(month, 2)
        if day:
            text += "-" + _padded(day, 2)
            if hour:
                text += f"T{_padded(hour, 2)}:{_padded(minute or '0', 2)}"
                if second:
                    text += ":" + _padded(second, 2)
    return text


def _padded(value: str, width: int, signed: bool = False) -> str:
    if re.fullmatch(r"-?\d+", value):
        number = int(value)
        if signed and number < 0:
            return f"-{abs(number):0{width}d}"
        return f"{number:0{width}d}"
    return value


def slug(text: str) -> str:
    return re.sub(r"[\W_]+", "-", text.lower()).strip("-")[:60]


class UsedIds(set[str]):
    """The ids given so far, and for each base made unique the suffix to try next: a base
    given again and again (slides or rows of one day and headline) no longer tries -2,
    -3, … each time (quadratic: 20,000 slides alike took 3.5 s). Ids are only added, so
    a suffix tried once stays taken."""

    def __init__(self, ids: Iterable[str] = ()) -> None:
        super().__init__(ids)
        self.next_suffix: dict[str, int] = {}


def unique(base: str, used: UsedIds) -> str:
    """`base`, or the first of `base-2`, `base-3`, … not used yet."""
    candidate = base
    if candidate in used:
        n = used.next_suffix.get(base, 2)
        while (candidate := f"{base}-{n}") in used:
            n += 1
        used.next_suffix[base] = n + 1
    used.add(candidate)
    return candidate


def media_source(media: Any) -> dict[str, str] | None:
    """`media` as a citation: a link with its credit, or quoted text (TimelineJS puts
    blockquotes in `media.url`)."""
    if not isinstance(media, dict):
        return None
    url = part(media.get("url"))
    credit = html_to_text(part(media.get("credit")))
    caption = html_to_text(part(media.get("caption")))
    source: dict[str, str] = {}
    if url.startswith(("http://", "https://")):
        source["url"] = url
    elif url:
        source["quote"] = html_to_text(url)
    if credit:
        source["title"] = credit
    if caption and "quote" not in source:
        source["quote"] = caption
    return source or None


def from_document(document: dict[str, Any]) -> Imported:
    """Read a TimelineJS3 JSON document (already decoded)."""
    result: dict[str, Any] = {}
    title = document.get("title")
    own = document.get(FILE_RECORD)
    if isinstance(own, dict):  # written by us: the whole file's record
        result = {key: value for key, value in own.items() if key != "events"}
    elif isinstance(title, dict) and isinstance(title.get("text"), dict):
        headline = html_to_text(part(title["text"].get("headline")))
        description = html_to_text(part(title["text"].get("text")))
        if headline:
            result["title"] = headline
        if description:
            result["description"] = description
    slides = document.get("events")
    if not isinstance(slides, list):
        # Not TimelineJS after all: the loader reports what `events` holds.
        return Imported({**result, "events": slides}, [], format="timelinejs")
    events: list[Any] = []
    origins: list[Origin] = []
    used = UsedIds()
    for index, slide in enumerate(slides):
        origins.append(
            Origin(
                path=("events", index),
                paths={
                    "date": ("events", index, "start_date"),
                    "title": ("events", index, "text", "headline"),
                    "id": ("events", index, "unique_id"),
                },
            )
        )
        if not isinstance(slide, dict):
            events.append(slide)  # the loader reports it
            continue
        events.append(slide_event(slide, index, used))
    result["events"] = events
    return Imported(result, origins, format="timelinejs")


def qualified(start: str, end: str, display: str) -> str:
    """Our date with the qualifiers that a `display_date` like `c. 9 Jan 2025?` states."""
    if not start:
        return start
    if display.startswith("from "):
        return f"{_qualify(start, display[5:])}/.."
    if display.startswith("until "):
        return f"../{_qualify(start, display[6:])}"
    if end and end != start:
        left, _, right = display.partition(" – ")
        return f"{_qualify(start, left)}/{_qualify(end, right or left)}"
    return _qualify(start, display)


def _qualify(date: str, display: str) -> str:
    approximate = display.startswith("c. ")
    uncertain = display.endswith("?")
    mark = "%" if approximate and uncertain else "~" if approximate else "?" if uncertain else ""
    return date + mark


def slide_event(slide: dict[str, Any], index: int, used: UsedIds) -> dict[str, Any]:
    record = slide.get(RECORD)
    if isinstance(record, dict):
        used.add(str(record.get("id")))
        return record
    text: dict[str, Any] = slide["text"] if isinstance(slide.get("text"), dict) else {}
    headline = html_to_text(part(text.get("headline")))
    body = html_to_text(part(text.get("text")))
    start = date_text(slide["start_date"]) if isinstance(slide.get("start_date"), dict) else ""
    end = date_text(slide["end_date"]) if isinstance(slide.get("end_date"), dict) else ""
    given_id = part(slide.get("unique_id"))
    display = part(slide.get("display_date")) or part(
        (slide.get("start_date") or {}).get("display_date")
    )
    event: dict[str, Any] = {
        "id": unique(given_id or slug(f"{start} {headline}") or f"event-{index + 1}", used),
        "date": qualified(start, end, display) if start else slide.get("start_date"),
        "title": headline or (body.split("\n")[0][:80] if body else f"(untitled {index + 1})"),
    }
    if body:
        event["summary"] = body
    group = part(slide.get("group"))
    if group:
        event["kind"] = group
    source = media_source(slide.get("media"))
    if source:
        event["sources"] = [source]
    if display:
        event["display_date"] = display
    for key, value in slide.items():
        if key not in EVENT_KEYS and key not in event:
            event[key] = value
    return event


# Writing TimelineJS


def date_object(point: DatePoint) -> dict[str, Any]:
    data: dict[str, Any] = {"year": point.year}
    if point.month is not None:
        data["month"] = point.month
    if point.day is not None:
        data["day"] = point.day
    if point.hour is not None:
        data["hour"] = point.hour
        data["minute"] = point.minute or 0
    if point.precision == Precision.SECOND:
        data["second"] = point.second
    return data


def _html(text: str) -> str:
    from html import escape

    return "<p>" + escape(text).replace("\n\n", "</p><p>").replace("\n", "<br>") + "</p>"


def to_document(timeline: Timeline, positions: Sequence[int]) -> dict[str, Any]:
    """A TimelineJS3 file: `display_date` carries our precision and uncertainty,
    `group` our `kind`; claims and status go in the text."""
    from html import escape

    events = []
    for event in timeline.events_at(positions):
        events.append(slide(timeline, event, escape))
    document: dict[str, Any] = {"events": events}
    own = file_document(timeline)
    if own:
        document[FILE_RECORD] = own
    if timeline.title or timeline.description:
        document["title"] = {
            "text": {
                "headline": escape(timeline.title or ""),
                "text": _html(timeline.description or ""),
            },
            "unique_id": "timeline-title",
        }
    return document


def slide(timeline: Timeline, event: Event, escape: Any) -> dict[str, Any]:

    date = event.date
    start = date.start or date.end
    assert start is not None
    data: dict[str, Any] = {
        "unique_id": event.id,
        "start_date": date_object(start),
        "display_date": date.display(),
        "text": {"headline": escape(event.title), "text": slide_text(timeline, event)},
        "group": event.kind or "",
    }
    if date.interval and date.end is not None and date.start is not None:
        data["end_date"] = date_object(date.end)
    url = next(
        (timeline.source_url(ref) for ref in event.sources if timeline.source_url(ref)), None
    )
    if url:
        first = next(ref for ref in event.sources if timeline.source_url(ref))
        data["media"] = {
            "url": url,
            "credit": escape(timeline.source_label(first)),
            "caption": escape(first.quote or ""),
        }
    data[RECORD] = event_document(event)
    return data


def slide_text(timeline: Timeline, event: Event) -> str:
    from html import escape

    status, meaning = STATUS_LABELS[event.status], STATUS_MEANINGS[event.status]
    lines = [f"<p><b>{escape(status)}</b> ({escape(meaning)})"]
    if event.claimed_by:
        lines[0] += f" · claimed by {escape(', '.join(event.claimed_by))}"
    if event.reported is not None and event.reported_differs:
        lines[0] += f" · known {escape(event.reported.display())}"
    lines[0] += "</p>"
    if event.summary:
        lines.append(_html(event.summary))
    for ref in event.sources:
        quote = f"“{escape(ref.quote)}” " if ref.quote else ""
        lines.append(f"<p>{quote}({escape(timeline.source_label(ref))})</p>")
    if event.notes:
        lines.append(_html(event.notes))
    return "".join(lines)


def write_timelinejs(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> list[str]:
    import json

    text = json.dumps(to_document(timeline, positions), ensure_ascii=False, indent=2)
    out.write(inert(text))
    out.write("\n")
    return []  # nothing left out: the format holds everything


FORMAT: Final = Format(
    "timelinejs",
    "TimelineJS's JSON (told from ours once decoded)",
    read=lambda document: from_document(
        document if isinstance(document, dict) else {"events": document}
    ),
    json=True,
    write=write_timelinejs,
    rank=21,
)
