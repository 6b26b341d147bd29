"""How sure, on what source, since when (DESIGN.md §7): what is computed from an event's
citations and status history, not typed into the file.

Corroboration is the number of independent sources: citations are the same source
when they share a publisher (or, without one, a link's host), the same link, or the
same quote (a syndicated copy counts once). Grades are the Admiralty code's: a named
source's `reliability` (A best … E, F cannot be judged) and a citation's `credibility`
(1 best … 5, 6 cannot be judged); an event's is the best among its citations."""

from __future__ import annotations

from typing import Final

from .events import (
    STATUS_LABELS,
    Event,
    SourceRef,
    Status,
    StatusChange,
    Timeline,
    best_credibility,
    best_reliability,
    independent_sources,
)

__all__ = [
    "CREDIBILITY_MEANINGS",
    "RELIABILITY_MEANINGS",
    "best_credibility",
    "best_reliability",
    "grade_text",
    "independent_sources",
    "status_on",
    "step_text",
]

RELIABILITY_MEANINGS: Final = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY_MEANINGS: Final = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}


def grade_text(timeline: Timeline, ref: SourceRef) -> str:
    """`B2` (the Admiralty code: the source's reliability, the information's credibility),
    or the half that is given: `B`, `2`; empty when neither is."""
    named = timeline.named_source(ref)
    reliability = named.reliability if named is not None and named.reliability else ""
    credibility = str(ref.credibility) if ref.credibility is not None else ""
    return reliability + credibility


def status_on(event: Event, day_end: int) -> Status | None:
    """The event's status as known before `day_end` (seconds): the latest step of its
    history whose whole date had passed by then (a step without a status, a revised
    figure, keeps the one before), else what its history says first, else `status`."""
    steps = sorted(
        (change for change in event.history if change.status is not None),
        key=lambda change: change.date.known_by,
    )
    if not steps:
        return event.status
    known: list[StatusChange] = [step for step in steps if step.date.known_by < day_end]
    return (known[-1] if known else steps[0]).status


def step_text(change: StatusChange) -> str:
    """`12 Jan 2025 confirmed by South Korea NIS`: a step of a status history, its note
    left to the caller."""
    step = change.date.display()
    if change.status is not None:
        step += " " + STATUS_LABELS[change.status]
    if change.by:
        step += " by " + ", ".join(change.by)
    return step
