"""The analyst's own layer on an event file (DESIGN.md §6): notes, stars, labels and
saved views, in `<stem>.notes.json` beside the file. The event file is the published
record and is never touched; the sidecar is meant to be shared and kept in git, so it
is written sorted, indented and atomically.

Every change reads the file again and writes it whole, like the app's state: two
apps on one file lose nothing but a simultaneous change to the same event. What the
format does not know (other keys) is kept as found. `same_as` links an event to others
that report the same thing (in this file, or in another named by its path from here).
A sidecar that can't be read is never written over: the session keeps its changes
in memory and says so."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Container, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from .events import Timeline
from .locations import SIDECAR_SUFFIX, sidecar_file
from .reading import STDIN
from .state import write_atomically
from .text import clean_text

SUFFIX = SIDECAR_SUFFIX


@dataclass(frozen=True)
class Annotation:
    """What the analyst added to one event."""

    note: str = ""
    starred: bool = False
    labels: tuple[str, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.note or self.starred or self.labels)


@dataclass
class Layer:
    """What the filter's analyst terms read: by event id."""

    notes: dict[str, str] = field(default_factory=dict)
    starred: set[str] = field(default_factory=set)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    new: set[str] = field(default_factory=set)
    """Ids of the events added or changed since the file was last open (catching up)."""


def sidecar_path(event_path: str) -> Path | None:
    """`story.json` → `story.notes.json` beside it. The bundled story's sidecar is in the
    user's data folder (its own folder may be a read-only install). Standard input has
    none."""
    if event_path == STDIN:
        return None
    return Path(sidecar_file(event_path))


class AnnotationsRead:
    """What a sidecar answers from its `events` (and the sidecars of several files from
    theirs, by the ids the timeline shows)."""

    events: dict[str, Annotation]

    def get(self, event_id: str) -> Annotation:
        return self.events.get(event_id, _NOTHING)

    def layer(self, new: Iterable[str] = ()) -> Layer:
        """What the filter's terms read of the annotations (and of catching up)."""
        return Layer(
            notes={i: a.note for i, a in self.events.items() if a.note},
            starred={i for i, a in self.events.items() if a.starred},
            labels={i: a.labels for i, a in self.events.items() if a.labels},
            new=set(new),
        )

    def starred(self) -> list[str]:
        return [i for i, a in self.events.items() if a.starred]

    def labels(self) -> list[str]:
        """Every label in use, the most used first."""
        counts = Counter(label for a in self.events.values() for label in a.labels)
        return [label for label, _ in counts.most_common()]

    def orphans(self, ids: Container[str]) -> list[str]:
        """Annotated ids that are not in the file: kept, never dropped, and listed."""
        return sorted(i for i in self.events if i not in ids)


class Sidecar(AnnotationsRead):
    """The notes file of one event file. `writable`: False in a served app (unless
    `timeline serve --writable`) and for standard input: changes last the session."""

    def __init__(self, path: Path | None, annotates: str, *, writable: bool = True) -> None:
        self.path = path
        self.annotates = annotates
        """The event file's name, written into the sidecar as `file`."""
        self.writable = writable and path is not None
        self.read_problem: str | None = None
        """Why the file could not be read, if it could not."""
        self.shape_problems: list[str] = []
        """What in the file made no sense (and is kept in it as it is)."""
        self.events: dict[str, Annotation] = {}
        self.views: dict[str, str] = {}
        self.same: dict[str, list[SameAs]] = {}
        """Each event's links to the events marked the same as it."""
        self._data: dict[str, Any] = {}
        """The file as last read or written, unknown keys and all."""
        self.reload()

    @classmethod
    def for_file(cls, event_path: str, *, writable: bool = True) -> Sidecar:
        name = "<stdin>" if event_path == STDIN else Path(event_path).name
        return cls(sidecar_path(event_path), name, writable=writable)

    @property
    def saves(self) -> bool:
        """Whether changes reach the file (not read-only, and the file was readable)."""
        return self.writable and self.read_problem is None

    @property
    def warnings(self) -> list[str]:
        read = [f"{self.read_problem}; notes are not saved until it is fixed"]
        return (read if self.read_problem else []) + self.shape_problems

    def reload(self) -> None:
        """Read the file again (another app may have changed it)."""
        data = self._read()
        if data is not None:
            self._take(data)

    def _read(self) -> dict[str, Any] | None:
        if self.path is None:
            return {}
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
            self.read_problem = f"cannot read {self.path}: {reason}"
            return None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            self.read_problem = f"{self.path}:{exc.lineno}:{exc.colno}: not valid JSON ({exc.msg})"
            return None
        if not isinstance(data, dict):
            self.read_problem = f"{self.path}: expected a JSON object, found {_kind(data)}"
            return None
        self.read_problem = None
        return data

    def _take(self, data: dict[str, Any]) -> None:
        """Make sense of what was read; what makes none is kept in the file and said."""
        self._data = data
        warnings: list[str] = []
        where = str(self.path)
        named = data.get("file")
        if named is not None and named != self.annotates:
            warnings.append(
                f"{where}: $.file: it annotates {json.dumps(named)}, not {self.annotates}"
            )
        # Made whole, then set: the app reads `same` in a thread while this may run.
        events: dict[str, Annotation] = {}
        same: dict[str, list[SameAs]] = {}
        for event_id, entry in _object(data, "events", where, warnings).items():
            at = f"{where}: $.events[{json.dumps(event_id)}]"
            annotation = _annotation(entry, at, warnings)
            if annotation is not None and not annotation.empty:
                events[event_id] = annotation
            if isinstance(entry, dict) and "same_as" in entry:
                links = _same_as(entry["same_as"], f"{at}.same_as", warnings)
                if links:
                    same[event_id] = links
        views: dict[str, str] = {}
        for name, query in _object(data, "views", where, warnings).items():
            if isinstance(query, str):
                views[name] = query
            else:
                path = f"$.views[{json.dumps(name)}]"
                warnings.append(
                    f"{where}: {path}: expected a query (a string), found {_kind(query)}"
                )
        self.events, self.same, self.views = events, same, views
        self.shape_problems = warnings

    # Changing: each reads the file again, changes one thing, writes it whole

    def set_note(self, event_id: str, note: str) -> None:
        self._change_event(event_id, lambda a: Annotation(note.strip("\n"), a.starred, a.labels))

    def set_starred(self, event_id: str, starred: bool) -> None:
        self._change_event(event_id, lambda a: Annotation(a.note, starred, a.labels))

    def toggle_label(self, event_id: str, label: str) -> bool:
        """Add the label, or remove it if the event has it; whether it has it now."""
        label = clean_text(label).strip()
        had = label in self.get(event_id).labels

        def change(a: Annotation) -> Annotation:
            labels = tuple(x for x in a.labels if x != label) if had else (*a.labels, label)
            return Annotation(a.note, a.starred, labels)

        self._change_event(event_id, change)
        return not had

    def star_all(self, event_ids: Iterable[str]) -> None:
        """Stars for many events in one write (the old bookmarks, read once)."""

        def change(data: dict[str, Any]) -> None:
            for event_id in event_ids:
                _set_entry(data, event_id, _starred(data, event_id))

        self._write_with(change)

    def save_view(self, name: str, query: str) -> None:
        def change(data: dict[str, Any]) -> None:
            views = data.get("views")
            views = dict(views) if isinstance(views, dict) else {}
            views[name] = query
            data["views"] = dict(sorted(views.items()))

        self._write_with(change)

    def set_same(self, event_id: str, other: SameAs, same: bool) -> None:
        """Link the event to another as reporting the same thing, or unlink them."""

        def change(data: dict[str, Any]) -> None:
            events = data.get("events")
            events = dict(events) if isinstance(events, dict) else {}
            entry = events.get(event_id)
            entry = dict(entry) if isinstance(entry, dict) else {}
            found = entry.get("same_as", [])
            items = found if isinstance(found, list) else [found]
            kept = [item for item in items if _link(item) is None]  # never ours to drop
            links = [link for item in items if (link := _link(item)) is not None]
            links = [link for link in dict.fromkeys(links) if link != other]
            links += [other] if same else []
            if kept or links:
                entry["same_as"] = kept + [link.record() for link in links]
            else:
                entry.pop("same_as", None)
            if entry:
                events[event_id] = entry
            else:
                events.pop(event_id, None)
            data["events"] = dict(sorted(events.items()))

        self._write_with(change)

    def _change_event(self, event_id: str, change: Callable[[Annotation], Annotation]) -> None:
        def apply(data: dict[str, Any]) -> None:
            warnings: list[str] = []
            events = data.get("events")
            entry = events.get(event_id) if isinstance(events, dict) else None
            now = _annotation(entry, "", warnings) or Annotation()
            _set_entry(data, event_id, change(now), entry if isinstance(entry, dict) else None)

        self._write_with(apply)

    def _write_with(self, change: Callable[[dict[str, Any]], object]) -> None:
        """Raises OSError if the file can't be written (the change is kept in memory)."""
        data = self._read() if self.saves else None
        if data is None:  # read-only, or unreadable: the session's copy
            data = json.loads(json.dumps(self._data))
        change(data)
        data["file"] = self.annotates
        ordered = {"file": data.pop("file"), **data}
        self._take(ordered)
        if self.saves and self.path is not None:
            text = json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"
            write_atomically(self.path, text)


_NOTHING = Annotation()


@dataclass(frozen=True)
class SameAs:
    """A link to an event marked the same: its id, and its file's path from the sidecar's
    folder (None: the same file)."""

    id: str
    file: str | None = None

    def record(self) -> dict[str, str]:
        return {"id": self.id} if self.file is None else {"file": self.file, "id": self.id}


def _same_as(value: object, where: str, warnings: list[str]) -> list[SameAs]:
    if not isinstance(value, list):
        warnings.append(f"{where}: expected an array of links, found {_kind(value)}")
        return []
    links = []
    for index, item in enumerate(value):
        link = _link(item)
        if link is not None:
            links.append(link)
        else:
            warnings.append(
                f'{where}[{index}]: expected {{"id": …}} (and "file" for another file\'s event),'
                f" found {_kind(item)}"
            )
    return list(dict.fromkeys(links))


def _link(item: object) -> SameAs | None:
    if (
        isinstance(item, dict)
        and isinstance(item.get("id"), str)
        and isinstance(item.get("file", ""), str)
    ):
        return SameAs(item["id"], item.get("file") or None)
    return None


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "true or false"}.get(
        type(value), "a number" if isinstance(value, int | float) else "null"
    )


def _object(data: dict[str, Any], key: str, where: str, warnings: list[str]) -> dict[str, Any]:
    """`events` or `views`: an object, or (said) none."""
    value = data.get(key, {})
    if isinstance(value, dict):
        return value
    warnings.append(f"{where}: $.{key}: expected an object, found {_kind(value)}")
    return {}


def _annotation(entry: object, where: str, warnings: list[str]) -> Annotation | None:
    if entry is None:
        return None
    if not isinstance(entry, dict):
        warnings.append(f"{where}: expected an object, found {_kind(entry)}")
        return None
    note, starred, labels = (
        entry.get("note", ""),
        entry.get("starred", False),
        entry.get("labels", []),
    )
    if not isinstance(note, str):
        warnings.append(f"{where}.note: expected a string, found {_kind(note)}")
        note = ""
    if not isinstance(starred, bool):
        warnings.append(f"{where}.starred: expected true or false, found {_kind(starred)}")
        starred = False
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        warnings.append(f"{where}.labels: expected an array of strings, found {_kind(labels)}")
        labels = []
    return Annotation(note, starred, tuple(dict.fromkeys(labels)))


def _starred(data: dict[str, Any], event_id: str) -> Annotation:
    events = data.get("events")
    entry = events.get(event_id) if isinstance(events, dict) else None
    now = _annotation(entry, "", []) or Annotation()
    return Annotation(now.note, True, now.labels)


def _set_entry(
    data: dict[str, Any],
    event_id: str,
    annotation: Annotation,
    old: dict[str, Any] | None = None,
) -> None:
    """Write one event's entry, keeping the keys of it this version does not know."""
    events = data.get("events")
    events = dict(events) if isinstance(events, dict) else {}
    if old is None:
        found = events.get(event_id)
        old = found if isinstance(found, dict) else None
    entry = {k: v for k, v in (old or {}).items() if k not in ("note", "starred", "labels")}
    if annotation.note:
        entry["note"] = annotation.note
    if annotation.starred:
        entry["starred"] = True
    if annotation.labels:
        entry["labels"] = list(annotation.labels)
    if entry:
        events[event_id] = entry
    else:
        events.pop(event_id, None)
    data["events"] = dict(sorted(events.items()))


def annotated(timeline: Timeline, annotations: Mapping[str, Annotation]) -> Timeline:
    """The timeline with each annotated event's note, star and labels in its `x-notes`
    (an unknown key to every format, so each writer keeps it as it keeps any other):
    `print --format json --notes`."""
    events = list(timeline.events)
    position = timeline.positions_of(annotations)
    for event_id, annotation in annotations.items():
        index = position.get(event_id)
        if index is None or annotation.empty:
            continue
        event = events[index]
        mine: dict[str, Any] = {}
        if annotation.note:
            mine["note"] = annotation.note
        if annotation.starred:
            mine["starred"] = True
        if annotation.labels:
            mine["labels"] = list(annotation.labels)
        extra = {**(event.extra or {}), "x-notes": mine}
        events[index] = msgspec.structs.replace(event, extra=extra)
    return Timeline(
        events,
        title=timeline.title,
        description=timeline.description,
        sources=timeline.sources,
        extra=timeline.extra,
    )
