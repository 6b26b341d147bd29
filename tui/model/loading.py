"""Loading an event file into a Timeline: every problem found, each with where it is.

The steps are in their own modules: reading.py gets the bytes and decodes them
(msgspec, into plain Python objects, with the garbage collector paused: on big files
collection otherwise dominates); another tool's format is read by its module in
formats/; validation.py walks the objects and collects every problem rather than
stopping at the first; only if there are problems does locating.py scan the text
again to give each a line and column. A clean file in our own format skips all that:
one typed msgspec pass straight into the model (`_fast_load`).
"""

from __future__ import annotations

import functools
import mmap
import os
import re
from itertools import compress
from types import GenericAlias
from typing import TYPE_CHECKING, Any, Final, cast

import msgspec

from ..formats import Format, FormatError, Imported, detect, formats, looks_like_timelinejs
from . import tidy
from .dates import decode_hook
from .events import OWN, Event, Source, Timeline
from .locating import locate, relocate
from .problems import LoadError, Problem, Severity, file_order
from .reading import (
    MAP_AT_LEAST,
    STDIN,
    Buffer,
    Progress,
    decode,
    decode_text,
    display_name,
    file_size,
    first_byte,
    gc_paused,
    read_bytes,
)
from .text import bytes_need_cleaning
from .validation import (
    EVENT_KEYS,
    REPEATS_CHECKED_UP_TO,
    REPORTED,
    TOP_KEYS,
    Builder,
    close_match,
    cross_checks,
    has_repeated_keys,
    is_bad_date,
    repeated_keys,
    reported_early,
)

if TYPE_CHECKING:
    from ..formats.sql_read import SqlRead
    from .cache import Fingerprint


SNAPSHOT_AT_LEAST: Final = 16 * 1024 * 1024
"""Smaller files load in well under a second: no snapshot."""


class Loaded(msgspec.Struct):
    timeline: Timeline
    warnings: list[Problem]
    skipped: int = 0
    """Events left out because they had errors (with skip_bad)."""
    snapshot_due: Fingerprint | None = None
    """Set when the file is big enough for a snapshot and none was current: what the
    file was before it was read, for cache.write."""


class LoadOptions(msgspec.Struct, frozen=True):
    format: str | None = None
    """One of `formats()`'s names, or None to tell from the file."""
    skip_bad: bool = False
    """Load the events that can be read, reporting the others as skipped."""
    thorough: bool = False
    """Every check whatever the file's size (`validate`): keys given twice in one
    object are otherwise looked for only in files up to REPEATS_CHECKED_UP_TO."""


def load_path(
    path: str,
    progress: Progress | None = None,
    options: LoadOptions | None = None,
    *,
    mapped: bool = True,
    snapshot: bool = False,
) -> Loaded:
    """`mapped`: try the fast path on the file mapped into memory rather than read
    into a copy (a second faster on a large file). Not for a reload: a file that a
    writer truncates while it is mapped would crash the process. `snapshot`: on a
    large file, use the on-disk snapshot if one is current (see cache.py)."""
    options = options or LoadOptions()
    due = None
    if snapshot and path != STDIN and file_size(path) >= SNAPSHOT_AT_LEAST:
        from . import cache

        due = cache.fingerprint(path, f"{options.format}:{options.skip_bad}")
        found = None if due is None else cache.read(path, due)
        if found is not None:
            return Loaded(*found)
    loaded = _load_path(path, progress, options, mapped)
    loaded.snapshot_due = due
    return loaded


def _load_path(path: str, progress: Progress | None, options: LoadOptions, mapped: bool) -> Loaded:
    if mapped and path != STDIN and options.format in (None, "json", "timeline"):
        fast = _fast_load_mapped(path, progress, options)
        if fast is not None:
            return fast
    sql_format = _for_sql(path, options)
    if sql_format is not None:
        if progress is not None:
            progress("reading with DuckDB")
        loaded = _sql_load(path, sql_format, options)
        if loaded is not None:
            return loaded
    return load_bytes(read_bytes(path, progress), display_name(path), progress, options)


def _for_sql(path: str, options: LoadOptions) -> str | None:
    """The format, if DuckDB should read the file: an ACLED export of SQL_AT_LEAST bytes
    or more, or any Parquet file (which DuckDB reads either way)."""
    if path == STDIN or options.skip_bad or options.format not in (None, "acled", "parquet"):
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    found = options.format or detect(head)
    if (found == "acled" and file_size(path) >= SQL_AT_LEAST) or found == "parquet":
        return found
    return None


def _fast_load_mapped(path: str, progress: Progress | None, options: LoadOptions) -> Loaded | None:
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size < MAP_AT_LEAST:
                return None
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                if options.skip_bad or (options.format is None and detect(data) != "timeline"):
                    return None
                if progress is not None:
                    progress("decoding")
                return _fast_load(data, display_name(path), options.thorough)
    except (OSError, ValueError):
        return None  # read_bytes says why, if it can't read the file either


def load_bytes(
    data: bytes, source: str, progress: Progress | None = None, options: LoadOptions | None = None
) -> Loaded:
    """Decode and check an event file (ours, or another tool's); raises LoadError
    if any problem is an error, unless `skip_bad` lets the readable events through."""
    options = options or LoadOptions()
    if progress is not None:
        progress("decoding")
    imported = None
    name = options.format or detect(data)
    if name == "timeline" and not options.skip_bad:
        loaded = _fast_load(data, source, options.thorough)
        if loaded is not None:
            return loaded
    # Our own format needs no registry (it is read here); another is read by its module.
    fmt = None if name == "timeline" else formats()[name]
    if fmt is None or fmt.json:
        document = decode(data, source)
        if fmt is None and options.format is None and looks_like_timelinejs(document):
            fmt = formats()["timelinejs"]  # told apart only once decoded
        if fmt is not None:
            imported = _imported(fmt, document, source)
    elif fmt.binary:
        imported = _imported(fmt, bytes(data), source)
    else:
        imported = _imported(fmt, decode_text(data, source), source)
    if imported is not None:
        document = imported.document
    if progress is not None:
        count = len(document.get("events", []) if isinstance(document, dict) else document)
        progress(f"checking {count:,} events")
    fast = (
        None if imported is None or options.skip_bad else _fast_imported(imported, options.thorough)
    )
    if fast is not None:
        timeline, problems = fast
    else:
        builder = Builder()
        with gc_paused():
            timeline = builder.build(document)
        problems = builder.problems
        if options.thorough:  # `validate`: how sure the file says it is, too
            from .lints import lints

            problems = problems + lints(timeline)
    if problems and imported is not None:
        problems = relocate(data, imported, problems, every=options.thorough)
    elif problems:
        problems = locate(data, problems, every=options.thorough)
    if imported is not None and imported.problems:
        problems = sorted(imported.problems + problems, key=file_order)
    if (fmt is None or fmt.json) and (options.thorough or len(data) <= REPEATS_CHECKED_UP_TO):
        repeated = repeated_keys(data)
        if repeated:
            problems = sorted(problems + repeated, key=file_order)
    if options.thorough:  # the lints come last from the builder: in their places
        problems = sorted(problems, key=file_order)
    errors = [p for p in problems if p.severity == Severity.ERROR]
    # An error in an event, or in a row of another tool's file, leaves the others readable.
    skippable = all(
        p.path.startswith("$.events[") or (imported is not None and p.path == "$" and p.line)
        for p in errors
    )
    if errors and options.skip_bad and skippable:
        skipped = [
            msgspec.structs.replace(p, severity=Severity.WARNING, message="skipped: " + p.message)
            for p in errors
        ]
        warnings = [p for p in problems if p.severity == Severity.WARNING]
        return Loaded(
            timeline,
            sorted(skipped + warnings, key=file_order),
            len(errors),
        )
    if errors:
        raise LoadError(source, problems, skippable=skippable)
    return Loaded(timeline, problems)


class _FastFile(msgspec.Struct, forbid_unknown_fields=True):
    events: list[Event]
    title: str | None = None
    description: str | None = None
    sources: dict[str, Source] | None = None


UNKNOWN_KEYS_UP_TO: Final = 16
"""Distinct keys the format doesn't know that the fast path keeps; a file with more
(each a decode of the whole file to find) takes the full path."""

_UNKNOWN_EVENT_KEY: Final = re.compile(
    r"Object contains unknown field `(?P<key>.*)`"
    r" - at `\$(?P<in_object>\.events)?\[(?P<index>\d+)\]`",
    re.DOTALL,
)
_SAMPLED: Final = 1000
"""Events read for their keys once one is found that the format doesn't know: a file's
events mostly share their keys, so all of them are usually found in one try."""


@functools.lru_cache(maxsize=16)
def _fast_decoder(kind: str, unknown: tuple[str, ...], nullable: bool = False) -> Any:
    """Remembered (a few: each set of unknown keys makes its own types)."""
    events = GenericAlias(list, (_event_keeping(unknown, nullable),))
    target: Any = _FastFile if kind == "object" else events
    if kind == "object" and (unknown or nullable):
        target = msgspec.defstruct("FastFileKeeping", [("events", events)], bases=(_FastFile,))
    return msgspec.json.Decoder(target, dec_hook=decode_hook)


_LISTS: Final = ("tags", "actors", "claimed_by", "sources", "related", "history")
"""The event's fields that are lists, which other tools often write as null when empty
(the builder reads null as empty)."""
_NULL_LIST: Final = re.compile(
    rf"Expected `array`, got `null` - at `\$(?:\.events)?\[\d+\]\.(?:{'|'.join(_LISTS)})`"
)


def _event_keeping(unknown: tuple[str, ...], nullable: bool = False) -> type[msgspec.Struct]:
    """Event with a field for each of the file's own keys (any value, read as found), and
    (`nullable`) its lists allowed to be null."""
    if not unknown and not nullable:
        return Event
    fields: list[Any] = [
        (f"unknown_{n}", Any, msgspec.field(default=msgspec.UNSET, name=key))
        for n, key in enumerate(unknown)
    ]
    if nullable:
        types = {field.name: field.type for field in msgspec.structs.fields(Event)}
        fields += [(name, types[name] | None, ()) for name in _LISTS]
    return msgspec.defstruct(
        "EventKeeping", fields, bases=(Event,), forbid_unknown_fields=True, gc=False
    )


_OWN_FIELDS: Final = len(msgspec.structs.fields(Event))
_EXTRA_AT: Final = [f.name for f in msgspec.structs.fields(Event)].index("extra")
_LISTS_AT: Final = [[f.name for f in msgspec.structs.fields(Event)].index(n) for n in _LISTS]


def _kept_as_extra(
    events: list[Any], unknown: tuple[str, ...], nullable: bool = False
) -> list[Event]:
    """Each event as an Event, its unknown keys in `extra` as the builder keeps them, a
    null list empty; replaced in place, so the two forms are never all alive at once."""
    astuple, unset, event = msgspec.structs.astuple, msgspec.UNSET, cast(Any, Event)
    for n, decoded in enumerate(events):
        values = astuple(decoded)
        kept = {
            key: value
            for key, value in zip(unknown, values[_OWN_FIELDS:], strict=True)
            if value is not unset
        }
        if nullable:
            values = tuple(() if v is None and i in _LISTS_AT else v for i, v in enumerate(values))
        events[n] = event(*values[:_EXTRA_AT], kept or None, *values[_EXTRA_AT + 1 : _OWN_FIELDS])
    return events


def _more_unknown_keys(
    error: msgspec.ValidationError, data: Buffer, bare: bool, known: tuple[str, ...]
) -> tuple[str, ...]:
    """The event keys the format doesn't know, in the events from the one the decoder
    stopped at: () if the error is anything else, or the fast path should not keep them
    (a key like a known one is a warning the builder gives)."""
    match = _UNKNOWN_EVENT_KEY.fullmatch(str(error))
    if match is None or bare == bool(match["in_object"]):
        return ()  # not in an event
    index = int(match["index"])
    found: dict[str, None] = {}
    try:
        raws: Any = msgspec.json.decode(data, type=list[msgspec.Raw] if bare else _RawEvents)
        for raw in (raws if bare else raws.events)[index : index + _SAMPLED]:
            keys = msgspec.json.decode(raw, type=dict[str, msgspec.Raw]).keys()
            found.update(dict.fromkeys(key for key in keys if key not in EVENT_KEYS))
    except msgspec.DecodeError:
        return ()  # an event that is not an object, or bad JSON further on: the builder says
    fresh = tuple(key for key in found if key not in known)
    if match["key"] not in fresh or any(
        key.startswith(OWN) or close_match(key, EVENT_KEYS) for key in fresh
    ):
        return ()
    return fresh


class _RawEvents(msgspec.Struct):
    events: list[msgspec.Raw]


def _fast_load(data: Buffer, source: str, thorough: bool = False) -> Loaded | None:
    """A clean file in our format, decoded straight into the model (`_fast_checked`),
    its problems placed in the text."""
    checked = _fast_checked(data, thorough)
    if checked is None:
        return None
    timeline, problems = checked
    located = locate(data, problems, every=thorough) if problems else []
    if thorough:
        located.sort(key=file_order)
    return Loaded(timeline, located)


def _fast_imported(imported: Imported, thorough: bool) -> tuple[Timeline, list[Problem]] | None:
    """Another tool's file, once its reader has made our document of it: written as
    JSON and read by the fast path rather than walked by the builder (a tenth of the
    time). Its problems keep their JSON paths, for `relocate` to place by the origins."""
    if any(p.severity == Severity.ERROR for p in imported.problems):
        return None  # the full path reports them with everything else
    document = imported.document
    extra = {key: value for key, value in document.items() if key not in TOP_KEYS}
    if any(close_match(key, TOP_KEYS) for key in extra):
        return None  # the builder's "did you mean"
    try:
        encoded = msgspec.json.encode({k: v for k, v in document.items() if k in TOP_KEYS})
    except (TypeError, ValueError, OverflowError):
        return None  # a value JSON does not have: the builder says what it is
    checked = _fast_checked(encoded, thorough, repeats_possible=False)
    if checked is not None:
        checked[0].extra = extra  # the file's own unknown keys, kept as found
    return checked


def _fast_checked(
    data: Buffer, thorough: bool, repeats_possible: bool = True
) -> tuple[Timeline, list[Problem]] | None:
    """A clean file in our format, decoded straight into the model in one typed
    msgspec pass (the structs stay out of the garbage collector), with its problems
    (JSON paths, not yet placed). Keys the format doesn't know are kept, in `extra`, as
    the builder keeps them: they are found by the decoder's error and read by a type
    made for them (a decode per new set of keys). Anything else this path does not
    expect (lenient forms, text to clean, any error) returns None and the full path,
    which reports every problem, takes over. `repeats_possible`: False for JSON that
    msgspec wrote from a dict, where no key can be given twice."""
    if data[:3] == b"\xef\xbb\xbf":
        if not isinstance(data, bytes):
            return None  # the read path drops the mark
        data = data[3:]
    cleaning = bytes_need_cleaning(data)
    if cleaning == "unsafe":
        return None
    if repeats_possible and len(data) <= REPEATS_CHECKED_UP_TO and has_repeated_keys(data):
        return None  # the full path says where
    head = first_byte(data)
    kind = "array" if head == b"[" else "object"
    unknown: tuple[str, ...] = ()
    nullable = False
    decoded: Any = None
    while decoded is None:
        try:
            with gc_paused():
                decoded = _fast_decoder(kind, unknown, nullable).decode(data)
        except msgspec.ValidationError as exc:
            if not nullable and _NULL_LIST.match(str(exc)):
                nullable = True
                continue
            more = _more_unknown_keys(exc, data, kind == "array", unknown)
            if not more or len(unknown) + len(more) > UNKNOWN_KEYS_UP_TO:
                return None
            unknown += more
        except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
            return None
    sources: dict[str, Source] = {}
    if isinstance(decoded, list):
        events, title, description = decoded, None, None
    else:
        events, title, description = decoded.events, decoded.title, decoded.description
        sources = decoded.sources or {}
    if unknown or nullable:
        with gc_paused():
            events = _kept_as_extra(events, unknown, nullable)
    return _checked(events, title, description, sources, cleaning, thorough)


def _checked(
    events: list[Event],
    title: str | None,
    description: str | None,
    sources: dict[str, Source],
    cleaning: str,
    thorough: bool,
) -> tuple[Timeline, list[Problem]] | None:
    """What the fast paths decoded, made a timeline: cleaned (`cleaning`, as
    bytes_need_cleaning says) and checked across events; None where the builder
    should say what is wrong."""
    if cleaning == "whitespace":  # escaped tabs or line breaks: clean as the builder does
        events = [tidy.tidy_event(event) for event in events]
        sources = {key: tidy.tidy_source(source) for key, source in sources.items()}
        title = None if title is None else tidy.text(title, "title")
        description = None if description is None else tidy.text(description, "description")
    for named in sources.values():
        for written in (named.published, named.captured):
            if written is not None and is_bad_date(written):
                return None
    timeline = Timeline(events, title=title, description=description, sources=sources)
    ids = {event.id for event in events}  # a set: `print` needs no index by id
    if len(ids) != len(events) or "" in ids:
        return None
    problems: list[Problem] = []
    # Set operations first (C speed); the walk that names each problem only if one exists.
    referrers = timeline.referrers()  # built here once: the event view needs it too
    refs = {ref.ref for event in events for ref in event.sources if ref.ref is not None}
    ordered = timeline.events
    if (
        not referrers.keys() <= ids
        or not refs <= sources.keys()
        or any(ordered[p].id == target for target, at in referrers.items() for p in at)
        or any(map(reported_early, compress(events, map(REPORTED, events))))
    ):
        problems = cross_checks(enumerate(events), ids, sources)
    if thorough:  # `validate`: how sure the file says it is, too
        from .lints import lints

        problems = problems + lints(timeline, enumerate(events))
    return timeline, problems


SQL_AT_LEAST: Final = 8 * 1024 * 1024
"""An ACLED export this big is read by DuckDB (acled_sql.py); a smaller one row by row,
in less time than DuckDB takes to start."""
_SQL_KEYS: Final = ("extra", "cells")
"""What acled_sql.py writes besides our event's keys (see there)."""


@functools.cache
def _sql_decoder() -> Any:
    return msgspec.json.Decoder(_event_keeping(_SQL_KEYS), dec_hook=decode_hook)


def _sql_load(path: str, format: str, options: LoadOptions) -> Loaded | None:
    """A file read by DuckDB (formats/sql_read.py); None where the Python reader should
    take it (DuckDB refuses the file, or it has problems only the builder says)."""
    from ..formats.acled_sql import read_acled_sql
    from ..formats.parquet_sql import read_parquet_sql

    read = (read_acled_sql if format == "acled" else read_parquet_sql)(path)
    if read is None:
        return None
    with read:
        checked = _sql_checked(read, options.thorough)
    if checked is None:
        return None
    timeline, problems = checked
    if not timeline.events or any(p.severity == Severity.ERROR for p in problems):
        return None  # the Python reader says what is wrong
    return Loaded(timeline, relocate(b"", read, problems, every=options.thorough))


def _sql_checked(read: SqlRead, thorough: bool) -> tuple[Timeline, list[Problem]] | None:
    astuple, event, decoder = msgspec.structs.astuple, cast(Any, Event), _sql_decoder()
    events: list[Event] = []
    by_python: dict[int, list[str | None]] = {}
    cleaning = ""
    with gc_paused():
        for block in read.blocks():
            found = bytes_need_cleaning(block)
            if found == "unsafe":
                return None
            cleaning = cleaning or found
            try:
                rows = decoder.decode_lines(block)
            except msgspec.DecodeError:
                return None  # a value out of range, a date that is not one: the builder says
            for row in rows:
                values = astuple(row)
                if values[_OWN_FIELDS + 1] is not None:
                    by_python[len(events)] = values[_OWN_FIELDS + 1]
                extra = values[_OWN_FIELDS]
                events.append(
                    event(*values[:_EXTRA_AT], extra, *values[_EXTRA_AT + 1 : _OWN_FIELDS])
                )
    if by_python:
        made = _made_in_python([read.event(cells, n) for n, cells in by_python.items()])
        if made is None:
            return None
        for n, (made_event, made_cleaning) in zip(by_python, made, strict=True):
            events[n] = made_event
            cleaning = cleaning or made_cleaning
    head = _file_head(read.document)
    if head is None:
        return None
    file, extra, head_cleaning = head
    checked = _checked(
        events,
        file.title,
        file.description,
        file.sources or {},
        cleaning or head_cleaning,
        thorough,
    )
    if checked is not None:
        checked[0].extra = extra
    return checked


def _file_head(document: dict[str, Any]) -> tuple[Any, dict[str, Any], str] | None:
    """A file's own record without its events (title, description, named sources) as the
    fast path decodes it, its unknown keys, and what cleaning its text needs."""
    extra = {key: value for key, value in document.items() if key not in TOP_KEYS}
    if any(close_match(key, TOP_KEYS) for key in extra):
        return None  # the builder's "did you mean"
    known = {key: value for key, value in document.items() if key in TOP_KEYS}
    try:
        encoded = msgspec.json.encode({**known, "events": []})
        file = _fast_decoder("object", ()).decode(encoded)
    except (TypeError, ValueError, OverflowError, msgspec.DecodeError):
        return None
    cleaning = bytes_need_cleaning(encoded)
    return None if cleaning == "unsafe" else (file, extra, cleaning)


def _made_in_python(documents: list[dict[str, Any]]) -> list[tuple[Event, str]] | None:
    """Events from the documents a reader made in Python, as the fast path decodes them,
    each with what cleaning its text needs; None where the builder should say."""
    unknown = tuple(dict.fromkeys(k for d in documents for k in d if k not in EVENT_KEYS))
    if len(unknown) > UNKNOWN_KEYS_UP_TO:
        return None
    try:
        encoded = msgspec.json.encode(documents)
        decoded = _fast_decoder("array", unknown).decode(encoded)
    except (TypeError, ValueError, OverflowError, msgspec.DecodeError):
        return None
    cleaning = bytes_need_cleaning(encoded)
    if cleaning == "unsafe":
        return None
    return [(event, cleaning) for event in _kept_as_extra(decoded, unknown)]


def _imported(fmt: Format, content: Any, source: str) -> Imported:
    """Another tool's file, read by its format's reader."""
    assert fmt.read is not None
    try:
        with gc_paused():  # a reader makes a dict or more per event
            return fmt.read(content)
    except FormatError as exc:
        # Expected failures only: any other exception is a bug in the reader, and
        # surfaces as one (the console script's guard; TIMELINE_DEBUG=1 shows where).
        problem = Problem(Severity.ERROR, exc.message, line=exc.line, column=exc.column)
        raise LoadError(source, [problem]) from None
