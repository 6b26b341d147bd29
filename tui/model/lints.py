"""What `timeline validate` warns of in how sure a file says it is (DESIGN.md §7):
`confirmed` on fewer than two independent sources, `claimed` without `claimed_by`, a
linked source without an archived copy, a `status` that is not its history's latest,
a relation whose order the dates contradict."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from .events import Event, Timeline
from .problems import Problem, Severity
from .provenance import independent_sources
from .validation import key_path

ORDERED_RELATIONS: Final = {"follows": 1, "responds-to": 1, "followed-by": -1, "response": -1}
"""Relations that say which event came first: 1, this one after its target; -1, before."""


def lints(timeline: Timeline, in_file: Iterable[tuple[int, Event]] | None = None) -> list[Problem]:
    """What `validate` warns of in how sure the file says it is (DESIGN.md §7): each a
    warning at its JSON path. `in_file`: each event with its index in the file's
    `events` (else its `order`, which the checking loader sets)."""
    problems: list[Problem] = []

    def warn(path: str, event: Event, message: str) -> None:
        problems.append(Problem(Severity.WARNING, f'event "{event.id[:40]}": {message}', path))

    for key, source in timeline.sources.items():
        if source.url and not source.archived:
            problems.append(
                Problem(
                    Severity.WARNING,
                    f'source "{key[:40]}" has a `url` but no `archived` copy: links rot;'
                    " keep one (`archived`, `captured`, `sha256`)",
                    key_path("$.sources", key) + ".url",
                )
            )
    indexed = in_file if in_file is not None else ((e.order, e) for e in timeline.events)
    for index, event in indexed:
        path = f"$.events[{index}]"
        if event.status is not None and event.status.value == "confirmed":
            count = independent_sources(timeline, event)
            if count < 2:
                warn(
                    f"{path}.status",
                    event,
                    f"`confirmed` on {count} independent source{'s' if count != 1 else ''};"
                    " confirmed needs two or more (else: reported)",
                )
        if event.status is not None and event.status.value == "claimed" and not event.claimed_by:
            warn(f"{path}.status", event, "`claimed` without `claimed_by`: who claims it?")
        steps = [change for change in event.history if change.status is not None]
        if steps and event.status is not None:
            latest = max(steps, key=lambda change: change.date.known_by)
            if latest.status != event.status:
                assert latest.status is not None
                warn(
                    f"{path}.status",
                    event,
                    f"`status` is {event.status.value}, but the latest in `history` is"
                    f" {latest.status.value} ({latest.date.display()})",
                )
        for i, relation in enumerate(event.related):
            direction = ORDERED_RELATIONS.get(relation.rel)
            target = timeline.get(relation.id)
            if direction is None or target is None:
                continue
            first, then = (target, event) if direction == 1 else (event, target)
            if then.date.latest < first.date.earliest:
                warn(
                    f"{path}.related[{i}]",
                    event,
                    f'it {relation.rel} "{relation.id[:40]}", but the dates say otherwise'
                    f" ({event.date.display()} and {target.date.display()})",
                )
    return problems
