"""The command palette's event search: type words from a title, jump to the event.

The palette runs `Content.from_markup` on a hit's text when it is a `str` (and on
its help text always), so every title goes in as a `Content`, and help text
is escaped: an event titled `[@click=app.quit]` stays words."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Protocol, cast

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.markup import escape

from ..model.events import STATUS_LABELS
from ..model.text import clean_text

if TYPE_CHECKING:
    from ..model.events import Event, Timeline
    from ..screens.main import MainScreen


class Explorer(Protocol):
    """What the provider needs of the app."""

    @property
    def timeline(self) -> Timeline: ...

    def jump_to_event(self, event_id: str) -> None: ...


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
    def timeline_app(self) -> Explorer:
        return cast("Explorer", self.app)

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


def main_view_commands(main: MainScreen, show_help: Callable[[], None]) -> Iterable[SystemCommand]:
    """The main view's actions, in the palette."""
    for title, help_text, action in (
        ("Go to date", "Jump to the first event on or after a date", main.action_goto_date),
        ("Facets", "Counts per status, kind, tag, actor, place, claimant", main.action_facets),
        ("Replay", "Step through the story as it became known", main.action_replay),
        (
            "Open link",
            "Open the highlighted event's source (http and https only)",
            main.action_open_link,
        ),
        ("Warnings", "The file's warnings, with line and column", main.action_warnings),
        ("Star", "Star the highlighted event (or remove its star)", main.action_star),
        ("Note", "Write or edit the highlighted event's note", main.action_note),
        ("Label", "Add a label to the highlighted event", main.action_label),
        ("Save view", "Save the filter as a named view (@name)", main.action_save_view),
        ("Export view", "Write the shown events to Markdown, text, CSV, JSON", main.action_export),
        (
            "Possible duplicates",
            "Pairs among the shown events that may report the same thing",
            main.action_dupes,
        ),
        (
            "Zoom in",
            "The density strip, around the highlighted event",
            lambda: main.action_zoom(0.5),
        ),
        ("Zoom out", "The density strip", lambda: main.action_zoom(2)),
        ("Help", "Every key", show_help),
    ):
        yield SystemCommand(title, help_text, action)
    if not getattr(main.app, "served", False):
        yield SystemCommand(
            "New event", "Add an event to the file and edit it", main.action_new_event
        )
        yield SystemCommand(
            "Edit in $EDITOR", "The highlighted event in its file", main.action_edit
        )
    for name, query in sorted(main.sidecar.views.items()):
        yield SystemCommand(
            escape(f"View @{clean_text(name)}"),
            escape(f"Filter by the saved view: {clean_text(query)}"),
            partial(main.show_view, name),
        )
