"""The app: loads the file (and again when it changes), keeps the user's state and theme,
and offers the palette's commands. What is on screen, and its keys, is the main screen's
(screens/main.py)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from textual import on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import WorkerFailed

from ..model.combining import assembled, file_names
from ..model.datasets import is_dataset
from ..model.debug import debug
from ..model.events import Event, Timeline
from ..model.loading import Loaded, LoadOptions, source_size
from ..model.locations import data_dir
from ..model.problems import LoadError, Unreadable
from ..model.reading import STDIN, keep_out_of_collections
from ..model.seen import seen_key
from ..model.sidecars import Sidecars
from ..model.state import StateStore
from ..model.text import clean_text, plural
from ..screens.main import MainScreen
from ..widgets.filter_input import FilterInput
from .catching_up import CatchingUp, CaughtUp
from .commands import EventsProvider, main_view_commands
from .loads import (
    SHOWN_WITHIN,
    Assembled,
    FirstEvents,
    Looked,
    Progress,
    Read,
    Warn,
    file_stat,
    load_file,
    size_text,
)

SYNC_LOAD_BYTES = 1_000_000
"""Files smaller than this load before the first frame: quicker than a thread."""
ASSEMBLE_HERE = 50_000
"""Several files with fewer events than this are combined on the app's thread."""
WATCH_SECONDS = 1.0
"""How often the open file is checked for changes."""
WAITS_FOR_THE_INDEX_UP_TO = 120.0
"""Seconds the snapshot waits for the word index, and catching up for its first words:
they would take half the interpreter from it (see `prepare`)."""


class TimelineApp(App[None]):
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "timeline"
    COMMANDS = App.COMMANDS | {EventsProvider}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (90, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (16, "-tall")]
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("q", "quit", "Quit", id="app.quit"),
    ]

    def __init__(
        self,
        path: str | Sequence[str],
        *,
        preloaded: Loaded | None = None,
        state: StateStore | None = None,
        options: LoadOptions | None = None,
        served: bool = False,
    ) -> None:
        """`path`: a file, or several shown as one timeline. `preloaded`: standard input's,
        read before the app took the terminal. `served`: in a browser, through `timeline
        serve`: no program is started on the server (no editor), links and exports go to
        the browser."""
        super().__init__()
        self._served = served
        self.paths = [path] if isinstance(path, str) else list(path)
        self.path = self.paths[0]
        self.names = file_names(self.paths)
        self.options = options or LoadOptions()
        self.preloaded = preloaded
        self.parts: list[Loaded | None] = [None] * len(self.paths)
        """Each file as last read well: a reload of one is combined with the others."""
        self.state = state or StateStore(data_dir() / "state.json")
        self.loaded = False
        self.load_error: LoadError | None = None
        self.crash: Exception | None = None
        """An unexpected exception while loading: a bug, raised again by the command
        line once the terminal is back, where the console script reports it."""
        self.unreadable: Unreadable | None = None
        """A snapshot that could no longer be read while the app read it: the app ends,
        and the command line says so."""
        self.background_done = threading.Event()
        """Set when the work after a load (search texts, snapshot) is finished."""
        self._stats: list[tuple[int, int, int] | None] = [None] * len(self.paths)
        self._watching = False  # a look at the files is under way
        self.catching_up = CatchingUp(self._file_key(), write=self.state.writable)

    def _handle_exception(self, error: Exception) -> None:
        """A snapshot cut short in place under the app (any read of an event, a column,
        a warning may meet it) ends the app as a file it can't read does, with exit code
        2 and the command line's sentence, not a traceback. Textual's hook for an
        unhandled exception: it has no public one."""
        unreadable = _unreadable_in(error)
        if unreadable is None:
            super()._handle_exception(error)
        elif self.unreadable is None:
            self.unreadable = unreadable
            self.exit(return_code=2)

    def get_default_screen(self) -> MainScreen:
        return MainScreen(when_mounted=self._start)

    @property
    def served(self) -> bool:
        """In a browser: through `timeline serve`, or any web driver (textual-serve run
        by hand)."""
        return self._served or self.is_web

    @property
    def main(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    @property
    def timeline(self) -> Timeline:
        return self.main.timeline

    @property
    def file_name(self) -> str:
        return " + ".join(self.names)

    def file_path(self, event: Event) -> str:
        """The file the event is from."""
        return self.paths[event.file if len(self.paths) > 1 else 0]

    def _start(self) -> None:
        theme = self.state.theme()
        if theme and theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        for warning in self.state.warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        if not self.state.writable:
            self.notify(
                "Read-only: notes, stars, views and the theme last this session"
                " (timeline serve --writable saves them).",
                timeout=8,
                markup=False,
            )
        self._open_sidecar()
        self.main.file_name = self.file_name
        self.main.show_title(self.file_name)
        total = sum(max(source_size(path), 0) for path in self.paths if path != STDIN)
        size = size_text(total) if total or STDIN not in self.paths else "standard input"
        small = total < SYNC_LOAD_BYTES and STDIN not in self.paths  # a pipe: any size
        self.main.show_progress(f"loading {size}…", busy=not small)
        for index, path in enumerate(self.paths):
            if path == STDIN and self.preloaded is not None:
                self.parts[index] = self.preloaded
        if all(part is not None for part in self.parts):  # standard input, read already
            self._assemble(reload=None)
        elif small:  # before the first frame: quicker than a thread
            for index, path in enumerate(self.paths):
                if self.parts[index] is None and self.return_code is None:
                    self._read(load_file(path, self.options, index=index))
        else:
            self.call_after_refresh(self._load, size)  # a frame first

    @work(thread=True, exclusive=True, group="load")
    def _load(self, size: str) -> None:
        told = False  # a file's first events: shown once, for the first file that has them
        for index, path in enumerate(self.paths):
            if self.parts[index] is not None:
                continue
            named = f"{self.names[index]}: " if len(self.paths) > 1 else ""

            def progress(text: str, named: str = named) -> None:
                self.post_message(Progress(f"loading {size}: {named}{text}…"))

            def preview(timeline: Timeline, ids_final: bool, index: int = index) -> None:
                # Several files are one timeline only once all are read: meanwhile one
                # file's first events, whose ids that timeline may mark with its name.
                nonlocal told
                told, several = True, len(self.paths) > 1
                whose = f"{self.names[index]}'s" if several else "the file's"
                first = FirstEvents(timeline, ids_final and not several, whose)
                self.post_message(first)
                first.shown.wait(SHOWN_WITHIN)

            read = load_file(
                path, self.options, progress, index=index, preview=None if told else preview
            )
            self.post_message(read)
            if read.loaded is None:
                return

    def _reload(self, index: int) -> None:
        """In a thread, one per file: a newer change to a file replaces its reload."""

        def reload() -> None:
            path = self.paths[index]
            self.post_message(load_file(path, self.options, reload=True, index=index))

        self.run_worker(reload, thread=True, exclusive=True, group=f"reload-{index}")

    @property
    def closing(self) -> bool:
        """Once the app exits, or `run_test`'s end shuts it down without `exit`, a late
        message from a worker is dropped: the screens' widgets may be gone already (CI
        once saw catching up's answer arrive after the list was pruned)."""
        return not (self.is_running and self.screen_stack and self.main.is_attached)

    @on(Progress)
    def _show_progress(self, message: Progress) -> None:
        if not self.closing:
            self.main.show_progress(message.text)

    @on(FirstEvents)
    def _first_events(self, message: FirstEvents) -> None:
        if not self.closing and not self.loaded:
            if len(self.paths) == 1:  # one file's title is not several files'
                self.main.show_title(message.timeline.title or self.file_name)
            self.main.show_first_events(message.timeline, message.ids_final, message.whose)
            # Once the screen has handled what the events set off, and repainted. The app's
            # own call_after_refresh came sooner: the load took the interpreter back and the
            # rows waited for it (a million events in a terminal: 0.8-2.9 s, now 0.9-1.2 s).
            self.main.call_after_refresh(message.shown.set)
        else:
            message.shown.set()

    @on(Read)
    def _read(self, message: Read) -> None:
        """A file that can't be read (2) or a bug (70) ends the app; the command line
        says why once the terminal is back."""
        if self.closing:
            return
        if message.loaded is not None:
            first = any(part is None for part in self.parts)
            self.parts[message.index] = message.loaded
            if not first:
                self.main.sidecar.reload()  # another app may have changed it too
                self._assemble(reload=message.index)
            elif all(part is not None for part in self.parts):
                self._assemble(reload=None)
        elif message.error is not None and message.reload:
            self._reload_failed(message.index, message.error)
        elif not self.loaded:
            self.load_error, self.crash = message.error, message.crash
            self.exit(return_code=2 if message.error is not None else 70)

    def _assembled(self) -> Loaded:
        """The files as one timeline, the events their notes mark the same shown once."""
        parts = [part for part in self.parts if part is not None]
        return assembled(self.names, parts, self.main.sidecar)

    def _assemble(self, reload: int | None) -> None:
        """The files made one timeline again, then shown: here if that is quick (one file,
        or few events), else in a thread (two files of 100,000 events take a second or
        two), the last good timeline on screen meanwhile."""
        parts = tuple(part for part in self.parts if part is not None)
        if len(parts) == 1 or sum(len(part.timeline) for part in parts) < ASSEMBLE_HERE:
            self._assembled_now(Assembled(parts, reload, self._assembled()))
            return
        if reload is None:
            self.main.show_progress(f"combining {len(parts)} files…")

        def assemble() -> None:
            try:
                loaded = assembled(self.names, parts, self.main.sidecar, attach=False)
            except Exception as exc:
                self.post_message(Assembled(parts, reload, crash=exc))
            else:
                self.post_message(Assembled(parts, reload, loaded))

        self.run_worker(assemble, thread=True, exclusive=True, group="assemble")

    @on(Assembled)
    def _assembled_now(self, message: Assembled) -> None:
        if self.closing:
            return
        if any(a is not b for a, b in zip(message.parts, self.parts, strict=True)):
            return  # a file changed again meanwhile: its own assembly is on its way
        if message.loaded is None:
            if not self.loaded:
                self.crash = message.crash
                self.exit(return_code=70)
            else:
                self.notify(
                    f"Could not combine the files again: {message.crash!r}",
                    severity="error",
                    markup=False,
                )
            return
        self.main.sidecar.attach(message.loaded.timeline)
        if message.reload is None:
            self._loaded(message.loaded)
        else:
            self._reloaded(message.reload, message.loaded)

    def _loaded(self, loaded: Loaded) -> None:
        self.loaded = True
        for index, path in enumerate(self.paths):
            if path != STDIN:
                self._stats[index] = file_stat(path)
        if STDIN not in self.paths or len(self.paths) > 1:
            self.set_interval(WATCH_SECONDS, self._check_files, name="watch")
        self.main.show_title(loaded.timeline.title or self.file_name)
        self.main.warnings = loaded.warnings
        said = (
            f"Skipped {plural(loaded.skipped, 'event')} with errors"
            if loaded.skipped
            else f"{plural(len(loaded.warnings), 'warning')} in "
            + ("these files" if len(self.paths) > 1 or is_dataset(self.paths[0]) else "this file")
        )
        if loaded.skipped or loaded.warnings:
            self.notify(f"{said} (w lists them).", severity="warning", markup=False)
        own = [part for part in self.parts if part is not None]
        if len(own) == 1 and own[0].timeline is loaded.timeline:  # one file, shown as read
            self.main.index_place = own[0].cache_place
        self.main.first_events = False
        self.main.timeline = loaded.timeline
        self._say_orphans(loaded.timeline)
        self.call_after_refresh(self._prepare_in_background, loaded)

    def _prepare_in_background(self, loaded: Loaded) -> None:
        """Once the list is on screen: the filter's search texts (not built on the first
        key typed), then each file's snapshot for the next open. A daemon thread, not a
        worker: quitting must not wait for it (an unfinished snapshot is a temporary
        file, removed later)."""
        self.background_done.clear()
        if self._file_key():
            self.catching_up.start(loaded.timeline, self.post_message, self.main.first_words)
        snapshots = [
            (path, part)
            for path, part in zip(self.paths, self.parts, strict=True)
            if part is not None and part.snapshot_due is not None
        ]
        threading.Thread(
            target=prepare,
            args=(
                loaded.timeline,
                snapshots,
                self.background_done,
                lambda text: self.post_message(Warn(text)),
                self.main.index_built,
            ),
            daemon=True,
        ).start()

    @on(Warn)
    def _warn(self, message: Warn) -> None:
        self.notify(message.text, severity="warning", markup=False)

    def _check_files(self) -> None:
        """Reload a file when it changes, on its own; keep the last good data when it is
        deleted or becomes invalid. The files are looked at in a thread (Looked)."""
        if self._watching:
            return
        self._watching = True

        def look() -> None:
            self.post_message(
                Looked([None if path == STDIN else file_stat(path) for path in self.paths])
            )

        self.run_worker(look, thread=True, group="watch")

    @on(Looked)
    def _looked(self, message: Looked) -> None:
        self._watching = False
        if self.closing:
            return
        for index, path in enumerate(self.paths):
            if path == STDIN:
                continue
            stat = message.stats[index]
            if stat == self._stats[index]:
                continue
            self._stats[index] = stat
            if stat is None:
                self.main.file_status = (
                    f"{self.names[index]} is gone; showing the last version read"
                    if len(self.paths) > 1
                    else "the file is gone; showing the last version read"
                )
                self.notify(f"{path} was deleted or moved.", severity="warning", markup=False)
            else:
                self._reload(index)

    def _reload_failed(self, index: int, error: LoadError) -> None:
        errors = error.errors
        which = f"{self.names[index]} has" if len(self.paths) > 1 else "the file has"
        self.main.file_status = (
            f"{which} {plural(len(errors), 'error')}; showing the last good version"
        )
        first = errors[0].format(error.source) if errors else str(error)
        self.notify(first, title="Not reloaded", severity="error", timeout=10, markup=False)

    def reassemble(self) -> Loaded:
        """The files as read, made one timeline again and shown, here: after events were
        marked the same (or no longer)."""
        return self._show(self._assembled())

    def _show(self, loaded: Loaded) -> Loaded:
        self.main.warnings = loaded.warnings
        self.main.reread_annotations()
        self.main.timeline = loaded.timeline  # shows it, filtered with the layer just read
        return loaded

    def _reloaded(self, index: int, loaded: Loaded) -> None:
        from ..screens.event_screen import EventScreen

        self.main.file_status = None
        self._show(loaded)
        what = f"{self.names[index]}: " if len(self.paths) > 1 else ""
        part = self.parts[index]
        count = len(part.timeline) if part is not None else 0
        self.notify(f"Reloaded {what}{plural(count, 'event')}.", markup=False)
        if self._file_key():
            self.catching_up.start(loaded.timeline, self.post_message, self.main.first_words)
        for screen in self.screen_stack:
            if isinstance(screen, EventScreen):
                screen.reloaded(loaded.timeline)

    # The user's state

    def _file_key(self) -> str:
        return seen_key(self.paths)

    def _open_sidecar(self) -> None:
        """The analyst's notes file, and the bookmarks of earlier versions made stars (read
        once: they are removed from the state once the sidecar has them)."""
        sidecar = Sidecars(self.paths, writable=self.state.writable)
        self.main.sidecar = sidecar
        for warning in sidecar.warnings:
            self.notify(warning, severity="warning", timeout=10, markup=False)
        key = self._file_key()
        if not key:
            return
        self.main.query_one("#filter", FilterInput).history = self.state.strings("history", key)
        bookmarks = self.state.strings("bookmarks", key)
        if not bookmarks or len(self.paths) > 1:
            return
        try:
            sidecar.star_all(bookmarks)
            if sidecar.saves:
                self.state.set_strings("bookmarks", key, [])
                self.notify(
                    f"Bookmarks ({len(bookmarks)}) are stars now, kept in {sidecar.path}.",
                    markup=False,
                )
        except OSError as exc:
            self.notify(f"Could not save stars: {exc.strerror}", severity="error", markup=False)

    def _say_orphans(self, timeline: Timeline) -> None:
        orphans = self.main.sidecar.orphans(timeline.positions_of(self.main.sidecar.events))
        if orphans:
            shown = ", ".join(clean_text(i) for i in orphans[:5]) + (
                " …" if len(orphans) > 5 else ""
            )
            places = ", ".join(str(part.path) for part in self.main.sidecar.parts if part.path)
            self.notify(
                f"{plural(len(orphans), 'annotated event')} no longer in the file, kept in"
                f" {places}: {shown}",
                severity="warning",
                timeout=10,
                markup=False,
            )

    @on(CaughtUp)
    def _caught_up(self, message: CaughtUp) -> None:
        if not self.closing and message.timeline is self.timeline:  # closing first: no screen
            self.main.show_new(message.new_ids, message.since)

    @on(MainScreen.FilterUsed)
    def _save_history(self, message: MainScreen.FilterUsed) -> None:
        key = self._file_key()
        if not key:
            return
        try:
            self.state.set_strings("history", key, message.history)
        except OSError as exc:
            self.notify(
                f"Could not save the filter history: {exc.strerror}",
                severity="warning",
                markup=False,
            )

    def _remember_theme(self, theme: object) -> None:
        try:
            self.state.update("theme", self.theme)
        except OSError as exc:
            self.notify(
                f"Could not save the theme for next time: {exc.strerror or exc}",
                severity="warning",
                markup=False,
            )

    # Global commands

    def jump_to_event(self, event_id: str) -> None:
        """From the palette: back to the list, the cursor on the event."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.main.jump_to_event(event_id)

    def action_help(self) -> None:
        from ..screens.help import HelpScreen

        self.push_screen(HelpScreen(served=self.served))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:  # type: ignore[type-arg]
        yield from super().get_system_commands(screen)
        yield from main_view_commands(self.main, self.action_help)


def prepare(
    timeline: Timeline,
    snapshots: Sequence[tuple[str, Loaded]],
    done: threading.Event,
    warn: Callable[[str], None],
    index_built: threading.Event | None = None,
) -> None:
    """Build the search texts, and save each file's load for the next open (see
    model/cache.py): a snapshot that can't be written is only a slower next open, which
    `warn` (thread-safe) tells the user. The snapshots wait (a while at most) for
    `index_built`: the word index, built in another thread, is what the user waits for
    now, and a snapshot makes every column again."""
    try:
        timeline.prepare_search()
        timeline.prepare_links()
        if snapshots and index_built is not None:
            index_built.wait(WAITS_FOR_THE_INDEX_UP_TO)
        for path, loaded in snapshots:
            from ..model import cache

            assert loaded.snapshot_due is not None
            try:
                cache.write(
                    path, loaded.snapshot_due, loaded.timeline, loaded.warnings, loaded.skipped
                )
            except (OSError, ValueError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
                debug(f"snapshot of {path} not written: {exc!r}")
                warn(f"Could not save a snapshot for a faster next open: {reason}")
        keep_out_of_collections(timeline)  # the texts and backlinks made here (main.py)
    finally:
        done.set()


def _unreadable_in(error: BaseException) -> Unreadable | None:
    """The snapshot's failure behind an error: raised as is, as the cause of another, or
    in a worker (WorkerFailed)."""
    seen: set[int] = set()
    found: BaseException | None = error
    while found is not None and id(found) not in seen:
        if isinstance(found, Unreadable):
            return found
        seen.add(id(found))
        inner = found.error if isinstance(found, WorkerFailed) else None
        found = inner or found.__cause__ or found.__context__
    return None
