"""The plain-text timeline of `timeline print`: lines of styled spans, no Rich needed.

Each line is a list of (text, style) spans. Written to a pipe the styles are
dropped; on a terminal they become colour through Rich. Widths are measured
in terminal cells so Korean, Cyrillic and emoji keep the columns aligned.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final
from unicodedata import category, combining, east_asian_width

from ..model.events import STATUS_LABELS, Event, Status, Timeline, span_of
from ..model.text import clean_text, plural
from .headings import heading_text, headings

if TYPE_CHECKING:
    from ..model.sidecar import Annotation

MAX_DATE_WIDTH: Final = 16
Span = tuple[str, str]
Line = list[Span]

STATUS_STYLES: Final[dict[Status | None, str]] = {
    Status.CONFIRMED: "bold green",
    Status.REPORTED: "bold cyan",
    Status.CLAIMED: "bold yellow",
    Status.DISPUTED: "bold magenta",
    Status.DENIED: "bold red",
    Status.CONTEXT: "dim",
    None: "dim italic",
}
"""The one definition of each status's look: Rich styles for `print` on a terminal,
and in the app (Content and the list's segments parse the same words)."""


def _measured(char: str) -> int:
    if char < "\u0300":
        return 1
    if east_asian_width(char) in ("W", "F"):
        return 2
    if combining(char) or category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 1


class _CharWidths(dict[str, int]):
    """Each character's width in cells, measured once: read by `map` at C speed, where a
    call per character took a third of `print`'s layout of Korean and Cyrillic titles.
    At most one entry per character Unicode has."""

    def __missing__(self, char: str) -> int:
        width = self[char] = _measured(char)
        return width


_WIDTHS: Final = _CharWidths()
char_width: Final = _WIDTHS.__getitem__


def cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap by cells; a word wider than the line is broken."""
    width = max(width, 1)
    words = text.split()
    joined = " ".join(words)
    if cell_width(joined) <= width:  # most lines: one C-speed test, no word loop
        return [joined]
    lines: list[str] = []
    current = ""
    current_width = 0
    for word in words:
        word_width = cell_width(word)
        needed = word_width + (1 if current else 0)
        if current and current_width + needed <= width:
            current += " " + word
            current_width += needed
            continue
        if current:
            lines.append(current)
            current, current_width = "", 0
        while word_width > width:
            piece, rest = _split_cells(word, width)
            lines.append(piece)
            word = rest
            word_width = cell_width(word)
        current, current_width = word, word_width
    if current or not lines:
        lines.append(current)
    return lines


def _split_cells(word: str, width: int) -> tuple[str, str]:
    used = 0
    for index, char in enumerate(word):
        w = char_width(char)
        if used + w > width and index > 0:
            return word[:index], word[index:]
        used += w
    return word, ""


def pad(text: str, width: int) -> str:
    return text + " " * max(width - cell_width(text), 0)


def date_label(event: Event) -> str:
    """The date for a list column: day numbers right-aligned, ` 9 Jan 2025`."""
    text = event.date.display()
    if text[:1].isdigit() and text[1:2] == " ":
        return " " + text
    return text


def second_line(event: Event, file: str | None = None) -> str:
    """`a.json · by Zelenskyy · known 11 Jan 2025`: the file only when several are open."""
    parts = [file] if file else []
    if event.claimed_by:
        parts.append("by " + ", ".join(event.claimed_by))
    if event.reported is not None and event.reported_differs:
        parts.append("known " + event.reported.display())
    return " · ".join(parts)


def text_lines(
    timeline: Timeline,
    positions: Sequence[int],
    width: int,
    reverse: bool = False,
    annotations: Mapping[str, Annotation] | None = None,
    *,
    as_of: int | None = None,
    history: bool = False,
) -> Iterator[Line]:
    """The text format of DESIGN.md §4; with `annotations` (`print --notes`), each
    event's star, labels and note under it. `as_of` (the end of an `asof:` day): each
    status as known then. `history` (`print --history`): each status history."""
    events = list(timeline.events_at(positions))
    span = span_of(timeline, positions)
    if reverse:
        events.reverse()
    for title_line in wrap(timeline.title or "Timeline", width):
        yield [(title_line, "bold")]
    count = (
        f"{len(events)} of {len(timeline)} events"
        if len(events) != len(timeline)
        else plural(len(events), "event")
    )
    yield [(count + (f" · {span}" if span else ""), "dim")]
    if not events:
        return
    heading_before = {index: heading_text(year, month) for index, year, month in headings(events)}
    labels = [date_label(e) for e in events]
    # Wide enough for most dates; a longer one (an interval) gets a line of its own.
    date_width = min(max(11, max(map(cell_width, labels))), MAX_DATE_WIDTH)
    status_width = max(len(STATUS_LABELS[s]) for s in {e.status for e in events} | set(Status))
    indent = 2 + date_width + 3 + status_width + 2
    title_width = max(width - indent, 20)
    for index, (event, label) in enumerate(zip(events, labels, strict=True)):
        heading = heading_before.get(index)
        if heading is not None:
            yield []
            yield [(heading, "bold underline")]
        status = event.status if as_of is None else _status_on(event, as_of)
        title_lines = wrap(event.title, title_width)
        if cell_width(label) > date_width:
            yield [("  " + label, "bold")]
            label = ""
        yield [
            ("  " + pad(label, date_width) + "   ", "bold"),
            (pad(STATUS_LABELS[status], status_width), STATUS_STYLES[status]),
            ("  ", ""),
            (title_lines[0], ""),
        ]
        for more in title_lines[1:]:
            yield [(" " * indent + more, "")]
        extra = second_line(event, timeline.file_of(event))
        if extra:
            for piece in wrap(extra, title_width):
                yield [(" " * indent + piece, "dim")]
        for other in timeline.same.get(event.id, ()):
            for piece in wrap(same_line(timeline, other), title_width):
                yield [(" " * indent + piece, "dim")]
        if history and event.history:
            for piece in wrap(history_line(event), title_width):
                yield [(" " * indent + piece, "dim")]
        annotation = annotations.get(event.id) if annotations else None
        if annotation is not None:
            for text in annotation_lines(annotation):
                for piece in wrap(text, title_width):
                    yield [(" " * indent + piece, "yellow")]


def same_line(timeline: Timeline, other: Event) -> str:
    """One of the events marked the same as the one shown: `same as: <title> (b.csv)`."""
    file = timeline.file_of(other)
    return f"same as: {other.title} ({file + ': ' if file else ''}{other.id})"


def _status_on(event: Event, as_of: int) -> Status | None:
    from ..model.provenance import status_on  # only for an `asof:` query

    return status_on(event, as_of)


def history_line(event: Event) -> str:
    """`history: 11 Jan 2025 reported by Zelenskyy → 12 Jan 2025 confirmed by NIS`"""
    from ..model.provenance import step_text

    steps = []
    for change in event.history:
        note = f" ({' '.join(change.note.split())})" if change.note else ""
        steps.append(step_text(change) + note)
    return "history: " + " → ".join(steps)


def annotation_lines(annotation: Annotation) -> list[str]:
    """`★ starred · labels: verify` and `note: …`, one line each, data text cleaned."""
    marks = ["★ starred"] if annotation.starred else []
    if annotation.labels:
        marks.append("labels: " + ", ".join(clean_text(label) for label in annotation.labels))
    lines = [" · ".join(marks)] if marks else []
    if annotation.note.strip():
        lines.append("your note: " + " ".join(clean_text(annotation.note, multiline=True).split()))
    return lines


def plain(line: Line) -> str:
    return "".join(text for text, _ in line).rstrip()
