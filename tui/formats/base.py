"""What every format module shares: the error a reader raises, where each imported event
came from, and the registry entry (`Format`) each module declares as `FORMAT`.

An importer returns the document our loader checks anyway (so every problem
is reported the same way), with the origin of each event: the row and
columns of a CSV, the BEGIN line of a VEVENT, or the JSON path of a
TimelineJS slide, for naming where a problem is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import IO, Any, Final, NamedTuple, Protocol

import msgspec

from ..model.events import Timeline
from ..model.problems import Problem


class FormatError(Exception):
    """What a reader raises where the file can't be read as its format: an expected
    failure, with where it is (`line` None: the file as a whole, or a dataset's files,
    which the message names). Any other exception from a reader is a bug."""

    def __init__(self, message: str, line: int | None, column: int = 1) -> None:
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
    file: str | None = None
    """The file, when the source is several (a Parquet dataset); else the one named."""


class RowsOrigins(Protocol):
    """Where the rows of a file DuckDB read came from (SqlRead.origins): every row has
    our fields in the same `columns`, which is what orders its warnings without making
    them (locating.PlacedWarnings)."""

    columns: dict[str, tuple[int, str]]

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Origin: ...


class Imported(msgspec.Struct):
    document: dict[str, Any]
    origins: list[Origin]
    problems: list[Problem] = []
    format: str = ""


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


Writer = Callable[[Timeline, Sequence[int], IO[str]], list[str]]
"""Writes the events at the positions given; returns what it had to leave out, said."""
BytesWriter = Callable[[Timeline, Sequence[int], IO[bytes]], list[str]]
"""The same, for a binary format (Parquet)."""


class Format(NamedTuple):
    """A format: what `--from` and `--format` offer, what the loader dispatches on and the
    exports write with. Each module of this package that declares one as `FORMAT` is one."""

    name: str
    """The name `--from` takes."""
    summary: str
    read: Callable[[Any], Imported] | None = None
    """Text in, the document our loader checks out (with where each event came from).
    For a JSON format (`json`), the decoded JSON in. None: our own format, which the loader
    reads itself."""
    json: bool = False
    write: Writer | None = None
    written_as: str = ""
    """The name `--format` takes, when it is not `name` (our format is written as `json`)."""
    sniff: Callable[[bytes, set[str]], bool] | None = None
    """Whether a file is in this format, from its first bytes (BOM and blank lines left
    out) and, for a table, the lower-cased names in its first row."""
    rank: int = 50
    """The order formats are sniffed (and listed) in: the most particular first."""
    binary: bool = False
    """Read from the file's bytes, not its text (`read` takes bytes)."""
    utf8: bool = False
    """A text format whose `read` takes the text's bytes (checked as UTF-8, without a
    byte-order mark) rather than a str: iCalendar's, whose common shape is read as bytes."""
    write_bytes: BytesWriter | None = None
    """For a binary format, what writes it (`write` is for text)."""


def header_columns(head: bytes) -> set[str]:
    """The lower-cased column names of a table's first row (any delimiter)."""
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lower()
    return {c.strip().strip('"') for c in first.split(delimiter(first))}
