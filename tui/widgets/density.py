"""The density strip: events per period across the whole span (or, zoomed with z and Z,
a part of it around the cursor), the cursor's period marked. A span chosen on it (a drag,
or v then moves) becomes the filter's `after:` and `before:`."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import Final

from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..model.dates import DAY
from ..model.events import Timeline
from ..output.density import Buckets

BLOCKS = " ▁▂▃▄▅▆▇█"
LEAST_WINDOW = 7 * DAY
"""Zooming in stops at a week."""


class DensityStrip(Widget, can_focus=False):
    """Two lines: bars of events per period, then the years and the cursor's mark."""

    BINDINGS = [
        Binding("left,h", "move_span(-1)", "Narrower", show=False, id="density.left"),
        Binding("right,l", "move_span(1)", "Wider", show=False, id="density.right"),
        Binding("enter", "end_span(True)", "Filter by the span", id="density.choose"),
        Binding("escape", "end_span(False)", "Cancel", id="density.cancel"),
    ]
    COMPONENT_CLASSES = {
        "density--bar",
        "density--cursor",
        "density--axis",
        "density--empty",
        "density--span",
    }
    DEFAULT_CSS = "DensityStrip { height: 2; }"

    class Jump(Message):
        """A click on the strip: go to the first event at or after `seconds`."""

        def __init__(self, seconds: int) -> None:
            super().__init__()
            self.seconds = seconds

    class SpanChosen(Message):
        """A span chosen on the strip: the events from `start` to before `end` (seconds)."""

        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

    class SpanLeft(Message):
        """Choosing a span was given up."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline = Timeline([])
        self.positions: Sequence[int] = []
        self._starts: Sequence[int] = []
        """The shown events' starts: counted again on a resize, never looked up again."""
        self.cursor_seconds: int | None = None
        self._buckets: Buckets | None = None
        self._counts: list[int] = []
        self._cell = 1
        self.window: tuple[int, int] | None = None
        """The part of the span shown, zoomed (None: all of it)."""
        self.span: tuple[int, int] | None = None
        """The buckets of a span being chosen: where it began, where it ends now."""
        self._dragging = False

    def show(
        self, timeline: Timeline, positions: Sequence[int], starts: Sequence[int] | None = None
    ) -> None:
        """`starts`: the shown events' starts, if already found (by the list's layout)."""
        self.timeline = timeline
        self.positions = positions
        self._starts = starts if starts is not None else timeline.shown(timeline.starts, positions)
        self._recount()

    def mark(self, seconds: int | None) -> None:
        if seconds != self.cursor_seconds:
            self.cursor_seconds = seconds
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._recount()

    def full_span(self) -> tuple[int, int] | None:
        events_ = self.timeline.events
        if not events_:
            return None
        return events_[0].date.sort_start, events_[-1].date.sort_start

    def _recount(self) -> None:
        width = max(self.size.width - 1, 1)
        full = self.full_span()
        if full is None:
            self._buckets, self._counts = None, []
        else:
            start, end = self.window or full
            self._buckets = Buckets(start, end, width)
            starts = self._starts
            if self.window is not None:  # only the events inside it (a copy: zoomed, few)
                first = self._buckets.start_of(0)
                last = self._buckets.end_of(self._buckets.count - 1)
                starts = starts[bisect_left(starts, first) : bisect_left(starts, last)]
            self._counts = self._buckets.counts(starts)
            self._cell = max(width // self._buckets.count, 1)
        self.refresh()

    # Zoom

    def zoom(self, factor: float, around: int | None) -> None:
        """Show `factor` times the span shown now (½: zoom in), centred on `around`; the
        whole span again once that is at least all of it."""
        full = self.full_span()
        if full is None:
            return
        start, end = self.window or full
        size = max(round((end - start) * factor), LEAST_WINDOW)
        if size >= full[1] - full[0]:
            self.window = None
        else:
            centre = around if around is not None else (start + end) // 2
            low = min(max(centre - size // 2, full[0]), full[1] - size)
            self.window = (low, low + size)
        self.span = None
        self._recount()

    # Choosing a span

    def begin_span(self, seconds: int | None) -> None:
        """`v`: a span begins at the cursor's period; ← and → move its end, Enter filters
        by it, Esc leaves it (the strip has the keys until then)."""
        if self._buckets is None:
            return
        at = self._buckets.index(seconds) if seconds is not None else 0
        self.span = (at, at)
        self.can_focus = True
        self.screen.set_focus(self)  # at once: the keys typed with `v` are the strip's
        self.refresh()

    def check_consume_key(self, key: str, character: str | None) -> bool:
        """Its own keys while a span is being chosen (it has the focus only then): the
        screen's priority `l` (a label) is not run, the strip's `l` widens the span."""
        return self.span is not None and key in _SPAN_KEYS

    def action_move_span(self, step: int) -> None:
        self.move_span(step)

    def action_end_span(self, choose: bool) -> None:
        self.end_span(choose)

    def move_span(self, step: int) -> None:
        if self.span is None or self._buckets is None:
            return
        begin, end = self.span
        self.span = (begin, min(max(end + step, 0), self._buckets.count - 1))
        self.refresh()

    def span_seconds(self) -> tuple[int, int] | None:
        """The chosen span: its first second, and the first second after it."""
        if self.span is None or self._buckets is None:
            return None
        low, high = sorted(self.span)
        return self._buckets.start_of(low), self._buckets.end_of(high)

    def end_span(self, choose: bool) -> None:
        chosen = self.span_seconds()
        self.span = None
        self.can_focus = False
        self.refresh()
        self.post_message(self.SpanChosen(*chosen) if choose and chosen else self.SpanLeft())

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self._buckets is None:
            return Strip.blank(width, base)
        style = self.get_component_rich_style
        buckets, cell = self._buckets, self._cell
        cursor = -1
        seconds = self.cursor_seconds
        if seconds is not None and buckets.start_of(0) <= seconds < buckets.end_of(
            buckets.count - 1
        ):
            cursor = buckets.index(seconds)
        low, high = sorted(self.span) if self.span is not None else (-1, -1)
        segments: list[Segment] = []
        if y == 0:
            peak = max(self._counts) or 1
            for i, count in enumerate(self._counts):
                level = 0 if count == 0 else max(1, round(count / peak * 8))
                char = BLOCKS[level] if count else "·"
                component = (
                    "density--span"
                    if low <= i <= high
                    else "density--cursor"
                    if i == cursor
                    else "density--bar"
                    if count
                    else "density--empty"
                )
                segments.append(Segment(char * cell, base + style(component)))
        else:
            axis = [" "] * (buckets.count * cell)
            marker = min(cursor * cell, len(axis) - 1) if cursor >= 0 else -1
            edge = 1 if self.window is not None else 0  # room for ◀ and ▶ when zoomed
            for i in range(buckets.count):
                label = buckets.label(i)
                # A label that would run off the end ends at the edge instead.
                start = max(min(i * cell, len(axis) - len(label) - edge), edge)
                if start <= marker < start + len(label):
                    start = marker + 1  # the label steps aside for the cursor's mark
                end = start + len(label)
                free = all(c == " " for c in axis[max(start - 1, 0) : end])
                if label and start >= 0 and end <= len(axis) - edge and free:
                    axis[start:end] = list(label)
            if self.window is not None and axis:  # more of the span either side
                axis[0], axis[-1] = "◀", "▶"
            text = "".join(axis)
            axis_style = base + style("density--axis")
            if marker < 0:
                segments = [Segment(text, axis_style)]
            else:
                segments = [
                    Segment(text[:marker], axis_style),
                    Segment("▲", base + style("density--cursor")),
                    Segment(text[marker + 1 :], axis_style),
                ]
        return Strip(segments).crop(0, width).adjust_cell_length(width, base)

    # The mouse: a click jumps, a drag chooses a span

    def _bucket_at(self, event: events.MouseEvent) -> int | None:
        if self._buckets is None:
            return None
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return min(max(offset.x, 0) // self._cell, self._buckets.count - 1)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        at = self._bucket_at(event)
        if at is not None:
            self._dragging = True
            self.span = (at, at)
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging or self.span is None:
            return
        at = self._bucket_at(event)
        if at is not None and at != self.span[1]:
            self.span = (self.span[0], at)
            self.refresh()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if self.span is not None and self.span[0] != self.span[1]:
            self.end_span(choose=True)
        elif self.span is not None and self._buckets is not None:
            bucket = self.span[0]
            self.span = None
            self.refresh()
            self.post_message(self.Jump(self._buckets.start_of(bucket)))


_SPAN_KEYS: Final = frozenset(
    key
    for binding in DensityStrip.BINDINGS
    if isinstance(binding, Binding)
    for key in binding.key.split(",")
)
"""The keys the strip binds: its own while a span is being chosen."""
