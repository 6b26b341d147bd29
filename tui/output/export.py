"""Writing events out: our own JSON (a valid event file), Markdown and CSV."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import IO, Any, Final

import msgspec

from ..model.dates import DateError, parse_when
from ..model.events import STATUS_LABELS, Event, Source, SourceRef, Timeline
from ..model.text import plural
from .headings import heading_text, headings

CSV_CHUNK: Final = 10_000
CSV_COLUMNS: Final = (
    "id",
    "date",
    "reported",
    "status",
    "title",
    "summary",
    "kind",
    "tags",
    "actors",
    "place",
    "lat",
    "lon",
    "claimed_by",
    "sources",
    "related",
    "notes",
    "extra",
    "record",
    "publisher",
    "url",
)
"""`extra`: the event's unknown keys as a JSON object. `record`: empty for an event;
`title` for the row of the file's title (`title`), description (`summary`) and unknown
keys (`extra`); `source` for each of its named sources (`id` the key, `title`, `date`
the published date, `publisher`, `url`, `extra`). So the whole file reads back."""
LIST_JOINER: Final = "; "


def event_document(event: Event) -> dict[str, Any]:
    """The event as it is written in an event file, unknown keys last."""
    doc: dict[str, Any] = {"id": event.id, "date": event.date.to_text(), "title": event.title}
    if event.summary is not None:
        doc["summary"] = event.summary
    if event.kind is not None:
        doc["kind"] = event.kind
    if event.tags:
        doc["tags"] = list(event.tags)
    if event.actors:
        doc["actors"] = list(event.actors)
    if event.place is not None:
        place: dict[str, Any] = {"name": event.place.name}
        if event.place.lat is not None:
            place["lat"] = event.place.lat
        if event.place.lon is not None:
            place["lon"] = event.place.lon
        doc["place"] = place
    if event.reported is not None:
        doc["reported"] = event.reported.to_text()
    if event.status is not None:
        doc["status"] = event.status.value
    if event.claimed_by:
        doc["claimed_by"] = list(event.claimed_by)
    if event.sources:
        doc["sources"] = _source_documents(event)
    if event.related:
        doc["related"] = [{"id": r.id, "rel": r.rel} for r in event.related]
    if event.notes is not None:
        doc["notes"] = event.notes
    for key, value in (event.extra or {}).items():
        doc.setdefault(key, value)
    return doc


def source_document(source: Source) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": source.title,
        "published": source.published,
        "publisher": source.publisher,
        "url": source.url,
    }
    doc.update({k: v for k, v in (source.extra or {}).items() if k not in doc})
    return doc


def file_document(timeline: Timeline) -> dict[str, Any]:
    """Everything in the file but its events: title, description, named sources and
    unknown keys. Formats that are a list of events carry it alongside."""
    doc: dict[str, Any] = {}
    if timeline.title is not None:
        doc["title"] = timeline.title
    if timeline.description is not None:
        doc["description"] = timeline.description
    if timeline.sources:
        doc["sources"] = {key: source_document(s) for key, s in timeline.sources.items()}
    for key, value in timeline.extra.items():
        doc.setdefault(key, value)
    return doc


def timeline_document(timeline: Timeline, positions: Sequence[int]) -> dict[str, Any]:
    doc = file_document(timeline)
    doc["events"] = [event_document(timeline[i]) for i in positions]
    return doc


# json.dumps escapes C0 controls but writes C1 controls and bidi overrides
# raw; escaped, the JSON is the same and no terminal acts on them.
_JSON_ESCAPES: Final = {
    c: f"\\u{c:04x}"
    for c in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), 0x2066, 0x2067, 0x2068, 0x2069]
}


def write_json(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> None:
    import json

    text = json.dumps(timeline_document(timeline, positions), ensure_ascii=False, indent=2)
    out.write(inert(text))
    out.write("\n")


def write_timelinejs(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> None:
    import json

    from ..formats.timelinejs import to_document

    text = json.dumps(to_document(timeline, positions), ensure_ascii=False, indent=2)
    out.write(text.translate(_JSON_ESCAPES))
    out.write("\n")


def write_csv(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> None:
    """One row per event; list fields joined with "; ", sources and relations as JSON
    lists (a spreadsheet shows them as text, and reading the CSV back loses nothing).

    Rows are joined here rather than by the csv module, which takes ten
    microseconds a row: a row whose fields hold no comma, quote or line break is
    the fields joined by commas; only the others go through `_quoted`."""
    out.write(",".join(CSV_COLUMNS) + "\n")
    lines = [",".join(map(_quoted, fields)) for fields in _csv_file_rows(timeline)]
    for event in map(timeline.__getitem__, positions):
        fields = _csv_fields(event)
        line = ",".join(fields)
        if line.count(",") != len(fields) - 1 or '"' in line or "\n" in line or "\r" in line:
            line = ",".join(map(_quoted, fields))
        lines.append(line)
        if len(lines) >= CSV_CHUNK:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")


def _quoted(field: str) -> str:
    if "," in field or '"' in field or "\n" in field or "\r" in field:
        return '"' + field.replace('"', '""') + '"'
    return field


def _csv_fields(event: Event) -> tuple[str, ...]:
    place = event.place
    return (
        event.id,
        event.date.to_text(),
        event.reported.to_text() if event.reported else "",
        event.status.value if event.status is not None else "",
        event.title,
        event.summary or "",
        event.kind or "",
        _list_cell(event.tags),
        _list_cell(event.actors),
        place.name if place else "",
        "" if place is None or place.lat is None else repr(place.lat),
        "" if place is None or place.lon is None else repr(place.lon),
        _list_cell(event.claimed_by),
        _json(event.sources) if event.sources else "",
        _json(event.related) if event.related else "",
        event.notes or "",
        _json(event.extra) if event.extra else "",
        "",
        "",
        "",
    )


def _csv_file_rows(timeline: Timeline) -> Iterator[tuple[str, ...]]:
    """The rows of the file's own record (see CSV_COLUMNS)."""
    blank = dict.fromkeys(CSV_COLUMNS, "")
    if timeline.title is not None or timeline.description is not None or timeline.extra:
        row = blank | {
            "record": "title",
            "title": timeline.title or "",
            "summary": timeline.description or "",
            "extra": _json(timeline.extra) if timeline.extra else "",
        }
        yield tuple(row.values())
    for key, source in timeline.sources.items():
        row = blank | {
            "record": "source",
            "id": key,
            "title": source.title or "",
            "date": source.published or "",
            "publisher": source.publisher or "",
            "url": source.url or "",
            "extra": _json(source.extra) if source.extra else "",
        }
        yield tuple(row.values())


def _list_cell(values: Sequence[str]) -> str:
    """`pow; capture`, as a person would type it; as a JSON list when a value holds
    what would split it (`;` `|`) or starts like one, so it reads back the same."""
    if any(";" in v or "|" in v or v.startswith("[") for v in values):
        return _json(list(values))
    return LIST_JOINER.join(values)


def _json(value: object) -> str:
    return inert(msgspec.json.encode(value).decode())


def inert(json_text: str) -> str:
    """JSON text with the characters a terminal acts on escaped (see _JSON_ESCAPES):
    unknown keys are kept as found, so they may hold any."""
    return json_text if json_text.isascii() else json_text.translate(_JSON_ESCAPES)


def _source_documents(event: Event) -> list[dict[str, str]]:
    documents = []
    for ref in event.sources:
        document = {"ref": ref.ref, "quote": ref.quote, "title": ref.title, "url": ref.url}
        documents.append({k: v for k, v in document.items() if v is not None})
    return documents


_MARKDOWN_INLINE: Final = re.compile(r"([\\`*_\[\]<>~|])|&(?=#?\w+;)")
"""What starts emphasis, code, a link, HTML, strikethrough or a table cell; `&` only
before what would read as an entity. Parentheses need nothing once `[` is escaped."""
_MARKDOWN_BLOCK_START: Final = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([#>+=.)-])")
"""What makes a paragraph's first characters a heading, quote, list or underline."""


def md(text: str) -> str:
    """Data text made inert in Markdown (no emphasis, links, HTML or block from a data
    file), escaping only where Markdown would act, so the brief reads cleanly as text."""
    text = _MARKDOWN_INLINE.sub(lambda m: "\\" + (m.group(1) or "&"), text)
    return _MARKDOWN_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markdown_lines(
    timeline: Timeline, positions: Sequence[int], reverse: bool = False, query: str = ""
) -> Iterator[str]:
    """A brief: headings by year and month, one list item per event (its details as
    paragraphs within it), sources as footnotes; the filter that made it, if any."""
    events = [timeline[i] for i in positions]
    if reverse:
        events.reverse()
    yield f"# {md(timeline.title or 'Timeline')}"
    yield ""
    if timeline.description:
        yield md(" ".join(timeline.description.split()))
        yield ""
    if query.strip():
        count = f"{len(events)} of {plural(len(timeline), 'event')}"
        yield f"Filtered by `{query.strip().replace('`', '')}`: {count}."
        yield ""
    heading_before = {index: heading_text(year, month) for index, year, month in headings(events)}
    footnotes: list[str] = []
    for index, event in enumerate(events):
        heading = heading_before.get(index)
        if heading is not None:
            yield f"## {heading}"
            yield ""
        marks = ""
        for ref in event.sources:
            footnotes.append(_footnote(timeline, ref))
            marks += f"[^{len(footnotes)}]"
        status = STATUS_LABELS[event.status]
        yield f"- **{md(event.date.display())}** · {status} · {md(event.title)}{marks}"
        details = []
        if event.claimed_by:
            details.append("by " + md(", ".join(event.claimed_by)))
        if event.reported is not None and event.reported_differs:
            details.append("known " + md(event.reported.display()))
        if event.place is not None:
            details.append(md(event.place.name))
        paragraphs = [" · ".join(details)] if details else []
        if event.summary:
            paragraphs.append(md(" ".join(event.summary.split())))
        if event.notes:
            paragraphs.append("*Note:* " + md(" ".join(event.notes.split())))
        for paragraph in paragraphs:
            yield ""
            yield "  " + paragraph
        yield ""
    if footnotes:
        for number, text in enumerate(footnotes, 1):
            yield f"[^{number}]: {text}"


def _footnote(timeline: Timeline, ref: SourceRef) -> str:
    """`Title, Publisher, 13 Jan 2025: "quote" <url>`: what a reader needs to find it."""
    named = timeline.named_source(ref)
    parts = [timeline.source_label(ref)]
    if named is not None and named.publisher:
        parts.append(named.publisher)
    if named is not None and named.published:
        parts.append(_published(named.published))
    text = md(", ".join(parts))
    if ref.quote:
        text += f': "{md(ref.quote)}"'
    url = timeline.source_url(ref)
    if url:
        text += f" <{url.replace('>', '%3E').replace(' ', '%20')}>"
    return text


def _published(text: str) -> str:
    """A source's date as shown (`c. 13 Jan 2025`), or as written if it is not one."""
    try:
        return parse_when(text).display()
    except DateError:
        return text
