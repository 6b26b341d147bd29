"""A VEVENT's values as our event, however they were read (the `icalendar` library's
objects, or ical_quick's own line reader)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from typing import Any


def _point_text(value: date | datetime) -> str:
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%dT%H:%M")
        offset = value.utcoffset()
        if offset is not None:
            minutes = int(offset.total_seconds() // 60)
            hours, mins = divmod(abs(minutes), 60)
            text += "Z" if minutes == 0 else f"{'+' if minutes > 0 else '-'}{hours:02d}:{mins:02d}"
        return text
    return value.strftime("%Y-%m-%d")


def event_date(start: date | datetime, end: date | datetime | None) -> str:
    """DTEND of an all-day event is exclusive: 9 Jan to 10 Jan is the 9th alone."""
    first = _point_text(start)
    if end is None:
        return first
    if not isinstance(end, datetime) and not isinstance(start, datetime):
        end = end - timedelta(days=1) if end > start else start
    last = _point_text(end)
    return first if last == first else f"{first}/{last}"


def event_of(
    index: int,
    *,
    uid: str,
    start: date | datetime | None,
    end: date | datetime | None,
    title: str,
    description: str,
    location: str,
    geo: tuple[float, float] | None,
    categories: list[str] | None,
    url: str,
) -> dict[str, Any]:
    """An event from a VEVENT's values (an empty text: the property is absent or empty),
    however they were read."""
    uid = uid or f"event-{index + 1}"
    event: dict[str, Any] = {
        "id": uid.split("@")[0] if uid.endswith("@timeline") else uid,
        "date": event_date(start, end) if start is not None else None,
        "title": title or f"(untitled event {index + 1})",
    }
    if description:
        event["summary"] = description
    if location or geo is not None:
        place: dict[str, Any] = {"name": location}
        if geo is not None:
            for key, number in zip(("lat", "lon"), geo, strict=True):
                place[key] = number if math.isfinite(number) else str(number)
        event["place"] = place
    if categories is not None:
        event["tags"] = categories
    if url:
        event["sources"] = [{"url": url}]
    return event
