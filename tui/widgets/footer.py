"""The key footer, made again only when the keys it shows change.

Textual's footer makes all its keys again each time the screen says its bindings
changed, and one change of focus says so three times (the focus, then after the next
frame again; at start-up the screen stack too). At start-up that was three makings of
every key, about 11 ms each, two of them before the first frame. This one makes them
only if what they would show is not what it shows already."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    _shown: Hashable = None

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._make_keys)

    async def _make_keys(self) -> None:
        if not self.is_attached:  # its screen was closed before the frame
            return
        shown = tuple(
            (binding.key, binding.action, binding.description, enabled, tooltip)
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        if shown != self._shown:
            self._shown = shown
            await self.recompose()
