"""Where a problem is in the file: a JSON path turned into a line and column, or, for
another tool's file, the CSV row and column or the VEVENT it came from."""

from __future__ import annotations

import operator
import re
from array import array
from collections.abc import Callable, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, Final, TypeVar

import msgspec

from .problems import Problem, Severity, Warnings, file_order
from .reading import byte_positions, first_byte
from .sequences import Chained
from .validation import WARNED_FIELDS, CrossChecks

if TYPE_CHECKING:
    from ..formats import Origin
    from ..formats.sql_read import SqlRead
    from .jsonpos import PathKey, Split
    from .reading import Buffer

T = TypeVar("T")

_EVENT_PATH: Final = re.compile(r"^\$\.events\[(\d+)\](?:\.([A-Za-z_]+))?")


def relocate(
    data: bytes, imported: Any, problems: Sequence[Problem], every: bool = False
) -> list[Problem]:
    """Problems found in an imported document, placed where they are in the source:
    a CSV row and column, a VEVENT's line, or a TimelineJS slide's JSON path. In the
    order of the source; a dataset's (several files: each row's origin names its file,
    and rows are counted again in each) in the order of its files."""
    placed: list[tuple[int, Problem]] = []  # with the index of the event, -1 for the file
    json_paths: list[Problem] = []
    for problem in problems:
        match = _EVENT_PATH.match(problem.path)
        origin = None
        if match and int(match.group(1)) < len(imported.origins):
            origin = imported.origins[int(match.group(1))]
        if origin is None:  # about the file as a whole
            if imported.format == "timelinejs":
                json_paths.append(msgspec.structs.replace(problem, offset=0))
            else:
                whole = msgspec.structs.replace(problem, path="$", line=1, column=1, offset=0)
                placed.append((-1, whole))
            continue
        assert match is not None
        if origin.path is not None:
            json_paths.append(_at_path(imported, problem, origin, match.group(2)))
            continue
        placed.append((int(match.group(1)), _at_row(imported, problem, origin, match.group(2))))
    located = list(locate(data, json_paths, every)) if json_paths else []
    if any(p.file is not None for _, p in placed):
        placed.sort(key=lambda found: (found[0], found[1].column or 0))
        return located + [
            p if at >= 0 else msgspec.structs.replace(p, line=None, column=None)  # no file's
            for at, p in placed
        ]
    return sorted([p for _, p in placed] + located, key=file_order)


def _at_path(imported: Any, problem: Problem, origin: Origin, field: str | None) -> Problem:
    """A problem of an event imported from JSON (TimelineJS) at its path in the file."""
    path = origin.paths.get(field or "", origin.path or ())
    said = _PATH_IN_MESSAGE.sub(lambda m: _where(imported, int(m[1])), problem.message)
    return msgspec.structs.replace(problem, path=_path_text(path), message=said, offset=0)


def _at_row(imported: Any, problem: Problem, origin: Origin, field: str | None) -> Problem:
    """A problem of an event imported from a row at its line and column."""
    column, name = origin.columns.get(field or "", (1, ""))
    said = _PATH_IN_MESSAGE.sub(lambda m: _where(imported, int(m[1])), problem.message)
    return msgspec.structs.replace(
        problem,
        path="$",
        message=said + (f" (column {name})" if name else ""),
        line=origin.line,
        column=column,
        offset=0,
        file=origin.file or problem.file,
    )


class PlacedWarnings(Warnings):
    """The cross-checks' warnings of events imported from rows (a CSV, Parquet or a
    dataset of it, read by DuckDB), each placed at its row and column when asked, in
    the order `relocate` gives: by event (the order of the rows), then column. A file
    whose every row cites a source it does not name has a million; placing them all at
    once took 12 s of a million-row first open."""

    def __init__(self, imported: SqlRead, warnings: CrossChecks) -> None:
        self._imported = imported
        self._warnings = warnings
        self._origins = imported.origins
        columns = self._origins.columns  # the same for every row
        at = {field: min(columns.get(field, (1, ""))[0], _COLUMNS) for field in WARNED_FIELDS}
        keys = array("q", (event * _COLUMNS + at[field] for event, field in warnings.everywhere()))
        ordered = all(map(operator.le, keys, islice(keys, 1, None)))
        self._order = None if ordered else sorted(range(len(keys)), key=keys.__getitem__)

    def __len__(self) -> int:
        return len(self._warnings)

    def item(self, index: int) -> Problem:
        at = index if self._order is None else self._order[index]
        event, field = self._warnings.where(at)
        return _at_row(self._imported, self._warnings[at], self._origins[event], field)


_COLUMNS: Final = 1 << 20
"""Columns a row is ordered by (a sort key is event and column as one number)."""


_PATH_IN_MESSAGE: Final = re.compile(r"\$\.events\[(\d+)\]")
"""Another event named in a problem's message (`duplicate id, first used at …`)."""


def _where(imported: Any, index: int) -> str:
    """Where the event at `index` of an imported document is in its own file."""
    origin = imported.origins[index] if index < len(imported.origins) else None
    if origin is None:
        return f"$.events[{index}]"
    if origin.path is not None:
        return _path_text(origin.path)
    where = f"{'row' if imported.format == 'parquet' else 'line'} {origin.line}"
    return where if origin.file is None else f"{where} of {origin.file}"


def _path_text(path: tuple[str | int, ...]) -> str:
    return "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)


LOCATED_UP_TO: Final = 10_000
"""Past this many problems in one file, the rest are told by their JSON path alone (as
exact, and free): placing each costs tens of microseconds, and a file with a warning
per event has a million of them, which nobody reads one by one. `validate` places all."""


def locate(
    data: Buffer, problems: Sequence[Problem], every: bool = False, split: Split | None = None
) -> Sequence[Problem]:
    """The problems with their line and column, in file order: up to LOCATED_UP_TO of
    them, errors first (`every`: all, as a list). `data` may be a mapped file (read, not
    copied); `split`, its top level as the fast path split it. Warnings made when asked
    (problems.Warnings) are made here only as far as they are placed."""
    from .jsonpos import Bail  # only files with problems need positions

    ranked: Sequence[Problem] = []
    if every:
        problems = list(problems)
    elif len(problems) > LOCATED_UP_TO:
        ranked = (
            problems
            if isinstance(problems, Warnings)
            else sorted(problems, key=lambda p: p.severity != Severity.ERROR)
        )
        problems = ranked[:LOCATED_UP_TO]
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    keys = {p.path: _path_key(p.path) for p in problems}
    if first_byte(data) == b"[":  # a bare array: `$.events[3]` is `$[3]` in the text
        keys = {path: key[1:] if key[:1] == ("events",) else key for path, key in keys.items()}
    try:
        places = _found_by_decoder(data, set(keys.values()), split)
    except Bail:
        places = _found_by_walker(data, set(keys.values()))
    located = [problem.located(*places[keys[problem.path]]) for problem in problems]
    located.sort(key=file_order)
    return Chained(located, ranked, LOCATED_UP_TO) if ranked else located


# A path that is not in the text (`.ref` of a citation written as a plain string) is
# shown at the nearest value that is (`_nearest`); a path nothing of which is in the
# text (the whole document), where the document starts.


def _found_by_decoder(
    data: Buffer, keys: set[PathKey], split: Split | None = None
) -> dict[PathKey, tuple[int, int]]:
    from .jsonpos import RawFinder

    finder = RawFinder(data, split)
    offsets = {key: _nearest(key, finder.offset, finder.root[0]) for key in keys}
    places = byte_positions(data, offsets.values())
    return {key: places[offset] for key, offset in offsets.items()}


def _found_by_walker(data: Buffer, keys: set[PathKey]) -> dict[PathKey, tuple[int, int]]:
    from .jsonpos import line_column, locate

    text = bytes(data).decode("utf-8", "replace")
    wanted = {key[:length] for key in keys for length in range(1, len(key) + 1)}
    positions = locate(text, wanted)
    start = line_column(text, len(text) - len(text.lstrip()))
    return {key: _nearest(key, positions.get, start) for key in keys}


def _nearest(key: PathKey, place: Callable[[PathKey], T | None], otherwise: T) -> T:
    """The place of `key`, else of its nearest ancestor that has one, else `otherwise`."""
    found = (place(key[:length]) for length in range(len(key), 0, -1))
    return next((at for at in found if at is not None), otherwise)


_PATH_PART: Final = re.compile(r"\[(\d+)\]|\.([^.\[]+)|\[(\"(?:[^\"\\]|\\.)*\")\]")


def _path_key(path: str) -> PathKey:
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
