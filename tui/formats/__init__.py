"""Other tools' formats: reading them into our event-file shape, and detecting which is which.

An importer returns the document our loader checks anyway (so every problem
is reported the same way), with the origin of each event: the row and
columns of a CSV, the BEGIN line of a VEVENT, or the JSON path of a
TimelineJS slide, for naming where a problem is.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

import msgspec

from ..model.problems import Problem

if TYPE_CHECKING:
    from mmap import mmap

FORMATS: Final = ("timeline", "timelinejs", "timelinejs-csv", "csv", "acled", "ics")


class FormatError(Exception):
    """What a reader raises where the file can't be read as its format: an expected
    failure, with where it is. Any other exception from a reader is a bug."""

    def __init__(self, message: str, line: int, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


class Origin(msgspec.Struct, frozen=True):
    """Where an imported event came from."""

    line: int | None = None
    columns: dict[str, tuple[int, str]] = {}
    """For each of our fields, the source column's number and name."""
    path: tuple[str | int, ...] | None = None
    """For JSON sources: the event's path; `paths` refine it per field."""
    paths: dict[str, tuple[str | int, ...]] = {}


class Imported(msgspec.Struct):
    document: dict[str, Any]
    origins: list[Origin]
    problems: list[Problem] = []
    format: str = ""


def detect(data: bytes | mmap) -> str:
    """The format of a file from its first bytes: iCalendar, JSON (ours or
    TimelineJS: decided once decoded), or a CSV by its header row."""
    head = data[:65536].lstrip(_LEADING)[:4096]
    if not head and len(data) > 65536:
        head = bytes(data).lstrip(_LEADING)[:4096]
    if b"\x00" in head or head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "json"  # UTF-16 or binary: the JSON reader names the encoding problem
    if head[:15].upper() == b"BEGIN:VCALENDAR":
        return "ics"
    if head[:1] in (b"{", b"[") or not head:
        return "json"
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    columns = {c.strip().strip('"') for c in first.split(delimiter(first))}
    if {"event_id_cnty", "event_date"} <= columns:
        return "acled"
    if {"year", "headline"} <= columns:
        return "timelinejs-csv"
    if "date" in columns and ("title" in columns or "headline" in columns):
        return "csv"
    if len(columns) > 1:
        return "csv"  # a table we don't know: the CSV reader says which columns it needs
    return "json"  # let the JSON reader say what is wrong


_LEADING: Final = b"\xef\xbb\xbf \t\r\n"
DELIMITERS: Final = (",", ";", "\t", "|")
"""What spreadsheets separate columns with: comma, and semicolon where the comma is the
decimal mark (most of Europe), tab, pipe."""


def delimiter(header: str) -> str:
    """The separator of a CSV's header row: the one that occurs most (outside quotes),
    a comma when none does."""
    unquoted = "".join(header.split('"')[::2])
    counts = [(unquoted.count(d), -i, d) for i, d in enumerate(DELIMITERS)]
    count, _, found = max(counts)
    return found if count else ","


def looks_like_timelinejs(document: Any) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        return False
    first = next((e for e in document["events"] if isinstance(e, dict)), None)
    return first is not None and "start_date" in first and "date" not in first
