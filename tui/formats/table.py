"""Our own columns as CSV (`date,title,...`, DESIGN.md §1), as a spreadsheet holds them:
read, and written so that the whole file reads back the same."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import IO, Any, Final

from ..model.events import Event, Timeline
from ..model.problems import Problem, Severity
from ..model.text import plural
from .base import Format, Imported, Origin
from .tabular import Row, coordinates, getter, header, list_cell, origin, rows, split_list
from .timeline import change_document, json_text, relation_documents, source_documents
from .timelinejs import UsedIds, slug, unique

PLAIN_FIELDS: Final = (
    "id", "date", "title", "summary", "kind", "reported", "status", "notes",
    "tags", "actors", "claimed_by", "place", "lat", "lon", "sources", "related", "history",
)  # fmt: skip
LIST_FIELDS: Final = frozenset({"tags", "actors", "claimed_by"})
RECORDS: Final = ("title", "source")
"""What a row's `record` cell says when it is the file's own record, not an event."""


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
        if record in RECORDS:
            file_record(document, record, row, line, columns, problems)
            continue
        events.append(plain_event(row, line, columns, problems))
        origins.append(origin(line, columns, {f: f for f in PLAIN_FIELDS}))
    give_ids(events, [o.line or 0 for o in origins])
    document["events"] = events
    return Imported(document, origins, problems, format="csv")


def plain_event(
    row: Row, line: int, columns: dict[str, tuple[int, str]], problems: list[Problem]
) -> dict[str, Any]:
    """A row as our event (its id as written: give_ids gives the missing ones)."""
    event: dict[str, Any] = {"id": row.get("id", "").strip()}
    for name, value in row.items():
        value = value.strip()
        if not value or name in ("id", "lat", "lon", "place", "record"):
            continue
        if name == "extra":
            unknown = _json_object(value, line, columns, problems)
            event.update({k: v for k, v in unknown.items() if k not in event})
            continue
        if name in LIST_FIELDS:
            event[name] = list_cell(value)
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
        elif name == "history":
            event[name] = json_cell(value, name, line, columns, problems)
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
    return event


def give_ids(events: list[dict[str, Any]], lines: list[int]) -> None:
    """An id for each row without one, from what it says (`2025-01-09-capture-in-kursk`),
    so that it stays the same when rows are added, moved or removed around it (a note on
    it stays with it); a suffix only where two rows say the same, `row-N` only for a row
    with neither date nor title."""
    used = UsedIds(event["id"] for event in events if event["id"])
    for event, line in zip(events, lines, strict=True):
        if not event["id"]:
            event["id"] = unique(said_id(event) or f"row-{line}", used)


def said_id(event: dict[str, Any]) -> str:
    """What a row's date and title say as an id (nothing, if they say nothing)."""
    return slug(f"{event.get('date', '')} {event.get('title', '')}")


def file_record(
    document: dict[str, Any],
    record: str,
    row: Row,
    line: int,
    columns: dict[str, tuple[int, str]],
    problems: list[Problem],
) -> None:
    """A row of the file's own record, as `timeline print --format csv` writes them."""
    get = getter(row)
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
    for name in SOURCE_GRADES:
        if get(name):
            source[name] = get(name)
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
    "history",
    "reliability",
    "archived",
    "captured",
    "sha256",
)
"""`extra`: the event's unknown keys as a JSON object. `record`: empty for an event;
`title` for the row of the file's title (`title`), description (`summary`) and unknown
keys (`extra`); `source` for each of its named sources (`id` the key, `title`, `date`
the published date, `publisher`, `url`, `reliability`, `archived`, `captured`, `sha256`,
`extra`). `history`: an event's status history as a JSON list. So the whole file reads
back, but for the unknown keys of a place (the writer says so when it leaves any out)."""
SOURCE_GRADES: Final = ("reliability", "archived", "captured", "sha256")
LIST_JOINER: Final = "; "


def write_csv(timeline: Timeline, positions: Sequence[int], out: IO[str]) -> list[str]:
    """One row per event; list fields joined with "; ", sources and relations as JSON
    lists (a spreadsheet shows them as text, and reading the CSV back loses nothing).

    Rows are joined here rather than by the csv module (_csv_line)."""
    out.write(",".join(CSV_COLUMNS) + "\n")
    lines = [_csv_line(fields) for fields in _csv_file_rows(timeline)]
    places_left = 0
    for event in timeline.events_at(positions):
        places_left += event.place is not None and event.place.extra is not None
        lines.append(_csv_line(_csv_fields(event)))
        if len(lines) >= CSV_CHUNK:
            out.write("\n".join(lines) + "\n")
            lines.clear()
    if lines:
        out.write("\n".join(lines) + "\n")
    if places_left:
        return [
            f"left out the unknown keys of {plural(places_left, 'place')} (the CSV has a"
            " column for a place's name, lat and lon only; --format json keeps them)"
        ]
    return []


def _csv_line(fields: Sequence[str]) -> str:
    """The fields joined by commas, each holding a comma, a quote or a line break quoted.
    The csv module takes ten microseconds a row here, and does not quote a lone `\r`; a
    row with no such field (one look at the joined line) is joined once, the others
    quote their fields inline, without a call per field."""
    line = ",".join(fields)
    if line.count(",") == len(fields) - 1 and not ('"' in line or "\n" in line or "\r" in line):
        return line
    return ",".join(
        field
        if "," not in field and '"' not in field and "\n" not in field and "\r" not in field
        else '"' + field.replace('"', '""') + '"'
        for field in fields
    )


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
        _joined_cell(event.tags),
        _joined_cell(event.actors),
        place.name if place else "",
        "" if place is None or place.lat is None else repr(place.lat),
        "" if place is None or place.lon is None else repr(place.lon),
        _joined_cell(event.claimed_by),
        _sources_cell(event) if event.sources else "",
        json_text(relation_documents(event)) if event.related else "",
        event.notes or "",
        json_text(event.extra) if event.extra else "",
        "",
        "",
        "",
        json_text([change_document(c) for c in event.history]) if event.history else "",
        "",
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
            "extra": json_text(timeline.extra) if timeline.extra else "",
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
            "extra": json_text(source.extra) if source.extra else "",
            "reliability": source.reliability or "",
            "archived": source.archived or "",
            "captured": source.captured or "",
            "sha256": source.sha256 or "",
        }
        yield tuple(row.values())


def _joined_cell(values: Sequence[str]) -> str:
    """`pow; capture`, as a person would type it; as a JSON list when a value holds
    what would split it (`;` `|`) or starts like one, so it reads back the same. (Told
    from the joined text: a `;` more than the joins put there, a `|`, a `[` first or
    after a join.)"""
    joined = LIST_JOINER.join(values)
    if (
        "|" in joined
        or joined.count(";") != max(len(values) - 1, 0)
        or joined.startswith("[")
        or "; [" in joined
    ):
        return json_text(list(values))
    return joined


def _sources_cell(event: Event) -> str:
    """The citations as source_documents writes them: each encoded as it is (without its
    empty fields: the same keys in the same order), unless one has keys of its own to
    put beside ours."""
    if any(ref.extra for ref in event.sources):
        return json_text(source_documents(event))
    return json_text(event.sources)


def _sniff(head: bytes, columns: set[str]) -> bool:
    """Any table (more than one column) the more particular formats did not take: ours,
    or one we don't know, whose reader then says which columns it needs."""
    return len(columns) > 1


FORMAT: Final = Format(
    "csv",
    "a table with our columns (date, title, ...), CSV",
    read=lambda text: from_plain(text),
    write=write_csv,
    sniff=_sniff,
    rank=50,
)
