"""Our own format: the event file of DESIGN.md §1, as JSON. Read by the loader itself
(tui/model/loading.py: a fast typed path, and the validating one); written here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any, Final

import msgspec

from ..model.events import Event, Extra, Source, StatusChange, Timeline
from .base import Format


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
        doc["place"] = with_extra(place, event.place.extra)
    if event.reported is not None:
        doc["reported"] = event.reported.to_text()
    if event.status is not None:
        doc["status"] = event.status.value
    if event.claimed_by:
        doc["claimed_by"] = list(event.claimed_by)
    if event.sources:
        doc["sources"] = source_documents(event)
    if event.related:
        doc["related"] = relation_documents(event)
    if event.notes is not None:
        doc["notes"] = event.notes
    if event.history:
        doc["history"] = [change_document(change) for change in event.history]
    return with_extra(doc, event.extra)


def with_extra(doc: dict[str, Any], extra: Extra) -> dict[str, Any]:
    """`doc` with the unknown keys it was read with, after its own (a key of ours wins)."""
    for key, value in (extra or {}).items():
        doc.setdefault(key, value)
    return doc


def relation_documents(event: Event) -> list[dict[str, Any]]:
    return [with_extra({"id": r.id, "rel": r.rel}, r.extra) for r in event.related]


def change_document(change: StatusChange) -> dict[str, Any]:
    doc: dict[str, Any] = {"date": change.date.to_text()}
    if change.status is not None:
        doc["status"] = change.status.value
    if change.by:
        doc["by"] = list(change.by)
    if change.note is not None:
        doc["note"] = change.note
    return with_extra(doc, change.extra)


def source_document(source: Source) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "title": source.title,
        "published": source.published,
        "publisher": source.publisher,
        "url": source.url,
    }
    provenance = {
        "reliability": source.reliability,
        "archived": source.archived,
        "captured": source.captured,
        "sha256": source.sha256,
    }
    doc.update({k: v for k, v in provenance.items() if v is not None})
    return with_extra(doc, source.extra)


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
    doc["events"] = [event_document(event) for event in timeline.events_at(positions)]
    return doc


# json.dumps escapes C0 controls but writes C1 controls and bidi overrides
# raw; escaped, the JSON is the same and no terminal acts on them.
_JSON_ESCAPES: Final = {
    c: f"\\u{c:04x}"
    for c in [*range(0x7F, 0xA0), *range(0x202A, 0x202F), 0x2066, 0x2067, 0x2068, 0x2069]
}


def write_json(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> list[str]:
    import json

    text = json.dumps(timeline_document(timeline, positions), ensure_ascii=False, indent=2)
    out.write(inert(text))
    out.write("\n")
    return []  # nothing left out: the format holds everything


def json_text(value: object) -> str:
    return inert(msgspec.json.encode(value).decode())


def inert(json_text: str) -> str:
    """JSON text with the characters a terminal acts on escaped (see _JSON_ESCAPES):
    unknown keys are kept as found, so they may hold any."""
    return json_text if json_text.isascii() else json_text.translate(_JSON_ESCAPES)


def source_documents(event: Event) -> list[dict[str, Any]]:
    """The event's citations as written (the JSON of the CSV's `sources` cell too)."""
    documents = []
    for ref in event.sources:
        document = {
            "ref": ref.ref,
            "quote": ref.quote,
            "title": ref.title,
            "url": ref.url,
            "credibility": ref.credibility,
        }
        documents.append(
            with_extra({k: v for k, v in document.items() if v is not None}, ref.extra)
        )
    return documents


FORMAT: Final = Format(
    "timeline",
    "our event file (DESIGN.md §1), JSON",
    write=write_json,
    written_as="json",
    rank=20,  # no sniffer: what no other format takes is read as ours, which says why not
)
