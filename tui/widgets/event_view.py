"""An event as styled Content, built from plain strings: data text is never
parsed as markup. Used by the detail pane (short) and the event screen (full)."""

from __future__ import annotations

import msgspec
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..model.dates import DateError, parse_when
from ..model.describe import date_line, place_line
from ..model.events import (
    STATUS_LABELS,
    STATUS_MARKS,
    STATUS_MEANINGS,
    Event,
    Link,
    SourceRef,
    Status,
    StatusChange,
    Timeline,
    unknown_keys,
)
from ..model.provenance import (
    CREDIBILITY_MEANINGS,
    RELIABILITY_MEANINGS,
    grade_text,
    independent_sources,
    status_on,
)
from ..model.sidecar import Annotation
from ..model.text import clean_text, plural
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


def source_content(
    timeline: Timeline, ref: SourceRef, *, full: bool
) -> list[Content | str | tuple[str, str]]:
    """`(Title · B2 · archived 13 Jan 2025)`: the source, its Admiralty grade, the copy
    kept; in full, the links and the copy's hash too."""
    named = timeline.named_source(ref)
    inside = [timeline.source_label(ref)]
    grade = grade_text(timeline, ref)
    if grade:
        inside.append(grade)
    if named is not None and (named.archived or named.captured):
        captured = _date_or_text(named.captured) if named.captured else ""
        inside.append(f"archived {captured}".strip())
    parts: list[Content | str | tuple[str, str]] = [(f"({' · '.join(inside)})", LABEL)]
    if full:
        url = timeline.source_url(ref)
        links = [("", url), ("archived copy ", named.archived if named else None)]
        for label, link in links:
            if link:
                parts += ["\n  ", (label, LABEL), link]
        if named is not None and named.sha256:
            parts += ["\n  ", ("sha256 ", LABEL), named.sha256]
        if grade:
            meanings = []
            if named is not None and named.reliability:
                meanings.append(f"source {RELIABILITY_MEANINGS[named.reliability]}")
            if ref.credibility is not None:
                meanings.append(f"information {CREDIBILITY_MEANINGS[ref.credibility]}")
            parts += ["\n  ", (f"{grade}: {', '.join(meanings)}", LABEL)]
    return parts


def history_content(change: StatusChange) -> Content:
    """`12 Jan 2025  ✓ confirmed  by South Korea NIS: note`"""
    pieces: list[Content | str | tuple[str, str]] = [(f"  {change.date.display()}  ", "bold")]
    if change.status is not None:
        pieces.append(status_content(change.status))
    if change.by:
        pieces += [(" by ", LABEL), ", ".join(change.by)]
    if change.note:
        pieces += [(": ", LABEL), change.note]
    return Content.assemble(*pieces)


def _date_or_text(text: str) -> str:
    try:
        return parse_when(text).display()
    except DateError:
        return text


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
    timeline: Timeline,
    event: Event,
    *,
    full: bool,
    annotation: Annotation | None = None,
    as_of: int | None = None,
) -> Content:
    """`as_of` (seconds, the end of a replay's day): the status as known then."""
    status = event.status if as_of is None else status_on(event, as_of)
    parts: list[Content | str | tuple[str, str]] = [(event.title, "bold"), "\n"]
    parts += [
        (date_line(event, with_status=False), "bold"),
        (" · ", LABEL),
        status_content(status),
    ]
    if full:
        parts.append((f" ({STATUS_MEANINGS[status]})", LABEL))
    if status != event.status:
        parts += [(" as known then; now ", LABEL), status_content(event.status)]
    parts.append("\n")
    if annotation is not None:  # the analyst's own, first: it is why they came back
        parts += annotation_content(annotation)

    def field(label: str, value: str | None) -> None:
        if value:
            parts.extend([(f"{label} ", LABEL), value, "\n"])

    field("file", timeline.file_of(event))
    field("claimed by", ", ".join(event.claimed_by))
    if event.sources:
        count = independent_sources(timeline, event)
        field("corroboration", f"{plural(count, 'independent source')}")
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
        parts += source_content(timeline, ref, full=full)
        parts.append("\n")
    others = timeline.same.get(event.id, ())
    if others:  # marked the same: shown once, the sources above are all of theirs
        parts += ["\n", ("marked the same as (their sources are listed above)", LABEL), "\n"]
        for other in others:
            file = timeline.file_of(other)
            parts += [status_content(other.status), " ", other.title]
            parts += [(f"  {file + ': ' if file else ''}{other.id}", LABEL), "\n"]
    if event.history:
        parts += ["\n", ("history", LABEL), "\n"]
        for change in event.history:
            parts += [history_content(change), "\n"]
    if event.notes:
        parts += ["\n", ("notes ", LABEL), event.notes, "\n"]
    unknown = list(unknown_keys(event)) if full else []
    if unknown:
        parts += ["\n", ("other fields in the file", LABEL), "\n"]
        for key, value in unknown:
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
        self,
        timeline: Timeline,
        event: Event | None,
        annotation: Annotation | None = None,
        as_of: int | None = None,
    ) -> None:
        body = self.query_one("#detail-body", Static)
        if event is None:
            body.update(Content.styled("No event to show.", LABEL))
        else:
            content = event_content(timeline, event, full=False, annotation=annotation, as_of=as_of)
            body.update(content)
        self.scroll_home(animate=False)
