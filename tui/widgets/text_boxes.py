"""Text boxes whose bound keys keep their place among the characters typed.

Textual runs a box's bound keys (Backspace, ←, Ctrl+W, …) only once the key has bubbled
up to the app, after the characters that came in the same read are already typed:
"ab", Backspace, "c" made "ab", not "ac" (Textual issue #6605). These boxes run them as
they take them."""

from __future__ import annotations

from typing import Final

from textual import events
from textual.widget import Widget
from textual.widgets import Input, TextArea


async def ran_own_binding(box: Widget, event: events.Key) -> bool:
    """Run the box's own (not priority) binding for a key that types nothing; whether
    one ran, and so took the key."""
    if event.is_printable:
        return False
    for binding in box._bindings.key_to_bindings.get(event.key, ()):
        if not binding.priority and await box.app.run_action(binding.action, box):
            event.stop()
            event.prevent_default()
            return True
    return False


UNNAMED_CHARACTERS: Final = {
    "plus": "+", "minus": "-", "slash": "/", "at": "@", "backslash": "\\", "underscore": "_"
}  # fmt: skip
"""The keys whose character Textual can't name back (`key_to_character("slash")` is None:
Unicode calls it SOLIDUS). A box takes these too, before a priority binding does."""


class TextBox(Input):
    """A one-line box."""

    async def _on_key(self, event: events.Key) -> None:
        if not await ran_own_binding(self, event):
            await super()._on_key(event)

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """A character it types, including those Textual can't name: the screen's
        priority `/` is not run while the filter bar has the focus (`url:https://…`)."""
        return super().check_consume_key(key, character or UNNAMED_CHARACTERS.get(key))


class NoteBox(TextArea):
    """A box of several lines."""

    async def _on_key(self, event: events.Key) -> None:
        if not await ran_own_binding(self, event):
            await super()._on_key(event)
