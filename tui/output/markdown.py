"""The Markdown brief: the timeline as a document to paste into a report."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final

from ..model.dates import DateError, parse_when
from ..model.events import STATUS_LABELS, SourceRef, Timeline
from ..model.provenance import status_on
from ..model.text import plural
from .headings import heading_text, headings
from .render import annotation_lines, history_line, same_line

if TYPE_CHECKING:
    from ..model.sidecar import Annotation

_MARKDOWN_INLINE: Final = re.compile(r"([\\`*_\[\]<>~|])|&(?=#?\w+;)")
"""What starts emphasis, code, a link, HTML, strikethrough or a table cell; `&` only
before what would read as an entity. Parentheses need nothing once `[` is escaped."""
_MARKDOWN_BLOCK_START: Final = re.compile(r"^(\s*(?:\d+(?=[.)]))?)([#>+=.)-])")
"""What makes a paragraph's first characters a heading, quote, list or underline."""


def md(text: str) -> str:
    """Data text made inert in Markdown (no emphasis, links, HTML or block from a data
    file), escaping only where Markdown would act, so the brief reads cleanly as text."""
    text = _MARKDOWN_INLINE.sub(lambda m: "\\" + (m.group(1) or "&"), text)
    return _MARKDOWN_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def markdown_lines(
    timeline: Timeline,
    positions: Sequence[int],
    reverse: bool = False,
    query: str = "",
    *,
    view: Sequence[str] = (),
    annotations: Mapping[str, Annotation] | None = None,
    as_of: int | None = None,
    history: bool = False,
) -> Iterator[str]:
    """A brief: headings by year and month, one list item per event (its details as
    paragraphs within it), sources as footnotes; the filter that made it, if any, and
    what else shaped the `view` (the app's replay day, its context). `annotations`: the
    analyst's stars, labels and notes, with each event."""
    events = list(timeline.events_at(positions))
    if reverse:
        events.reverse()
    yield f"# {md(timeline.title or 'Timeline')}"
    yield ""
    if timeline.description:
        yield md(" ".join(timeline.description.split()))
        yield ""
    made_by = [f"Filtered by `{query.strip().replace('`', '')}`"] if query.strip() else []
    made_by += [md(part) for part in view]
    if made_by:
        count = f"{len(events)} of {plural(len(timeline), 'event')}"
        yield f"{', '.join(made_by)}: {count}."
        yield ""
    heading_before = {index: heading_text(year, month) for index, year, month in headings(events)}
    footnotes: list[str] = []
    for index, event in enumerate(events):
        heading = heading_before.get(index)
        if heading is not None:
            yield f"## {heading}"
            yield ""
        marks = ""
        for ref in event.sources:
            footnotes.append(_footnote(timeline, ref))
            marks += f"[^{len(footnotes)}]"
        status = STATUS_LABELS[event.status if as_of is None else status_on(event, as_of)]
        yield f"- **{md(event.date.display())}** · {status} · {md(event.title)}{marks}"
        file = timeline.file_of(event)
        details = [md(file)] if file else []
        if event.claimed_by:
            details.append("by " + md(", ".join(event.claimed_by)))
        if event.reported is not None and event.reported_differs:
            details.append("known " + md(event.reported.display()))
        if event.place is not None:
            details.append(md(event.place.name))
        paragraphs = [" · ".join(details)] if details else []
        if event.summary:
            paragraphs.append(md(" ".join(event.summary.split())))
        if event.notes:
            paragraphs.append("*Note:* " + md(" ".join(event.notes.split())))
        if history and event.history:
            paragraphs.append(md(history_line(event)))
        paragraphs += [md(same_line(timeline, other)) for other in timeline.same.get(event.id, ())]
        annotation = annotations.get(event.id) if annotations else None
        if annotation is not None:
            paragraphs += [f"*{md(line)}*" for line in annotation_lines(annotation)]
        for paragraph in paragraphs:
            yield ""
            yield "  " + paragraph
        yield ""
    if footnotes:
        for number, text in enumerate(footnotes, 1):
            yield f"[^{number}]: {text}"


def _footnote(timeline: Timeline, ref: SourceRef) -> str:
    """`Title, Publisher, 13 Jan 2025: "quote" <url>`: what a reader needs to find it."""
    named = timeline.named_source(ref)
    parts = [timeline.source_label(ref)]
    if named is not None and named.publisher:
        parts.append(named.publisher)
    if named is not None and named.published:
        parts.append(_published(named.published))
    text = md(", ".join(parts))
    if ref.quote:
        text += f': "{md(ref.quote)}"'
    url = timeline.source_url(ref)
    if url:
        text += f" <{url.replace('>', '%3E').replace(' ', '%20')}>"
    return text


def _published(text: str) -> str:
    """A source's date as shown (`c. 13 Jan 2025`), or as written if it is not one."""
    try:
        return parse_when(text).display()
    except DateError:
        return text
