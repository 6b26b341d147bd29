"""ACLED exports (Armed Conflict Location & Event Data), as CSV: read only."""

from __future__ import annotations

from typing import Any, Final

from ..model.dates import DAY, civil_from_seconds, parse_when
from .base import Format, Imported, Origin
from .tabular import Row, coordinates, getter, origin, rows, split_list

ACLED_FIELDS: Final = {
    "id": "event_id_cnty",
    "date": "event_date",
    "kind": "event_type",
    "summary": "notes",
    "place": "location",
    "claimed_by": "source",
    "actors": "actor1",
}
ACLED_USED: Final = frozenset(
    {"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
     "actor1", "assoc_actor_1", "actor2", "assoc_actor_2", "admin1", "admin2", "admin3",
     "location", "country", "latitude", "longitude", "source", "notes", "fatalities", "tags",
     "disorder_type"}
)  # fmt: skip


def acled_date(value: str, precision: str) -> str:
    """ACLED's `time_precision`: 1 the day, 2 the week around the date, 3 only the month."""
    value = value.strip()
    if precision.strip() not in ("2", "3"):
        return value  # the day as written (the loader checks it)
    try:
        day = parse_when(value)
    except ValueError:
        return value  # the loader reports it
    if precision.strip() == "3":
        return value[:7]
    if precision.strip() == "2":
        start = civil_from_seconds(day.earliest - 3 * DAY)
        end = civil_from_seconds(day.earliest + 3 * DAY)
        return (
            f"{start[0]:04d}-{start[1]:02d}-{start[2]:02d}/{end[0]:04d}-{end[1]:02d}-{end[2]:02d}"
        )
    return value


def from_acled(text: str) -> Imported:
    events: list[dict[str, Any]] = []
    origins: list[Origin] = []
    for line, row, columns in rows(text):
        events.append(acled_event(row, line))
        origins.append(origin(line, columns, ACLED_FIELDS))
    return Imported({"title": ACLED_TITLE, "events": events}, origins, format="acled")


ACLED_TITLE: Final = "ACLED events"


def acled_event(row: Row, line: int) -> dict[str, Any]:
    """One row as our event (acled_sql.py says the same in SQL, for large files)."""
    get = getter(row)
    actors = [
        get("actor1"),
        *split_list(get("assoc_actor_1")),
        get("actor2"),
        *split_list(get("assoc_actor_2")),
    ]
    sub_type = get("sub_event_type") or get("event_type") or "Event"
    sides = " – ".join(a for a in (get("actor1"), get("actor2")) if a)
    where = ", ".join(p for p in (get("location"), get("admin1"), get("country")) if p)
    event: dict[str, Any] = {
        "id": get("event_id_cnty") or f"row-{line}",
        "date": acled_date(get("event_date"), get("time_precision")),
        "title": f"{sub_type}: {sides}" + (f", {get('location')}" if get("location") else ""),
        "kind": get("event_type") or None,
        "tags": [
            t for t in [get("disorder_type"), get("sub_event_type"), *split_list(get("tags"))] if t
        ],
        "actors": [a for a in actors if a],
        "claimed_by": split_list(get("source")),
        "sources": [{"title": name} for name in split_list(get("source"))],
    }
    if get("notes"):
        event["summary"] = get("notes")
    if where:
        event["place"] = {"name": where, **coordinates(get("latitude"), get("longitude"))}
    for name, value in row.items():
        if name not in ACLED_USED and value.strip():
            event[name] = value.strip()
    fatalities = get("fatalities")
    if fatalities:
        event["fatalities"] = int(fatalities) if is_count(fatalities) else fatalities
    return event


def is_count(text: str) -> bool:
    """Written in ASCII digits, and of a size JSON readers take as a whole number."""
    return text.isascii() and text.isdigit() and len(text) <= 18


FORMAT: Final = Format(
    "acled",
    "an ACLED export (CSV)",
    read=lambda text: from_acled(text),
    sniff=lambda head, columns: {"event_id_cnty", "event_date"} <= columns,
    rank=30,
)
