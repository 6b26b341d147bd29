"""Writing events the terminal way: where an event is in its file (for `$EDITOR`), a new
event appended from a template, and a starter file (`timeline new`).

A new event is inserted as text where it belongs (before the `]` that closes the
events, or as a last CSV row): every other byte of the file stays as it was, so a
file kept in git shows one addition, never a reformatting."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Container
from pathlib import Path
from typing import Any, Final

from .jsonpos import locate
from .state import write_atomically_bytes

NEW_TITLE: Final = "New event: say what happened"
_TOKEN: Final = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


class AuthoringError(ValueError):
    """The file can't take a new event (its format, or it does not parse)."""


def event_line(text: str, event_id: str) -> int | None:
    """The 1-based line where the event's id is written: `"id": "…"` in JSON, else the
    first line holding the id as a whole word (a CSV row)."""
    quoted = re.escape(json.dumps(event_id, ensure_ascii=False))
    match = re.search(rf'"id"\s*:\s*{quoted}', text)
    if match is None:
        ascii_quoted = re.escape(json.dumps(event_id))
        match = re.search(rf'"id"\s*:\s*{ascii_quoted}', text)
    if match is None:
        match = re.search(rf"(?<![\w-]){re.escape(event_id)}(?![\w-])", text)
    return None if match is None else text.count("\n", 0, match.start()) + 1


def fresh_id(date_text: str, ids: Container[str]) -> str:
    base = "new-" + re.sub(r"[^0-9A-Za-z]+", "-", date_text).strip("-")
    candidate, n = base, 1
    while candidate in ids:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def template(event_id: str, date_text: str) -> dict[str, Any]:
    """Every field named, none invented: no status (not stated), no source."""
    return {
        "id": event_id,
        "date": date_text,
        "title": NEW_TITLE,
        "summary": "",
        "kind": None,
        "status": None,
        "claimed_by": [],
        "actors": [],
        "tags": [],
        "place": None,
        "reported": None,
        "sources": [],
        "related": [],
        "notes": "",
    }


def append_event(path: str, date_text: str, ids: Container[str]) -> tuple[str, int]:
    """Add a new event to the file; its id and the line it starts on."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8-sig" if raw.startswith(b"\xef\xbb\xbf") else "utf-8")
    except UnicodeDecodeError:
        raise AuthoringError(f"{path} is not UTF-8 text") from None
    bom = "\ufeff" if raw.startswith(b"\xef\xbb\xbf") else ""
    event_id = fresh_id(date_text, ids)
    newline = "\r\n" if "\r\n" in text else "\n"
    if path.lower().endswith((".csv", ".tsv")):
        text, line = _append_row(text, event_id, date_text, newline, path)
    else:
        text, line = _insert_json(text, template(event_id, date_text), newline, path)
    write_atomically_bytes(Path(path), (bom + text).encode("utf-8"))
    return event_id, line


def _insert_json(text: str, event: dict[str, Any], newline: str, path: str) -> tuple[str, int]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise AuthoringError(f"{path} is not valid JSON ({exc}); fix it first") from None
    if isinstance(data, list):
        start = text.index("[")
    elif isinstance(data, dict) and isinstance(data.get("events"), list):
        line, column = locate(text, [("events",)])[("events",)]
        start = _offset(text, line, column)
    else:
        raise AuthoringError(
            f"{path} is not an event file with an `events` array (TimelineJS and other"
            " tools' files are edited in their own tools)"
        )
    end = _closing(text, start)
    last = len(text[:end].rstrip())
    line_start = text.rfind("\n", 0, last) + 1
    indent = re.match(r"[ \t]*", text[line_start:]).group()  # type: ignore[union-attr]
    body = json.dumps(event, ensure_ascii=False, indent=2).replace("\n", newline + indent)
    if text[last - 1] == "[":  # no events yet
        outer = re.match(r"[ \t]*", text[text.rfind("\n", 0, start) + 1 :]).group()  # type: ignore[union-attr]
        indent = outer + "  "
        body = json.dumps(event, ensure_ascii=False, indent=2).replace("\n", newline + indent)
        insert = f"{newline}{indent}{body}{newline}{outer}"
        text = text[:last] + insert + text[end:]
    else:
        insert = f",{newline}{indent}{body}"
        text = text[:last] + insert + text[last:]
    line = text.count("\n", 0, last) + 2
    return text, line


def _offset(text: str, line: int, column: int) -> int:
    at = 0
    for _ in range(line - 1):
        at = text.index("\n", at) + 1
    return at + column - 1


def _closing(text: str, start: int) -> int:
    """The offset of the `]` that closes the array opening at `start`."""
    depth = 0
    for match in _TOKEN.finditer(text, start):
        token = match.group()
        if token[0] == '"':
            continue
        depth += 1 if token in "[{" else -1
        if depth == 0:
            return match.start()
    raise AuthoringError("the events array does not close")


def _append_row(
    text: str, event_id: str, date_text: str, newline: str, path: str
) -> tuple[str, int]:
    dialect = "excel-tab" if path.lower().endswith(".tsv") else "excel"
    reader = csv.reader(io.StringIO(text), dialect)
    header = [name.strip().lower() for name in next(reader, [])]
    if "date" not in header or not {"title", "headline"} & set(header):
        raise AuthoringError(
            f"{path} has no `date` and `title` columns: new events go into our own CSV"
            " (timeline print --format csv writes one) or JSON"
        )
    values = {"id": event_id, "date": date_text, "title": NEW_TITLE, "headline": NEW_TITLE}
    out = io.StringIO()
    csv.writer(out, dialect, lineterminator=newline).writerow(
        [values.get(name, "") for name in header]
    )
    if text and not text.endswith(("\n", "\r")):
        text += newline
    line = text.count("\n") + 1
    return text + out.getvalue(), line


STARTER: Final = {
    "title": "A new timeline",
    "description": "What this timeline covers, in a paragraph. One example event for each"
    " kind of date; replace them with your own (timeline validate checks the file).",
    "sources": {
        "example": {
            "title": "Where the events come from",
            "publisher": None,
            "published": None,
            "url": None,
        }
    },
    "events": [
        {"id": "a-day", "date": "2025-01-09", "title": "Something happened on this day"},
        {
            "id": "a-minute",
            "date": "2025-01-09T14:30+02:00",
            "title": "Something happened at this minute (with the time zone's offset)",
        },
        {"id": "a-month", "date": "2024-10", "title": "Some day in this month"},
        {"id": "a-year", "date": "2024", "title": "Some time in this year"},
        {"id": "about", "date": "2024-12-15~", "title": "About this day (approximate)"},
        {"id": "uncertain", "date": "2024-12-20?", "title": "This day, but uncertain"},
        {"id": "both", "date": "2024-11%", "title": "About this month, and uncertain"},
        {"id": "an-interval", "date": "2025-01-09/2025-01-12", "title": "Over these days"},
        {"id": "open-ended", "date": "2024-06/..", "title": "Since this month, still going"},
        {"id": "long-ago", "date": "-0044-03-15", "title": "Before the common era"},
        {
            "id": "full",
            "date": "2025-01-11",
            "title": "An event with every field",
            "summary": "A sentence or a short paragraph.",
            "kind": "statement",
            "tags": ["example"],
            "actors": ["Someone"],
            "place": {"name": "Somewhere", "lat": 50.45, "lon": 30.52},
            "reported": "2025-01-12",
            "status": "claimed",
            "claimed_by": ["Someone"],
            "sources": [{"ref": "example", "quote": "The words that say so."}],
            "related": [{"id": "a-day", "rel": "follows"}],
            "notes": "Your own remarks on the event.",
        },
    ],
}


def starter_text() -> str:
    return json.dumps(STARTER, ensure_ascii=False, indent=2) + "\n"
