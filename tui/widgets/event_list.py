"""The event list: a Line-API ScrollView whose only per-row state is two arrays.

Each visible line is drawn on demand from the RowLayout and cached as a Strip
keyed by what makes it look the way it does; a cursor move refreshes two lines.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Final

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..model.events import STATUS_MARKS, Event, Status, Timeline
from ..model.provenance import independent_sources
from ..model.query import highlight_spans
from ..model.sidecar import Layer
from ..model.text import clean_text
from ..output.render import STATUS_STYLES, cell_width
from ..output.rows import EVENT, GAP, HEADING, RowLayout

DATE_WIDTH = 14
"""The date column's width to begin with: a day (` 9 Jan 2025`) and `c. Dec 2024` fit."""
TITLE_AT_LEAST = 24
"""A longer date widens the column, but never below this much room for the title."""
STATUS_RICH_STYLES = {status: Style.parse(style) for status, style in STATUS_STYLES.items()}
FILE_MARKS: Final = "123456789abcdefghijklmnopqrstuvwxyz"
"""Each file's mark when several are open (the header names them); `+` past these."""
FILE_COLOURS: Final = ("cyan", "magenta", "green", "yellow", "blue")
FILE_STYLES: Final = tuple(Style.parse(f"bold {colour}") for colour in FILE_COLOURS)


def file_mark(index: int) -> str:
    return FILE_MARKS[index] if index < len(FILE_MARKS) else "+"


class EventList(ScrollView, can_focus=True):
    """Scrollable list of events under year and month headings."""

    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("home,g", "first", "First", show=False, id="list.first"),
        Binding("end,G", "last", "Last", show=False, id="list.last"),
        # The screen's, and priority: the event screen is up before the app sends on the
        # next key, so an Esc typed right after Enter closes it (it does not clear the
        # filter beneath). A click opens through `Selected`.
        Binding("enter", "screen.open_current", "Open", priority=True, id="list.open"),
    ]

    COMPONENT_CLASSES = {
        "event-list--cursor",
        "event-list--heading",
        "event-list--gap",
        "event-list--date",
        "event-list--known",
        "event-list--match",
        "event-list--star",
        "event-list--mine",
        "event-list--new",
    }

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index into the shown events (not rows, not timeline positions)."""

    class Highlighted(Message):
        """The cursor moved to another event (None when the list is empty)."""

        def __init__(self, event: Event | None) -> None:
            super().__init__()
            self.event = event

    class Selected(Message):
        """Enter or a click on the cursor's event: open it."""

        def __init__(self, event: Event) -> None:
            super().__init__()
            self.event = event

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.timeline = Timeline([])
        self.layout_rows = RowLayout(self.timeline, [])
        self.words: tuple[str, ...] = ()
        self.status_of: Callable[[Event], Status | None] = STATUS_OF
        """An event's status as shown: its own, or as known on the replay's day."""
        self.fresh: set[str] = set()
        """In a replay: the events that became known on its day, marked `new`."""
        self.marks = Layer()
        """Stars, notes and labels, marked in the rows."""
        self._cache: LRUCache[tuple[object, ...], Strip] = LRUCache(1024)
        self._generation = 0
        self.date_width = DATE_WIDTH
        """Grows to the longest date drawn (intervals, times) until the next result."""

    # What is shown

    @property
    def positions(self) -> Sequence[int]:
        return self.layout_rows.positions

    @property
    def current(self) -> Event | None:
        if not self.positions:
            return None
        return self.timeline[self.positions[self.cursor]]

    def show(
        self,
        timeline: Timeline,
        positions: Sequence[int],
        words: Sequence[str] = (),
        layout: RowLayout | None = None,
    ) -> None:
        """Show these events, keeping the cursor on the same event, or the nearest by date.
        `layout`: their rows, if already laid out (in the filter's thread)."""
        keep = self.current
        self.timeline = timeline
        if layout is None or layout.positions is not positions or layout.timeline is not timeline:
            layout = RowLayout(timeline, positions)
        self.layout_rows = layout
        self.words = tuple(words)
        self.date_width = DATE_WIDTH
        self._generation += 1
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.layout_rows))
        self.cursor = self._index_near(keep)
        self.refresh()

    def _index_near(self, event: Event | None) -> int:
        """The same event by id (also in a reloaded file), else the nearest by date."""
        positions = self.positions
        if event is None or not positions:
            return 0
        target = self.timeline.position.get(event.id)
        if target is not None:
            k = bisect_left(positions, target)
            if k < len(positions) and positions[k] == target:
                return k
            return self.index_at_or_after(self.timeline[target].date.sort_start)
        return self.index_at_or_after(event.date.sort_start)

    def index_at_or_after(self, seconds: int) -> int:
        """The first shown event that starts at or after `seconds` (else the last)."""
        starts = self.timeline.starts
        positions = self.positions
        lo, hi = 0, len(positions)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[positions[mid]] < seconds:
                lo = mid + 1
            else:
                hi = mid
        return min(lo, max(len(positions) - 1, 0))

    def refresh_marks(self, marks: Layer) -> None:
        self.marks = marks
        self._generation += 1
        self._cache.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    # Cursor

    def validate_cursor(self, value: int) -> int:
        return min(max(value, 0), max(len(self.positions) - 1, 0))

    def watch_cursor(self, old: int, new: int) -> None:
        rows = self.layout_rows.event_rows
        for k in (old, new):
            if 0 <= k < len(rows):
                self.refresh_line(rows[k])
        self.scroll_to_cursor()
        self.post_message(self.Highlighted(self.current))

    def scroll_to_cursor(self, animate: bool = False) -> None:
        rows = self.layout_rows.event_rows
        if not rows or not self.size.height:
            return
        row = rows[self.cursor]
        height = self.scrollable_content_region.height
        top = int(self.scroll_y)
        # Keep the heading above the first event in view.
        first_row = 0 if self.cursor == 0 else row
        if first_row < top:
            self.scroll_to(y=first_row, animate=animate, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=animate, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.layout_rows))
        self._cache.clear()
        self.call_after_refresh(self.scroll_to_cursor)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def action_page_up(self) -> None:
        row = self.layout_rows.event_rows[self.cursor] if self.positions else 0
        k = self.layout_rows.event_index_at_row(max(row - self._page(), 0))
        self.cursor = k if k is not None and k < self.cursor else self.cursor - 1

    def action_page_down(self) -> None:
        row = self.layout_rows.event_rows[self.cursor] if self.positions else 0
        k = self.layout_rows.event_index_at_row(row + self._page())
        self.cursor = k if k is not None else len(self.positions) - 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.positions) - 1

    def action_select(self) -> None:
        current = self.current
        if current is not None:
            self.post_message(self.Selected(current))

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + int(self.scroll_y)
        if not 0 <= row < len(self.layout_rows) or self.layout_rows.kinds[row] != EVENT:
            return
        k = self.layout_rows.event_index_at_row(row)
        if k is None:
            return
        if k == self.cursor or event.chain > 1:
            self.cursor = k
            self.action_select()
        else:
            self.cursor = k

    # Drawing

    def render_line(self, y: int) -> Strip:
        row = y + int(self.scroll_y)
        width = self.scrollable_content_region.width
        if row >= len(self.layout_rows):
            return Strip.blank(width, self.rich_style)
        kind = self.layout_rows.kinds[row]
        is_cursor = (
            kind == EVENT
            and bool(self.positions)
            and self.layout_rows.event_rows[self.cursor] == row
        )
        key = (row, width, is_cursor, self._generation, self.has_focus)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(row, kind, width, is_cursor)
            self._cache[key] = strip
        return strip

    def on_focus(self) -> None:
        self._cache.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._cache.clear()
        self.refresh()

    def _render_row(self, row: int, kind: int, width: int, is_cursor: bool) -> Strip:
        base = self.rich_style
        style = self.get_component_rich_style
        if kind == HEADING:
            segments = [
                Segment(
                    " " + self.layout_rows.heading_text(row), base + style("event-list--heading")
                )
            ]
        elif kind == GAP:
            segments = [
                Segment(" " * (self.date_width + 3), base),
                Segment("· " + self.layout_rows.gap_text(row), base + style("event-list--gap")),
            ]
        else:
            event = self.timeline[self.layout_rows.values[row]]
            segments = self._event_segments(event, base, width)
        strip = Strip(segments).crop(0, width).adjust_cell_length(width, base)
        if is_cursor:
            # Over each segment's own style, so the cursor's background wins.
            cursor = style("event-list--cursor")
            strip = Strip(Segment.apply_style(strip, post_style=cursor), width)
        return strip

    def _widen_dates(self, needed: int, width: int) -> None:
        """Make room for a date wider than the column (as far as the title allows): the
        lines already drawn are drawn again, at the new width, in the next frame."""
        room = max(width - 7 - TITLE_AT_LEAST, DATE_WIDTH)  # marks, spaces, status, count
        if needed > self.date_width and self.date_width < room:
            self.date_width = min(needed, room)
            self._generation += 1
            self._cache.clear()
            self.refresh()

    def _mine(self, event_id: str) -> str:
        """`  #verify #ask`: the event's labels, after its title."""
        labels = self.marks.labels.get(event_id, ())
        return "".join(f"  #{clean_text(label)}" for label in labels)

    def _event_segments(self, event: Event, base: Style, width: int) -> list[Segment]:
        style = self.get_component_rich_style
        status = self.status_of(event)
        dim = style("event-list--known")
        marked = event.id in self.marks.starred
        date = event.date.display()
        if date[:1].isdigit() and date[1:2] == " ":
            date = " " + date
        needed = cell_width(date)
        self._widen_dates(needed, width)
        columns = self.date_width
        date_cell = date if needed <= columns else date[: columns - 1] + "…"
        date_cell += " " * (columns - cell_width(date_cell))
        segments = []
        if self.timeline.files:
            file_style = FILE_STYLES[event.file % len(FILE_STYLES)]
            segments.append(Segment(file_mark(event.file), base + file_style))
        segments += [
            Segment("★" if marked else " ", base + style("event-list--star")),
            Segment("✎" if event.id in self.marks.notes else " ", base + style("event-list--mine")),
            Segment(" " + date_cell + " ", base + style("event-list--date")),
            Segment(STATUS_MARKS[status], base + STATUS_RICH_STYLES[status]),
            Segment(_count_mark(independent_sources(self.timeline, event)), base + dim),
            Segment(" ", base),
        ]
        title_style = base
        spans = highlight_spans(event.title, self.words) if self.words else []
        at = 0
        match_style = base + style("event-list--match")
        for start, end in spans:
            segments.append(Segment(event.title[at:start], title_style))
            segments.append(Segment(event.title[start:end], match_style))
            at = end
        segments.append(Segment(event.title[at:], title_style))
        kept = []  # what stays in sight when the title must give way
        if event.id in self.fresh:
            kept.append(Segment("  new", base + style("event-list--new")))
        mine = self._mine(event.id)
        if mine:
            kept.append(Segment(mine, base + style("event-list--mine")))
        tail = list(kept)
        if event.reported is not None and event.reported_differs:
            tail.append(
                Segment(f"  known {event.reported.display()}", base + style("event-list--known"))
            )
        used = sum(cell_width(s.text) for s in segments + tail)
        if used <= width or width <= 1:
            return segments + tail
        # Too long: the title gives way, but `new` and the analyst's labels stay in sight.
        room = width - 1 - sum(cell_width(s.text) for s in kept)
        if room < self.date_width + 8:
            kept, room = [], width - 1
        return [*Strip(segments).crop(0, room), Segment("…", base), *kept]


STATUS_OF: Final = attrgetter("status")
_SUPERSCRIPTS: Final = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def _count_mark(sources: int) -> str:
    """The number of independent sources, small, after the status mark: none for one or
    none, `²` to `⁹`, `⁺` for ten or more."""
    if sources < 2:
        return " "
    return _SUPERSCRIPTS[sources] if sources < 10 else "⁺"
