"""The TimelineJS spreadsheet (its Google Sheets template) saved as CSV: read only."""

from __future__ import annotations

import re
from typing import Any, Final

from ..model.dates import days_in_month
from .base import Format, Imported, Origin
from .html import html_to_text
from .tabular import Row, getter, origin, rows
from .timelinejs import UsedIds, date_text, media_source, slug, unique

SHEET_FIELDS: Final = {"date": "year", "title": "headline", "summary": "text", "kind": "group"}


def from_timelinejs_sheet(text: str) -> Imported:
    document: dict[str, Any] = {}
    events: list[dict[str, Any]] = []
    origins: list[Origin] = []
    used = UsedIds()
    for line, row, columns in rows(text):
        if row.get("type", "").strip().lower() == "title":
            headline = html_to_text(row.get("headline", ""))
            if headline:
                document["title"] = headline
            description = html_to_text(row.get("text", ""))
            if description:
                document["description"] = description
            continue
        start = sheet_date(row, "")
        end = sheet_date(row, "end ")
        headline = html_to_text(row.get("headline", ""))
        event: dict[str, Any] = {
            "id": unique(slug(f"{start} {headline}") or f"row-{line}", used),
            "date": start if not end or end == start else f"{start}/{end}",
            "title": headline or f"(untitled, row {line})",
        }
        if row.get("display date"):
            event["display_date"] = row["display date"]
        body = html_to_text(row.get("text", ""))
        if body:
            event["summary"] = body
        if row.get("group", "").strip():
            event["kind"] = row["group"].strip()
        source = media_source(
            {
                "url": row.get("media", ""),
                "credit": row.get("media credit", ""),
                "caption": row.get("media caption", ""),
            }
        )
        if source:
            event["sources"] = [source]
        if not start:
            event["date"] = None  # the loader says `date` is missing, at this row
        events.append(event)
        fields = {**SHEET_FIELDS, "date": _bad_date_column(row) or "year"}
        origins.append(origin(line, columns, fields))
    document["events"] = events
    return Imported(document, origins, format="timelinejs-csv")


def _bad_date_column(row: Row) -> str | None:
    """The column of the first date part that is not a date's (`month` 13, `day` 31 in
    a 30-day month, `end time` 25:00), so a problem is named at the column to fix."""
    for prefix in ("", "end "):
        get = getter({k: v for k, v in row.items() if k.startswith(prefix)})
        year, month, day = get(f"{prefix}year"), get(f"{prefix}month"), get(f"{prefix}day")
        if not year:
            continue
        if not re.fullmatch(r"-?\d+", year):
            return f"{prefix}year"
        if month and not (month.isdigit() and 1 <= int(month) <= 12):
            return f"{prefix}month"
        if month and day:
            limit = days_in_month(int(year), int(month))
            if not (day.isdigit() and 1 <= int(day) <= limit):
                return f"{prefix}day"
        time = get(f"{prefix}time")
        if time and not re.fullmatch(r"([01]?\d|2[0-3])(:[0-5]\d){0,2}", time):
            return f"{prefix}time"
    return None


def sheet_date(row: Row, prefix: str) -> str:
    parts: dict[str, Any] = {
        "year": row.get(f"{prefix}year", ""),
        "month": row.get(f"{prefix}month", ""),
        "day": row.get(f"{prefix}day", ""),
    }
    time = row.get(f"{prefix}time", "").strip()
    if time:
        hour, _, rest = time.partition(":")
        parts["hour"], parts["minute"] = hour, rest.partition(":")[0] or "0"
    return date_text(parts)


# ACLED


FORMAT: Final = Format(
    "timelinejs-csv",
    "the TimelineJS spreadsheet template, saved as CSV",
    read=lambda text: from_timelinejs_sheet(text),
    sniff=lambda head, columns: {"year", "headline"} <= columns,
    rank=40,
)
