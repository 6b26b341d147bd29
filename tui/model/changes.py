"""What changed between two days (`timeline diff`, DESIGN.md §7): what became known
(by `reported`, else `date`: an event is known once the whole of it has passed), what
changed status, and what was revised (a step of a status history that says what
changed, a revised figure, without a new status)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .events import Event, Status, StatusChange, Timeline
from .provenance import status_on


@dataclass(frozen=True)
class StatusMove:
    event: Event
    before: Status | None
    after: Status | None
    step: StatusChange | None
    """The history's step that made the change, if it says."""


@dataclass(frozen=True)
class Revision:
    event: Event
    step: StatusChange
    previous: str | None
    """What the step before said (the figure before the revision)."""


@dataclass
class Changes:
    known: list[Event] = field(default_factory=list)
    moved: list[StatusMove] = field(default_factory=list)
    revised: list[Revision] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.known or self.moved or self.revised)


def changes_between(timeline: Timeline, start: int, end: int) -> Changes:
    """Between the end of one day (`start`, seconds) and the end of another (`end`)."""
    changes = Changes()
    known = timeline.known
    for index, event in enumerate(timeline.events):
        became = known[index]
        if became >= end:
            continue  # not known yet
        if became >= start:
            changes.known.append(event)
        if not event.history:
            continue
        before = status_on(event, max(start, became + 1))
        after = status_on(event, end)
        if before != after:
            step = next(
                (
                    s
                    for s in reversed(_in_order(event))
                    if s.status == after and s.date.known_by < end
                ),
                None,
            )
            changes.moved.append(StatusMove(event, before, after, step))
        said: Status | None = None  # what the steps before this one said
        note: str | None = None
        for number, step in enumerate(_in_order(event)):
            in_window = start <= step.date.known_by < end
            same = step.status is None or step.status == said
            if number and in_window and step.note and same:
                changes.revised.append(Revision(event, step, note))
            said = step.status if step.status is not None else said
            note = step.note or note
    return changes


def _in_order(event: Event) -> list[StatusChange]:
    return sorted(event.history, key=lambda step: step.date.known_by)
