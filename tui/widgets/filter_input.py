"""The filter bar: an Input that remembers the filters used on this file (↑ and ↓ go
through them, like a shell's history). Enter and Esc leave it for the screen's list
(the screen's `leave_filter` action)."""

from __future__ import annotations

from textual.binding import Binding

from .text_boxes import TextBox

HISTORY_LENGTH = 100


class FilterInput(TextBox):
    BINDINGS = [
        Binding("up", "history(-1)", "Earlier filter", show=False, id="filter.earlier"),
        Binding("down", "history(1)", "Later filter", show=False, id="filter.later"),
        # Priority, so that the list has the focus before the app sends on the next key
        # (a `j` typed right after Enter moves the cursor; it is not typed in the bar).
        Binding(
            "enter,escape", "screen.leave_filter", show=False, priority=True, id="filter.leave"
        ),
    ]

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id)
        self.history: list[str] = []
        """Oldest first."""
        self._at: int | None = None
        """Where in the history ↑ and ↓ are (None: at the text being typed)."""
        self._draft = ""

    def remember(self, text: str) -> bool:
        """Add a filter used; whether the history changed."""
        text = text.strip()
        self._at = None
        if not text or (self.history and self.history[-1] == text):
            return False
        if text in self.history:
            self.history.remove(text)
        self.history.append(text)
        del self.history[:-HISTORY_LENGTH]
        return True

    def action_history(self, step: int) -> None:
        if not self.history:
            return
        if self._at is None:
            if step > 0:
                return
            self._draft = self.value
            at = len(self.history) - 1
        else:
            at = self._at + step
        if at >= len(self.history):
            self._at = None
            self.value = self._draft
        else:
            self._at = max(at, 0)
            self.value = self.history[self._at]
        self.cursor_position = len(self.value)
