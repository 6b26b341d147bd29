"""The explorer: filter bar, density strip, event list and detail pane."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, LoadingIndicator, Static
from textual.worker import get_current_worker

from ..model.dates import DAY, DatePoint, When, civil_from_seconds, month_start
from ..model.debug import debug
from ..model.events import Event, Timeline
from ..model.loading import Loaded, LoadOptions, load_path
from ..model.locations import data_dir
from ..model.problems import LoadError, Problem, Severity
from ..model.query import Query, QueryError, parse_query
from ..model.reading import STDIN, gc_paused, keep_out_of_collections
from ..model.state import StateStore
from ..model.text import plural
from ..output.rows import RowLayout
from ..widgets.density import DensityStrip
from ..widgets.event_list import EventList
from ..widgets.event_view import DetailPane
from .commands import EventsProvider

SYNC_LOAD_BYTES = 1_000_000
"""Files smaller than this load before the first frame: quicker than a thread."""
WATCH_SECONDS = 1.0
"""How often the open file is checked for changes."""
SYNC_FILTER_LIMIT = 50_000
"""Above this many events the filter runs in a worker thread, in chunks."""
FILTER_CHUNK = 20_000


class TimelineApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "timeline"
    COMMANDS = App.COMMANDS | {EventsProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]

    BINDINGS = [
        Binding("slash", "focus_filter", "Filter", id="app.filter"),
        Binding("escape", "escape", "Back", show=False, id="app.escape"),
        Binding("t", "goto_date", "Date", id="app.goto"),
        Binding("left_square_bracket", "jump_months(-1)", "Month", show=False, id="app.prev_month"),
        Binding("right_square_bracket", "jump_months(1)", "Month", show=False, id="app.next_month"),
        Binding("left_curly_bracket", "jump_months(-12)", "Year", show=False, id="app.prev_year"),
        Binding("right_curly_bracket", "jump_months(12)", "Year", show=False, id="app.next_year"),
        Binding("f", "facets", "Facets", id="app.facets"),
        Binding("a", "replay(1)", "Replay", id="app.replay"),
        Binding("A", "replay(-1)", "Replay back", show=False, id="app.replay_back"),
        Binding("m", "bookmark", "Mark", id="app.bookmark"),
        Binding("apostrophe", "next_bookmark", "Next mark", show=False, id="app.next_bookmark"),
        Binding("y", "copy", "Copy", show=False, id="app.copy"),
        Binding("o", "open_link", "Link", show=False, id="app.open_link"),
        Binding("w", "warnings", "Warnings", show=False, id="app.warnings"),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        path: str,
        *,
        preloaded: Loaded | None = None,
        state: StateStore | None = None,
        options: LoadOptions | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.options = options or LoadOptions()
        self.preloaded = preloaded
        self.state = state or StateStore(data_dir() / "state.json")
        self.timeline = Timeline([])
        self.loaded = False
        self.load_error: LoadError | None = None
        self.crash: Exception | None = None
        """An unexpected exception while loading: a bug, raised again by the command
        line once the terminal is back, where the console script reports it."""
        self.query_positions: Sequence[int] = []
        """The result of `positions_text`, the last query whose result is in."""
        self.positions_text = ""
        self.query_text = ""
        """The text now in the filter bar, whose result may still be on its way."""
        self.filter_generation = 0
        """Counts the filters started: a result from an older one is dropped."""
        self.words: list[str] = []
        self.query_notes: list[str] = []
        """What was assumed in reading the filter (a year for a date written without one)."""
        self.replay_index: int | None = None
        self.background_done = threading.Event()
        """Set when the work after a load (search texts, snapshot) is finished."""
        self.bookmarks: list[str] = []
        self.warnings: list[Problem] = []
        """The file's warnings and skipped events, for `w`."""
        self.file_status: str | None = None
        """Why the data shown is not the file's current content, if it isn't."""
        self._stat: tuple[int, int, int] | None = None

    # Layout

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(id="title")
            yield Static(id="count")
        yield Static(id="notice")
        yield Input(
            placeholder='/ to filter: tag:pow by:nis after:2025-01-10 "exact phrase"', id="filter"
        )
        yield Static(id="filter-error")
        yield DensityStrip(id="density")
        with Horizontal(id="main"):
            yield EventList(id="list")
            yield DetailPane(id="detail")
            yield LoadingIndicator(id="loading")
            yield Static(id="empty")
        yield Footer()

    def on_mount(self) -> None:
        theme = self.state.theme()
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        for warning in self.state.warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        self.query_one("#title", Static).update(Content.styled(self.file_name, "bold"))
        self.query_one("#count", Static).update(Content(f"loading {self._size_text()}…"))
        self.query_one("#list", EventList).focus()
        if self.preloaded is not None:
            self._loaded(self.preloaded)
        elif 0 <= self._file_size() < SYNC_LOAD_BYTES:
            try:
                loaded = load_path(self.path, options=self.options)
            except LoadError as exc:
                self._failed(exc)
            except Exception as exc:
                self._crashed(exc)
            else:
                self._loaded(loaded)
        else:
            self.query_one("#loading").display = True
            self.call_after_refresh(self._load)  # the first frame before the work

    @property
    def file_name(self) -> str:
        return "<stdin>" if self.path == STDIN else Path(self.path).name

    @property
    def replay_days(self) -> list[int]:
        return self.timeline.known_days

    def _file_size(self) -> int:
        try:
            return Path(self.path).stat().st_size
        except OSError:
            return -1

    def _size_text(self) -> str:
        size = float(self._file_size())
        if size < 0:
            return ""
        for unit in ("bytes", "KB", "MB", "GB"):
            if size < 1024 or unit == "GB":
                return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
            size /= 1024
        return ""

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        size = self._size_text()

        def progress(text: str) -> None:
            self.call_from_thread(self._show_progress, f"loading {size}: {text}…")

        try:
            with gc_paused():  # until what is kept is frozen: no collection walks it first
                loaded = load_path(self.path, progress, self.options, snapshot=True)
                keep_out_of_collections(loaded.timeline)
        except LoadError as exc:
            self.call_from_thread(self._failed, exc)
            return
        except Exception as exc:
            self.call_from_thread(self._crashed, exc)
            return
        loaded.timeline.position  # noqa: B018 (built here, not in the app's thread)
        self.call_from_thread(self._loaded, loaded)

    def _show_progress(self, text: str) -> None:
        self.query_one("#count", Static).update(Content(text))

    def _failed(self, error: LoadError) -> None:
        self.load_error = error
        self.exit(return_code=2)

    def _crashed(self, error: Exception) -> None:
        self.crash = error
        self.exit(return_code=70)

    def _loaded(self, loaded: Loaded) -> None:
        self.timeline = loaded.timeline
        self.loaded = True
        if self.path != STDIN:
            self._stat = self._file_stat()
            self.set_interval(WATCH_SECONDS, self._check_file, name="watch")
        self.query_one("#loading").display = False
        title = self.timeline.title or self.file_name
        self.query_one("#title", Static).update(Content.styled(title, "bold"))
        # All of them, also those of events not in the file now: they may come back.
        self.bookmarks = self.state.bookmarks(self._file_key())
        self.query_one(EventList).refresh_bookmarks(set(self.bookmarks))
        self.warnings = loaded.warnings
        if loaded.skipped:
            self.notify(
                f"Skipped {plural(loaded.skipped, 'event')} with errors (w lists them).",
                severity="warning",
                markup=False,
            )
        elif loaded.warnings:
            self.notify(
                f"{plural(len(loaded.warnings), 'warning')} in this file (w lists them).",
                severity="warning",
                markup=False,
            )
        self.query_positions = range(len(self.timeline))
        self._refresh_view()
        self._show_if_empty()
        self.call_after_refresh(self._prepare_in_background, loaded)

    def _prepare_in_background(self, loaded: Loaded) -> None:
        """Once the list is on screen: the filter's search texts (not built on the first
        key typed), then the snapshot for the next open. A daemon thread, not a worker:
        quitting must not wait for it (an unfinished snapshot is a temporary file,
        removed later)."""
        self.background_done.clear()
        threading.Thread(
            target=prepare,
            args=(self.path, loaded, self.background_done, self._warn),
            daemon=True,
        ).start()

    def _warn(self, message: str) -> None:
        self.notify(message, severity="warning", markup=False)

    def _show_if_empty(self) -> None:
        """Say so when the file has no events, rather than show a blank list."""
        empty = self.query_one("#empty", Static)
        empty.update(Content.styled("This file has no events.", "$text-muted"))
        empty.display = not self.timeline.events

    # Live reload

    def _file_stat(self) -> tuple[int, int, int] | None:
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_ino, stat.st_size, stat.st_mtime_ns)

    def _check_file(self) -> None:
        """Reload when the file changes (an editor's rename included); keep the last
        good data when it is deleted or becomes invalid."""
        stat = self._file_stat()
        if stat == self._stat:
            return
        self._stat = stat
        if stat is None:
            self._set_file_status("the file is gone; showing the last version read")
            self.notify(f"{self.path} was deleted or moved.", severity="warning", markup=False)
        else:
            self._reload()

    @work(thread=True, exclusive=True, group="reload")
    def _reload(self) -> None:
        try:
            with gc_paused():
                loaded = load_path(self.path, options=self.options, mapped=False)
                keep_out_of_collections(loaded.timeline)
        except LoadError as exc:
            self.call_from_thread(self._reload_failed, exc)
            return
        except Exception as exc:  # a bug: say so, and keep showing the last good data
            if os.environ.get("TIMELINE_DEBUG"):
                raise
            problem = Problem(Severity.ERROR, f"internal error: {type(exc).__name__}: {exc}")
            self.call_from_thread(self._reload_failed, LoadError(self.path, [problem]))
            return
        self.call_from_thread(self._reloaded, loaded)

    def _reload_failed(self, error: LoadError) -> None:
        errors = error.errors
        self._set_file_status(
            f"the file has {plural(len(errors), 'error')}; showing the last good version"
        )
        first = errors[0].format(error.source) if errors else str(error)
        self.notify(first, title="Not reloaded", severity="error", timeout=10, markup=False)

    def _reloaded(self, loaded: Loaded) -> None:
        replay_day = self.replay_days[self.replay_index] if self.replay_index is not None else None
        self.timeline = loaded.timeline
        if replay_day is not None:
            later = [i for i, day in enumerate(self.replay_days) if day >= replay_day]
            self.replay_index = later[0] if later else len(self.replay_days) - 1
            if not self.replay_days:
                self.replay_index = None
        self.file_status = None
        self.warnings = loaded.warnings
        # Until the filter has run on it (or if its text doesn't parse): all of it.
        self.filter_generation += 1
        self.query_positions, self.positions_text = range(len(self.timeline)), ""
        self._show_if_empty()
        self.notify(f"Reloaded: {plural(len(self.timeline), 'event')}.", markup=False)
        from ..screens.event_screen import EventScreen

        for screen in self.screen_stack:
            if isinstance(screen, EventScreen):
                screen.reloaded(self.timeline)
        if not self._apply_query(self.query_text):
            self._refresh_view()  # the whole timeline until the filter's result comes in

    def _set_file_status(self, status: str | None) -> None:
        self.file_status = status
        self._update_count(len(self.query_one(EventList).positions))

    def _file_key(self) -> str:
        return "" if self.path == STDIN else str(Path(self.path).resolve())

    # Showing

    def _shown_positions(self) -> Sequence[int]:
        if self.replay_index is None:
            return self.query_positions
        day_end = (self.replay_days[self.replay_index] + 1) * DAY
        known = self.timeline.known
        return [i for i in self.query_positions if known[i] < day_end]

    def _refresh_view(self, layout: RowLayout | None = None) -> None:
        """`layout`: the rows of the filter's result, laid out in its thread."""
        positions = self._shown_positions()
        event_list = self.query_one(EventList)
        event_list.show(self.timeline, positions, self.words, layout)
        self.query_one(DensityStrip).show(self.timeline, positions, event_list.layout_rows.starts)
        self._update_count(len(positions))
        self._highlighted(event_list.current)

    def _update_count(self, shown: int) -> None:
        total = len(self.timeline)
        parts = [f"{shown} of {total} events"]
        span = self.timeline.span
        if span:
            parts.append(span)
        if self.replay_index is not None:
            day = self.replay_days[self.replay_index]
            parts.append(
                f"as known on {_day_text(day)} ({self.replay_index + 1}/{len(self.replay_days)})"
            )
        self.query_one("#count", Static).update(Content(" · ".join(parts)))
        self._update_notice()

    def _update_notice(self) -> None:
        """A line under the count, shown only when there is something to say: why the data
        is not the file's current content, and the year a filter's date was read in."""
        lines = [f"⚠ {self.file_status}"] if self.file_status else []
        lines += self.query_notes
        notice = self.query_one("#notice", Static)
        notice.update(Content("\n".join(lines)))
        notice.display = bool(lines)
        notice.set_class(bool(self.file_status), "-warning")

    @on(EventList.Highlighted)
    def _on_highlighted(self, message: EventList.Highlighted) -> None:
        self._highlighted(message.event)

    def _highlighted(self, event: Event | None) -> None:
        self.query_one(DetailPane).show(self.timeline, event)
        self.query_one(DensityStrip).mark(event.date.sort_start if event else None)

    @on(EventList.Selected)
    def _open_event(self, message: EventList.Selected) -> None:
        from ..screens.event_screen import EventScreen

        def back(event_id: str | None) -> None:
            if event_id:
                self.jump_to_event(event_id)
            self.query_one(EventList).focus()

        self.push_screen(EventScreen(self.timeline, message.event), back)

    @on(DensityStrip.Jump)
    def _jump_from_strip(self, message: DensityStrip.Jump) -> None:
        event_list = self.query_one(EventList)
        event_list.cursor = event_list.index_at_or_after(message.seconds)
        event_list.focus()

    def jump_to_event(self, event_id: str) -> None:
        """Put the cursor on an event, clearing the filter if it hides it."""
        event_list = self.query_one(EventList)
        position = self.timeline.position.get(event_id)
        if position is None:
            return
        if position not in set(event_list.positions):
            self.replay_index = None
            self.query_one("#filter", Input).value = ""
            self._apply_query("")
        positions = list(event_list.positions)
        if position in positions:
            event_list.cursor = positions.index(position)
        event_list.focus()

    # The filter

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        self._apply_query(message.value)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one(EventList).focus()

    def _apply_query(self, text: str) -> bool:
        """Filter by `text`. The list always ends up showing the result of the text now
        in the filter bar: a result that comes in after a newer filter started is dropped.
        Whether the view shows the result now (not in a thread, not a bad query)."""
        error = self.query_one("#filter-error", Static)
        filter_input = self.query_one("#filter", Input)
        try:
            query = parse_query(text, self.timeline)
        except QueryError as exc:
            # The input's text starts three cells in (border and padding).
            caret = " " * (2 + exc.column) + "^ "
            error.update(Content.assemble((caret, "$error"), (str(exc), "$error")))
            error.display = True
            filter_input.add_class("-invalid")
            return False
        error.display = False
        filter_input.remove_class("-invalid")
        # Typing more of a word, or another word, can only narrow: look only at what
        # the last query whose result is in found.
        within = self.query_positions if narrows(self.positions_text, text) else None
        self.query_text = text
        self.filter_generation += 1
        self.workers.cancel_group(self, "filter")
        if len(within if within is not None else self.timeline) <= SYNC_FILTER_LIMIT:
            found = query.filter(self.timeline, within)
            self._filtered(self.filter_generation, query, found)
            return True
        else:
            self._filter_in_thread(
                self.filter_generation,
                query,
                self.timeline,
                within,
                lay_out=self.replay_index is None,
            )
            return False

    @work(thread=True, exclusive=True, group="filter")
    def _filter_in_thread(
        self,
        generation: int,
        query: Query,
        timeline: Timeline,
        within: Sequence[int] | None,
        *,
        lay_out: bool,
    ) -> None:
        """`lay_out`: lay the rows out here too: on a big result that is a tenth of a
        second or more, which the app's thread would otherwise spend instead of echoing
        keys. (In a replay the list shows fewer events, laid out when they are known.)"""
        worker = get_current_worker()
        predicate = query.predicate(timeline)
        candidates = range(len(timeline)) if within is None else within
        found: list[int] = []
        for start in range(0, len(candidates), FILTER_CHUNK):
            if worker.is_cancelled:
                return
            found.extend(i for i in candidates[start : start + FILTER_CHUNK] if predicate(i))
        layout = RowLayout(timeline, found) if lay_out else None
        if not worker.is_cancelled:
            self.call_from_thread(self._filtered, generation, query, found, layout)

    def _filtered(
        self,
        generation: int,
        query: Query,
        positions: Sequence[int],
        layout: RowLayout | None = None,
    ) -> None:
        """A filter's result, shown only if no filter was started after it."""
        if generation != self.filter_generation:
            return
        self.query_positions = positions
        self.positions_text = query.source
        self.words = query.words
        self.query_notes = query.notes
        if not positions and len(self.timeline) <= SYNC_FILTER_LIMIT:
            self.query_notes = [*query.notes, *query.nearest_values(self.timeline)]
        self._refresh_view(layout)

    # Actions

    MAIN_SCREEN_ACTIONS = frozenset(
        {
            "focus_filter",
            "escape",
            "goto_date",
            "jump_months",
            "facets",
            "replay",
            "bookmark",
            "next_bookmark",
            "copy",
            "open_link",
            "warnings",
        }
    )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The list's keys apply only on the main screen, not in a modal or the event view."""
        if action in self.MAIN_SCREEN_ACTIONS:
            return self.screen is self.screen_stack[0]
        return True

    def action_focus_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if filter_input.has_focus:
            self.query_one(EventList).focus()
        elif self.replay_index is not None:
            self.replay_index = None
            self._refresh_view()
        elif filter_input.value:
            filter_input.value = ""
            self._apply_query("")

    def action_goto_date(self) -> None:
        from ..screens.goto import GotoScreen

        def go(when: When | None) -> None:
            if when is not None:
                event_list = self.query_one(EventList)
                event_list.cursor = event_list.index_at_or_after(when.earliest)
                event_list.focus()

        self.push_screen(GotoScreen(self.timeline), go)

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
                self.bell()
                return
        else:
            k = event_list.index_at_or_after(month_start(0, period * step + 1)) - 1
            if k < 0:
                self.bell()
                return
            y, m, _ = civil_from_seconds(self.timeline.starts[event_list.positions[k]])
            k = event_list.index_at_or_after(month_start(0, ((y * 12 + m - 1) // step) * step + 1))
        event_list.cursor = k

    def action_facets(self) -> None:
        from ..screens.facets import FacetsScreen

        def add(term: str | None) -> None:
            if term:
                filter_input = self.query_one("#filter", Input)
                filter_input.value = f"{filter_input.value.strip()} {term}".strip()
                self.query_one(EventList).focus()

        self.push_screen(FacetsScreen(self.timeline, self._shown_positions()), add)

    def action_replay(self, step: int) -> None:
        """Step the "as known on" day through the days on which something became known."""
        if not self.replay_days:
            return
        if self.replay_index is None:
            self.replay_index = 0 if step > 0 else len(self.replay_days) - 1
        else:
            self.replay_index = min(max(self.replay_index + step, 0), len(self.replay_days) - 1)
        self._refresh_view()
        # Put the cursor on what became known that day.
        day = self.replay_days[self.replay_index]
        event_list = self.query_one(EventList)
        known = self.timeline.known
        for k, position in enumerate(event_list.positions):
            if known[position] // DAY == day:
                event_list.cursor = k
                break

    def action_bookmark(self) -> None:
        event = self.query_one(EventList).current
        if event is None:
            return
        if event.id in self.bookmarks:
            self.bookmarks.remove(event.id)
            self.notify("Bookmark removed.", markup=False)
        else:
            self.bookmarks.append(event.id)
            self.notify("Bookmarked. ' goes to the next bookmark.", markup=False)
        self.query_one(EventList).refresh_bookmarks(set(self.bookmarks))
        key = self._file_key()
        if key:
            try:
                self.state.set_bookmarks(key, self.bookmarks)
            except OSError as exc:
                self.notify(
                    f"Could not save bookmarks: {exc.strerror}", severity="error", markup=False
                )

    def action_next_bookmark(self) -> None:
        event_list = self.query_one(EventList)
        marked = {self.timeline.position[b] for b in self.bookmarks if b in self.timeline.position}
        shown = [k for k, p in enumerate(event_list.positions) if p in marked]
        if not shown:
            self.notify(
                "No bookmarks among the shown events. m marks one.",
                severity="warning",
                markup=False,
            )
            return
        later = [k for k in shown if k > event_list.cursor]
        event_list.cursor = later[0] if later else shown[0]

    def action_copy(self) -> None:
        from ..screens.event_screen import copy_event

        event = self.query_one(EventList).current
        if event is not None:
            copy_event(self, self.timeline, event)

    def action_open_link(self) -> None:
        from ..screens.event_screen import open_event_link

        event = self.query_one(EventList).current
        if event is not None:
            open_event_link(self, self.timeline, event)

    def action_warnings(self) -> None:
        from ..screens.warnings import WarningsScreen

        self.push_screen(WarningsScreen(self.file_name, self.warnings))

    def action_help(self) -> None:
        from ..screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        yield from super().get_system_commands(screen)
        yield SystemCommand(
            "Go to date", "Jump to the first event on or after a date", self.action_goto_date
        )
        yield SystemCommand(
            "Facets", "Counts per status, kind, tag, actor, place", self.action_facets
        )
        yield SystemCommand(
            "Replay", "Step through the story as it became known", lambda: self.action_replay(1)
        )
        yield SystemCommand(
            "Open link",
            "Open the highlighted event's source (http and https only)",
            self.action_open_link,
        )
        yield SystemCommand(
            "Warnings", "The file's warnings, with line and column", self.action_warnings
        )
        yield SystemCommand("Help", "Every key", self.action_help)

    def _remember_theme(self, theme: object) -> None:
        try:
            self.state.update("theme", self.theme)
        except OSError as exc:
            self.notify(
                f"Could not save the theme for next time: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )


_PLAIN_WORDS = re.compile(r"[^\W_]+(?: +[^\W_]*)*")
_KEYWORDS = frozenset({"OR", "AND", "NOT"})


def prepare(path: str, loaded: Loaded, done: threading.Event, warn: Callable[[str], None]) -> None:
    """Build the search texts, and save what was loaded for the next open (see
    cache.py): a snapshot that can't be written is only a slower next open, which
    `warn` (thread-safe) tells the user."""
    try:
        loaded.timeline.column("text")
        loaded.timeline.referrers()  # from a snapshot, read when first needed: now
        if loaded.snapshot_due is not None:
            from ..model import cache

            try:
                cache.write(
                    path, loaded.snapshot_due, loaded.timeline, loaded.warnings, loaded.skipped
                )
            except (OSError, ValueError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                debug(f"snapshot of {path} not written: {exc!r}")
                warn(f"Could not save a snapshot for a faster next open: {reason}")
    finally:
        done.set()


def narrows(old: str, new: str) -> bool:
    """Whether every event `new` matches is one `old` matched: only plain words, and
    `new` is `old` with more typed at the end (a longer word, or another word)."""
    return (
        bool(old.strip())
        and new.startswith(old)
        and _PLAIN_WORDS.fullmatch(new) is not None
        and not _KEYWORDS & set(new.split())
    )


def _day_text(day: int) -> str:
    year, month, dom = civil_from_seconds(day * DAY)
    return DatePoint(year, month, dom).display()
