"""`t`: ask for a date, typed the way the filter's dates are."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..model.dates import When
from ..model.events import Timeline
from ..model.query import QueryError, parse_date_value
from ..widgets.text_boxes import TextBox


class GotoScreen(ModalScreen[When | None]):
    BINDINGS = [Binding("escape", "dismiss", "Cancel", id="goto.cancel")]

    def __init__(self, timeline: Timeline) -> None:
        super().__init__()
        self.timeline = timeline

    def compose(self) -> ComposeResult:
        with Vertical(id="goto-box"):
            yield Static(Content.styled("Go to a date", "bold"))
            yield TextBox(placeholder="2025-01-09, jan 9, oct-2024, 2022 …", id="goto-input")
            yield Static(id="goto-error")

    def on_input_submitted(self, message: Input.Submitted) -> None:
        text = message.value.strip()
        if not text:
            self.dismiss(None)
            return
        try:
            when = parse_date_value(text, 1, self.timeline)
        except QueryError as exc:
            self.query_one("#goto-error", Static).update(Content.styled(exc.message, "$error"))
            return
        self.dismiss(when)
