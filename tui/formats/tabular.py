"""CSV files: the TimelineJS spreadsheet, ACLED exports, and plain `date,title,...` tables."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from typing import Any, Final

from ..model.dates import DAY, civil_from_seconds, days_in_month, parse_when
from ..model.problems import Problem, Severity
from . import FormatError, Imported, Origin, delimiter
from .html import html_to_text
from .timelinejs import date_text, media_source, slug, unique

Row = dict[str, str]
LIST_SEPARATORS: Final = (";", "|")


def records(text: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on; what the csv module can't read is a
    FormatError at its line."""
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first_line))
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"not readable as CSV: {exc}", max(reader.line_num, 1)) from None


def header(text: str) -> list[str]:
    return next(records(text), (1, []))[1]


def rows(text: str) -> Iterator[tuple[int, Row, dict[str, tuple[int, str]]]]:
    """(line the row starts on, row by column name, column number and name by lower-cased name)."""
    read = records(text)
    names_as_written = next(read, (1, []))[1]
    columns = {
        name.strip().lower(): (i + 1, name.strip()) for i, name in enumerate(names_as_written)
    }
    names = [name.strip().lower() for name in names_as_written]
    for line, values in read:
        if any(v.strip() for v in values):
            yield line, {names[i]: v for i, v in enumerate(values) if i < len(names)}, columns


def _list_cell(value: str) -> list[str]:
    """A list written as JSON (what our export writes when a value holds `;` or `|`),
    else split at `;` or `|`."""
    if value.startswith("["):
        try:
            found = json.loads(value)
        except json.JSONDecodeError:
            found = None
        if isinstance(found, list) and all(isinstance(v, str) for v in found):
            return found
    return split_list(value)


def split_list(value: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        if separator in value:
            return [v.strip() for v in value.split(separator) if v.strip()]
    return [value.strip()] if value.strip() else []


def origin(line: int, columns: dict[str, tuple[int, str]], fields: dict[str, str]) -> Origin:
    return Origin(
        line=line,
        columns={field: columns[name] for field, name in fields.items() if name in columns},
    )


# The TimelineJS spreadsheet

SHEET_FIELDS: Final = {"date": "year", "title": "headline", "summary": "text", "kind": "group"}


def from_timelinejs_sheet(text: str) -> Imported:
    document: dict[str, Any] = {}
    events: list[dict[str, Any]] = []
    origins: list[Origin] = []
    used: set[str] = set()
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
            "id": unique(slug(headline) or f"row-{line}", used),
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
        get = _getter({k: v for k, v in row.items() if k.startswith(prefix)})
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
        get = _getter(row)
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
                t
                for t in [get("disorder_type"), get("sub_event_type"), *split_list(get("tags"))]
                if t
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
        if get("fatalities"):
            event["fatalities"] = (
                int(get("fatalities")) if get("fatalities").isdigit() else get("fatalities")
            )
        events.append(event)
        origins.append(origin(line, columns, ACLED_FIELDS))
    return Imported({"title": "ACLED events", "events": events}, origins, format="acled")


def _getter(row: Row) -> Callable[[str], str]:
    return lambda name: row.get(name, "").strip()


_DECIMAL_COMMA: Final = re.compile(r"^(-?\d+),(\d+)$")


def coordinates(lat: str, lon: str) -> dict[str, Any]:
    """Numbers where they are numbers (`51.73`, or `51,73` as sheets with a decimal comma
    write it); anything else passed on for the loader to report."""
    result: dict[str, Any] = {}
    for key, value in (("lat", lat), ("lon", lon)):
        if value:
            try:
                result[key] = float(_DECIMAL_COMMA.sub(r"\1.\2", value))
            except ValueError:
                result[key] = value
    return result


# Plain CSV: columns named for our fields (what `timeline print --format csv` writes)

PLAIN_FIELDS: Final = (
    "id", "date", "title", "summary", "kind", "reported", "status", "notes",
    "tags", "actors", "claimed_by", "place", "lat", "lon", "sources", "related",
)  # fmt: skip
LIST_FIELDS: Final = frozenset({"tags", "actors", "claimed_by"})


def from_plain(text: str) -> Imported:
    events: list[dict[str, Any]] = []
    origins: list[Origin] = []
    problems: list[Problem] = []
    first = header(text)
    names = {name.strip().lower() for name in first}
    if "date" not in names or not names & {"title", "headline"}:
        found = ", ".join(name.strip() for name in first[:8]) or "nothing"
        message = (
            "a CSV needs columns named `date` and `title` (found: "
            f"{found}); for TimelineJS or ACLED files, see --from"
        )
        return Imported(
            {"events": []}, [], [Problem(Severity.ERROR, message, line=1, column=1)], format="csv"
        )
    document: dict[str, Any] = {}
    for line, row, columns in rows(text):
        record = row.get("record", "").strip()
        if record in ("title", "source"):
            _file_record(document, record, row, line, columns, problems)
            continue
        event: dict[str, Any] = {"id": row.get("id", "").strip() or f"row-{line}"}
        for name, value in row.items():
            value = value.strip()
            if not value or name in ("id", "lat", "lon", "place", "record"):
                continue
            if name == "extra":
                unknown = _json_object(value, line, columns, problems)
                event.update({k: v for k, v in unknown.items() if k not in event})
                continue
            if name in LIST_FIELDS:
                event[name] = _list_cell(value)
            elif name in ("sources", "related"):
                event[name] = (
                    json_cell(value, name, line, columns, problems)
                    if value.startswith("[")
                    else (
                        [{"title": value} if not value.startswith("http") else {"url": value}]
                        if name == "sources"
                        else [{"id": v} for v in split_list(value)]
                    )
                )
            elif name == "headline" and "title" not in row:
                event["title"] = value
            else:
                event[name] = value
        place = row.get("place", "").strip()
        if place:
            event["place"] = {
                "name": place,
                **coordinates(row.get("lat", "").strip(), row.get("lon", "").strip()),
            }
        events.append(event)
        origins.append(origin(line, columns, {f: f for f in PLAIN_FIELDS}))
    document["events"] = events
    return Imported(document, origins, problems, format="csv")


def _file_record(
    document: dict[str, Any],
    record: str,
    row: Row,
    line: int,
    columns: dict[str, tuple[int, str]],
    problems: list[Problem],
) -> None:
    """A row of the file's own record, as `timeline print --format csv` writes them."""
    get = _getter(row)
    unknown = _json_object(get("extra"), line, columns, problems)
    if record == "title":
        for key, value in unknown.items():
            document.setdefault(key, value)
        if get("title"):
            document["title"] = row["title"].strip()
        if get("summary"):
            document["description"] = row["summary"].strip()
        return
    source: dict[str, Any] = {
        "title": get("title") or None,
        "published": get("date") or None,
        "publisher": get("publisher") or None,
        "url": get("url") or None,
    }
    source.update({k: v for k, v in unknown.items() if k not in source})
    document.setdefault("sources", {})[get("id")] = source


def _json_object(
    value: str, line: int, columns: dict[str, tuple[int, str]], problems: list[Problem]
) -> dict[str, Any]:
    """The `extra` cell: unknown keys as a JSON object (empty: none)."""
    if not value:
        return {}
    try:
        found = json.loads(value)
    except json.JSONDecodeError as exc:
        found, reason = None, exc.msg
    else:
        reason = f"found {type(found).__name__}"
    if isinstance(found, dict):
        return found
    column = columns.get("extra", (1, "extra"))[0]
    problems.append(
        Problem(Severity.ERROR, f"`extra`: not a JSON object ({reason})", line=line, column=column)
    )
    return {}


def json_cell(
    value: str, name: str, line: int, columns: dict[str, tuple[int, str]], problems: list[Problem]
) -> Any:
    try:
        return json.loads(value)
    except json.JSONDecodeError as exc:
        column = columns.get(name, (1, name))[0]
        problems.append(
            Problem(
                Severity.ERROR, f"`{name}`: not a JSON list ({exc.msg})", line=line, column=column
            )
        )
        return None
