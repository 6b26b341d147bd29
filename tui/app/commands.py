"""The command palette's event search: type words from a title, jump to the event.

The palette runs `Content.from_markup` on a hit's text when it is a `str` (and on
its help text always), so every title goes in as a `Content`, and help text
is escaped: an event titled `[@click=app.quit]` stays words."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from ..model.events import STATUS_LABELS

if TYPE_CHECKING:
    from ..model.events import Event
    from .timeline_app import TimelineApp

MAX_HITS = 40
SCAN_LIMIT = 200_000
"""Fuzzy matching is slow; past this many events only titles containing the
query's first word are scored."""


def highlighted(matcher: Matcher, title: str) -> Content:
    """The title with the matched letters marked, built without parsing markup
    (`Matcher.highlight` parses its argument as markup)."""
    content = Content(title)
    _, offsets = matcher.fuzzy_search.match(matcher.query, title)
    for offset in offsets:
        if not title[offset].isspace():
            content = content.stylize(matcher.match_style or "bold", offset, offset + 1)
    return content


class EventsProvider(Provider):
    @property
    def timeline_app(self) -> TimelineApp:
        return cast("TimelineApp", self.app)

    async def discover(self) -> Hits:
        app = self.timeline_app
        for position in range(min(len(app.timeline), 10)):
            event = app.timeline[position]
            yield DiscoveryHit(
                Content(f"{event.date.display()}  {event.title}"),
                partial(app.jump_to_event, event.id),
                text=event.title,
                help="Go to this event",
            )

    async def search(self, query: str) -> Hits:
        app = self.timeline_app
        matcher = self.matcher(query)
        timeline = app.timeline
        if len(timeline) > SCAN_LIMIT:
            first = query.split()[0].lower() if query.split() else ""
            titles = timeline.column("title")
            found = (i for i, title in enumerate(titles) if first in title.lower())
            candidates: Iterable[Event] = map(timeline.__getitem__, islice(found, SCAN_LIMIT))
        else:
            candidates = timeline
        hits = 0
        for event in candidates:
            score = matcher.match(event.title)
            if score > 0:
                yield Hit(
                    score,
                    highlighted(matcher, event.title),
                    partial(app.jump_to_event, event.id),
                    text=event.title,
                    help=escape(f"{event.date.display()} · {STATUS_LABELS[event.status]}"),
                )
                hits += 1
                if hits >= MAX_HITS:
                    return
