"""Loading an event file into a Timeline: every problem found, each with where it is.

The steps are in their own modules: reading.py gets the bytes and decodes them
(msgspec, into plain Python objects, with the garbage collector paused: on big files
collection otherwise dominates); another tool's format is read by its module in
formats/; validation.py walks the objects and collects every problem rather than
stopping at the first; only if there are problems does locating.py scan the text
again to give each a line and column. A clean file skips all that: one typed msgspec
pass straight into the model (fast_path.py), for our own JSON and for another tool's
file once its reader has made our document of it; a large ACLED export and any Parquet
file are made our events by DuckDB in SQL (formats/sql_read.py) before that pass.
"""

from __future__ import annotations

import mmap
import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Final

import msgspec

from ..formats import FormatError, Imported, detect, formats, looks_like_timelinejs
from .datasets import SUFFIX, dataset_files, dataset_root, is_glob
from .dates import forget_parsed
from .events import Timeline
from .fast_path import (
    IN_PARTS_AT_LEAST,
    PREVIEW_BYTES,
    Preview,
    checked_json,
    checked_sql,
    first_events,
    first_sql_events,
    own_keys,
)
from .locating import PlacedWarnings, locate, relocate
from .problems import LoadError, Problem, Severity, Warnings, file_order
from .reading import (
    MAP_AT_LEAST,
    STDIN,
    Buffer,
    Progress,
    StartTold,
    checked_utf8,
    decode,
    decode_text,
    display_name,
    file_size,
    gc_paused,
    read_bytes,
    standard_input,
)
from .validation import (
    REPEATS_CHECKED_UP_TO,
    TOP_KEYS,
    Builder,
    CrossChecks,
    repeated_keys,
)

if TYPE_CHECKING:
    from ..formats.sql_read import SqlRead
    from .cache import Fingerprint, SnapshotPlace


SNAPSHOT_AT_LEAST: Final = 16 * 1024 * 1024
"""Smaller files load in well under a second: no snapshot."""


class Loaded(msgspec.Struct):
    timeline: Timeline
    warnings: Sequence[Problem]
    skipped: int = 0
    """Events left out because they had errors (with skip_bad)."""
    snapshot_due: Fingerprint | None = None
    """Set when the file is big enough for a snapshot and none was current: what the
    file was before it was read, for cache.write."""
    cache_place: SnapshotPlace | None = None
    """Set when the file is large enough for a snapshot (read from one or not): where it
    is kept, and the file as it was read. The app saves the word index beside it."""


class LoadOptions(msgspec.Struct, frozen=True):
    format: str | None = None
    """One of `formats()`'s names, or None to tell from the file."""
    skip_bad: bool = False
    """Load the events that can be read, reporting the others as skipped."""
    thorough: bool = False
    """Every check whatever the file's size (`validate`): keys given twice in one
    object are otherwise looked for only in files up to REPEATS_CHECKED_UP_TO."""
    placed: bool = True
    """The warnings placed at their line and column (up to LOCATED_UP_TO). False where
    they are only counted (`print`, `stats`, `diff`, `dupes`): a file our fast path
    reads keeps them at their JSON paths, and skips a pass over its text (0.3 s for the
    65 warnings of a million events, 0.4 s for 10,000 of two million); so does a file
    DuckDB reads, at the paths of the events it made (placing the million warnings of
    a million rows at their rows took 15 s)."""


def load_path(
    path: str,
    progress: Progress | None = None,
    options: LoadOptions | None = None,
    *,
    mapped: bool = True,
    snapshot: bool = False,
    preview: Preview | None = None,
) -> Loaded:
    """`mapped`: try the fast path on the file mapped into memory rather than read
    into a copy (a second faster on a large file). Not for a reload: a file that a
    writer truncates while it is mapped would crash the process. `snapshot`: on a
    large file, use the on-disk snapshot if one is current (see cache.py). `preview`:
    told a large file's first events while the rest is read (fast_path.Preview)."""
    try:
        return _load(path, progress, options or LoadOptions(), mapped, snapshot, preview)
    finally:
        forget_parsed()


def _load(
    path: str,
    progress: Progress | None,
    options: LoadOptions,
    mapped: bool,
    snapshot: bool,
    preview: Preview | None,
) -> Loaded:
    due = None
    place = None
    files = None if path == STDIN else dataset_files(path)  # looked for once
    if snapshot and path != STDIN and source_size(path, files) >= SNAPSHOT_AT_LEAST:
        from . import cache

        due = cache.fingerprint_of(path, f"{options.format}:{options.skip_bad}", files)
        if due is not None:
            place = cache.SnapshotPlace(str(cache.snapshot_path(path, due.options)), due)
        found = None if due is None else cache.read(path, due)
        if found is not None:
            return Loaded(*found, cache_place=place)
    if files is not None:
        loaded = _load_dataset(path, files, progress, options, preview)
    else:
        loaded = _load_path(path, progress, options, mapped, preview)
    loaded.snapshot_due = due
    loaded.cache_place = place
    return loaded


def source_size(path: str, files: list[str] | None = None) -> int:
    """A file's size, or the sum of a dataset's (its `files`, if already found); -1 if it
    can't be read."""
    files = files if files is not None else dataset_files(path)
    if files is None:
        return file_size(path)
    return sum(max(file_size(file), 0) for file in files)


def _load_path(
    path: str,
    progress: Progress | None,
    options: LoadOptions,
    mapped: bool,
    preview: Preview | None = None,
) -> Loaded:
    if path != STDIN:
        return _load_file(path, display_name(path), progress, options, mapped, preview)
    start = None
    if preview is not None and options.format in (None, "json", "timeline"):

        def told(head: bytes) -> None:
            nonlocal preview
            ours = options.format is not None or detect(head) == "timeline"
            if ours and not options.skip_bad and preview and _first_events_told(head, preview):
                preview = None  # not again from the copy

        start = StartTold(told, PREVIEW_BYTES, IN_PARTS_AT_LEAST)
    with standard_input(start) as given:
        if isinstance(given, str):  # a scratch copy of a large input
            name = display_name(STDIN)
            return _load_file(given, name, progress, options, mapped=True, preview=preview)
        return load_bytes(given, display_name(STDIN), progress, options)


def _first_events_told(data: Buffer, preview: Preview) -> bool:
    """Whether a large JSON file's first events were told to `preview`
    (fast_path.first_events)."""
    first = None if data[:3] == b"\xef\xbb\xbf" else first_events(data)
    if first is not None:
        preview(first, True)
    return first is not None


def _load_file(
    path: str,
    name: str,
    progress: Progress | None,
    options: LoadOptions,
    mapped: bool,
    preview: Preview | None = None,
) -> Loaded:
    tried = False
    if mapped and options.format in (None, "json", "timeline"):
        fast = _fast_load_mapped(path, name, progress, options, preview)
        if isinstance(fast, Loaded):
            return fast
        tried = fast
    sql_format = _for_sql(path, options)
    if sql_format is not None:
        if progress is not None:
            progress("reading with DuckDB")
        loaded = _sql_load(path, sql_format, options, preview=preview)
        if loaded is not None:
            return loaded
    data = read_bytes(path, progress)
    # DuckDB, or the fast path, has had its try at a file it was fit for (and said no):
    # not a second one.
    return load_bytes(data, name, progress, options, sql=sql_format is None, try_fast=not tried)


def _for_sql(path: str, options: LoadOptions) -> str | None:
    """The format, if DuckDB should read the file: a CSV (an ACLED export, or our
    columns) of SQL_AT_LEAST bytes or more, or any Parquet file (which DuckDB reads
    either way)."""
    if path == STDIN or options.skip_bad or options.format not in (None, *SQL_CSV, "parquet"):
        return None
    try:
        with open(path, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        return None
    found = options.format or detect(head)
    if found == "parquet" or (found in SQL_CSV and file_size(path) >= SQL_AT_LEAST):
        return found
    return None


def _fast_load_mapped(
    path: str,
    name: str,
    progress: Progress | None,
    options: LoadOptions,
    preview: Preview | None = None,
) -> Loaded | bool:
    """The file decoded by the fast path, mapped; else whether the fast path said no (a
    TimelineJS file, an error), so that it is not asked again."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size < MAP_AT_LEAST:
                return False
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                if options.skip_bad or (options.format is None and detect(data) != "timeline"):
                    return False
                if data[:3] == b"\xef\xbb\xbf":
                    return False  # read whole, which drops the mark for the fast path
                if progress is not None:
                    progress("decoding")
                loaded = _fast_load(data, name, options.thorough, options.placed, progress, preview)
                return True if loaded is None else loaded
    except (OSError, ValueError):
        return False  # read_bytes says why, if it can't read the file either


def load_bytes(
    data: bytes,
    source: str,
    progress: Progress | None = None,
    options: LoadOptions | None = None,
    *,
    sql: bool = True,
    try_fast: bool = True,
) -> Loaded:
    """Decode and check an event file (ours, or another tool's); raises LoadError
    if any problem is an error, unless `skip_bad` lets the readable events through.
    `sql`: let DuckDB read a Parquet file, or a CSV (ACLED's or ours) of SQL_AT_LEAST bytes or
    more (from a scratch file: standard input, bytes in hand). `try_fast`: try the fast path
    on a file of ours (False: it has said no to these bytes already)."""
    options = options or LoadOptions()
    if progress is not None:
        progress("decoding")
    imported = None
    name = options.format or detect(data)
    if try_fast and name == "timeline" and not options.skip_bad:
        loaded = _fast_load(data, source, options.thorough, options.placed)
        if loaded is not None:
            return loaded
    # Our own format needs no registry (it is read here); another is read by its module.
    fmt = None if name == "timeline" else formats()[name]
    if fmt is None or fmt.json:
        document = decode(data, source)
        if fmt is None and options.format is None and looks_like_timelinejs(document):
            fmt = formats()["timelinejs"]  # told apart only once decoded
        if fmt is not None:
            imported = _imported(fmt.read, document, source)
    elif fmt.binary:
        if sql and name == "parquet" and not options.skip_bad:
            loaded = _sql_load_bytes(data, name, options)
            if loaded is not None:
                return loaded
        imported = _imported(fmt.read, bytes(data), source)
    else:
        if sql and name in SQL_CSV and not options.skip_bad and len(data) >= SQL_AT_LEAST:
            loaded = _sql_load_bytes(data, name, options)
            if loaded is not None:
                return loaded
        content = checked_utf8(data, source) if fmt.utf8 else decode_text(data, source)
        imported = _imported(fmt.read, content, source)
    if imported is not None:
        document = imported.document
    return _checked(data, document, imported, fmt is None or fmt.json, source, progress, options)


def _checked(
    data: bytes,
    document: Any,
    imported: Imported | None,
    json: bool,
    source: str,
    progress: Progress | None,
    options: LoadOptions,
) -> Loaded:
    """The timeline of a decoded file (`imported`, another tool's: our document of it)
    with every problem, placed in `data` (its bytes; `json`: JSON text)."""
    if progress is not None:
        count = len(document.get("events", []) if isinstance(document, dict) else document)
        progress(f"checking {count:,} events")
    fast = (
        None if imported is None or options.skip_bad else _fast_imported(imported, options.thorough)
    )
    if fast is not None:
        timeline, problems = fast[0], list(fast[1])  # placed by their rows: all made
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
        problems = list(locate(data, problems, every=options.thorough))
    if imported is not None and imported.problems:
        problems = sorted(imported.problems + problems, key=file_order)
    if json and (options.thorough or len(data) <= REPEATS_CHECKED_UP_TO):
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


def _fast_load(
    data: Buffer,
    source: str,
    thorough: bool = False,
    placed: bool = True,
    progress: Progress | None = None,
    preview: Preview | None = None,
) -> Loaded | None:
    """A clean file in our format, decoded straight into the model (`checked_json`),
    its problems (warnings alone) placed in the text unless not `placed`. A large mapped
    file is split once, for both; its first events are told to `preview` before."""
    split = None
    if isinstance(data, mmap.mmap) and len(data) >= IN_PARTS_AT_LEAST:
        from .jsonpos import split_file

        if preview is not None:
            _first_events_told(data, preview)
        try:
            split = split_file(data)
        except (msgspec.DecodeError, RecursionError):
            return None
    try:
        checked = checked_json(data, thorough, split=split, progress=progress)
        if checked is None:
            return None
        timeline, problems = checked
        located = problems
        if problems and (placed or thorough):
            located = locate(data, problems, every=thorough, split=split)
    finally:
        del split  # its parts point into the mapped file, which is closed after this
    return Loaded(timeline, located)


def _fast_imported(imported: Imported, thorough: bool) -> tuple[Timeline, Sequence[Problem]] | None:
    """Another tool's file, once its reader has made our document of it: written as
    JSON and read by the fast path rather than walked by the builder (a tenth of the
    time). Its problems keep their JSON paths, for `relocate` to place by the origins."""
    if any(p.severity == Severity.ERROR for p in imported.problems):
        return None  # the full path reports them with everything else
    document = imported.document
    extra = own_keys(document)
    if extra is None:
        return None
    try:
        encoded = msgspec.json.encode({k: v for k, v in document.items() if k in TOP_KEYS})
    except (TypeError, ValueError, OverflowError):
        return None  # a value JSON does not have: the builder says what it is
    checked = checked_json(encoded, thorough, repeats_possible=False)
    if checked is not None:
        checked[0].extra = extra  # the file's own unknown keys, kept as found
    return checked


SQL_AT_LEAST: Final = 4 * 1024 * 1024
"""A CSV this big is read by DuckDB (acled_sql.py, table_sql.py); a smaller one row by
row. Where they meet for ACLED (2 cores): at 4 MB (12,000 rows) 0.28 s by DuckDB plus
0.21 s to import and connect it, 0.42 s row by row; at 8 MB 0.55 + 0.21 s against
1.1 s; at 1 MB the row-by-row reader is faster even before DuckDB is imported."""
SQL_CSV: Final = ("acled", "csv")
"""The CSV formats DuckDB reads from SQL_AT_LEAST bytes (and Parquet from any size)."""


def _load_dataset(
    path: str,
    files: list[str],
    progress: Progress | None,
    options: LoadOptions,
    preview: Preview | None = None,
) -> Loaded:
    """A folder of Parquet files, or a glob (datasets.py), as one timeline: read by DuckDB
    in SQL; by the Python reader where SQL says no (a problem to say, `--skip-bad`)."""
    source = display_name(path)
    said = None
    if not files:
        said = (
            f"no {SUFFIX} file matches it"
            if is_glob(path)
            else "cannot read: is a directory with no Parquet file under it (a folder is"
            f" read as a Parquet dataset: its {SUFFIX} files, and its files with no suffix"
            " that are Parquet)"
        )
    elif options.format not in (None, "parquet"):
        said = f"a folder or a glob is read as Parquet files, not as {options.format}"
    if said is not None:
        raise LoadError(source, [Problem(Severity.ERROR, said)])
    from ..formats.parquet import read_parquet_files

    root = dataset_root(path)
    if not options.skip_bad:
        if progress is not None:
            progress(f"reading {len(files):,} Parquet files with DuckDB")
        loaded = _sql_load(path, "parquet", options, (files, root), preview)
        if loaded is not None:
            return loaded
    imported = _imported(lambda _: read_parquet_files(files, root), None, source)
    return _checked(b"", imported.document, imported, False, source, progress, options)


def _sql_load(
    path: str,
    format: str,
    options: LoadOptions,
    dataset: tuple[list[str], str] | None = None,
    preview: Preview | None = None,
) -> Loaded | None:
    """A file, or a dataset's files and root, read by DuckDB (formats/sql_read.py); None
    where the Python reader should take it (DuckDB refuses the file, or it has problems
    only the builder says). `preview`: told its first rows' events before the rest is
    read (fast_path.first_sql_events)."""
    from ..formats.acled_sql import read_acled_sql
    from ..formats.parquet_sql import read_parquet_sql
    from ..formats.table_sql import read_table_sql

    first = None
    if preview is not None:

        def first(read: SqlRead, lines: bytes) -> None:
            rows = first_sql_events(lines, read)
            if rows is not None:
                preview(*rows)

    read: SqlRead | None
    if format == "parquet":
        files, root = dataset if dataset else ([path], None)
        read = read_parquet_sql(files, root, first)
    else:
        read = {"acled": read_acled_sql, "csv": read_table_sql}[format](path, first)
    if read is None:
        return None
    with read:
        checked = checked_sql(read, options.thorough)
    if checked is None:
        return None
    timeline, problems = checked
    errors = not isinstance(problems, Warnings) and any(
        p.severity == Severity.ERROR for p in problems
    )  # (a Warnings makes each when asked: not a million to find none)
    if not timeline.events or errors:
        return None  # the Python reader says what is wrong
    if not options.placed:  # only counted: a million warnings placed took 15 s
        return Loaded(timeline, problems)
    if isinstance(problems, CrossChecks):  # each placed when asked (origins read now)
        return Loaded(timeline, PlacedWarnings(read, problems))
    return Loaded(timeline, relocate(b"", read, problems, every=options.thorough))


def _sql_load_bytes(data: bytes, format: str, options: LoadOptions) -> Loaded | None:
    """`_sql_load` for bytes (standard input): DuckDB reads files, so a scratch one."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="timeline-stdin-") as scratch:
        path = os.path.join(scratch, f"stdin.{format}")
        with open(path, "wb") as handle:
            handle.write(data)
        return _sql_load(path, format, options)


def _imported(read: Callable[[Any], Imported] | None, content: Any, source: str) -> Imported:
    """Another tool's file, read by its format's reader."""
    assert read is not None
    try:
        with gc_paused():  # a reader makes a dict or more per event
            return read(content)
    except FormatError as exc:
        # Expected failures only: any other exception is a bug in the reader, and
        # surfaces as one (the console script's guard; TIMELINE_DEBUG=1 shows where).
        problem = Problem(Severity.ERROR, exc.message, line=exc.line, column=exc.column)
        raise LoadError(source, [problem]) from None
