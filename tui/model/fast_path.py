"""The fast path: a file decoded by msgspec straight into the model's structs in one
typed pass (the structs stay out of the garbage collector), then checked across events,
without the builder's walk over plain objects. It takes our own JSON (`checked_json`),
another tool's file once its reader has made our document of it (written as JSON by
msgspec), and the JSON lines DuckDB writes for a large file (`checked_sql`). Keys the
format doesn't know, and lists written as null, are kept as the builder keeps them.
Anything it does not expect returns None, and loading.py's full path, which reports
every problem where it is, takes over."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from types import GenericAlias
from typing import TYPE_CHECKING, Any, Final, NamedTuple, cast

import msgspec

from . import tidy
from .dates import decode_hook
from .events import OWN, Event, Place, Relation, Source, SourceRef, StatusChange, Timeline
from .problems import JoinedWarnings, Problem, Severity
from .reading import Buffer, Progress, first_byte, gc_paused, let_go
from .text import bytes_need_cleaning, clean_text
from .validation import (
    EVENT_KEYS,
    HISTORY_KEYS,
    PLACE_KEYS,
    RELATION_KEYS,
    REPEATS_CHECKED_UP_TO,
    REPORTED,
    SOURCE_REF_KEYS,
    TOP_KEYS,
    Builder,
    EventWarnings,
    close_match,
    cross_checks,
    has_repeated_keys,
    is_bad_date,
    like_a_known_key,
    reported_early,
)

if TYPE_CHECKING:
    from ..formats.sql_read import SqlRead
    from .jsonpos import Split


class _FileOfOurs(msgspec.Struct, forbid_unknown_fields=True):
    """Our file as checked_json decodes it: its events typed, its own record as plain
    values, which the builder reads (_built_head: a few values, and a file's own keys or
    a named source's are then kept and warned about exactly as the full path does)."""

    events: list[Event]
    title: Any = None
    description: Any = None
    sources: Any = None


class Head(NamedTuple):
    """A file's own record, as the builder reads it, and what it said of it (warnings)."""

    title: str | None
    description: str | None
    sources: dict[str, Source]
    extra: dict[str, Any]
    said: list[Problem]


def _built_head(members: dict[str, Any]) -> Head | None:
    """The file's own members (all but `events`, decoded) read by the builder; None if it
    finds an error (the full path says it where it is)."""
    builder = Builder()
    timeline = builder.build({**members, "events": []})
    if builder.errors:
        return None
    sources = dict(timeline.sources)
    return Head(timeline.title, timeline.description, sources, timeline.extra, builder.problems)


def _decoded_members(members: dict[str, msgspec.Raw]) -> dict[str, Any]:
    return {key: msgspec.json.decode(raw) for key, raw in members.items() if key != "events"}


UNKNOWN_KEYS_UP_TO: Final = 64
"""Distinct keys the format doesn't know that the fast path keeps (a database's export
carries dozens of columns); a file with more takes the full path..."""
KEY_ROUNDS_UP_TO: Final = 4
"""... as does one whose keys are not all found in this many rounds: each round is a
decode up to the first event with a key not found yet, whose next _SAMPLED events are
then read for their keys (a file's events mostly share theirs: one round finds them)."""

_FILE_KEY: Final = re.compile(r"Object contains unknown field `[^`]*`(?: - at `\$`)?")
"""The decoder's error at a key of the file's own (`$schema`, `version`): one with a
backtick in it is left to the full path."""
_UNKNOWN_EVENT_KEY: Final = re.compile(
    r"Object contains unknown field `(?P<key>.*)`"
    r" - at `\$(?P<in_object>\.events)?\[(?P<index>\d+)\]"
    r"(?:\.(?P<within>place)|\.(?P<within_list>sources|related|history)\[\d+\])?`",
    re.DOTALL,
)
_SAMPLED: Final = 1000
"""Events read for their keys once one is found that the format doesn't know: a file's
events mostly share their keys, so all of them are usually found in one try."""


@dataclass(frozen=True)
class Nested:
    """The keys the format doesn't know that a file's places, citations, relations and
    status changes have (each kept in its own `extra`, as the builder keeps them), by the
    event's field that holds them."""

    place: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    history: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return any(self.of(name) for name in _PARTS)

    def __len__(self) -> int:
        return sum(len(self.of(name)) for name in _PARTS)

    def of(self, name: str) -> tuple[str, ...]:
        keys: tuple[str, ...] = getattr(self, name)
        return keys

    def every(self) -> tuple[str, ...]:
        return tuple(key for name in _PARTS for key in self.of(name))

    def __add__(self, more: Nested) -> Nested:
        return Nested(*(self.of(name) + more.of(name) for name in _PARTS))

    def besides(self, known: Nested) -> Nested:
        """These keys but those `known` has."""
        return Nested(
            *(tuple(k for k in self.of(name) if k not in known.of(name)) for name in _PARTS)
        )


_PARTS: Final[dict[str, tuple[Any, tuple[str, ...]]]] = {
    "place": (Place, PLACE_KEYS),
    "sources": (SourceRef, SOURCE_REF_KEYS),
    "related": (Relation, RELATION_KEYS),
    "history": (StatusChange, HISTORY_KEYS),
}
"""The event's fields that hold objects with keys of their own: the model's type of each
object, and its known keys (in the order the builder reads them)."""


NO_NESTED: Final = Nested()


@functools.lru_cache(maxsize=16)
def _fast_decoder(
    kind: str,
    unknown: tuple[str, ...],
    lenient: bool = False,
    nested: Nested = NO_NESTED,
    own_keys: bool = False,
) -> Any:
    """Remembered (a few: each set of unknown keys makes its own types). `kind`: "array"
    (a bare list of events) or "object" (our file); `own_keys`: the file has keys of its
    own, passed over here (checked_json reads them)."""
    events = GenericAlias(list, (_event_keeping(unknown, lenient, nested),))
    target: Any = _FileOfOurs if kind == "object" else events
    if kind == "object" and (unknown or lenient or nested or own_keys):
        target = msgspec.defstruct(
            "FileKeeping",
            [("events", events)],
            bases=(_FileOfOurs,),
            forbid_unknown_fields=not own_keys,
        )
    return msgspec.json.Decoder(target, dec_hook=decode_hook)


LISTS: Final = ("tags", "actors", "claimed_by", "sources", "related", "history")
"""The event's fields that are lists, which other tools often write as null when empty
(the builder reads null as empty)."""
_EVENT_AT: Final = r"- at `\$(?:\.events)?\[\d+\]\."
NAME_LISTS: Final = ("tags", "actors", "claimed_by")
"""The lists of names, which a hand or a script may write as one string."""
_LENIENT_FORM: Final = re.compile(
    rf"Expected `array`, got `null` {_EVENT_AT}(?:{'|'.join(LISTS)})`"
    rf"|Expected `object \| null`, got `str` {_EVENT_AT}place`"
    rf"|Expected `object`, got `str` {_EVENT_AT}sources\[\d+\]`"
    rf"|Expected `array`, got `str` {_EVENT_AT}(?:{'|'.join(NAME_LISTS)})`"
)
"""The decoder's error at a form the builder reads as ours: a list written as null
(empty), a place as its name, a source cited by its ref alone (all without a word), a
list of names as one string (a warning; an error where it holds a comma or a
semicolon, which the builder says)."""


class _LeftToTheBuilder(Exception):
    """A form the fast path read that only the builder says what is wrong with."""


def _event_keeping(
    unknown: tuple[str, ...], lenient: bool = False, nested: Nested = NO_NESTED
) -> type[msgspec.Struct]:
    """Event with a field for each of the file's own keys (any value, read as found), its
    place, citations, relations and status changes with one for each of theirs
    (`nested`), and (`lenient`) the forms _LENIENT_FORM names allowed (_kept_as_extra
    makes them all ours)."""
    if not unknown and not lenient and not nested:
        return Event
    fields = _keeping_fields(unknown)
    types = {field.name: field.type for field in msgspec.structs.fields(Event)}
    kinds = {name: _keeping(kind, nested.of(name)) for name, (kind, _) in _PARTS.items()}
    types["place"] = kinds["place"] | str | None if lenient else kinds["place"] | None
    kinds["sources"] = kinds["sources"] | str if lenient else kinds["sources"]
    for name in ("sources", "related", "history"):
        types[name] = GenericAlias(tuple, (kinds[name], ...))
    if lenient:
        for name in NAME_LISTS:
            types[name] = types[name] | str
        fields += [(name, types[name] | None, ()) for name in LISTS]
        fields.append(("place", types["place"], None))
    else:
        fields += [(name, types[name], _EMPTY[name]) for name in _PARTS if nested.of(name)]
    return msgspec.defstruct(
        "EventKeeping", fields, bases=(Event,), forbid_unknown_fields=True, gc=False
    )


_EMPTY: Final[dict[str, Any]] = {"place": None, "sources": (), "related": (), "history": ()}


def _keeping_fields(unknown: tuple[str, ...]) -> list[Any]:
    """A field for each key, any value read as found, unset where it is not written."""
    return [
        (f"unknown_{n}", Any, msgspec.field(default=msgspec.UNSET, name=key))
        for n, key in enumerate(unknown)
    ]


@functools.lru_cache(maxsize=16)
def _keeping(part: type[msgspec.Struct], unknown: tuple[str, ...]) -> Any:
    """A part of an event's type (_PARTS) with a field for each of these keys of its own."""
    if not unknown:
        return part
    return msgspec.defstruct(
        f"{part.__name__}Keeping",
        _keeping_fields(unknown),
        bases=(part,),
        forbid_unknown_fields=True,
        frozen=True,
        gc=False,
    )


_NAMES: Final = [field.name for field in msgspec.structs.fields(Event)]
_OWN_FIELDS: Final = len(_NAMES)
_EXTRA_AT: Final = _NAMES.index("extra")
_LISTS_AT: Final = [_NAMES.index(name) for name in LISTS]
_NAME_LISTS_AT: Final = [_NAMES.index(name) for name in NAME_LISTS]
_PLACE_AT: Final = _NAMES.index("place")
_SOURCES_AT: Final = _NAMES.index("sources")
_FIELD_AT: Final = {name: _NAMES.index(name) for name in _PARTS}


def _kept_as_extra(
    events: list[Any],
    unknown: tuple[str, ...],
    lenient: bool = False,
    nested: Nested = NO_NESTED,
    one_string: dict[int, list[int]] | None = None,
) -> list[Event]:
    """Each event as an Event, its unknown keys in `extra` as the builder keeps them (and
    those of its parts, _PARTS, in theirs), and (`lenient`) the forms _LENIENT_FORM names
    made ours as the builder makes them (`one_string`: told, by event, which of
    NAME_LISTS were written as one string); replaced in place, so the two forms are never
    all alive at once. Raises _LeftToTheBuilder at a form only the builder reports."""
    astuple, unset, event = msgspec.structs.astuple, msgspec.UNSET, cast(Any, Event)
    parts = _parts_kept(nested)
    for n, decoded in enumerate(events):
        values: Sequence[Any] = astuple(decoded)
        kept = {
            key: value
            for key, value in zip(unknown, values[_OWN_FIELDS:], strict=True)
            if value is not unset
        }
        if lenient or parts:
            values = list(values)
            for at, kind, size, keys in parts:
                _nested_kept(values, at, kind, size, keys)
            if lenient:
                found: list[int] = []
                values = _made_ours(values, found)
                if found and one_string is not None:
                    one_string[n] = found
        events[n] = event(*values[:_EXTRA_AT], kept or None, *values[_EXTRA_AT + 1 : _OWN_FIELDS])
    return events


def _parts_kept(nested: Nested) -> list[tuple[int, Any, int, tuple[str, ...]]]:
    """For each of the event's parts with keys of its own (`nested`): where it is among
    the event's fields, its type, how many fields that has, and the keys."""
    return [
        (_FIELD_AT[name], kind, len(kind.__struct_fields__), nested.of(name))
        for name, (kind, _) in _PARTS.items()
        if nested.of(name)
    ]


def _nested_kept(values: list[Any], at: int, kind: Any, size: int, keys: tuple[str, ...]) -> None:
    """The event's place, or its citations, relations or status changes (`values`: its
    fields; `at`: which) as ours, each with these keys of its own in its `extra` (the last
    of its `size` fields)."""
    written = values[at]
    if not written:  # a list null, if lenient: _made_ours makes it ()
        return
    if isinstance(written, tuple):
        values[at] = tuple(
            _part_kept(item, kind, size, keys) if isinstance(item, kind) else item
            for item in written
        )
    elif isinstance(written, kind):  # a place (not written as its name)
        values[at] = _part_kept(written, kind, size, keys)


def _part_kept(part: Any, kind: Any, size: int, keys: tuple[str, ...]) -> Any:
    values = msgspec.structs.astuple(part)
    kept = {
        key: value for key, value in zip(keys, values[size:], strict=True) if value is not _UNSET
    }
    return kind(*values[: size - 1], kept or None)


_UNSET: Final = msgspec.UNSET


def _made_ours(values: list[Any], one_string: list[int] | None = None) -> list[Any]:
    """An event's fields with the forms _LENIENT_FORM names read as the builder reads them;
    `one_string` told which of NAME_LISTS (its index) was written as one string."""
    for at in _LISTS_AT:
        if values[at] is None:
            values[at] = ()
    for n, at in enumerate(_NAME_LISTS_AT):
        written = values[at]
        if isinstance(written, str):
            if len([part for part in re.split(r"[,;]", written) if part.strip()]) > 1:
                raise _LeftToTheBuilder  # several in one string: an error
            values[at] = tidy.names((written,))
            if one_string is not None:
                one_string.append(n)
    place = values[_PLACE_AT]
    if isinstance(place, str):
        values[_PLACE_AT] = Place(place) if place.strip() else None
    sources = values[_SOURCES_AT]
    if any(isinstance(source, str) for source in sources):
        values[_SOURCES_AT] = tuple(
            SourceRef(ref=source) if isinstance(source, str) else source for source in sources
        )
    return values


def _more_unknown_keys(
    error: msgspec.ValidationError,
    data: Buffer,
    bare: bool,
    known: tuple[str, ...],
    nested: Nested,
    events: list[msgspec.Raw] | None = None,
) -> tuple[tuple[str, ...], Nested] | None:
    """The keys the format doesn't know, of events and of their parts (_PARTS), in the
    events from the one the decoder stopped at: None if the error is anything else,
    or the fast path should not keep them. `events`: the file's events undecoded, if it
    has been split."""
    match = _UNKNOWN_EVENT_KEY.fullmatch(str(error))
    if match is None or bare == bool(match["in_object"]):
        return None  # not in an event
    index = int(match["index"])
    try:
        if events is None:
            raws: Any = msgspec.json.decode(data, type=list[msgspec.Raw] if bare else _RawEvents)
            events = raws if bare else raws.events
        found = _keys_of(events[index : index + _SAMPLED])
    except msgspec.DecodeError:
        return None  # an event that is not an object, or bad JSON further on: the builder says
    fresh = tuple(key for key in found[0] if key not in known)
    fresh_nested = found[1].besides(nested)
    within = match["within"] or match["within_list"]
    if match["key"] not in (fresh_nested.of(within) if within else fresh):
        return None
    if not _keepable(fresh + fresh_nested.every()):
        return None
    return fresh, fresh_nested


def _starts(raw: msgspec.Raw, bracket: bytes) -> bool:
    return memoryview(raw)[:1] == bracket


def _in_a_part(error: msgspec.ValidationError) -> bool:
    """Whether the decoder stopped at a key of its own in an event's place, citation,
    relation or status change."""
    match = _UNKNOWN_EVENT_KEY.fullmatch(str(error))
    return match is not None and bool(match["within"] or match["within_list"])


def _keys_of(events: Iterable[msgspec.Raw], parts: bool = True) -> tuple[tuple[str, ...], Nested]:
    """The keys the format doesn't know in these events, and (`parts`) in their places,
    citations, relations and status changes, in the order first written."""
    own: dict[str, None] = {}
    found: dict[str, dict[str, None]] = {name: {} for name in _PARTS}
    decode = msgspec.json.decode
    for raw in events:
        members = decode(raw, type=dict[str, msgspec.Raw])
        own.update(dict.fromkeys(key for key in members if key not in EVENT_KEYS))
        if not parts:
            continue
        for name, (_, known) in _PARTS.items():
            value = members.get(name)
            if value is None:
                continue
            if name == "place":
                objects = [value] if _starts(value, b"{") else []
            else:
                objects = decode(value, type=list[msgspec.Raw]) if _starts(value, b"[") else []
            for written in objects:
                if _starts(written, b"{"):
                    keys = decode(written, type=dict[str, msgspec.Raw])
                    found[name].update(dict.fromkeys(k for k in keys if k not in known))
    return tuple(own), Nested(*(tuple(found[name]) for name in _PARTS))


def _keepable(unknown: Iterable[str]) -> bool:
    """Whether the fast path keeps these keys the format doesn't know: not ours, nor one
    msgspec refuses as a field's name. (A key like a known one is kept with the builder's
    warning: _unknown_key_warnings.)"""
    return not any(key.startswith(OWN) or _NOT_A_FIELD_NAME.search(key) for key in unknown)


class FormWarnings(EventWarnings):
    """The builder's warnings at how a kept event is written, in the builder's order (the
    events in file order; in each, its place's, citations' and relations' keys, its lists
    of names written as one string, its status changes' keys, then its own): at a key
    like a known one (`summery`, a place's `lng`), at a list written as one string
    (`"tags": "pow"`). Each is made when asked: a map's `lng` in every place of a million
    events made a million warnings at once, 2.7 s and 0.27 GB of a print that only
    counts them."""

    _WHERE: Final = (*_PARTS, "", *NAME_LISTS)
    """Where a warning is: in one of _PARTS, the event itself (""), one of NAME_LISTS."""
    _EVENT: Final = len(_PARTS)

    def __init__(
        self,
        events: list[Event],
        unknown: tuple[str, ...],
        nested: Nested = NO_NESTED,
        one_string: dict[int, list[int]] | None = None,
    ) -> None:
        super().__init__()  # each event as decoded: the timeline sorts its list
        self._near = [_near(nested.of(name), known) for name, (_, known) in _PARTS.items()]
        self._near.append(_near(unknown, EVENT_KEYS))
        self._keys: list[str] = []
        one_string = one_string or {}
        if not any(self._near) and not one_string:
            return
        for index, event in enumerate(events):
            if event.place is not None:
                self._find(event.place.extra, 0, event, index, 0)
            self._find_in(event.sources, 1, event, index)
            self._find_in(event.related, 2, event, index)
            for n in one_string.get(index, ()):
                self._add(event, index, self._EVENT + 1 + n, 0, NAME_LISTS[n])
            self._find_in(event.history, 3, event, index)
            self._find(event.extra, self._EVENT, event, index, 0)

    def _find_in(self, items: Sequence[Any], where: int, event: Event, index: int) -> None:
        if self._near[where]:
            for i, item in enumerate(items):
                self._find(item.extra, where, event, index, i)

    def _find(
        self, extra: dict[str, Any] | None, where: int, event: Event, index: int, item: int
    ) -> None:
        near = self._near[where]
        if not near or extra is None or near.keys().isdisjoint(extra):
            return
        for key in extra:
            if key in near:
                self._add(event, index, where, item, key)

    def _add(self, event: Event, index: int, where: int, item: int, key: str) -> None:
        self.add(event, index, where, item)
        self._keys.append(key)

    def item(self, index: int) -> Problem:
        at, where, key = self._indexes[index], self._kinds[index], self._keys[index]
        event = self._events[index]
        name = self._WHERE[where]
        path = f"$.events[{at}]"
        if where > self._EVENT:
            path, message = f"{path}.{name}", f"`{name}`: expected a list, found one string"
        else:
            if name == "place":
                path += ".place"
            elif name:
                path += f".{name}[{self._items[index]}]"
            path, message = like_a_known_key(path, key, self._near[where][key])
        context = f'event "{clean_text(event.id)[:40]}": '  # as Builder.events says it
        return Problem(Severity.WARNING, context + message, path)


def _near(unknown: tuple[str, ...], known: tuple[str, ...]) -> dict[str, str]:
    return {key: match for key in unknown if (match := close_match(key, known))}


_NOT_A_FIELD_NAME: Final = re.compile(r'[\\"\x00-\x1f]')
"""What msgspec refuses in a field's name (a key holding one takes the builder's path)."""


class _RawEvents(msgspec.Struct):
    events: list[msgspec.Raw]


IN_PARTS_AT_LEAST: Final = 64 * 2**20
"""A mapped file this large is split (jsonpos.split_file) and decoded in parts."""
PART_EVENTS: Final = 50_000
PREVIEW_BYTES: Final = 8 << 20
"""Of a large file's start, read for its first events (first_events)..."""
PREVIEW_EVENTS: Final = 20_000
"""... and of those, up to this many: the app filters them at once (no index)."""

Preview = Callable[[Timeline, bool], None]
"""Told a large file's first events (first_events) while the rest is read, and whether
their ids are the whole file's (first_sql_events)."""


def _in_parts(
    data: Buffer,
    split: Split,
    unknown: tuple[str, ...],
    lenient: bool,
    nested: Nested,
    progress: Progress | None = None,
) -> Any:
    """The file's events as one typed decode gives them, decoded PART_EVENTS at a time from
    their undecoded text, the file's pages let go after each part: the text of a large
    file (half a gigabyte at a million events) is never in memory beside all its events.
    A part's error names the event's place in the file, as one decode's would."""
    decoder = _fast_decoder("array", unknown, lenient, nested)
    events: list[Any] = []
    total = len(split.events)
    for start in range(0, total, PART_EVENTS):
        part = b"[" + b",".join(split.events[start : start + PART_EVENTS]) + b"]"
        try:
            decoded = decoder.decode(part)
        except msgspec.ValidationError as exc:
            raise msgspec.ValidationError(_placed_in_file(str(exc), start, split)) from None
        events += decoded
        let_go(data)
        if progress is not None:
            progress(f"decoding, {min(start + PART_EVENTS, total):,} of {total:,} events")
    return events


_EVENT_END: Final = re.compile(rb"\}\s*,\s*\{")
_EVENTS_KEY: Final = re.compile(rb'"events"\s*:\s*\[')


def first_events(data: Buffer) -> Timeline | None:
    """The events in the first PREVIEW_BYTES of a large file, as a timeline of their own,
    read without splitting the rest (a second at a million events): what the app shows
    while it reads the whole, its text cleaned as the whole file's is. None where they
    can't be read so: a first event larger than that, the file's own keys other than
    before its events, anything the fast path would not take. Only that they parse is
    checked, not what the whole file's checks find.

    The text is cut after an event's `}` followed by `, {`. A cut inside a string leaves
    it open, and a cut inside an event (a list of sources) leaves it unclosed: neither
    parses, so what parses is the file's first events."""
    prefix = bytes(data[:PREVIEW_BYTES]).lstrip(b" \t\r\n")  # JSON's blanks
    cleaning = bytes_need_cleaning(prefix)
    if cleaning == "unsafe" and own_name_written(prefix):
        return None
    members: dict[str, msgspec.Raw] | None = None
    try:
        if prefix[:1] == b"[":
            at = 0
        else:
            found = _EVENTS_KEY.search(prefix)
            if found is None:
                return None
            head = prefix[: found.start()] + b'"events":[]}'  # parses only at the top
            members = msgspec.json.decode(head, type=dict[str, msgspec.Raw])
            at = found.end() - 1
        raws = _first_raws(prefix, at)
        if not raws:
            return None
        raws = raws[:PREVIEW_EVENTS]
        unknown, nested = _keys_of(raws, parts=False)
        text = b"[" + b",".join(raws) + b"]"
        lenient = False
        while True:  # at most three decodes: as is, lenient, with the parts' own keys
            if len(unknown) + len(nested) > UNKNOWN_KEYS_UP_TO:
                return None
            if not _keepable(unknown + nested.every()):
                return None
            try:
                events = _fast_decoder("array", unknown, lenient, nested).decode(text)
                break
            except msgspec.ValidationError as exc:
                if not lenient and _LENIENT_FORM.match(str(exc)):
                    lenient = True
                elif not nested and _in_a_part(exc):
                    nested = _keys_of(raws)[1]  # looked for only where there are some
                else:
                    return None
        if unknown or lenient or nested:
            events = _kept_as_extra(events, unknown, lenient, nested)
        record = None
        if members is not None:
            record = _built_head(_decoded_members(members))
            if record is None:
                return None
    except (msgspec.DecodeError, RecursionError, _LeftToTheBuilder):
        return None
    return _first_timeline(events, record, cleaning)


def _first_timeline(events: list[Event], head: Head | None, cleaning: str) -> Timeline | None:
    """A file's first events, with its own record (`head`, if known), cleaned as the
    whole file's are where their text needs it (`cleaning`)."""
    title, description = (None, None) if head is None else (head.title, head.description)
    sources = {} if head is None else head.sources
    if cleaning:
        tidied = _tidied(events, title, description, sources)
        if tidied is None:
            return None
        events, title, description, sources = tidied
    return Timeline(events, title=title, description=description, sources=sources)


def _first_raws(prefix: bytes, at: int) -> list[msgspec.Raw] | None:
    """The whole events in `prefix[at:]` (`at` the events list's `[`), from the last few
    places where one may end."""
    ends = [match.start() + 1 for match in _EVENT_END.finditer(prefix, at)]
    for end in reversed(ends[-4:]):
        try:
            raws = msgspec.json.decode(prefix[at:end] + b"]", type=list[msgspec.Raw])
        except msgspec.DecodeError:
            continue
        return raws
    return None


def _placed_in_file(message: str, start: int, split: Split) -> str:
    """A part's error (`... - at `$[3].date``) as the whole file's (`$.events[50003]`)."""
    said, at, path = message.rpartition(" - at `$[")
    index, _, rest = path.partition("]")
    if not at or not index.isdigit():
        return message
    events = "$[" if split.members is None else "$.events["
    return f"{said} - at `{events}{start + int(index)}]{rest}"


def checked_json(
    data: Buffer,
    thorough: bool,
    repeats_possible: bool = True,
    split: Split | None = None,
    progress: Progress | None = None,
) -> tuple[Timeline, Sequence[Problem]] | None:
    """A clean file in our format, decoded straight into the model in one typed
    msgspec pass (the structs stay out of the garbage collector), with its problems
    (JSON paths, not yet placed). Keys the format doesn't know are kept, in `extra`, as
    the builder keeps them: they are found by the decoder's error and read by a type
    made for them (a decode per new set of keys). Text to clean (controls, terminal
    escapes, marks of direction such as an Arabic text's) is cleaned as the builder cleans
    it (tidy.py). Anything else this path does not expect (a lenient form other than
    _LENIENT_FORM's, any error) returns None and the full path, which reports every
    problem, takes over. `repeats_possible`: False for JSON that
    msgspec wrote from a dict, where no key can be given twice. `split`: the file split
    already (a large mapped file), decoded in parts (_in_parts), each said to
    `progress`."""
    if data[:3] == b"\xef\xbb\xbf":
        if not isinstance(data, bytes):
            return None  # the read path drops the mark
        data = data[3:]
    if split is not None and split.events and _lacks_a_required_key(split.events[0]):
        return None  # the decode would stop at once, but only after reading for keys
    cleaning = bytes_need_cleaning(data)
    if cleaning == "unsafe" and own_name_written(data):
        return None
    if repeats_possible and len(data) <= REPEATS_CHECKED_UP_TO and has_repeated_keys(data):
        return None  # the full path says where
    kind = "array" if first_byte(data) == b"[" else "object"
    unknown: tuple[str, ...] = ()
    nested = NO_NESTED
    lenient = own_keys = False
    decoded: Any = None
    rounds = 0
    while decoded is None:
        try:
            with gc_paused():
                if split is None:
                    decoder = _fast_decoder(kind, unknown, lenient, nested, own_keys)
                    decoded = decoder.decode(data)
                else:
                    decoded = _in_parts(data, split, unknown, lenient, nested, progress)
        except msgspec.ValidationError as exc:
            if not lenient and _LENIENT_FORM.match(str(exc)):
                lenient = True
                continue
            if not own_keys and _FILE_KEY.fullmatch(str(exc)):
                own_keys = True  # read from the file's members (below)
                continue
            raws = None if split is None else split.events
            more = _more_unknown_keys(exc, data, kind == "array", unknown, nested, raws)
            rounds += 1
            if more is None:
                return None
            count = len(unknown) + len(nested) + len(more[0]) + len(more[1])
            if count > UNKNOWN_KEYS_UP_TO or rounds > KEY_ROUNDS_UP_TO:
                return None  # keys found a few at a time: each round decodes again
            unknown, nested = unknown + more[0], nested + more[1]
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
            return None
    head = Head(None, None, {}, {}, [])
    if kind == "object":
        try:
            if split is not None:
                members = _decoded_members(split.members or {})
            elif own_keys:  # a second look at the file, for its members alone
                members = _decoded_members(msgspec.json.decode(data, type=dict[str, msgspec.Raw]))
            else:
                members = {k: getattr(decoded, k) for k in ("title", "description", "sources")}
        except (msgspec.DecodeError, RecursionError):
            return None
        built = _built_head(members)
        if built is None:
            return None
        head = built
    events = decoded if isinstance(decoded, list) else decoded.events
    one_string: dict[int, list[int]] = {}
    if unknown or lenient or nested:
        try:
            with gc_paused():
                events = _kept_as_extra(events, unknown, lenient, nested, one_string)
        except _LeftToTheBuilder:
            return None
    said = JoinedWarnings(head.said, FormWarnings(events, unknown, nested, one_string))
    if progress is not None:
        progress(f"checking {len(events):,} events")
    checked = _made_timeline(
        events, head.title, head.description, head.sources, cleaning, thorough, said
    )
    if checked is not None:
        checked[0].extra = head.extra
    return checked


_REQUIRED: Final = frozenset(f.encode_name for f in msgspec.structs.fields(Event) if f.required)


def _lacks_a_required_key(raw: msgspec.Raw) -> bool:
    """Whether an event lacks a key the fast path's types require (`date`, in every event
    of a TimelineJS file), which no retry with its unknown keys kept would mend."""
    try:
        keys = msgspec.json.decode(raw, type=dict[str, msgspec.Raw]).keys()
    except msgspec.DecodeError:
        return False  # not an object: the decode says so
    return not keys >= _REQUIRED


def _tidied(
    events: list[Event], title: str | None, description: str | None, sources: dict[str, Source]
) -> tuple[list[Event], str | None, str | None, dict[str, Source]] | None:
    """The text cleaned as the builder cleans it (tidy.py: text that needs none comes
    back as it was), each event replaced in `events` itself, so the two forms are never
    all alive at once (a list of cleaned copies beside the million decoded events peaked
    0.6 GB higher); None where that leaves an event's title empty (a title of marks or
    controls alone), an error the builder says."""
    tidy_event = tidy.tidy_event
    for n, event in enumerate(events):
        events[n] = tidy_event(event)
    if not all(map(_HAS_TEXT, [event.title for event in events])):
        return None
    return (
        events,
        None if title is None else tidy.text(title, "title"),
        None if description is None else tidy.text(description, "description"),
        {key: tidy.tidy_source(source) for key, source in sources.items()},
    )


_HAS_TEXT: Final = re.compile(r"\S").search
_OWN_NAME: Final = re.compile(rb'"(?:\xc2\x85|\\u0085)', re.IGNORECASE)


def own_name_written(data: Buffer) -> bool:
    """Whether a JSON text may give a key the name of one of the model's own fields
    (events.OWN: a NEL, raw or escaped, first), which the typed decoder would read into
    that field: the builder keeps such a key as unknown. Any string so begun counts."""
    return _OWN_NAME.search(data) is not None


def _made_timeline(
    events: list[Event],
    title: str | None,
    description: str | None,
    sources: dict[str, Source],
    cleaning: str,
    thorough: bool,
    said: Sequence[Problem] = (),
) -> tuple[Timeline, Sequence[Problem]] | None:
    """What the fast paths decoded, made a timeline: cleaned (`cleaning`, as
    bytes_need_cleaning says) and checked across events, after the warnings `said`
    already; None where the builder should say what is wrong."""
    if cleaning:
        tidied = _tidied(events, title, description, sources)
        if tidied is None:
            return None
        events, title, description, sources = tidied
    for named in sources.values():
        for written in (named.published, named.captured):
            if written is not None and is_bad_date(written):
                return None
    timeline = Timeline(events, title=title, description=description, sources=sources)
    ids = {event.id for event in events}  # a set: `print` needs no index by id
    if len(ids) != len(events) or "" in ids:
        return None
    problems: Sequence[Problem] = []
    # Set operations first (C speed); the walk that names each problem only if one exists.
    referrers = timeline.referrers()  # built here once: the event view needs it too
    refs = {ref.ref for event in events for ref in event.sources if ref.ref is not None}
    ordered = timeline.events
    early = [
        (index, event)
        for index, event in compress(enumerate(events), map(REPORTED, events))
        if reported_early(event)
    ]
    if (
        not referrers.keys() <= ids
        or not refs <= sources.keys()
        or any(ordered[p].id == target for target, at in referrers.items() for p in at)
    ):
        problems = cross_checks(enumerate(events), ids, sources)
    elif early:  # its only problems: no need to walk the million others
        problems = cross_checks(early, ids, sources)
    if said:
        made = problems
        problems = JoinedWarnings(said, made)
    if thorough:  # `validate`: how sure the file says it is, too
        from .lints import lints

        problems = [*problems, *lints(timeline, enumerate(events))]
    return timeline, problems


_SQL_KEYS: Final = ("extra", "cells", "said")
"""What DuckDB writes besides our event's keys (see formats/sql_read.py)."""


@functools.cache
def _sql_decoder() -> Any:
    return msgspec.json.Decoder(_event_keeping(_SQL_KEYS), dec_hook=decode_hook)


def checked_sql(read: SqlRead, thorough: bool) -> tuple[Timeline, Sequence[Problem]] | None:
    """The JSON lines DuckDB wrote for a file, decoded a block at a time, the rows it
    left to Python made by the format's reader and the ids it left given by it (in file
    order, together: an id given depends on those before it), the file's own record
    added."""
    astuple, decoder = msgspec.structs.astuple, _sql_decoder()
    events: list[Event] = []
    by_python: dict[int, list[str | None]] = {}
    unnamed: dict[int, list[str]] = {}
    cleaning = ""
    with gc_paused():
        for block in read.blocks():
            cleaning = cleaning or bytes_need_cleaning(block)
            try:
                rows = decoder.decode_lines(block)
            except msgspec.DecodeError:
                return None  # a value out of range, a date that is not one: the builder says
            for row in rows:
                values = astuple(row)
                if values[_OWN_FIELDS + 1] is not None:
                    by_python[len(events)] = values[_OWN_FIELDS + 1]
                if isinstance(values[_OWN_FIELDS + 2], list):
                    unnamed[len(events)] = values[_OWN_FIELDS + 2]
                events.append(_sql_event(values))
        if by_python or unnamed:
            read.made_by_sql(events, by_python, unnamed)
            documents: list[dict[str, Any]] = []
            for n in sorted(by_python.keys() | unnamed.keys()):
                if n in unnamed:
                    events[n] = msgspec.structs.replace(events[n], id=read.given_id(unnamed[n], n))
                    continue
                document = read.event(by_python[n], n)
                if document is None:
                    return None
                documents.append(document)
    if by_python:
        made = _made_in_python(documents)
        if made is None:
            return None
        for n, made_event in zip(by_python, made[0], strict=True):
            events[n] = made_event
        cleaning = cleaning or made[1]
    head = _sql_head(read)
    if head is None:
        return None
    checked = _made_timeline(
        events, head.title, head.description, head.sources, cleaning, thorough, head.said
    )
    if checked is not None:
        checked[0].extra = head.extra
    return checked


def _sql_head(read: SqlRead) -> Head | None:
    """The file's own record, as its reader made it, read by the builder (_built_head)."""
    return _built_head({k: v for k, v in read.document.items() if k != "events"})


def _sql_event(values: tuple[Any, ...]) -> Event:
    """A row DuckDB made (its fields, then ours: `extra`, `cells`, `said`) as an Event."""
    extra = values[_OWN_FIELDS]
    event: Event = cast(Any, Event)(
        *values[:_EXTRA_AT], extra, *values[_EXTRA_AT + 1 : _OWN_FIELDS]
    )
    return event


def first_sql_events(lines: bytes, read: SqlRead) -> tuple[Timeline, bool] | None:
    """The events of a file's first rows as DuckDB made them (sql_read.copy_rows), as a
    timeline of their own with the file's record (`read.document`, as far as it is
    known), and whether their ids are the whole file's (`read.first_ids`: an id made from
    a row's date and title may yet be taken by a later row's own). None if one of them is
    Python's to make (checked_sql) or to name from more than its first rows. Their text is
    cleaned as the whole file's is. Only that they parse is checked, not what the whole
    file's checks find."""
    head = _sql_head(read)
    if head is None:
        return None
    try:
        rows = _sql_decoder().decode_lines(lines)
    except msgspec.DecodeError:
        return None
    events: list[Event] = []
    unnamed: dict[int, list[str]] = {}
    for row in rows:
        values = msgspec.structs.astuple(row)
        if values[_OWN_FIELDS + 1] is not None:
            return None  # as checked_sql tells them
        if isinstance(values[_OWN_FIELDS + 2], list):
            unnamed[len(events)] = values[_OWN_FIELDS + 2]
        events.append(_sql_event(values))
    if not events:
        return None
    final = True
    if unnamed:
        own = [event.id for n, event in enumerate(events) if n not in unnamed]
        given = read.first_ids(list(unnamed.values()), own)
        if given is None:
            return None
        for n, id in zip(unnamed, given[0], strict=True):
            events[n] = msgspec.structs.replace(events[n], id=id)
        final = given[1]
    timeline = _first_timeline(events, head, bytes_need_cleaning(lines))
    return None if timeline is None else (timeline, final)


def own_keys(document: dict[str, Any]) -> dict[str, Any] | None:
    """The file's keys the format doesn't know, kept as found; None if one is like a known
    key (the builder's "did you mean")."""
    extra = {key: value for key, value in document.items() if key not in TOP_KEYS}
    return None if any(close_match(key, TOP_KEYS) for key in extra) else extra


def _made_in_python(documents: list[dict[str, Any]]) -> tuple[list[Event], str] | None:
    """Events from the documents a reader made in Python, as the fast path decodes them,
    and what cleaning their text needs; None where the builder should say."""
    unknown = tuple(dict.fromkeys(k for d in documents for k in d if k not in EVENT_KEYS))
    if len(unknown) > UNKNOWN_KEYS_UP_TO:
        return None
    try:
        encoded = msgspec.json.encode(documents)
        decoded = _fast_decoder("array", unknown).decode(encoded)
    except (TypeError, ValueError, OverflowError, msgspec.DecodeError):
        return None
    cleaning = bytes_need_cleaning(encoded)
    if cleaning == "unsafe" and own_name_written(encoded):
        return None
    return _kept_as_extra(decoded, unknown), cleaning
