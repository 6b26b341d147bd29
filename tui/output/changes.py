"""`timeline diff`: what changed between two days, as text, Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..model.changes import Changes, Revision, StatusMove
from ..model.events import STATUS_LABELS, Event, Status
from ..model.text import plural
from .markdown import md


def _status(status: Status | None) -> str:
    return STATUS_LABELS[status]


def _move_text(move: StatusMove) -> str:
    text = f"{_status(move.before)} → {_status(move.after)}"
    step = move.step
    if step is not None:
        text += f" on {step.date.display()}"
        if step.by:
            text += f", by {', '.join(step.by)}"
    return text


def _revision_text(revision: Revision) -> str:
    """`about 300 killed (13 Jan 2025, by South Korea NIS; before: about 100 killed)`"""
    step = revision.step
    said = [step.date.display()]
    if step.by:
        said[0] += f", by {', '.join(step.by)}"
    if revision.previous:
        said.append(f"before: {revision.previous}")
    return f"{step.note} ({'; '.join(said)})"


def changes_text(title: str, span: str, changes: Changes) -> Iterator[str]:
    yield title
    yield f"What changed {span}"
    sections: list[tuple[str, list[str]]] = [
        (
            "Became known",
            [f"  {_date(e)}  {_status(e.status):<10} {e.title}" for e in changes.known],
        ),
        (
            "Changed status",
            [f"  {_date(m.event)}  {m.event.title}: {_move_text(m)}" for m in changes.moved],
        ),
        (
            "Revised",
            [f"  {_date(r.event)}  {r.event.title}: {_revision_text(r)}" for r in changes.revised],
        ),
    ]
    if not changes:
        yield ""
        yield "Nothing became known, changed status or was revised."
    for heading, lines in sections:
        if lines:
            yield ""
            yield f"{heading} ({len(lines)})"
            yield from lines


def changes_markdown(title: str, span: str, changes: Changes) -> Iterator[str]:
    yield f"# {md(title)}"
    yield ""
    yield f"What changed {md(span)}: {plural(len(changes.known), 'event')} became known,"
    yield f"{len(changes.moved)} changed status, {len(changes.revised)} revised."
    if changes.known:
        yield ""
        yield "## Became known"
        yield ""
        for e in changes.known:
            yield f"- **{md(_date(e))}** · {_status(e.status)} · {md(e.title)}"
    if changes.moved:
        yield ""
        yield "## Changed status"
        yield ""
        for m in changes.moved:
            yield f"- **{md(_date(m.event))}** · {md(m.event.title)}: {md(_move_text(m))}"
    if changes.revised:
        yield ""
        yield "## Revised"
        yield ""
        for r in changes.revised:
            yield f"- **{md(_date(r.event))}** · {md(r.event.title)}: {md(_revision_text(r))}"


def changes_json(start: str, end: str, changes: Changes) -> str:
    document = {
        "after": start,
        "until": end,
        "known": [_event_ref(e) for e in changes.known],
        "status_changes": [
            {
                **_event_ref(m.event),
                "from": m.before.value if m.before else None,
                "to": m.after.value if m.after else None,
                "on": m.step.date.to_text() if m.step else None,
                "by": list(m.step.by) if m.step else [],
            }
            for m in changes.moved
        ],
        "revisions": [
            {
                **_event_ref(r.event),
                "on": r.step.date.to_text(),
                "note": r.step.note,
                "before": r.previous,
                "by": list(r.step.by),
            }
            for r in changes.revised
        ],
    }
    return json.dumps(document, indent=2)  # ASCII: no data text a terminal acts on


def _event_ref(event: Event) -> dict[str, str | None]:
    return {
        "id": event.id,
        "date": event.date.to_text(),
        "title": event.title,
        "status": event.status.value if event.status else None,
    }


def _date(event: Event) -> str:
    shown = event.date.display()
    return shown.rjust(11) if len(shown) < 11 else shown
