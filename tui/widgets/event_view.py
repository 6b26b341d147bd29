"""An event as styled Content, built from plain strings: data text is never
parsed as markup. Used by the detail pane (short) and the event screen (full)."""

from __future__ import annotations

import msgspec
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..model.describe import date_line, place_line
from ..model.events import (
    STATUS_LABELS,
    STATUS_MARKS,
    STATUS_MEANINGS,
    Event,
    Link,
    Status,
    Timeline,
)
from ..model.sidecar import Annotation
from ..model.text import clean_text
from ..output.render import STATUS_STYLES

LABEL = "$text-muted"


def status_content(status: Status | None) -> Content:
    return Content.styled(f"{STATUS_MARKS[status]} {STATUS_LABELS[status]}", STATUS_STYLES[status])


def link_label(timeline: Timeline, link: Link) -> Content:
    target = timeline.get(link.target)
    rel = link.rel.replace("-", " ")
    if target is None:
        return Content.assemble(
            ("→ ", LABEL),
            (rel, "italic"),
            (" ", ""),
            (f"{link.target} (not in this file)", "$error"),
        )
    return Content.assemble(
        ("→ ", LABEL),
        (rel, "italic"),
        ("  ", ""),
        (target.date.display(), "bold"),
        (" ", ""),
        (STATUS_MARKS[target.status], STATUS_STYLES[target.status]),
        (" ", ""),
        target.title,
    )


def annotation_content(annotation: Annotation) -> list[Content | str | tuple[str, str]]:
    """The analyst's own marks on the event, set apart from what the file says."""
    parts: list[Content | str | tuple[str, str]] = []
    marks = ["★ starred"] if annotation.starred else []
    marks += [f"#{clean_text(label)}" for label in annotation.labels]
    if marks:
        parts += [(" ".join(marks), "$warning"), "\n"]
    if annotation.note.strip():
        parts += [("your note ", "$warning"), clean_text(annotation.note, multiline=True), "\n"]
    return parts


def event_content(
    timeline: Timeline, event: Event, *, full: bool, annotation: Annotation | None = None
) -> Content:
    parts: list[Content | str | tuple[str, str]] = [(event.title, "bold"), "\n"]
    parts += [
        (date_line(event, with_status=False), "bold"),
        (" · ", LABEL),
        status_content(event.status),
    ]
    if full:
        parts.append((f" ({STATUS_MEANINGS[event.status]})", LABEL))
    parts.append("\n")
    if annotation is not None:  # the analyst's own, first: it is why they came back
        parts += annotation_content(annotation)

    def field(label: str, value: str | None) -> None:
        if value:
            parts.extend([(f"{label} ", LABEL), value, "\n"])

    field("claimed by", ", ".join(event.claimed_by))
    field("place", place_line(event))
    field("actors", ", ".join(event.actors))
    field("tags", " · ".join(event.tags))
    field("kind", event.kind)
    if event.summary:
        parts += ["\n", event.summary, "\n"]
    for ref in event.sources:
        parts.append("\n")
        if ref.quote:
            parts += [(f"“{ref.quote}”", "italic"), " "]
        url = timeline.source_url(ref)
        parts.append((f"({timeline.source_label(ref)}{', ' + url if full and url else ''})", LABEL))
        parts.append("\n")
    if event.notes:
        parts += ["\n", ("notes ", LABEL), event.notes, "\n"]
    if full and event.extra:
        parts += ["\n", ("other fields in the file", LABEL), "\n"]
        for key, value in (event.extra or {}).items():
            # Unknown keys are kept as found, so they are cleaned here, for showing.
            shown = value if isinstance(value, str) else msgspec.json.encode(value).decode()
            parts += [(f"{clean_text(key)}: ", "bold"), clean_text(shown, multiline=True), "\n"]
    if full:
        parts += ["\n", ("id ", LABEL), event.id, "\n"]
    else:
        links = timeline.links(event)
        if links:
            parts.append("\n")
            for link in links:
                parts += [link_label(timeline, link), "\n"]
    return Content.assemble(*parts).rstrip()


class DetailPane(VerticalScroll, can_focus=False):
    """The highlighted event, following the cursor."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show(
        self, timeline: Timeline, event: Event | None, annotation: Annotation | None = None
    ) -> None:
        body = self.query_one("#detail-body", Static)
        if event is None:
            body.update(Content.styled("No event to show.", LABEL))
        else:
            body.update(event_content(timeline, event, full=False, annotation=annotation))
        self.scroll_home(animate=False)
