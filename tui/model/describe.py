"""An event told in plain text: what `y` copies, and the facts the detail views show."""

from __future__ import annotations

from .events import STATUS_LABELS, STATUS_MEANINGS, Event, Timeline, independent_sources
from .provenance import grade_text, step_text


def date_line(event: Event, *, with_status: bool = True) -> str:
    """`9 Jan 2025 · known 11 Jan 2025 · reported`"""
    parts = [event.date.display()]
    if event.reported is not None and event.reported_differs:
        parts.append(f"known {event.reported.display()}")
    if with_status:
        parts.append(STATUS_LABELS[event.status])
    return " · ".join(parts)


def place_line(event: Event) -> str | None:
    if event.place is None:
        return None
    place = event.place
    if place.lat is not None and place.lon is not None:
        return f"{place.name} ({place.lat:.2f}, {place.lon:.2f})"
    return place.name


def event_as_text(timeline: Timeline, event: Event) -> str:
    """Everything about the event, for the clipboard or a note."""
    lines = [event.title, date_line(event) + f" ({STATUS_MEANINGS[event.status]})"]
    if event.claimed_by:
        lines.append("Claimed by: " + ", ".join(event.claimed_by))
    place = place_line(event)
    if place:
        lines.append("Place: " + place)
    if event.actors:
        lines.append("Actors: " + ", ".join(event.actors))
    if event.tags:
        lines.append("Tags: " + ", ".join(event.tags))
    if event.summary:
        lines += ["", event.summary]
    if event.sources:
        count = independent_sources(timeline, event)
        lines.append(f"Corroboration: {count} independent source{'s' if count != 1 else ''}")
    for ref in event.sources:
        label = timeline.source_label(ref)
        url = timeline.source_url(ref)
        quote = f'"{ref.quote}" ' if ref.quote else ""
        grade = grade_text(timeline, ref)
        named = timeline.named_source(ref)
        said = [label, *([grade] if grade else []), *([url] if url else [])]
        if named is not None and named.archived:
            said.append(f"archived {named.archived}")
        lines.append(f"Source: {quote}({', '.join(said)})")
    for change in event.history:
        note = f": {change.note}" if change.note else ""
        lines.append(f"History: {step_text(change)}{note}")
    if event.notes:
        lines += ["", "Notes: " + event.notes]
    lines.append(f"[id: {event.id}]")
    return "\n".join(lines)
