"""The main view's keys for the analyst's own work (DESIGN.md §6): stars, notes, labels,
saved views, editing the file, a new event, exporting what is shown. What they write
goes to the sidecar (model/sidecar.py) or, for `e` and the new event, to the event
file through the user's editor; a served app starts no program and writes no path
on the server (its exports are downloads)."""

from __future__ import annotations

import os
import shlex
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.screen import Screen

from ..model.events import Event, Timeline
from ..model.query import QueryError, parse_query, reads_analyst_layer
from ..model.sidecar import Layer
from ..model.sidecars import Sidecars
from ..model.text import clean_text, plural
from ..widgets.event_list import EventList

if TYPE_CHECKING:
    _Base = Screen[None]
else:
    _Base = object

EXPORTS = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".csv": "csv"}
EXPORTS |= {".json": "json", ".ics": "ics"}


class AnalystActions(_Base):
    sidecar: Sidecars
    new_ids: set[str]
    _mine: Layer | None
    query_text: str
    timeline: Timeline

    if TYPE_CHECKING:  # the main screen's

        def shown_positions(self) -> Sequence[int]: ...
        def apply_query(self, text: str) -> bool: ...
        def refresh_header_and_detail(self) -> None: ...
        def view_made_by(self) -> tuple[str, list[str]]: ...
        def jump_to_event(self, event_id: str) -> None: ...

    # Reading the layer

    @property
    def mine(self) -> Layer:
        if self._mine is None:
            self._mine = self.sidecar.layer(self.new_ids)
        return self._mine

    def reread_annotations(self) -> None:
        """The layer made again from the sidecar (and catching up), and the list's marks;
        what is shown from them is the caller's to refresh."""
        self._mine = None
        self.query_one(EventList).refresh_marks(self.mine)

    def annotations_changed(self) -> None:
        """After a star, note, label or view: marks, detail, and a filter that reads them."""
        self.reread_annotations()
        if reads_analyst_layer(self.query_text):
            self.apply_query(self.query_text)
        else:  # the rows stay as they are laid out (at a million events, that matters)
            self.refresh_header_and_detail()

    async def open_screen(self, screen: Screen[Any], done: Callable[[Any], None]) -> None:
        """Push a screen and wait until it is mounted and has focused its box. The key
        that opens it has a priority binding, run before the app sends on the next key,
        so the keys typed right after it (`t2025`, Enter then Esc) go to the new screen,
        not to the list beneath."""
        await self.app.push_screen(screen, done)

    def _current(self) -> Event | None:
        event = self.query_one(EventList).current
        if event is None:
            self.app.bell()
        return event

    def _saved(self, change: str) -> bool:
        """Say where a change went, or why it only lasts the session."""
        if self.sidecar.saves:
            return True
        if self.sidecar.path is not None and not self.sidecar.writable:
            self.notify(f"{change} for this session (read-only: nothing is saved).", markup=False)
        elif self.sidecar.path is None:
            self.notify(
                f"{change}; standard input has no notes file, so it lasts this session.",
                markup=False,
            )
        elif self.sidecar.read_problem:
            self.notify(
                f"{change} for this session only: {self.sidecar.read_problem}.",
                severity="warning",
                markup=False,
            )
        return False

    def _write(self, change: str, write: Callable[[], object]) -> None:
        try:
            write()
        except OSError as exc:
            self.notify(
                f"{change}, but could not save it to {self.sidecar.path}: {exc.strerror or exc}",
                severity="error",
                markup=False,
            )
        self.annotations_changed()

    # Stars

    def action_star(self) -> None:
        event = self._current()
        if event is None:
            return
        starred = not self.sidecar.get(event.id).starred
        self._write("Starred", lambda: self.sidecar.set_starred(event.id, starred))
        said = "Starred. ' goes to the next star." if starred else "Star removed."
        if self._saved(said.split(".")[0]):
            self.notify(said, markup=False)

    def action_next_star(self) -> None:
        event_list = self.query_one(EventList)
        position = self.timeline.position
        starred = {position[i] for i in self.mine.starred if i in position}
        shown = [k for k, p in enumerate(event_list.positions) if p in starred]
        if not shown:
            self.notify("No starred events among those shown. * stars one.", markup=False)
            return
        later = [k for k in shown if k > event_list.cursor]
        event_list.cursor = later[0] if later else shown[0]

    # Notes and labels

    async def action_note(self) -> None:
        from .ask import NoteScreen

        event = self._current()
        if event is None:
            return

        def save(note: str | None) -> None:
            if note is None or note == self.sidecar.get(event.id).note:
                return
            self._write("Note saved", lambda: self.sidecar.set_note(event.id, note))
            if self._saved("Note kept"):
                self.notify("Note saved." if note.strip() else "Note removed.", markup=False)

        await self.open_screen(NoteScreen(event.title, self.sidecar.get(event.id).note), save)

    async def action_label(self) -> None:
        from .ask import AskScreen

        event = self._current()
        if event is None:
            return
        has = self.sidecar.get(event.id).labels
        prompt = "Label this event (a label it has already is removed)"
        if has:
            prompt += f"\nIt has: {', '.join(clean_text(label) for label in has)}"

        def add(label: str | None) -> None:
            if not label:
                return
            now: list[bool] = []
            self._write("Labelled", lambda: now.append(self.sidecar.toggle_label(event.id, label)))
            if self._saved("Label changed"):
                verb = "Labelled" if now and now[0] else "Removed the label"
                self.notify(f"{verb} “{clean_text(label)}”.", markup=False)

        await self.open_screen(
            AskScreen(prompt, suggestions=self.sidecar.labels(), placeholder="verify"), add
        )

    # Views

    async def action_save_view(self) -> None:
        from .ask import AskScreen

        query = self.query_text.strip()
        if not query:
            self.notify("Type a filter first (/): a view is a named filter.", markup=False)
            return

        def check(name: str) -> str | None:
            if not all(c.isalnum() or c in "-_." for c in name):
                return "A name is letters, digits, - _ and . (it is written @name)."
            try:  # saved, would it use itself?
                parse_query(f"@{name}", self.timeline, {**self.sidecar.views, name: query})
            except QueryError as exc:
                return exc.message
            return None

        def save(name: str | None) -> None:
            if name:
                self._write("View saved", lambda: self.sidecar.save_view(name, query))
                if self._saved("View kept"):
                    self.notify(f"Saved the view @{name}: {query}", markup=False)

        await self.open_screen(
            AskScreen(f"Save “{query}” as a view named", check=check, placeholder="kursk"), save
        )

    def show_view(self, name: str) -> None:
        """From the palette: filter by the view."""
        from textual.widgets import Input

        self.query_one("#filter", Input).value = f"@{name}"

    # Possible duplicates

    def action_dupes(self) -> None:
        from .dupes import DupesScreen

        def go(event_id: str | None) -> None:
            if event_id:
                self.jump_to_event(event_id)

        screen = DupesScreen(self.timeline, list(self.shown_positions()), self.mark_same)
        self.app.push_screen(screen, go)

    def mark_same(self, pairs: Sequence[tuple[str, str]], same: bool) -> None:
        """Mark pairs of events the same (shown once from now on), or no longer the same."""
        from .dupes import DupesScreen

        change = "Marked the same" if same else "Marked not the same"
        before = self.timeline
        shown = [before[i].id for i in self.shown_positions()]
        try:
            for first, second in pairs:
                self.sidecar.set_same(first, second, same)
        except OSError as exc:
            self.notify(
                f"{change}, but could not save it to {self.sidecar.path}: {exc.strerror or exc}",
                severity="error",
                markup=False,
            )
        if self._saved(change):
            self.notify(f"{change}: saved in {self.sidecar.path}.", markup=False)
        reassemble = getattr(self.app, "reassemble", None)
        if reassemble is not None:
            reassemble()
        after = self.timeline
        position = after.position
        if not same:  # the events shown as one are each shown again
            shown += [other.id for first, _ in pairs for other in before.same.get(first, ())]
        positions = sorted({position[i] for i in shown if i in position})
        for screen in self.app.screen_stack:
            if isinstance(screen, DupesScreen):
                screen.refresh_pairs(after, positions)

    # The file itself

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A served app starts no program on the server: no editor (its `:!sh` would be a
        shell), so `e` and the new event are not offered there."""
        return not (action in ("edit", "new_event") and getattr(self.app, "served", False))

    def _editable_path(self, event: Event | None) -> str | None:
        """The file of the event (with several files open), else the one file."""
        file_path = getattr(self.app, "file_path", None)
        path: str = (
            file_path(event) if file_path and event is not None else getattr(self.app, "path", "-")
        )
        if path == "-":
            self.notify("Standard input has no file to edit.", severity="warning", markup=False)
            return None
        return path

    def action_edit(self) -> None:
        from ..model.authoring import event_line

        event = self._current()
        path = self._editable_path(event)
        if event is None or path is None:
            return
        try:
            text = Path(path).read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            self.notify(f"Cannot read {path}: {exc.strerror}", severity="error", markup=False)
            return
        self.open_editor(path, event_line(text, self.timeline.own_id(event)))

    def action_new_event(self) -> None:
        """A new event in the highlighted event's file (with several open), at its date."""
        from datetime import date

        from ..model.authoring import AuthoringError, append_event

        event = self.query_one(EventList).current
        path = self._editable_path(event)
        if path is None:
            return
        date_text = event.date.to_text() if event is not None else date.today().isoformat()
        try:
            event_id, line = append_event(path, date_text, self.timeline.position)
        except (AuthoringError, OSError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.notify(f"No new event: {reason}", severity="error", markup=False)
            return
        self.notify(f"Added {event_id} to {Path(path).name}; fill it in.", markup=False)
        self.open_editor(path, line)

    def open_editor(self, path: str, line: int | None) -> None:
        """`$VISUAL`, else `$EDITOR`, else `vi`, at the line; the app waits, suspended,
        and live reload shows what was saved."""
        from textual.app import SuspendNotSupported

        editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
        command = [*shlex.split(editor), *([f"+{line}"] if line else []), path]
        try:
            with self.app.suspend():
                result = subprocess.run(command, check=False)
        except SuspendNotSupported:
            self.notify(
                "This terminal can't hand over to an editor.", severity="warning", markup=False
            )
            return
        except OSError as exc:
            self.notify(
                f"Could not start {clean_text(editor)}: {exc.strerror or exc} (set $EDITOR)",
                severity="error",
                markup=False,
            )
            return
        self.refresh(layout=True)
        if result.returncode:
            self.notify(
                f"The editor exited with {result.returncode}.", severity="warning", markup=False
            )

    # Export

    async def action_export(self) -> None:
        from .ask import AskScreen, ConfirmScreen

        positions = list(self.shown_positions())
        served = getattr(self.app, "served", False)
        stem = Path(getattr(self.app, "file_name", "timeline")).stem or "timeline"

        def check(answer: str) -> str | None:
            if Path(answer).suffix.lower() not in EXPORTS:
                return "End the name with .md, .txt, .csv, .json or .ics (the format)."
            if not served and Path(answer).expanduser().is_dir():
                return f"{answer} is a folder."
            return None

        def write(answer: str | None) -> None:
            if not answer:
                return
            target = Path(answer).expanduser()
            if served or not target.exists():
                self.export_view(positions, answer, served)
                return

            def replace(yes: bool | None) -> None:
                if yes:
                    self.export_view(positions, answer, served)

            self.app.push_screen(ConfirmScreen(f"{target} exists. Replace it?"), replace)

        where = "Download the shown events as" if served else "Write the shown events to"
        await self.open_screen(
            AskScreen(
                f"{where} ({plural(len(positions), 'event')}; .md .txt .csv .json .ics)",
                f"{stem}-view.md",
                check=check,
            ),
            write,
        )

    def export_view(self, positions: Sequence[int], answer: str, served: bool) -> None:
        from ..output.view import view_text

        fmt = EXPORTS[Path(answer).suffix.lower()]
        query, view = self.view_made_by()
        text = view_text(self.timeline, positions, fmt, query, view, self.sidecar.events)
        if served:
            import io

            self.app.deliver_text(io.StringIO(text), save_filename=Path(answer).name)
            self.notify(f"Sent {Path(answer).name} to the browser.", markup=False)
            return
        target = Path(answer).expanduser()
        try:
            target.write_text(text, encoding="utf-8")
        except OSError as exc:
            self.notify(f"Could not write {answer}: {exc.strerror}", severity="error", markup=False)
            return
        self.notify(
            f"Wrote {plural(len(positions), 'event')} to {target} ({fmt}).",
            title="Exported",
            markup=False,
        )
