"""The notes files of the files open at once, as one: each event's note, star and labels
are read from and written to its own file's sidecar, under the id its file gives it
(not the `file:id` a clash shows). Views are read from every sidecar and saved in the
first file's. With one file this is that file's sidecar, ids unchanged."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TypeVar

from .events import Timeline
from .reading import STDIN
from .sidecar import Annotation, AnnotationsRead, SameAs, Sidecar

T = TypeVar("T")


class Sidecars(AnnotationsRead):
    def __init__(self, paths: Sequence[str], *, writable: bool = True) -> None:
        self.paths = list(paths)
        self.parts = [Sidecar.for_file(path, writable=writable) for path in paths]
        self.timeline = Timeline([])
        self.events: dict[str, Annotation] = {}
        self.views: dict[str, str] = {}
        self.last = self.parts[0] if self.parts else Sidecar(None, "", writable=False)
        """The sidecar last written (what a message about saving names)."""
        self._take()

    @classmethod
    def nothing(cls) -> Sidecars:
        """Before a file is open: no notes, nothing saved."""
        return cls([])

    # What the screens ask of one sidecar

    @property
    def path(self) -> Path | None:
        return self.last.path

    @property
    def writable(self) -> bool:
        return self.last.writable

    @property
    def saves(self) -> bool:
        return self.last.saves

    @property
    def read_problem(self) -> str | None:
        return self.last.read_problem

    @property
    def warnings(self) -> list[str]:
        return [warning for part in self.parts for warning in part.warnings]

    def attach(self, timeline: Timeline) -> None:
        """Name the annotations as this timeline names its events."""
        self.timeline = timeline
        self._take()

    def reload(self) -> None:
        for part in self.parts:
            part.reload()
        self._take()

    def _take(self) -> None:
        self.events = {
            _shown_id(self.timeline, index, own): annotation
            for index, part in enumerate(self.parts)
            for own, annotation in part.events.items()
        }
        self.views = {name: q for part in reversed(self.parts) for name, q in part.views.items()}

    # Ids: as shown, and as each file writes them

    def owner(self, event_id: str) -> tuple[int, str]:
        """Which file's sidecar holds the event's notes, and under which id."""
        timeline = self.timeline
        own = timeline.original_ids.get(event_id, event_id)
        if not timeline.files:
            return 0, own
        event = timeline.get(event_id)
        shown = timeline.aliases.get(event_id)
        if shown is not None:  # shown as part of another: it is among that one's `same`
            event = next(e for e in timeline.same[shown] if e.id == event_id)
        return (event.file if event is not None else 0), own

    # Changing

    def _change(self, event_id: str, change: Callable[[Sidecar, str], T]) -> T:
        """A change to one event's notes, made in its own file's sidecar, by its own id."""
        index, own = self.owner(event_id)
        self.last = self.parts[index]
        try:
            return change(self.last, own)
        finally:
            self._take()

    def set_note(self, event_id: str, note: str) -> None:
        self._change(event_id, lambda part, own: part.set_note(own, note))

    def set_starred(self, event_id: str, starred: bool) -> None:
        self._change(event_id, lambda part, own: part.set_starred(own, starred))

    def toggle_label(self, event_id: str, label: str) -> bool:
        return self._change(event_id, lambda part, own: part.toggle_label(own, label))

    def star_all(self, event_ids: Iterable[str]) -> None:
        """The old bookmarks of a file opened alone."""
        self.last = self.parts[0]
        self.last.star_all(event_ids)
        self._take()

    def save_view(self, name: str, query: str) -> None:
        self.last = self.parts[0]
        try:
            self.last.save_view(name, query)
        finally:
            self._take()

    # Events marked the same

    def same_groups(self, timeline: Timeline) -> list[list[str]]:
        """Each sidecar's `same_as` links, as pairs of ids of this timeline (links to files
        not open, or to ids not in them, are kept in the file and left out here). Reads
        only: the app calls it in a thread."""
        where = {_key(path): index for index, path in enumerate(self.paths)}
        pairs = []
        for index, part in enumerate(self.parts):
            folder = part.path.parent if part.path is not None else Path()
            for own, links in part.same.items():
                for link in links:
                    other = where.get(_key(str(folder / link.file))) if link.file else index
                    if other is not None:
                        pairs.append(
                            [
                                _shown_id(timeline, index, own),
                                _shown_id(timeline, other, link.id),
                            ]
                        )
        return pairs

    def set_same(self, first: str, second: str, same: bool) -> None:
        """Mark two events the same (or not), in the sidecar of each: either file opened
        alone, or with others, knows."""
        ends = [self.owner(first), self.owner(second)]
        for (index, own), (other, other_own) in (ends, ends[::-1]):
            part = self.parts[index]
            if other != index and self.paths[other] == STDIN and part.path is not None:
                continue  # no file to point to: standard input's own notes hold the link
            self.last = part
            file = None
            if other != index:
                folder = part.path.parent if part.path is not None else Path()
                file = Path(os.path.relpath(os.path.abspath(self.paths[other]), folder)).as_posix()
            part.set_same(own, SameAs(other_own, file), same)
        self._take()


def _shown_id(timeline: Timeline, index: int, own: str) -> str:
    """The id the timeline shows for file `index`'s event `own`: `file:id` if two files
    have it."""
    if timeline.files:
        qualified = f"{timeline.files[index]}:{own}"
        if qualified in timeline.original_ids:
            return qualified
    return own


def _key(path: str) -> str:
    return os.path.realpath(path)
