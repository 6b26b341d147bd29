"""From a decoded document to a Timeline, checking every field on the way: wrong
types, unknown keys, bad dates, ids used twice, keys given twice, references to what
the file does not hold. Every problem is collected (with its JSON path), none stops it."""

from __future__ import annotations

import functools
import re
import sys
from array import array
from collections.abc import Container, Iterable, Iterator, Mapping
from operator import attrgetter
from typing import Any, Final

import msgspec

from . import tidy
from .dates import DateError, When, parse_when
from .events import Event, Extra, Place, Relation, Source, SourceRef, Status, StatusChange, Timeline
from .problems import Problem, Severity, Warnings
from .reading import MAP_AT_LEAST, Buffer
from .records import (
    EventFile,
    EventRecord,
    PlaceRecord,
    RelationRecord,
    SourceRecord,
    SourceRefRecord,
    StatusChangeRecord,
    field_names,
)
from .text import clean_text, json_quoted

EVENT_KEYS: Final = field_names(EventRecord)
TOP_KEYS: Final = field_names(EventFile)
SOURCE_KEYS: Final = field_names(SourceRecord)
PLACE_KEYS: Final = field_names(PlaceRecord)
SOURCE_REF_KEYS: Final = field_names(SourceRefRecord)
RELATION_KEYS: Final = field_names(RelationRecord)
HISTORY_KEYS: Final = field_names(StatusChangeRecord)
RELIABILITY: Final = ("A", "B", "C", "D", "E", "F")
SHA256: Final = re.compile(r"[0-9a-f]{64}")


REPORTED: Final = attrgetter("reported")


def reported_early(event: Event) -> bool:
    return event.reported is not None and event.reported.latest < event.date.earliest


REPEATS_CHECKED_UP_TO: Final = MAP_AT_LEAST
"""Keys given twice in one object are looked for in files up to this size on every
load (a second, C-speed parse), and by `validate` in any file."""


class _Repeated(Exception):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> None:
    if len(pairs) != len({key for key, _ in pairs}):
        raise _Repeated


def has_repeated_keys(data: Buffer) -> bool:
    """Whether some object gives a key twice: one C-speed parse, positions not kept."""
    import json

    try:
        json.loads(data if isinstance(data, bytes) else bytes(data), object_pairs_hook=_no_repeats)
    except _Repeated:
        return True
    except (ValueError, RecursionError):
        return False  # not JSON: the decoder says why
    return False


def repeated_keys(data: Buffer) -> list[Problem]:
    """Keys given twice in one object: a JSON decoder keeps the last silently, and the
    first is lost. Warnings, each at the repeated key."""
    if not has_repeated_keys(data):
        return []
    from .jsonpos import line_columns
    from .jsonpos import locate as scan

    text = bytes(data).decode("utf-8-sig", "replace")
    found: list[tuple[tuple[str | int, ...], int]] = []
    scan(text, [], found)
    positions = line_columns(text, (offset for _, offset in found))
    problems = []
    for path, offset in found:
        key = str(path[-2])
        where = path_text(path[:-2])
        message = f"`{clean_text(key)[:40]}` is given twice in this object; the last one is used"
        problems.append(Problem(Severity.WARNING, message, where, *positions[offset]))
    return problems


def path_text(parts: tuple[str | int, ...]) -> str:
    path = "$"
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else key_path(path, part)
    return path


def cross_checks(
    events: Iterable[tuple[int, Event]],
    ids: Container[str],
    sources: Container[str],
    kept: Mapping[str, list[int]] | None = None,
) -> CrossChecks:
    """What only a look across fields shows: relations to ids that are not in the file
    or to the event itself, citations of sources the file does not name, a `reported`
    date before the event's own. Warnings, each at its JSON path (`events`: each event
    with its index in the file's `events`; `kept`: for a list some of whose items were
    left out as unreadable, the file's index of each item read, by the list's path)."""
    found = CrossChecks(kept or {})
    for index, event in events:
        if event.reported is not None and reported_early(event):
            found.add(event, index, _REPORTED_EARLY, 0)
        for i, relation in enumerate(event.related):
            if relation.id not in ids or relation.id == event.id:
                found.add(event, index, _RELATION, i)
        for i, ref in enumerate(event.sources):
            if ref.ref is not None and ref.ref not in sources:
                found.add(event, index, _SOURCE, i)
    return found


_REPORTED_EARLY, _RELATION, _SOURCE = range(3)
WARNED_FIELDS: Final = ("reported", "related", "sources")
"""The field each kind of warning is about (its path's)."""


class EventWarnings(Warnings):
    """Warnings each kept as its event, the event's index in the file, a kind and the
    index of an item, and made when asked (`item`, in a subclass). A file can hold
    millions, and `print` only counts them: as Problems they took 2 s and about 0.6 GB
    at a million events. Nothing changes the fields a warning names once an event is
    made, so a warning made late says what it would have said at once."""

    def __init__(self) -> None:
        self._events: list[Event] = []
        self._indexes = array("q")
        self._kinds = bytearray()
        self._items = array("q")

    def add(self, event: Event, index: int, kind: int, item: int) -> None:
        self._events.append(event)
        self._indexes.append(index)
        self._kinds.append(kind)
        self._items.append(item)

    def __len__(self) -> int:
        return len(self._events)


class CrossChecks(EventWarnings):
    """cross_checks' warnings: a relation to an id not in the file, a citation of a source
    it does not name, a `reported` date before the event's."""

    def __init__(self, kept: Mapping[str, list[int]]) -> None:
        super().__init__()
        self._kept = kept

    def item(self, index: int) -> Problem:
        event, at, i = self._events[index], self._indexes[index], self._items[index]
        kind = self._kinds[index]
        if kind == _REPORTED_EARLY:
            assert event.reported is not None
            return Problem(
                Severity.WARNING,
                f'event "{event.id[:40]}": `reported` ({event.reported.display()}) is'
                f" before the event's `date` ({event.date.display()}); was it"
                " announced in advance, or are the two swapped?",
                f"$.events[{at}].reported",
            )
        if kind == _RELATION:
            relation = event.related[i]
            itself = relation.id == event.id
            what = "is the event itself" if itself else "is not an event in this file"
            return Problem(
                Severity.WARNING,
                f'event "{event.id[:40]}": related id "{relation.id[:40]}" {what}',
                self._item_path(f"$.events[{at}].related", i) + ".id",
            )
        return Problem(
            Severity.WARNING,
            f'event "{event.id[:40]}": source "{event.sources[i].ref}"'
            " is not among the file's `sources`",
            self._item_path(f"$.events[{at}].sources", i) + ".ref",
        )

    def where(self, index: int) -> tuple[int, str]:
        """The warning's event (its index in the file's `events`) and field, without
        making the warning: what placing it at a row and column needs to order it."""
        return self._indexes[index], WARNED_FIELDS[self._kinds[index]]

    def everywhere(self) -> Iterator[tuple[int, str]]:
        """`where` of each warning, in order."""
        return zip(self._indexes, map(WARNED_FIELDS.__getitem__, self._kinds), strict=True)

    def _item_path(self, path: str, i: int) -> str:
        where = self._kept.get(path)
        return f"{path}[{where[i] if where is not None else i}]"


def is_bad_date(text: str) -> bool:
    try:
        parse_when(text)
    except DateError:
        return True
    return False


def key_path(base: str, key: str) -> str:
    """The JSON path of `key` in the object at `base`, safe to show (it is data text)."""
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key):
        return f"{base}.{key}"
    return f"{base}[{json_quoted(key)}]"


def like_a_known_key(path: str, key: str, near: str) -> tuple[str, str]:
    """Where and what the warning at a key like a known one says (the builder's, and the
    fast path's, which keeps such a key too)."""
    message = f'unknown key "{clean_text(key)}": did you mean "{near}"?'
    return key_path(path, key) + ".<key>", message


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


KEY_ALIASES: Final = {"lng": "lon", "long": "lon", "longitude": "lon", "latitude": "lat"}
"""Keys other tools write for one of ours that spelling alone would not find (maps'
`lng`): kept as unknown keys, with a warning naming ours."""


@functools.lru_cache(maxsize=4096)
def close_match(key: str, known: tuple[str, ...]) -> str | None:
    """Remembered: a file repeats its own keys in every event (difflib on each was
    most of the time a file with unknown keys took to load)."""
    import difflib

    alias = KEY_ALIASES.get(key.lower())
    if alias in known:
        return alias
    matches = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return matches[0] if matches else None


class Builder:
    """Turns decoded JSON into a Timeline, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.errors = 0
        self.context = ""
        self.kept: dict[str, list[int]] = {}
        """For a list some of whose items were unreadable, the index of each item read."""

    def error(self, path: str, message: str, offset: int = 0) -> None:
        self.problems.append(Problem(Severity.ERROR, self.context + message, path, offset=offset))
        self.errors += 1

    def warning(self, path: str, message: str) -> None:
        self.problems.append(Problem(Severity.WARNING, self.context + message, path))

    def build(self, document: Any) -> Timeline:
        if isinstance(document, list):
            document = {"events": document}
        if not isinstance(document, dict):
            self.error(
                "$", f"expected an object with an `events` list, found {_type_name(document)}"
            )
            return Timeline([])
        extra = self.unknown_keys(document, "$", TOP_KEYS)
        title = self.text(document, "title", "$")
        description = self.text(document, "description", "$")
        sources = self.sources(document.get("sources"), "$.sources")
        raw_events = document.get("events")
        events: list[Event] = []
        if raw_events is None:
            self.error("$", "missing `events`: expected a list of events")
        elif not isinstance(raw_events, list):
            self.error("$.events", f"expected a list of events, found {_type_name(raw_events)}")
        else:
            events = self.events(raw_events, sources)
        return Timeline(events, title=title, description=description, sources=sources, extra=extra)

    def unknown_keys(self, obj: dict[str, Any], path: str, known: tuple[str, ...]) -> Extra:
        """The keys of `obj` the format doesn't know, kept as found (None: there are none),
        with a warning at each like a known one."""
        extra = {}
        for key in obj:
            if key in known:
                continue
            extra[key] = obj[key]
            near = close_match(key, known)
            if near is not None:
                self.warning(*like_a_known_key(path, key, near))
        return extra or None

    def missing(self, obj: dict[str, Any], key: str, path: str, expected: str) -> None:
        if key in obj:
            self.error(f"{path}.{key}", f"`{key}` is null: expected {expected}")
        else:
            self.error(path, f"missing `{key}`: expected {expected}")

    def text(self, obj: dict[str, Any], key: str, path: str, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.missing(obj, key, path, "a string")
            return None
        if not isinstance(value, str):
            self.error(f"{path}.{key}", f"`{key}`: expected a string, found {_type_name(value)}")
            return None
        return tidy.text(value, key)

    def strings(self, obj: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            written = [part.strip() for part in re.split(r"[,;]", value) if part.strip()]
            if len(written) > 1:
                suggestion = msgspec.json.encode(written).decode()
                self.error(
                    f"{path}.{key}",
                    f"`{key}`: expected a list of strings, found one string; write {suggestion}",
                )
                return ()
            self.warning(f"{path}.{key}", f"`{key}`: expected a list, found one string")
            value = [value]
        if not isinstance(value, list):
            self.error(
                f"{path}.{key}", f"`{key}`: expected a list of strings, found {_type_name(value)}"
            )
            return ()
        for i, item in enumerate(value):
            if not isinstance(item, str):
                self.error(
                    f"{path}.{key}[{i}]", f"`{key}`: expected a string, found {_type_name(item)}"
                )
        return tidy.names(item for item in value if isinstance(item, str))

    def date(self, obj: dict[str, Any], key: str, path: str, required: bool) -> When | None:
        value = obj.get(key)
        if value is None:
            if required:
                self.missing(obj, key, path, "a date like 2025-01-09")
            return None
        if not isinstance(value, str):
            self.error(
                f"{path}.{key}", f"`{key}`: expected a date string, found {_type_name(value)}"
            )
            return None
        try:
            return parse_when(value)
        except DateError as exc:
            shown = clean_text(value)[:40]
            # The opening quote, then the date's own column; exact unless escapes come first.
            self.error(f"{path}.{key}", f'`{key}` "{shown}": {exc.message}', offset=exc.column)
            return None

    def sources(self, value: Any, path: str) -> dict[str, Source]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(
                path, f"`sources`: expected an object of named sources, found {_type_name(value)}"
            )
            return {}
        sources = {}
        for key, raw in value.items():
            item_path = key_path(path, key)
            if not isinstance(raw, dict):
                self.error(
                    item_path,
                    f"source `{clean_text(key)}`: expected an object, found {_type_name(raw)}",
                )
                continue
            extra = self.unknown_keys(raw, item_path, SOURCE_KEYS)
            sources[key] = Source(
                title=self.text(raw, "title", item_path),
                published=self.date_text(raw, "published", item_path),
                publisher=self.text(raw, "publisher", item_path),
                url=self.text(raw, "url", item_path),
                reliability=self.reliability(raw, item_path),
                archived=self.text(raw, "archived", item_path),
                captured=self.date_text(raw, "captured", item_path),
                sha256=self.sha256(raw, item_path),
                extra=extra,
            )
        return sources

    def date_text(self, raw: dict[str, Any], key: str, path: str) -> str | None:
        """A date kept as written (a source's `published`, `captured`), checked."""
        value = self.text(raw, key, path)
        if value is not None:
            try:
                parse_when(value)
            except DateError as exc:
                self.error(f"{path}.{key}", f"`{key}`: {exc}")
        return value

    def reliability(self, raw: dict[str, Any], path: str) -> str | None:
        value = raw.get("reliability")
        if value is None:
            return None
        if isinstance(value, str) and value in RELIABILITY:
            return value
        shown = clean_text(str(value))[:20]
        hint = f'; did you mean "{value.upper()}"?' if str(value).upper() in RELIABILITY else ""
        self.error(
            f"{path}.reliability",
            f'`reliability` "{shown}" is not one of A, B, C, D, E, F (Admiralty source'
            f" reliability: A completely reliable … E unreliable, F cannot be judged){hint}",
        )
        return None

    def sha256(self, raw: dict[str, Any], path: str) -> str | None:
        value = raw.get("sha256")
        if value is None:
            return None
        if isinstance(value, str) and SHA256.fullmatch(value):
            return value
        shown = clean_text(str(value))[:20]
        self.error(
            f"{path}.sha256",
            f'`sha256` "{shown}": expected 64 hexadecimal digits, in lower case',
        )
        return None

    def credibility(self, raw: dict[str, Any], path: str) -> int | None:
        value = raw.get("credibility")
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 6:
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            found = str(value)
        else:
            found = _type_name(value)
        digits = ("1", "2", "3", "4", "5", "6")
        hint = f"; write {value} without quotes" if value in digits else ""
        self.error(
            f"{path}.credibility",
            f"`credibility`: expected a number from 1 (confirmed by other sources) to 6 (cannot"
            f" be judged), found {found}{hint}",
        )
        return None

    def history(self, value: Any, path: str) -> tuple[StatusChange, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"`history`: expected a list, found {_type_name(value)}")
            return ()
        changes = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.error(
                    item_path,
                    f"a status change: expected an object with `date` and `status`, found"
                    f" {_type_name(item)}",
                )
                continue
            extra = self.unknown_keys(item, item_path, HISTORY_KEYS)
            date = self.date(item, "date", item_path, required=True)
            status = self.status(item, item_path)
            if date is not None:
                changes.append(
                    StatusChange(
                        date,
                        status,
                        self.strings(item, "by", item_path),
                        self.text(item, "note", item_path),
                        extra,
                    )
                )
        return tuple(changes)

    def status(self, raw: dict[str, Any], path: str) -> Status | None:
        """None when not stated: never guessed."""
        raw_status = raw.get("status")
        if raw_status is None:
            return None
        try:
            return Status(raw_status)
        except ValueError:
            shown = clean_text(str(raw_status))[:40]
            choices = ", ".join(s.value for s in Status)
            near = (
                close_match(shown, tuple(s.value for s in Status))
                if isinstance(raw_status, str)
                else None
            )
            hint = f'; did you mean "{near}"?' if near else ""
            self.error(f"{path}.status", f'`status` "{shown}" is not one of {choices}{hint}')
            return None

    def events(self, raw_events: list[Any], sources: dict[str, Source]) -> list[Event]:
        events: list[Event] = []
        first_path: dict[str, str] = {}
        broken: set[int] = set()
        for index, raw in enumerate(raw_events):
            path = f"$.events[{index}]"
            if not isinstance(raw, dict):
                self.context = ""
                self.error(path, f"expected an event object, found {_type_name(raw)}")
                continue
            raw_id = raw.get("id")
            self.context = f'event "{clean_text(raw_id)[:40]}": ' if isinstance(raw_id, str) else ""
            errors_before = self.errors
            event = self.event(raw, path, index)
            if event.id:
                if event.id in first_path:
                    self.error(f"{path}.id", f"duplicate id, first used at {first_path[event.id]}")
                else:
                    first_path[event.id] = path
            if self.errors > errors_before:
                broken.add(len(events))
            events.append(event)
        self.context = ""
        self.problems += cross_checks(
            ((e.order, e) for e in events), first_path, sources, self.kept
        )
        return [e for i, e in enumerate(events) if i not in broken]

    def event(self, raw: dict[str, Any], path: str, order: int) -> Event:
        """The event as far as it can be read; the caller drops it if it had errors."""
        event_id = self.text(raw, "id", path, required=True)
        if event_id == "":
            self.error(f"{path}.id", "`id` is empty")
        date = self.date(raw, "date", path, required=True)
        title = self.text(raw, "title", path, required=True)
        if title is not None and not title.strip():
            self.error(f"{path}.title", "`title` is empty")
        reported = self.date(raw, "reported", path, required=False)
        status = self.status(raw, path)
        place = self.place(raw.get("place"), f"{path}.place")
        refs = self.source_refs(raw.get("sources"), f"{path}.sources")
        related = self.relations(raw.get("related"), f"{path}.related")
        kind = self.text(raw, "kind", path)
        return Event(
            id=event_id or "",
            date=date or When(None, None, True),
            title=title or "",
            summary=self.text(raw, "summary", path),
            kind=tidy.kind(kind),
            tags=self.strings(raw, "tags", path),
            actors=self.strings(raw, "actors", path),
            place=place,
            reported=reported,
            status=status,
            claimed_by=self.strings(raw, "claimed_by", path),
            sources=refs,
            related=related,
            notes=self.text(raw, "notes", path),
            history=self.history(raw.get("history"), f"{path}.history"),
            extra=self.unknown_keys(raw, path, EVENT_KEYS),
            order=order,
        )

    def place(self, value: Any, path: str) -> Place | None:
        if value is None:
            return None
        if isinstance(value, str):
            return Place(sys.intern(clean_text(value))) if value.strip() else None
        if not isinstance(value, dict):
            self.error(path, f"`place`: expected an object or a name, found {_type_name(value)}")
            return None
        extra = self.unknown_keys(value, path, PLACE_KEYS)
        name = self.text(value, "name", path, required=True)
        coords: list[float | None] = []
        for key, limit in (("lat", 90.0), ("lon", 180.0)):
            number = value.get(key)
            if number is None:
                coords.append(None)
            elif isinstance(number, bool) or not isinstance(number, int | float):
                self.error(
                    f"{path}.{key}", f"`{key}`: expected a number, found {_type_name(number)}"
                )
                coords.append(None)
            elif not -limit <= number <= limit:
                self.error(f"{path}.{key}", f"`{key}` {number} is out of range (±{limit:g})")
                coords.append(None)
            else:
                coords.append(float(number))
        return Place(sys.intern(name or ""), coords[0], coords[1], extra)

    def source_refs(self, value: Any, path: str) -> tuple[SourceRef, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"`sources`: expected a list, found {_type_name(value)}")
            return ()
        refs = []
        read: list[int] = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if isinstance(item, str):
                item = {"ref": item}
            if not isinstance(item, dict):
                self.error(item_path, f"a source: expected an object, found {_type_name(item)}")
                continue
            extra = self.unknown_keys(item, item_path, SOURCE_REF_KEYS)
            ref = self.text(item, "ref", item_path)
            refs.append(
                SourceRef(
                    ref=ref,
                    quote=self.text(item, "quote", item_path),
                    title=self.text(item, "title", item_path),
                    url=self.text(item, "url", item_path),
                    credibility=self.credibility(item, item_path),
                    extra=extra,
                )
            )
            read.append(i)
        if len(read) < len(value):
            self.kept[path] = read
        return tuple(refs)

    def relations(self, value: Any, path: str) -> tuple[Relation, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"`related`: expected a list, found {_type_name(value)}")
            return ()
        relations = []
        read: list[int] = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.error(
                    item_path,
                    f"a relation: expected an object with `id` and `rel`, found {_type_name(item)}",
                )
                continue
            extra = self.unknown_keys(item, item_path, RELATION_KEYS)
            target = self.text(item, "id", item_path, required=True)
            rel = tidy.rel(self.text(item, "rel", item_path))
            if target is not None:
                relations.append(Relation(target, rel, extra))
                read.append(i)
        if len(read) < len(value):
            self.kept[path] = read
        return tuple(relations)
