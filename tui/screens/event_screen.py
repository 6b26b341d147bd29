"""The whole event, with its related events to follow (Enter) and come back from
(Escape), like a browser's history."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..model.describe import event_as_text
from ..model.events import Event, Timeline
from ..model.sidecar import Annotation
from ..model.text import clean_text
from ..widgets.event_view import event_content, link_label
from ..widgets.footer import KeysFooter


class EventScreen(Screen[str | None]):
    """Dismisses with the id of the event last shown, so the list can follow."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="event.back"),
        Binding("backspace", "back", "Back", show=False, id="event.back2"),
        Binding("y", "copy", "Copy", id="event.copy"),
        Binding("o", "open_link", "Open link", id="event.open_link"),
        Binding("q", "app.quit", "Quit", id="event.quit"),
    ]

    def __init__(
        self,
        timeline: Timeline,
        event: Event,
        annotations: Mapping[str, Annotation] | None = None,
    ) -> None:
        """`annotations`: the analyst's notes, stars and labels, by id."""
        super().__init__()
        self.timeline = timeline
        self.annotations = annotations or {}
        self.event = event
        self.history: list[Event] = []

    def compose(self) -> ComposeResult:
        yield Static(id="event-trail")
        with VerticalScroll(id="event-body"):
            yield Static(id="event-content")
        yield Static(
            Content.styled("Related events  (Enter to follow, Esc to go back)", "$text-muted"),
            id="related-title",
        )
        yield OptionList(id="related")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show()

    def _show(self) -> None:
        event = self.event
        steps = [*self.history, event]
        trail = " › ".join(_short(e.title, 28) for e in steps[:-1]) + (
            " › " if len(steps) > 1 else ""
        )
        trail += event.title
        self.query_one("#event-trail", Static).update(Content.styled(trail, "$text-muted"))
        self.query_one("#event-content", Static).update(
            event_content(
                self.timeline, event, full=True, annotation=self.annotations.get(event.id)
            )
        )
        self.query_one("#event-body", VerticalScroll).scroll_home(animate=False)
        related = self.query_one("#related", OptionList)
        related.clear_options()
        links = self.timeline.links(event)
        for link in links:
            missing = self.timeline.get(link.target) is None
            related.add_option(
                Option(link_label(self.timeline, link), id=link.target, disabled=missing)
            )
        self.query_one("#related-title").display = bool(links)
        related.display = bool(links)
        if links:
            related.highlighted = 0
            related.focus()

    def reloaded(self, timeline: Timeline) -> None:
        """The file changed: show the same events as they now are. One that is gone
        stays as last read, and the user is told."""
        self.timeline = timeline
        self.history = [timeline.get(e.id) or e for e in self.history]
        current = timeline.get(self.event.id)
        if current is None:
            self.app.notify(
                "This event is no longer in the file; showing it as last read.",
                severity="warning",
                markup=False,
            )
        else:
            self.event = current
        self._show()

    @on(OptionList.OptionSelected, "#related")
    def follow(self, message: OptionList.OptionSelected) -> None:
        target = self.timeline.get(message.option.id or "")
        if target is not None:
            self.history.append(self.event)
            self.event = target
            self._show()

    def action_back(self) -> None:
        if self.history:
            self.event = self.history.pop()
            self._show()
        else:
            self.dismiss(self.event.id)

    def action_copy(self) -> None:
        copy_event(self.app, self.timeline, self.event)

    def action_open_link(self) -> None:
        open_event_link(self.app, self.timeline, self.event)


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def copy_event(app: App[Any], timeline: Timeline, event: Event) -> None:
    """Send the event, as plain text, to the clipboard through the terminal (OSC 52).
    Nothing says whether the terminal let it through, so the message does not claim it."""
    app.copy_to_clipboard(event_as_text(timeline, event))
    app.notify(f"Sent the event to the terminal's clipboard. {clipboard_advice()}", markup=False)


def clipboard_advice() -> str:
    """What to do if the text does not arrive: under tmux, its own setting decides."""
    if os.environ.get("TMUX"):
        return "If it does not arrive, tmux must allow it: set -g set-clipboard on"
    return "If it does not arrive, the terminal does not allow programs to set it."


WEB_SCHEMES = ("http", "https")
"""The only links opened: a file's `file:`, `javascript:` or custom-scheme link could
start a program on this machine, and the file is not ours to trust."""


def open_event_link(app: App[Any], timeline: Timeline, event: Event) -> None:
    """Open the first web link among the event's sources; say why if there is none."""
    refused: list[str] = []
    for ref in event.sources:
        url = (timeline.source_url(ref) or "").strip()
        if not url:
            continue
        scheme = urlsplit(url).scheme.lower()
        if scheme in WEB_SCHEMES:
            app.open_url(url)
            app.notify(f"Opening {clean_text(url)}", markup=False)
            return
        refused.append(scheme or "no scheme")
    if refused:
        app.notify(
            f"Not opened: only http and https links are opened; this event's link is "
            f"{clean_text(refused[0])[:20]}{':' if refused[0] != 'no scheme' else ''}.",
            severity="warning",
            markup=False,
        )
    else:
        app.notify("This event's sources have no link.", severity="warning", markup=False)
