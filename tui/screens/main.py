"""The main view: filter bar, density strip, event list and detail pane, with the keys
that work on them. The app sets its `timeline` on each load and reload (a reactive: the
watcher shows it) and tells it what it knows of the file; everything about showing and
filtering it is here."""

from __future__ import annotations

import re
import threading
import time
from array import array
from collections.abc import Callable, MutableSequence, Sequence
from functools import partial
from typing import TYPE_CHECKING, Final

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, LoadingIndicator, Static
from textual.worker import get_current_worker

from ..model.dates import DAY, DatePoint, When, civil_from_seconds, month_start
from ..model.debug import debug
from ..model.events import Event, Status, Timeline
from ..model.problems import Problem
from ..model.provenance import status_on
from ..model.query import Query, QueryError, parse_query
from ..model.reading import keep_out_of_collections
from ..model.sidecar import Layer
from ..model.sidecars import Sidecars
from ..model.text import clean_text, plural
from ..output.rows import RowLayout
from ..widgets.density import DensityStrip
from ..widgets.event_list import STATUS_OF, EventList
from ..widgets.event_view import DetailPane
from ..widgets.filter_input import FilterInput
from ..widgets.footer import KeysFooter
from .analyst import AnalystActions

if TYPE_CHECKING:
    from ..model.cache import SnapshotPlace
    from ..model.word_index import WordIndex

CONTEXT_DAYS = (1, 3, 7, 14, 30, 90, 365)
"""The context windows, in days either side of the event, that `+` and `-` step through."""
SYNC_FILTER_LIMIT = 50_000
"""Above this many events the filter runs in a worker thread, in chunks."""
WHOLE_FILE_ACTIONS: Final = frozenset(
    {"facets", "replay", "dupes", "export", "warnings", "edit", "new_event"}
)
"""What waits for the whole file while its first events are shown: counts and
duplicates of all of it, its replay, its export, its warnings, and editing it."""
BY_ID_ACTIONS: Final = frozenset({"star", "note", "label"})
"""What else waits while the first events' ids may not be the whole file's: a star, note
or label is kept by id, and would be another event's once the rest is read."""
FILTER_CHUNK = 20_000
PART_SHOWN_AFTER = 0.1
"""Seconds into a filter by the predicate after which what it has found so far is shown
(the count says it is still searching), and again each PART_SHOWN_EVERY, until the
whole result is in: a million events take the predicate seconds, and the first screen of
matches is what the user reads first."""
PART_SHOWN_EVERY = 1.0
INDEX_YIELDS_UP_TO = 2.0
"""Seconds the index's build waits, at each step, for a running filter to finish."""


class _IndexNoLongerWanted(Exception):
    """Ends the building of an index whose timeline has been replaced."""


class MainScreen(AnalystActions, Screen[None]):
    AUTO_FOCUS = "#list"
    """Focused as the screen starts, not the filter bar first (Textual's default, the
    first widget that takes focus) and the list a moment later: each change of focus
    makes the footer's keys again."""
    BINDINGS = [
        # Priority (`/` and the keys that open a dialog): run as the app takes the key,
        # before it sends the next one on to the focused widget, so the keys typed right
        # after it go to the bar or the dialog. The bar's own keys are left to it (Textual
        # drops a priority binding for a character an Input types). Enter and Esc in the
        # bar: FilterInput.
        Binding("slash", "focus_filter", "Filter", priority=True, id="app.filter"),
        Binding("escape", "escape", "Back", show=False, id="app.escape"),
        Binding("t", "goto_date", "Date", priority=True, id="app.goto"),
        Binding("left_square_bracket", "jump_months(-1)", "Month", show=False, id="app.prev_month"),
        Binding("right_square_bracket", "jump_months(1)", "Month", show=False, id="app.next_month"),
        Binding("left_curly_bracket", "jump_months(-12)", "Year", show=False, id="app.prev_year"),
        Binding("right_curly_bracket", "jump_months(12)", "Year", show=False, id="app.next_year"),
        Binding("f", "facets", "Facets", priority=True, id="app.facets"),
        Binding("a", "replay(1)", "Replay", id="app.replay"),
        Binding("A", "replay(-1)", "Replay back", show=False, id="app.replay_back"),
        Binding("asterisk,m", "star", "Star", key_display="*", id="app.star"),
        Binding("apostrophe", "next_star", "Next star", show=False, id="app.next_star"),
        Binding("n", "note", "Note", priority=True, id="app.note"),
        # The density strip's own `l` widens a span being chosen (its check_consume_key).
        Binding("l", "label", "Label", show=False, priority=True, id="app.label"),
        Binding("s", "save_view", "Save view", show=False, priority=True, id="app.save_view"),
        Binding("D", "dupes", "Duplicates", show=False, id="app.dupes"),
        Binding("z", "zoom(0.5)", "Zoom in", show=False, id="app.zoom_in"),
        Binding("Z", "zoom(2)", "Zoom out", show=False, id="app.zoom_out"),
        Binding("v", "choose_span", "Span", show=False, priority=True, id="app.span"),
        Binding("e", "edit", "Edit", show=False, id="app.edit"),
        Binding("N", "new_event", "New", id="app.new_event"),
        Binding("x", "export", "Export", show=False, priority=True, id="app.export"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("o", "open_link", "Link", show=False, id="app.open_link"),
        Binding("w", "warnings", "Warnings", show=False, id="app.warnings"),
        Binding("c", "context", "Context", show=False, id="app.context"),
        Binding("plus", "context_window(1)", "Wider", show=False, id="app.context_wider"),
        Binding("minus", "context_window(-1)", "Narrower", show=False, id="app.context_narrower"),
    ]

    timeline: reactive[Timeline] = reactive(Timeline([]), init=False, always_update=True)
    """What is shown: the app sets it on each load and reload."""
    replay_index: reactive[int | None] = reactive(None, init=False)
    """Which of `replay_days` the view is "as known on", if replaying."""
    file_status: reactive[str | None] = reactive(None, init=False)
    """Why the data shown is not the file's current content, if it isn't."""
    query_notes: reactive[tuple[str, ...]] = reactive((), init=False)
    """What was assumed in reading the filter (a year for a date written without one)."""
    context_around: reactive[str | None] = reactive(None, init=False)
    """The event whose context is shown (every event near it, whatever the filter)."""
    context_step: reactive[int] = reactive(CONTEXT_DAYS.index(7), init=False)
    span_hint: reactive[bool] = reactive(False, init=False)
    """A span is being chosen on the density strip (the notice says how)."""
    first_events: reactive[bool] = reactive(False, init=False, bindings=True)
    """The timeline is a large file's first events, shown while the rest is read
    (show_first_events); what needs all of it waits (WHOLE_FILE_ACTIONS)."""

    class FilterUsed(Message):
        """A filter was used (Enter, or the list focused again): for the history."""

        def __init__(self, history: list[str]) -> None:
            super().__init__()
            self.history = history

    class Filtered(Message):
        """A filter's result, from the filter's thread."""

        def __init__(
            self,
            generation: int,
            query: Query,
            positions: Sequence[int],
            layout: RowLayout | None,
            searched: float | None = None,
        ) -> None:
            super().__init__()
            self.generation = generation
            self.query = query
            self.positions = positions
            self.layout = layout
            self.searched = searched
            """The share of the events tested so far, if this is what was found in them;
            None: the whole result."""

    class IndexReady(Message):
        """The word index of a timeline, built in its own thread."""

        def __init__(self, timeline: Timeline, index: WordIndex) -> None:
            super().__init__()
            self.timeline = timeline
            self.index = index

    class IndexLost(Message):
        """A saved word index that can no longer be read (its file cut short or removed
        under the app): the filter's predicate answers, and the index is built again."""

        def __init__(self, index: WordIndex) -> None:
            super().__init__()
            self.index = index

    def __init__(self, when_mounted: Callable[[], None] = lambda: None) -> None:
        """`when_mounted`: called once the screen's widgets are in place (the app starts
        loading then: a small file is shown in the first frame)."""
        super().__init__()
        self.when_mounted = when_mounted
        self.query_positions: Sequence[int] = []
        """The result of `positions_text`, the last query whose result is in."""
        self.positions_text = ""
        self.searching: float | None = None
        """While the filter's predicate is still testing events: the share it has tested,
        and the list shows what it has found in them (none in `positions_text`)."""
        self.query_text = ""
        """The text now in the filter bar, whose result may still be on its way."""
        self.filter_generation = 0
        """Counts the filters started: a result from an older one is dropped."""
        self.first_ids_final, self.first_whose = True, "the file's"
        """While the first events are shown: whether their ids are the whole timeline's,
        and whose they are, as the count says it."""
        self.words: list[str] = []
        self.sidecar = Sidecars.nothing()
        """The analyst's notes, stars, labels and views: the app sets it before loading."""
        self.new_ids: set[str] = set()
        """Events added or changed since the file was last open (`is:new`)."""
        self.new_since: str | None = None
        """When that was, as shown, once it is known."""
        self._mine: Layer | None = None
        self.file_name = ""
        """What the file is called, for titles."""
        self.warnings: Sequence[Problem] = []
        """The file's warnings and skipped events, for `w`."""
        self.loading_text = ""
        """How far the load has got, as the app last said."""
        self.word_index: WordIndex | None = None
        """Above SYNC_FILTER_LIMIT events, the timeline's word index once it is built (at
        first, its first words: WordIndex.answers): the filter then reads it instead of
        testing every event."""
        self.first_words = threading.Event()
        """Set once the words a bare word searches are indexed (or no index is built): the
        app's catching up waits for it, rather than take half the interpreter from it."""
        self.index_built = threading.Event()
        """Set once the whole index is built (or its build ends, or none is built): the
        snapshot for the next open waits for it, as the user waits for the index now."""
        self.first_words.set()
        self.index_built.set()
        self._filtering = threading.Condition()
        self._filters_running = 0
        """Filters running in threads: the index's build waits for them (up to a while)."""
        self.index_place: SnapshotPlace | None = None
        """Where the next timeline shown keeps its snapshot (and its word index): set by
        the app just before it shows a large file read on its own."""
        self._shown_place: SnapshotPlace | None = None
        """The shown timeline's: where its index is saved again if it is lost."""

    @property
    def replay_days(self) -> list[int]:
        return self.timeline.known_days

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="title")
            yield Static(id="count")
        yield Static(id="notice")
        yield FilterInput(
            placeholder='/ to filter: tag:pow by:nis after:2025-01-10 "exact phrase"', id="filter"
        )
        yield Static(id="filter-error")
        yield DensityStrip(id="density")
        with Horizontal(id="main"):
            yield EventList(id="list")
            yield DetailPane(id="detail")
            yield LoadingIndicator(id="loading")
            yield Static(id="empty")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#loading").display = False
        self.when_mounted()

    # What the app tells it

    def show_title(self, title: str) -> None:
        self.query_one("#title", Static).update(Content.styled(title, "bold"))

    def show_files(self, files: Sequence[str]) -> None:
        """Several files: each one's mark, as the list shows it, and its name."""
        from ..widgets.event_list import FILE_COLOURS, file_mark

        parts: list[tuple[str, str] | str] = []
        for index, name in enumerate(files):
            colour = FILE_COLOURS[index % len(FILE_COLOURS)]
            parts += [(file_mark(index), f"bold {colour}"), " ", (clean_text(name), "bold"), "  "]
        self.query_one("#title", Static).update(Content.assemble(*parts).rstrip())

    def show_progress(self, text: str, *, busy: bool = True) -> None:
        self.loading_text = text
        if self.first_events:  # said beside the count of the first events
            self._update_count(len(self.query_one(EventList).positions))
            return
        self.query_one("#count", Static).update(Content(text))
        self.query_one("#loading").display = busy

    def show_first_events(
        self, timeline: Timeline, ids_final: bool = True, whose: str = "the file's"
    ) -> None:
        """A large file's first events, while the rest is read: the app shows the whole
        timeline once it is (the cursor stays on its event). `ids_final`: whether their
        ids are the whole timeline's (fast_path.Preview); `whose`: which file's they are."""
        self.first_ids_final, self.first_whose = ids_final, whose
        self.first_events = True
        self.timeline = timeline

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.first_events and (
            action in WHOLE_FILE_ACTIONS or (action in BY_ID_ACTIONS and not self.first_ids_final)
        ):
            return None  # shown dimmed until the whole file is read
        return super().check_action(action, parameters)

    def show_new(self, new_ids: set[str], since: str | None) -> None:
        """What catching up found (the app works it out after each load)."""
        self.new_ids, self.new_since = new_ids, since
        self.annotations_changed()

    def watch_timeline(self, old: Timeline, new: Timeline) -> None:
        self.query_one("#loading").display = False
        if self.replay_index is not None:  # the same day, or the next one known
            day = old.known_days[self.replay_index]
            later = [i for i, known in enumerate(new.known_days) if known >= day]
            index = later[0] if later else len(new.known_days) - 1
            self.set_reactive(MainScreen.replay_index, index if new.known_days else None)
        if self.context_around is not None and new.get(self.context_around) is None:
            self.set_reactive(MainScreen.context_around, None)  # its event is gone
        self.word_index = None
        place, self.index_place = self.index_place, None  # for this timeline only
        self._shown_place = place
        if len(new) > SYNC_FILTER_LIMIT:
            self.first_words.clear()
            self.index_built.clear()
            self._build_index(new, place)
        else:
            self.first_words.set()
            self.index_built.set()
        # Until the filter has run on it (or if its text doesn't parse): all of it.
        self.filter_generation += 1
        self.query_positions, self.positions_text = range(len(new)), ""
        self.searching = None
        if new.files:
            self.show_files(new.files)
        empty = self.query_one("#empty", Static)
        none = "These files have no events." if new.files else "This file has no events."
        empty.update(Content.styled(none, "$text-muted"))
        empty.display = not new.events
        if not self.query_text or not self.apply_query(self.query_text):
            self.refresh_view()  # the whole timeline until the filter's result comes in

    def watch_replay_index(self) -> None:
        self.refresh_view()

    def watch_file_status(self) -> None:
        self._update_count(len(self.query_one(EventList).positions))

    def watch_query_notes(self) -> None:
        self._update_notice()

    def watch_context_around(self) -> None:
        self.refresh_view()

    def watch_context_step(self) -> None:
        self.refresh_view()

    # Showing

    def shown_positions(self) -> Sequence[int]:
        if self.context_around is not None:
            return self.context_positions(self.context_around, CONTEXT_DAYS[self.context_step])
        day_end = self.replay_day_end
        if day_end is None:
            return self.query_positions
        known = self.timeline.known
        return [i for i in self.query_positions if known[i] < day_end]

    def context_positions(self, event_id: str, days: int) -> list[int]:
        """Every event whose date overlaps the event's own widened by `days` either side
        (one pass over two flat arrays: 64 ms at a million events, measured apart)."""
        event = self.timeline.get(event_id)
        if event is None:
            return []
        lo, hi = event.date.earliest - days * DAY, event.date.latest + days * DAY
        timeline = self.timeline
        pairs = zip(timeline.earliests, timeline.latests, strict=True)
        return [i for i, (earliest, latest) in enumerate(pairs) if earliest <= hi and latest >= lo]

    @property
    def replay_day_end(self) -> int | None:
        """The end of the replay's day, in seconds (None: not replaying)."""
        if self.replay_index is None:
            return None
        return (self.replay_days[self.replay_index] + 1) * DAY

    def refresh_view(self, layout: RowLayout | None = None) -> None:
        """`layout`: the rows of the filter's result, laid out in its thread."""
        positions = self.shown_positions()
        event_list = self.query_one(EventList)
        day_end = self.replay_day_end
        event_list.status_of = (
            STATUS_OF if day_end is None else partial(_status_on_day, day_end=day_end)
        )
        event_list.fresh = set()
        if day_end is not None:  # what this step of the replay brought
            known, day_start = self.timeline.known, day_end - DAY
            event_list.fresh = {self.timeline[i].id for i in positions if known[i] >= day_start}
        event_list.show(self.timeline, positions, self.words, layout)
        self.query_one(DensityStrip).show(self.timeline, positions, event_list.layout_rows.starts)
        self._update_count(len(positions))
        self._highlighted(event_list.current)

    def refresh_header_and_detail(self) -> None:
        event_list = self.query_one(EventList)
        self._update_count(len(event_list.positions))
        self._highlighted(event_list.current)

    def _update_count(self, shown: int) -> None:
        parts = [f"{shown} of {len(self.timeline)} events"]
        if self.searching is not None:
            parts = [f"{shown}+ of {len(self.timeline)} events (searching, {self.searching:.0%})"]
        span = self.timeline.span
        if self.first_events:  # its span, and how many it has, are not the file's
            parts = [
                f"{shown:,} of {self.first_whose} first {len(self.timeline):,} events",
                self.loading_text,
            ]
            span = ""
        if span:
            parts.append(span)
        if self.replay_index is not None:
            day = self.replay_days[self.replay_index]
            parts.append(
                f"as known on {_day_text(day)} ({self.replay_index + 1}/{len(self.replay_days)})"
            )
        if self.new_since is not None:
            parts.append(f"{len(self.new_ids)} new since {self.new_since} (is:new)")
        self.query_one("#count", Static).update(Content(" · ".join(parts)))
        self._update_notice()

    def _update_notice(self) -> None:
        """A line under the count, shown only when there is something to say: why the data
        is not the file's current content, and the year a filter's date was read in."""
        lines = [f"⚠ {self.file_status}"] if self.file_status else []
        event = self.timeline.get(self.context_around) if self.context_around else None
        if event is not None:
            days = CONTEXT_DAYS[self.context_step]
            lines.append(
                f"Context: every event within {plural(days, 'day')} of “{event.title}”,"
                " whatever the filter (+ and - widen and narrow; Esc goes back)"
            )
        if self.span_hint:
            lines.append(
                "Choosing a span on the strip: ← and → move its end, Enter filters by it"
                " (after: and before:), Esc leaves it"
            )
        lines += self.query_notes
        notice = self.query_one("#notice", Static)
        notice.update(Content("\n".join(lines)))
        notice.display = bool(lines)
        notice.set_class(bool(self.file_status), "-warning")

    @on(EventList.Highlighted)
    def _on_highlighted(self, message: EventList.Highlighted) -> None:
        self._highlighted(message.event)

    def _highlighted(self, event: Event | None) -> None:
        annotation = self.sidecar.get(event.id) if event is not None else None
        self.query_one(DetailPane).show(self.timeline, event, annotation, self.replay_day_end)
        self.query_one(DensityStrip).mark(event.date.sort_start if event else None)

    @on(EventList.Selected)
    async def _open_event(self, message: EventList.Selected) -> None:
        await self._open(message.event)

    async def action_open_current(self) -> None:
        event = self.query_one(EventList).current
        if event is not None:
            await self._open(event)

    async def _open(self, event: Event) -> None:
        from .event_screen import EventScreen

        def back(event_id: str | None) -> None:
            if event_id:
                self.jump_to_event(event_id)
            self.set_focus(self.query_one(EventList))

        await self.open_screen(EventScreen(self.timeline, event, self.sidecar.events), back)

    @on(DensityStrip.Jump)
    def _jump_from_strip(self, message: DensityStrip.Jump) -> None:
        event_list = self.query_one(EventList)
        event_list.cursor = event_list.index_at_or_after(message.seconds)
        self.set_focus(event_list)

    def jump_to_event(self, event_id: str) -> None:
        """Put the cursor on an event, clearing the filter if it hides it."""
        event_list = self.query_one(EventList)
        position = self.timeline.position.get(event_id)
        if position is None:
            return
        if position not in set(event_list.positions):
            self.set_reactive(MainScreen.replay_index, None)
            self.set_reactive(MainScreen.context_around, None)
            self.query_one("#filter", Input).value = ""
            self.apply_query("")
        positions = list(event_list.positions)
        if position in positions:
            event_list.cursor = positions.index(position)
        self.set_focus(event_list)

    # The filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        self.set_reactive(MainScreen.context_around, None)  # a new filter ends the context
        self.apply_query(message.value)

    @on(Input.Blurred, "#filter")
    def _filter_left(self, message: Input.Blurred) -> None:
        """A filter the user leaves (Enter, Esc, a click) is one they used: remembered."""
        filter_input = self.query_one("#filter", FilterInput)
        if not filter_input.has_class("-invalid") and filter_input.remember(message.value):
            self.post_message(self.FilterUsed(list(filter_input.history)))

    def apply_query(self, text: str) -> bool:
        """Filter by `text`. The list always ends up showing the result of the text now
        in the filter bar: a result that comes in after a newer filter started is dropped.
        Whether the view shows the result now (not in a thread, not a bad query)."""
        error = self.query_one("#filter-error", Static)
        filter_input = self.query_one("#filter", Input)
        try:
            query = parse_query(text, self.timeline, self.sidecar.views)
        except QueryError as exc:
            # The input's text starts three cells in (border and padding).
            caret = " " * (2 + exc.column) + "^ "
            error.update(Content.assemble((caret, "$error"), (str(exc), "$error")))
            error.display = True
            filter_input.add_class("-invalid")
            return False
        error.display = False
        filter_input.remove_class("-invalid")
        index = self.word_index  # only ever the shown timeline's (watch_timeline, _index_ready)
        if index is not None and not index.answers(query):
            index = None  # still being built, without the fields this query reads
        # Without an index, typing more of a word, or another word, can only narrow: look
        # only at what the last query whose result is in found.
        narrowing = index is None and narrows(self.positions_text, text)
        within = self.query_positions if narrowing else None
        self.query_text = text
        self.filter_generation += 1
        self.workers.cancel_group(self, "filter")
        if index is None and len(within if within is not None else self.timeline) <= (
            SYNC_FILTER_LIMIT
        ):
            found = query.filter(self.timeline, within, layer=self.mine)
            self._filtered(self.filter_generation, query, found)
            return True
        self._filter_in_thread(
            self.filter_generation,
            query,
            self.timeline,
            within,
            self.mine,
            lay_out=self.replay_index is None,
            index=index,
        )
        return False

    @work(thread=True, exclusive=True, group="filter")
    def _filter_in_thread(
        self,
        generation: int,
        query: Query,
        timeline: Timeline,
        within: Sequence[int] | None,
        layer: Layer,
        *,
        lay_out: bool,
        index: WordIndex | None = None,
    ) -> None:
        """`lay_out`: lay the rows out here too: on a big result that is a tenth of a
        second or more, which the app's thread would otherwise spend instead of echoing
        keys. (In a replay the list shows fewer events, laid out when they are known.)
        `index`: the timeline's word index, if it is built (or its first words, if they
        answer the query): a bitmap per word answers in milliseconds what the predicate
        takes a second over a million events to find."""
        worker = get_current_worker()
        with self._filtering:
            self._filters_running += 1
        try:
            found: MutableSequence[int] = []
            if index is not None:  # kept flat: a Python int per row costs 30 ms a million
                try:
                    found = array("q", index.select(query, layer).tobytes())
                except ValueError as exc:  # its saved file cut short or gone under the app
                    debug(f"word index lost: {exc}")
                    self.post_message(self.IndexLost(index))
                    index = None
            if index is None:
                # Until the app's background has made all text's column, each text is made
                # as it is tested: waiting for the column held a first key for seconds.
                keep = timeline.has_column("text")
                candidates = range(len(timeline)) if within is None else within
                show_at = time.monotonic() + PART_SHOWN_AFTER
                for start in range(0, len(candidates), FILTER_CHUNK):
                    if worker.is_cancelled:
                        return
                    chunk = candidates[start : start + FILTER_CHUNK]
                    found.extend(query.filter(timeline, chunk, keep_columns=keep, layer=layer))
                    end = start + len(chunk)
                    if time.monotonic() >= show_at and end < len(candidates):
                        show_at = time.monotonic() + PART_SHOWN_EVERY
                        part = array("q", found)  # a copy: `found` grows on
                        layout = RowLayout(timeline, part) if lay_out else None
                        searched = end / len(candidates)
                        self.post_message(self.Filtered(generation, query, part, layout, searched))
            layout = RowLayout(timeline, found) if lay_out else None
        finally:
            with self._filtering:
                self._filters_running -= 1
                self._filtering.notify_all()
        if not worker.is_cancelled:
            self.post_message(self.Filtered(generation, query, found, layout))

    @work(thread=True, exclusive=True, group="index")
    def _build_index(
        self, timeline: Timeline, place: SnapshotPlace | None, saved: bool = True
    ) -> None:
        """The word index of a large timeline, built while the predicate answers. Dropped
        if the timeline is replaced before it is ready (a reload builds its own).
        `place`: where the file's snapshot is kept; the index is read from beside it if it
        was saved there for the file as it is now (and `saved`: not lost already), else
        built and saved there."""
        try:
            self._index(timeline, place, saved)
        except ValueError as exc:  # a snapshot that can no longer be read: no index
            debug(f"word index not built: {exc}")
        finally:
            self.first_words.set()
            self.index_built.set()

    def _index(self, timeline: Timeline, place: SnapshotPlace | None, saved: bool) -> None:
        from ..model import index_file  # numpy and pyroaring: large files only
        from ..model.word_index import WordIndex
        from ..output.stats import FACET_NAMES

        worker = get_current_worker()
        index = index_file.read(place, timeline) if place is not None and saved else None
        if index is not None and set(index.codes) == set(FACET_NAMES):
            keep_out_of_collections(timeline)  # and the index: see below
            self.post_message(self.IndexReady(timeline, index))
            return

        def stop_if_cancelled(done: int, total: int) -> None:
            """Also waits (a while at most) for a running filter: the build would take
            half the interpreter's time from it, and typing is what the user sees."""
            with self._filtering:
                self._filtering.wait_for(
                    lambda: not self._filters_running or worker.is_cancelled, INDEX_YIELDS_UP_TO
                )
            if worker.is_cancelled:
                raise _IndexNoLongerWanted

        def first_words(partial: WordIndex) -> None:  # bare words can read these at once
            self.post_message(self.IndexReady(timeline, partial))
            self.first_words.set()

        try:
            index = WordIndex(timeline, stop_if_cancelled, FACET_NAMES, first_words)
        except _IndexNoLongerWanted:
            return
        # The index's words and keys are millions of objects made while the collector
        # was paused: left young, the next collections walk them all, 70 to 120 ms each,
        # in whatever the user does next (a reopen's first jump took 0.4 to 0.9 s).
        keep_out_of_collections(timeline)
        self.post_message(self.IndexReady(timeline, index))
        # Every query is the index's now: the texts kept for the predicate until it was
        # there go (all text's: 0.5 GB at a million events, before the snapshot's write).
        timeline.forget_columns()
        if place is not None:
            try:
                index_file.write(place, index)
            except (OSError, ValueError) as exc:  # only a slower next open
                debug(f"word index not saved: {exc!r}")

    @on(IndexReady)
    def _index_ready(self, message: IndexReady) -> None:
        if message.timeline is self.timeline:
            self.word_index = message.index

    @on(IndexLost)
    def _index_lost(self, message: IndexLost) -> None:
        if message.index is not self.word_index:
            return  # lost already, or another timeline's
        self.word_index = None
        self.notify(
            "The saved word index can no longer be read: searching every event meanwhile,"
            " and indexing again.",
            severity="warning",
            markup=False,
        )
        self.first_words.clear()
        self.index_built.clear()
        self._build_index(self.timeline, self._shown_place, saved=False)

    @on(Filtered)
    def _filtered_in_thread(self, message: Filtered) -> None:
        self._filtered(
            message.generation, message.query, message.positions, message.layout, message.searched
        )

    def _filtered(
        self,
        generation: int,
        query: Query,
        positions: Sequence[int],
        layout: RowLayout | None = None,
        searched: float | None = None,
    ) -> None:
        """A filter's result (or, `searched`, what it has found so far), shown only if no
        filter was started after it."""
        if generation != self.filter_generation:
            return
        self.query_positions = positions
        # Only a whole result may be narrowed by typing on (narrows).
        self.positions_text = query.source if searched is None else ""
        self.searching = searched
        self.words = query.words
        notes = query.notes
        if not positions and len(self.timeline) <= SYNC_FILTER_LIMIT:
            notes = [*query.notes, *query.nearest_values(self.timeline)]
        self.query_notes = tuple(notes)
        self.refresh_view(layout)

    # Actions

    def action_focus_filter(self) -> None:
        # At once (a priority binding): the keys typed with `/` are the bar's. Once the
        # bar has the focus, it takes a `/` itself (TextBox.check_consume_key).
        self.set_focus(self.query_one("#filter", Input))

    def action_leave_filter(self) -> None:
        self.set_focus(self.query_one(EventList))

    def action_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if self.context_around is not None:
            around, self.context_around = self.context_around, None
            self._put_cursor_on(around)
        elif self.replay_index is not None:
            self.replay_index = None
        elif filter_input.value:
            filter_input.value = ""
            self.apply_query("")

    # The density strip: zoom, and a span chosen on it

    def action_zoom(self, factor: float) -> None:
        event = self.query_one(EventList).current
        self.query_one(DensityStrip).zoom(factor, event.date.sort_start if event else None)

    def action_choose_span(self) -> None:
        event = self.query_one(EventList).current
        strip = self.query_one(DensityStrip)
        strip.begin_span(event.date.sort_start if event else None)
        self.span_hint = strip.span is not None

    @on(DensityStrip.SpanChosen)
    def _filter_by_span(self, message: DensityStrip.SpanChosen) -> None:
        """`after:` the day before the span and `before:` the day after it (both strict),
        in place of any the filter had."""
        filter_input = self.query_one("#filter", Input)
        kept = _DATE_BOUNDS.sub("", filter_input.value).split()
        first, last = message.start // DAY, message.end // DAY - 1
        bounds = [f"after:{_iso_day(first - 1)}", f"before:{_iso_day(last + 1)}"]
        filter_input.value = " ".join([*kept, *bounds])
        self.span_hint = False
        self.set_focus(self.query_one(EventList))

    @on(DensityStrip.SpanLeft)
    def _span_left(self) -> None:
        self.span_hint = False
        self.set_focus(self.query_one(EventList))

    def watch_span_hint(self) -> None:
        self._update_notice()

    def action_context(self) -> None:
        """Every event near the highlighted one, whatever the filter; again on another
        event: its context."""
        event = self.query_one(EventList).current
        if event is not None:
            self.context_around = event.id
            self._put_cursor_on(event.id)

    def action_context_window(self, step: int) -> None:
        if self.context_around is None:
            return
        current = self.query_one(EventList).current
        self.context_step = min(max(self.context_step + step, 0), len(CONTEXT_DAYS) - 1)
        if current is not None:
            self._put_cursor_on(current.id)

    def _put_cursor_on(self, event_id: str) -> None:
        event_list = self.query_one(EventList)
        position = self.timeline.position.get(event_id)
        positions = list(event_list.positions)
        if position is not None and position in positions:
            event_list.cursor = positions.index(position)

    async def action_goto_date(self) -> None:
        from .goto import GotoScreen

        def go(when: When | None) -> None:
            if when is not None:
                event_list = self.query_one(EventList)
                event_list.cursor = event_list.index_at_or_after(when.earliest)
                self.set_focus(event_list)

        await self.open_screen(GotoScreen(self.timeline), go)

    def action_jump_months(self, months: int) -> None:
        """`]`/`[` move by month, `}`/`{` by year, to the first event of that period."""
        event_list = self.query_one(EventList)
        event = event_list.current
        if event is None:
            return
        step = abs(months)
        year, month, _ = civil_from_seconds(event.date.sort_start)
        period = (year * 12 + month - 1) // step
        if months > 0:
            target = month_start(0, (period + 1) * step + 1)
            k = event_list.index_at_or_after(target)
            if self.timeline.starts[event_list.positions[k]] < target:
                self.app.bell()
                return
        else:
            k = event_list.index_at_or_after(month_start(0, period * step + 1)) - 1
            if k < 0:
                self.app.bell()
                return
            y, m, _ = civil_from_seconds(self.timeline.starts[event_list.positions[k]])
            k = event_list.index_at_or_after(month_start(0, ((y * 12 + m - 1) // step) * step + 1))
        event_list.cursor = k

    async def action_facets(self) -> None:
        from .facets import FacetsScreen

        def add(term: str | None) -> None:
            if term:
                filter_input = self.query_one("#filter", Input)
                filter_input.value = f"{filter_input.value.strip()} {term}".strip()
                self.set_focus(self.query_one(EventList))

        index = self.word_index
        counts = index.text_counts if index is not None and index.complete else None
        screen = FacetsScreen(self.timeline, self.shown_positions(), self.mine, counts)
        await self.open_screen(screen, add)

    def action_replay(self, step: int = 1) -> None:
        """Step the "as known on" day through the days on which something became known."""
        if not self.replay_days:
            return
        last = len(self.replay_days) - 1
        if self.replay_index is None:
            self.replay_index = 0 if step > 0 else last
        else:
            self.replay_index = min(max(self.replay_index + step, 0), last)
        # Put the cursor on what became known that day.
        day = self.replay_days[self.replay_index]
        event_list = self.query_one(EventList)
        known = self.timeline.known
        for k, position in enumerate(event_list.positions):
            if known[position] // DAY == day:
                event_list.cursor = k
                break

    def action_copy(self) -> None:
        from .event_screen import copy_event

        event = self.query_one(EventList).current
        if event is not None:
            copy_event(self.app, self.timeline, event)

    def action_open_link(self) -> None:
        from .event_screen import open_event_link

        event = self.query_one(EventList).current
        if event is not None:
            open_event_link(self.app, self.timeline, event)

    def view_made_by(self) -> tuple[str, list[str]]:
        """What made the view: the filter (none in a context, which ignores it), and the
        replay day or the context."""
        event = self.timeline.get(self.context_around) if self.context_around else None
        if event is not None:
            days = CONTEXT_DAYS[self.context_step]
            return "", [f"Every event within {plural(days, 'day')} of “{event.title}”"]
        if self.replay_index is not None:
            day = _day_text(self.replay_days[self.replay_index])
            return self.query_text, [f"as known on {day}"]
        return self.query_text, []

    def action_warnings(self) -> None:
        from .warnings import WarningsScreen

        self.app.push_screen(WarningsScreen(self.file_name, self.warnings))


_PLAIN_WORDS = re.compile(r"[^\W_]+(?: +[^\W_]*)*")
_KEYWORDS = frozenset({"OR", "AND", "NOT"})


def narrows(old: str, new: str) -> bool:
    """Whether every event `new` matches is one `old` matched: only plain words, and
    `new` is `old` with more typed at the end (a longer word, or another word)."""
    return (
        bool(old.strip())
        and new.startswith(old)
        and _PLAIN_WORDS.fullmatch(new) is not None
        and not _KEYWORDS & set(new.split())
    )


def _status_on_day(event: Event, day_end: int) -> Status | None:
    return status_on(event, day_end)


_DATE_BOUNDS = re.compile(r'(?i)(?<!\S)-?(?:after|before):(?:"[^"]*"|\S+)')
"""An `after:` or `before:` term of the filter, which a span chosen replaces."""


def _iso_day(day: int) -> str:
    """`2025-01-09`; `-0043-03-15` before year 1 (EDTF's years, as the filter reads them)."""
    year, month, dom = civil_from_seconds(day * DAY)
    return f"{'-' if year < 0 else ''}{abs(year):04d}-{month:02d}-{dom:02d}"


def _day_text(day: int) -> str:
    year, month, dom = civil_from_seconds(day * DAY)
    return DatePoint(year, month, dom).display()
