"""Reading event files: every problem found, each with where it is.

Decoding is msgspec's, into plain Python objects, with the garbage collector
paused (on big files collection otherwise dominates). The checks then walk
those objects and collect problems rather than stopping at the first; only if
there are problems is the text scanned again to give each a line and column.
"""

from __future__ import annotations

import gc
import mmap
import os
import re
import sys
import threading
from collections.abc import Callable, Container, Iterable, Iterator
from contextlib import contextmanager
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any, Final

import msgspec

from ..formats import FormatError, detect
from . import tidy
from .dates import DateError, When, decode_hook, parse_when
from .events import Event, Place, Relation, Source, SourceRef, Status, Timeline
from .problems import LoadError, Problem, Severity
from .records import (
    EventFile,
    EventRecord,
    PlaceRecord,
    RelationRecord,
    SourceRecord,
    SourceRefRecord,
    field_names,
)
from .text import bytes_need_cleaning, clean_text

if TYPE_CHECKING:
    from .cache import Fingerprint

STDIN: Final = "-"
READ_CHUNK: Final = 8 * 1024 * 1024
MAP_AT_LEAST: Final = 4 * 1024 * 1024
"""Smaller files are read: mapping pays only where copying the bytes costs."""
SNAPSHOT_AT_LEAST: Final = 16 * 1024 * 1024
"""Smaller files load in well under a second: no snapshot."""

Buffer = bytes | mmap.mmap

Progress = Callable[[str], None]
"""Told what loading is doing (`reading 40%`, `decoding`), for a progress display."""

EVENT_KEYS: Final = field_names(EventRecord)
TOP_KEYS: Final = field_names(EventFile)
SOURCE_KEYS: Final = field_names(SourceRecord)
PLACE_KEYS: Final = field_names(PlaceRecord)
SOURCE_REF_KEYS: Final = field_names(SourceRefRecord)
RELATION_KEYS: Final = field_names(RelationRecord)


class Loaded(msgspec.Struct):
    timeline: Timeline
    warnings: list[Problem]
    skipped: int = 0
    """Events left out because they had errors (with skip_bad)."""
    snapshot_due: Fingerprint | None = None
    """Set when the file is big enough for a snapshot and none was current: what the
    file was before it was read, for cache.write."""


_pause_lock: Final = threading.Lock()
_pauses = 0
_enabled_before = False

FREEZE_AT_LEAST: Final = 50_000
"""Smaller timelines cost the collector little: nothing is frozen for them."""


@contextmanager
def gc_paused() -> Iterator[None]:
    """No collections while decoding (on big files they would dominate). Afterwards,
    whatever happened, the collector is as it was: on or off, with loads in several
    threads at once. Nothing is frozen here (see keep_out_of_collections)."""
    global _pauses, _enabled_before
    with _pause_lock:
        if _pauses == 0:
            _enabled_before = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pause_lock:
            _pauses -= 1
            if _pauses == 0 and _enabled_before:
                gc.enable()


def keep_out_of_collections(timeline: Timeline) -> None:
    """For the process that keeps a large timeline (the app, a `print`), once it holds it
    and has let go of any earlier one: what is alive now is frozen (gc.freeze), so later
    collections do not walk its millions of objects again and again. What was frozen
    before is unfrozen first, so a timeline replaced on reload is collected as usual."""
    if len(timeline) < FREEZE_AT_LEAST:
        return
    gc.unfreeze()
    gc.freeze()


def display_name(path: str) -> str:
    return "<stdin>" if path == STDIN else path


def read_bytes(path: str, progress: Progress | None = None) -> bytes:
    """The file's bytes, or a LoadError that says plainly why not."""
    name = display_name(path)
    try:
        if path == STDIN:
            return sys.stdin.buffer.read()
        with open(path, "rb") as handle:
            if progress is None:
                return handle.read()
            return _read_in_chunks(handle, progress)
    except FileNotFoundError:
        reason = "no such file"
    except IsADirectoryError:
        reason = "is a directory, not an event file"
    except PermissionError:
        reason = "permission denied"
    except OSError as exc:
        reason = exc.strerror or str(exc)
    raise LoadError(name, [Problem(Severity.ERROR, f"cannot read: {reason}")])


def _read_in_chunks(handle: Any, progress: Progress) -> bytes:
    import os

    size = os.fstat(handle.fileno()).st_size
    chunks = []
    done = 0
    while chunk := handle.read(READ_CHUNK):
        chunks.append(chunk)
        done += len(chunk)
        progress(f"reading {100 * done // max(size, 1)}%")
    return b"".join(chunks)


class LoadOptions(msgspec.Struct, frozen=True):
    format: str | None = None
    """One of formats.FORMATS, or None to tell from the file."""
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
    if snapshot and path != STDIN and _size(path) >= SNAPSHOT_AT_LEAST:
        from . import cache

        due = cache.fingerprint(path, f"{options.format}:{options.skip_bad}")
        found = None if due is None else cache.read(path, due)
        if found is not None:
            return Loaded(*found)
    loaded = _load_path(path, progress, options, mapped)
    loaded.snapshot_due = due
    return loaded


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def _load_path(path: str, progress: Progress | None, options: LoadOptions, mapped: bool) -> Loaded:
    if mapped and path != STDIN and options.format in (None, "json", "timeline"):
        fast = _fast_load_mapped(path, progress, options)
        if fast is not None:
            return fast
    return load_bytes(read_bytes(path, progress), display_name(path), progress, options)


def _fast_load_mapped(path: str, progress: Progress | None, options: LoadOptions) -> Loaded | None:
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size < MAP_AT_LEAST:
                return None
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                if options.skip_bad or (options.format is None and detect(data) != "json"):
                    return None
                if progress is not None:
                    progress("decoding")
                return _fast_load(data, display_name(path))
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
    fmt = options.format
    if fmt is None:
        fmt = detect(data)
    if fmt in ("json", "timeline") and not options.skip_bad:
        fast = _fast_load(data, source)
        if fast is not None:
            return fast
    if fmt in ("json", "timeline", "timelinejs"):
        document = decode(data, source)
        if fmt == "timelinejs" or (fmt == "json" and _is_timelinejs(document)):
            from ..formats.timelinejs import from_document

            imported = from_document(
                document if isinstance(document, dict) else {"events": document}
            )
    else:
        imported = _import_text(fmt, decode_text(data, source), source)
        document = imported.document
    if imported is not None:
        document = imported.document
    if progress is not None:
        count = len(document.get("events", []) if isinstance(document, dict) else document)
        progress(f"checking {count:,} events")
    builder = _Builder()
    with gc_paused():
        timeline = builder.build(document)
    problems = builder.problems
    if problems and imported is not None:
        problems = _relocate(data, imported, problems)
    elif problems:
        problems = _locate(data, problems)
    if imported is not None and imported.problems:
        problems = sorted(imported.problems + problems, key=lambda p: (p.line or 0, p.column or 0))
    if fmt in ("json", "timeline", "timelinejs") and (
        options.thorough or len(data) <= REPEATS_CHECKED_UP_TO
    ):
        repeated = repeated_keys(data)
        if repeated:
            problems = sorted(problems + repeated, key=lambda p: (p.line or 0, p.column or 0))
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
            sorted(skipped + warnings, key=lambda p: (p.line or 0, p.column or 0)),
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


_decoders: dict[str, Any] = {}


def _fast_decoder(kind: str) -> Any:
    decoder = _decoders.get(kind)
    if decoder is None:
        target: Any = _FastFile if kind == "object" else list[Event]
        decoder = _decoders[kind] = msgspec.json.Decoder(target, dec_hook=decode_hook)
    return decoder


def _fast_load(data: Buffer, source: str) -> Loaded | None:
    """A clean file in our format, decoded straight into the model in one typed
    msgspec pass (the structs stay out of the garbage collector). Anything this
    path does not expect (unknown keys, lenient forms, text to clean, any error)
    returns None and the full path, which reports every problem, takes over."""
    if data[:3] == b"\xef\xbb\xbf":
        if not isinstance(data, bytes):
            return None  # the read path drops the mark
        data = data[3:]
    cleaning = bytes_need_cleaning(data)
    if cleaning == "unsafe":
        return None
    if len(data) <= REPEATS_CHECKED_UP_TO and _has_repeats(data):
        return None  # the full path says where
    head = _first_byte(data)
    try:
        with gc_paused():
            decoded = _fast_decoder("array" if head == b"[" else "object").decode(data)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
        return None
    sources: dict[str, Source] = {}
    if isinstance(decoded, list):
        events, title, description = decoded, None, None
    else:
        events, title, description = decoded.events, decoded.title, decoded.description
        sources = decoded.sources or {}
    if cleaning == "whitespace":  # escaped tabs or line breaks: clean as the builder does
        events = [tidy.tidy_event(event) for event in events]
        sources = {key: tidy.tidy_source(source) for key, source in sources.items()}
        title = None if title is None else tidy.text(title, "title")
        description = None if description is None else tidy.text(description, "description")
    for named in sources.values():
        if named.published is not None and _is_bad_date(named.published):
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
        or any(map(_reported_early, compress(events, map(REPORTED, events))))
    ):
        problems = cross_checks(enumerate(events), ids, sources)
    return Loaded(timeline, _locate(bytes(data), problems) if problems else [])


REPORTED: Final = attrgetter("reported")


def _reported_early(event: Event) -> bool:
    return event.reported is not None and event.reported.latest < event.date.earliest


REPEATS_CHECKED_UP_TO: Final = MAP_AT_LEAST
"""Keys given twice in one object are looked for in files up to this size on every
load (a second, C-speed parse), and by `validate` in any file."""


class _Repeated(Exception):
    pass


def _no_repeats(pairs: list[tuple[str, Any]]) -> None:
    if len(pairs) != len({key for key, _ in pairs}):
        raise _Repeated


def _has_repeats(data: Buffer) -> bool:
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
    if not _has_repeats(data):
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
        where = _path_text(path[:-2])
        message = f"`{clean_text(key)[:40]}` is given twice in this object; the last one is used"
        problems.append(Problem(Severity.WARNING, message, where, *positions[offset]))
    return problems


def _path_text(parts: tuple[str | int, ...]) -> str:
    path = "$"
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else _key_path(path, part)
    return path


def _first_byte(data: Buffer) -> bytes:
    """The first byte that is not JSON whitespace (without copying a big file to strip it)."""
    match = _NOT_SPACE.search(data)
    return b"" if match is None else match.group()


_NOT_SPACE: Final = re.compile(rb"[^ \t\r\n]")


def cross_checks(
    events: Iterable[tuple[int, Event]], ids: Container[str], sources: Container[str]
) -> list[Problem]:
    """What only a look across fields shows: relations to ids that are not in the file
    or to the event itself, citations of sources the file does not name, a `reported`
    date before the event's own. Warnings, each at its JSON path (`events`: each event
    with its index in the file's `events`)."""
    problems = []
    for index, event in events:
        if event.reported is not None and _reported_early(event):
            problems.append(
                Problem(
                    Severity.WARNING,
                    f'event "{event.id[:40]}": `reported` ({event.reported.display()}) is'
                    f" before the event's `date` ({event.date.display()}); was it"
                    " announced in advance, or are the two swapped?",
                    f"$.events[{index}].reported",
                )
            )
        for i, relation in enumerate(event.related):
            if relation.id not in ids or relation.id == event.id:
                what = (
                    "is the event itself"
                    if relation.id == event.id
                    else ("is not an event in this file")
                )
                problems.append(
                    Problem(
                        Severity.WARNING,
                        f'event "{event.id[:40]}": related id "{relation.id[:40]}" {what}',
                        f"$.events[{index}].related[{i}].id",
                    )
                )
        for i, ref in enumerate(event.sources):
            if ref.ref is not None and ref.ref not in sources:
                problems.append(
                    Problem(
                        Severity.WARNING,
                        f'event "{event.id[:40]}": source "{ref.ref}"'
                        " is not among the file's `sources`",
                        f"$.events[{index}].sources[{i}].ref",
                    )
                )
    return problems


def _is_bad_date(text: str) -> bool:
    try:
        parse_when(text)
    except DateError:
        return True
    return False


def _is_timelinejs(document: Any) -> bool:
    from ..formats import looks_like_timelinejs

    return looks_like_timelinejs(document)


def _import_text(fmt: str, text: str, source: str) -> Any:
    from ..formats import ical, tabular

    readers = {
        "timelinejs-csv": tabular.from_timelinejs_sheet,
        "csv": tabular.from_plain,
        "acled": tabular.from_acled,
        "ics": ical.from_ics,
    }
    try:
        return readers[fmt](text)
    except FormatError as exc:
        # Expected failures only: any other exception is a bug in the reader, and
        # surfaces as one (the console script's guard; TIMELINE_DEBUG=1 shows where).
        problem = Problem(Severity.ERROR, exc.message, line=exc.line, column=exc.column)
        raise LoadError(source, [problem]) from None


def decode_text(data: bytes, source: str) -> str:
    """Text formats (CSV, iCalendar) as str, with the same encoding errors as JSON."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise _encoding_error(data, source) from None


def decode(data: bytes, source: str) -> Any:
    def fail(message: str, offset: int | None = None) -> LoadError:
        problem = Problem(Severity.ERROR, message)
        if offset is not None:
            line, column = _byte_position(data, offset)
            problem = problem.located(line, column)
        return LoadError(source, [problem])

    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise fail(
            "the file is UTF-16 (byte-order mark at byte offset 0); event files are UTF-8", 0
        )
    elif _looks_like_utf16(data):
        first = data.index(0)
        raise fail(
            f"the file looks like UTF-16 (NUL bytes from byte offset {first});"
            " event files are UTF-8",
            0,
        )
    if not data.strip():
        raise fail("the file is empty; expected a JSON object with an `events` list", 0)
    try:
        with gc_paused():
            return msgspec.json.decode(data)
    except UnicodeDecodeError:
        raise _encoding_error(data, source) from None
    except RecursionError:
        raise fail("invalid JSON: nested too deeply to read (over about 1,000 levels)") from None
    except msgspec.DecodeError as exc:
        message = str(exc)
        match = re.search(r"\s*\(byte (\d+)\)$", message)
        if match:
            offset = int(match.group(1))
            message = message[: match.start()]
        else:
            offset = len(data)
        message = message.replace("JSON is malformed: ", "invalid JSON: ")
        if _first_byte(data) not in (b"{", b"[") and offset <= len(data) - len(data.lstrip()):
            message = (
                "not an event file: expected JSON (starting with { or [), a CSV whose"
                " first row names its columns (date, title, …; comma, semicolon or tab"
                " between them), or an iCalendar file"
            )
        elif message == "Input data was truncated":
            message = "invalid JSON: the file ends too soon (truncated?)"
        elif data[offset : offset + 1] == b"\x00":
            message = "invalid JSON: a NUL byte (0x00); is this a binary file?"
        raise fail(message, offset) from None


def _looks_like_utf16(data: bytes) -> bool:
    """ASCII text in UTF-16 without a byte-order mark: every other byte is NUL."""
    head = data[:64]
    return len(head) >= 4 and head.count(0) * 2 >= len(head) - 1 and (head[0] == 0 or head[1] == 0)


def _encoding_error(data: bytes, source: str) -> LoadError:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start
        byte = data[offset]
        line, column = _byte_position(data, offset)
        hint = " (Latin-1 or Windows-1252?)" if 0x80 <= byte <= 0xFF else ""
        message = f"not UTF-8: byte 0x{byte:02X} at byte offset {offset}{hint}"
        return LoadError(source, [Problem(Severity.ERROR, message, line=line, column=column)])
    return LoadError(source, [Problem(Severity.ERROR, "not UTF-8")])


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    offset = min(offset, len(data))
    line = data.count(b"\n", 0, offset) + 1
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return line, column


_EVENT_PATH: Final = re.compile(r"^\$\.events\[(\d+)\](?:\.([A-Za-z_]+))?")


def _relocate(data: bytes, imported: Any, problems: list[Problem]) -> list[Problem]:
    """Problems found in an imported document, placed where they are in the source:
    a CSV row and column, a VEVENT's line, or a TimelineJS slide's JSON path."""
    from ..formats import Origin

    result: list[Problem] = []
    json_paths: list[Problem] = []
    for problem in problems:
        match = _EVENT_PATH.match(problem.path)
        origin: Origin | None = None
        if match and int(match.group(1)) < len(imported.origins):
            origin = imported.origins[int(match.group(1))]
        if origin is None:  # about the file as a whole
            if imported.format == "timelinejs":
                json_paths.append(msgspec.structs.replace(problem, offset=0))
            else:
                whole = msgspec.structs.replace(problem, path="$", line=1, column=1, offset=0)
                result.append(whole)
            continue
        field = match.group(2) if match else None
        if origin.path is not None:
            path = origin.paths.get(field or "", origin.path)
            text_path = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
            json_paths.append(msgspec.structs.replace(problem, path=text_path, offset=0))
            continue
        column, name = origin.columns.get(field or "", (1, ""))
        message = problem.message + (f" (column {name})" if name else "")
        result.append(
            msgspec.structs.replace(
                problem, path="$", message=message, line=origin.line, column=column, offset=0
            )
        )
    if json_paths:
        result += _locate(data, json_paths)
    return sorted(result, key=lambda p: (p.line or 0, p.column or 0))


def _locate(data: bytes, problems: list[Problem]) -> list[Problem]:
    from .jsonpos import line_column, locate  # only files with problems need positions

    text = data.decode("utf-8-sig", "replace")
    keys = {p.path: _path_key(p.path) for p in problems}
    if _first_byte(data) == b"[":  # a bare array: `$.events[3]` is `$[3]` in the text
        keys = {path: key[1:] if key[:1] == ("events",) else key for path, key in keys.items()}
    # Each path and its ancestors: a path that is not in the text (`.ref` of a citation
    # written as a plain string) is shown at the nearest value that is.
    wanted = {key[:length] for key in keys.values() for length in range(1, len(key) + 1)}
    positions = locate(text, wanted)
    located = []
    for problem in problems:
        key = keys[problem.path]
        found = (positions.get(key[:length]) for length in range(len(key), 0, -1))
        position = next((p for p in found if p is not None), None)
        if position is None:  # the whole document, or nothing nearer is in the text
            position = line_column(text, len(text) - len(text.lstrip()))
        if position is not None:
            problem = problem.located(*position)
        located.append(problem)
    return sorted(located, key=lambda p: (p.line or 0, p.column or 0))


_PATH_PART: Final = re.compile(r"\[(\d+)\]|\.([^.\[]+)|\[(\"(?:[^\"\\]|\\.)*\")\]")


def _path_key(path: str) -> tuple[str | int, ...]:
    from .jsonpos import KEY

    parts: list[str | int] = []
    for index, name, quoted in _PATH_PART.findall(path[1:]):
        if index:
            parts.append(int(index))
        elif quoted:
            parts.append(msgspec.json.decode(quoted))
        else:
            parts.append(KEY if name == "<key>" else name)
    return tuple(parts)


def _key_path(base: str, key: str) -> str:
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]*", key):
        return f"{base}.{key}"
    return f"{base}[{msgspec.json.encode(key).decode()}]"


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


def _near(key: str, known: tuple[str, ...]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    return matches[0] if matches else None


class _Builder:
    """Turns decoded JSON into a Timeline, collecting every problem on the way."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.errors = 0
        self.context = ""

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

    def unknown_keys(
        self, obj: dict[str, Any], path: str, known: tuple[str, ...]
    ) -> dict[str, Any]:
        extra = {}
        for key in obj:
            if key in known:
                continue
            extra[key] = obj[key]
            near = _near(key, known)
            if near is not None:
                self.warning(
                    _key_path(path, key) + ".<key>",
                    f'unknown key "{clean_text(key)}": did you mean "{near}"?',
                )
        return extra

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
            item_path = _key_path(path, key)
            if not isinstance(raw, dict):
                self.error(
                    item_path,
                    f"source `{clean_text(key)}`: expected an object, found {_type_name(raw)}",
                )
                continue
            extra = self.unknown_keys(raw, item_path, SOURCE_KEYS)
            published = self.text(raw, "published", item_path)
            if published is not None:
                try:
                    parse_when(published)
                except DateError as exc:
                    self.error(f"{item_path}.published", f"`published`: {exc}")
            sources[key] = Source(
                title=self.text(raw, "title", item_path),
                published=published,
                publisher=self.text(raw, "publisher", item_path),
                url=self.text(raw, "url", item_path),
                extra=extra or None,
            )
        return sources

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
        self.problems += cross_checks(((e.order, e) for e in events), first_path, sources)
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
        status = None  # not stated: never guessed
        raw_status = raw.get("status")
        if raw_status is not None:
            try:
                status = Status(raw_status)
            except ValueError:
                shown = clean_text(str(raw_status))[:40]
                choices = ", ".join(s.value for s in Status)
                near = (
                    _near(shown, tuple(s.value for s in Status))
                    if isinstance(raw_status, str)
                    else None
                )
                hint = f'; did you mean "{near}"?' if near else ""
                self.error(f"{path}.status", f'`status` "{shown}" is not one of {choices}{hint}')
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
            extra=self.unknown_keys(raw, path, EVENT_KEYS) or None,
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
        self.unknown_keys(value, path, PLACE_KEYS)
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
        return Place(sys.intern(name or ""), coords[0], coords[1])

    def source_refs(self, value: Any, path: str) -> tuple[SourceRef, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"`sources`: expected a list, found {_type_name(value)}")
            return ()
        refs = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if isinstance(item, str):
                item = {"ref": item}
            if not isinstance(item, dict):
                self.error(item_path, f"a source: expected an object, found {_type_name(item)}")
                continue
            self.unknown_keys(item, item_path, SOURCE_REF_KEYS)
            ref = self.text(item, "ref", item_path)
            refs.append(
                SourceRef(
                    ref=ref,
                    quote=self.text(item, "quote", item_path),
                    title=self.text(item, "title", item_path),
                    url=self.text(item, "url", item_path),
                )
            )
        return tuple(refs)

    def relations(self, value: Any, path: str) -> tuple[Relation, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.error(path, f"`related`: expected a list, found {_type_name(value)}")
            return ()
        relations = []
        for i, item in enumerate(value):
            item_path = f"{path}[{i}]"
            if not isinstance(item, dict):
                self.error(
                    item_path,
                    f"a relation: expected an object with `id` and `rel`, found {_type_name(item)}",
                )
                continue
            self.unknown_keys(item, item_path, RELATION_KEYS)
            target = self.text(item, "id", item_path, required=True)
            rel = tidy.rel(self.text(item, "rel", item_path))
            if target is not None:
                relations.append(Relation(target, rel))
        return tuple(relations)
