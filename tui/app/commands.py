"""The command palette's event search: type words from a title, jump to the event."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .timeline_app import TimelineApp

MAX_HITS = 40
SCAN_LIMIT = 200_000
"""Fuzzy matching is slow; past this many events only titles containing the
query's first word are scored."""


class EventsProvider(Provider):
    @property
    def timeline_app(self) -> TimelineApp:
        return cast("TimelineApp", self.app)

    async def discover(self) -> Hits:
        app = self.timeline_app
        event_list_positions = range(min(len(app.timeline), 10))
        for position in event_list_positions:
            event = app.timeline[position]
            yield DiscoveryHit(
                f"{event.date.display()}  {event.title}",
                partial(app.jump_to_event, event.id),
                help="Go to this event",
            )

    async def search(self, query: str) -> Hits:
        app = self.timeline_app
        matcher = self.matcher(query)
        events = app.timeline.events
        if len(events) > SCAN_LIMIT:
            first = query.split()[0].lower() if query.split() else ""
            candidates = [e for e in events if first in e.title.lower()][:SCAN_LIMIT]
        else:
            candidates = events
        hits = 0
        for event in candidates:
            score = matcher.match(event.title)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(event.title),
                    partial(app.jump_to_event, event.id),
                    text=event.title,
                    help=f"{event.date.display()} · {event.status.value}",
                )
                hits += 1
                if hits >= MAX_HITS:
                    return
