"""The density strip: events per period across the whole span, the cursor's period marked."""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from ..model.events import Timeline
from ..output.density import Buckets

BLOCKS = " ▁▂▃▄▅▆▇█"


class DensityStrip(Widget):
    """Two lines: bars of events per period, then the years and the cursor's mark."""

    COMPONENT_CLASSES = {"density--bar", "density--cursor", "density--axis", "density--empty"}
    DEFAULT_CSS = "DensityStrip { height: 2; }"

    class Jump(Message):
        """A click on the strip: go to the first event at or after `seconds`."""

        def __init__(self, seconds: int) -> None:
            super().__init__()
            self.seconds = seconds

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

    def _recount(self) -> None:
        events_ = self.timeline.events
        width = max(self.size.width - 1, 1)
        if not events_:
            self._buckets, self._counts = None, []
        else:
            start, end = events_[0].date.sort_start, events_[-1].date.sort_start
            self._buckets = Buckets(start, end, width)
            self._counts = self._buckets.counts(self._starts)
            self._cell = max(width // self._buckets.count, 1)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if self._buckets is None:
            return Strip.blank(width, base)
        style = self.get_component_rich_style
        buckets, cell = self._buckets, self._cell
        cursor = buckets.index(self.cursor_seconds) if self.cursor_seconds is not None else -1
        segments: list[Segment] = []
        if y == 0:
            peak = max(self._counts) or 1
            for i, count in enumerate(self._counts):
                level = 0 if count == 0 else max(1, round(count / peak * 8))
                char = BLOCKS[level] if count else "·"
                component = (
                    "density--cursor"
                    if i == cursor
                    else "density--bar"
                    if count
                    else "density--empty"
                )
                segments.append(Segment(char * cell, base + style(component)))
        else:
            axis = [" "] * (buckets.count * cell)
            marker = min(cursor * cell, len(axis) - 1) if cursor >= 0 else -1
            for i in range(buckets.count):
                label = buckets.label(i)
                # A label that would run off the end ends at the edge instead.
                start = min(i * cell, len(axis) - len(label))
                if start <= marker < start + len(label):
                    start = marker + 1  # the label steps aside for the cursor's mark
                end = start + len(label)
                free = all(c == " " for c in axis[max(start - 1, 0) : end])
                if label and start >= 0 and end <= len(axis) and free:
                    axis[start:end] = list(label)
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

    def on_click(self, event: events.Click) -> None:
        if self._buckets is None:
            return
        offset = event.get_content_offset(self)
        if offset is None:
            return
        bucket = min(offset.x // self._cell, self._buckets.count - 1)
        self.post_message(self.Jump(self._buckets.start_of(bucket)))
