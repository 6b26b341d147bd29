"""Line and column of values in JSON text, found by their paths.

The fast decoder gives no positions, so when a file has problems we find where each
one is, only then. Two ways: RawFinder steps down each path with msgspec (containers
split into their raw items, places from their lengths: C work), and `locate` walks the
text token by token in Python (what RawFinder falls back to, and how keys given twice
are found). The walk is iterative: a file nested 100,000 deep must not exhaust the
stack.
"""

from __future__ import annotations

import json
import re
from array import array
from collections.abc import Iterable
from itertools import accumulate
from typing import Final, NamedTuple

import msgspec

from .reading import Buffer, let_go

PathKey = tuple[str | int, ...]

KEY: Final = "\x00key"
"""Last element of a path that asks where an object's key is, not its value."""

# The "unrolled loop" form: runs of plain characters at C speed, no backtracking.
_STRING: Final = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SCALAR: Final = re.compile(r"[^\s,\]}]+")
_SPACE: Final = re.compile(r"\s*")


def line_column(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset."""
    line = text.count("\n", 0, offset) + 1
    start = text.rfind("\n", 0, offset) + 1
    return line, offset - start + 1


def line_columns(text: str, offsets: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Line and column of many offsets in one pass over the text. Where its line starts
    is kept from one offset to the next: looked for back from each offset, it was a
    search of the whole text per offset in a file written on one line (minified JSON;
    100,000 warnings took over 20 minutes to place)."""
    result: dict[int, tuple[int, int]] = {}
    line, done, line_start = 1, 0, 0
    for offset in sorted(set(offsets)):
        newlines = text.count("\n", done, offset)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", done, offset) + 1
        done = offset
        result[offset] = (line, offset - line_start + 1)
    return result


def _skip_space(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


class _Frame:
    __slots__ = ("index", "is_object", "keys")

    def __init__(self, is_object: bool) -> None:
        self.is_object = is_object
        self.index = 0
        self.keys: set[str] = set()


def locate(
    text: str, paths: Iterable[PathKey], repeated: list[tuple[PathKey, int]] | None = None
) -> dict[PathKey, tuple[int, int]]:
    """Where each path's value starts; a path ending in KEY gives where that key starts.
    With `repeated`, the whole text is read and each key that an object has already
    had is added to it: its path (ending in KEY) and its offset."""
    wanted = set(paths)
    found: dict[PathKey, int] = {}
    stack: list[_Frame] = []
    path: list[str | int] = []

    def read_key(pos: int) -> int:
        match = _STRING.match(text, pos)
        if match is None:
            return pos + 1
        try:
            key = json.loads(match.group())
        except ValueError:
            key = match.group()[1:-1]
        path.append(key)
        if repeated is not None:
            keys = stack[-1].keys
            if key in keys:
                repeated.append(((*path, KEY), pos))
            keys.add(key)
        if (*path, KEY) in wanted:
            found.setdefault((*path, KEY), pos)
        pos = _skip_space(text, match.end())
        if pos < len(text) and text[pos] == ":":
            pos = _skip_space(text, pos + 1)
        return pos

    pos = _skip_space(text, 0)
    expect_value = True
    n = len(text)
    while pos < n and (repeated is not None or len(found) < len(wanted)):
        if expect_value:
            here = tuple(path)
            if here in wanted:
                found.setdefault(here, pos)
                if len(found) == len(wanted) and repeated is None:
                    break
            char = text[pos]
            if char in "{[":
                frame = _Frame(char == "{")
                stack.append(frame)
                pos = _skip_space(text, pos + 1)
                if pos < n and text[pos] in "}]":
                    stack.pop()
                    pos += 1
                    expect_value = False
                elif frame.is_object:
                    pos = read_key(pos)
                else:
                    path.append(0)
                continue
            match = (_STRING if char == '"' else _SCALAR).match(text, pos)
            pos = match.end() if match else pos + 1
            expect_value = False
            continue
        pos = _skip_space(text, pos)
        if pos >= n or not stack:
            break
        char = text[pos]
        frame = stack[-1]
        if char == ",":
            pos = _skip_space(text, pos + 1)
            path.pop()
            if frame.is_object:
                pos = read_key(pos)
            else:
                frame.index += 1
                path.append(frame.index)
            expect_value = True
        elif char in "}]":
            stack.pop()
            path.pop()
            pos += 1
        else:
            pos += 1
    positions = line_columns(text, found.values())
    return {key: positions[offset] for key, offset in found.items()}


class Bail(Exception):
    """The text is not as the decoder read it (a key given twice in one object): the
    walker (`locate`) says where things are instead."""


_BLANK: Final = re.compile(rb"[ \t\r\n]*")
_COMMA: Final = re.compile(rb"[ \t\r\n]*,[ \t\r\n]*")
_MEMBER: Final = re.compile(rb'("[^"\\]*(?:\\.[^"\\]*)*")[ \t\r\n]*:[ \t\r\n]*', re.DOTALL)
"""A key, its colon and the blanks around it: where its value starts is the match's end."""


def _after_blank(data: Buffer, at: int) -> int:
    match = _BLANK.match(data, at)
    return at if match is None else match.end()


_COMPARED: Final = 64


def _placed(view: memoryview, start: int, raw: msgspec.Raw) -> bool:
    """Whether the text at `start` is `raw`'s: its first and last bytes are compared (a
    value placed wrong is shifted, and differs there), so that a check costs the same
    for a list of a million events as for a date."""
    size = len(raw)
    text = memoryview(raw)
    if size <= 2 * _COMPARED:
        return view[start : start + size] == text
    end = start + size
    return (
        view[start : start + _COMPARED] == text[:_COMPARED]
        and view[end - _COMPARED : end] == text[size - _COMPARED :]
    )


class _Array:
    """A list's items and where each starts. The separators between items are the same
    length all along in any file a program wrote, so each start is first guessed from
    the lengths before it and the first separator's (a sum over a million items is C
    work); a guess that the text does not bear out is found again by reading each
    separator up to it."""

    def __init__(self, data: Buffer, start: int, items: list[msgspec.Raw]) -> None:
        self.data = data
        self.view = memoryview(data)
        self.items = items
        self.starts = [_after_blank(data, start + 1)]
        self.guessed: array[int] | None = None

    def item(self, index: int) -> tuple[int, msgspec.Raw] | None:
        items = self.items
        if index >= len(items):
            return None
        if index >= len(self.starts):
            guessed = self._guessed()
            if guessed is not None and _placed(self.view, guessed[index], items[index]):
                return guessed[index], items[index]
        starts = self.starts
        while len(starts) <= index:
            done = len(starts) - 1
            comma = _COMMA.match(self.data, starts[done] + len(items[done]))
            if comma is None:
                raise Bail
            starts.append(comma.end())
        return starts[index], items[index]

    def _guessed(self) -> array[int] | None:
        if self.guessed is None and len(self.items) > 1:
            first_end = self.starts[0] + len(self.items[0])
            comma = _COMMA.match(self.data, first_end)
            if comma is None:
                raise Bail
            step = comma.end() - first_end
            lengths = map(step.__add__, map(len, self.items))
            self.guessed = array("q", accumulate(lengths, initial=self.starts[0]))
        return self.guessed


class _Object:
    """An object's members (where each key starts, where its value starts, the value),
    found in the order they are written, as far as a path has asked."""

    def __init__(self, data: Buffer, start: int, values: dict[str, msgspec.Raw]) -> None:
        self.data = data
        self.values = values
        self.members: dict[str, tuple[int, int, msgspec.Raw]] = {}
        self.at = _after_blank(data, start + 1)

    def member(self, key: str) -> tuple[int, int, msgspec.Raw] | None:
        if key not in self.values:
            return None
        members = self.members
        while key not in members:
            written = _MEMBER.match(self.data, self.at)
            if written is None:
                raise Bail
            quoted = written.group(1)
            name = quoted[1:-1].decode() if b"\\" not in quoted else msgspec.json.decode(quoted)
            value = self.values.get(name)
            if value is None or name in members:
                raise Bail  # a key given twice: the decoder kept its last value
            members[name] = (written.start(), written.end(), value)
            comma = _COMMA.match(self.data, written.end() + len(value))
            self.at = written.end() + len(value) if comma is None else comma.end()
        return members[key]


class Split(NamedTuple):
    """A file's top level, split once into its undecoded parts: for a large mapped file,
    both the fast path's decode (in parts) and the places of its problems (RawFinder)
    read these, each of which would otherwise scan the whole file again."""

    start: int
    root: msgspec.Raw
    members: dict[str, msgspec.Raw] | None
    """The document's members; None for a bare array."""
    events: list[msgspec.Raw]


def split_file(data: Buffer) -> Split:
    """The file split (Split), the pages read for it let go. Raises msgspec.DecodeError
    if it is not JSON, msgspec.ValidationError if it is neither an array nor an object
    whose `events` is one."""
    start = _after_blank(data, 0)
    members = None
    if data[start : start + 1] == b"[":
        events = msgspec.json.decode(data, type=list[msgspec.Raw])
    else:
        members = msgspec.json.decode(data, type=dict[str, msgspec.Raw])
        if "events" not in members:
            raise msgspec.ValidationError("Object missing required field `events`")
        events = msgspec.json.decode(members["events"], type=list[msgspec.Raw])
    let_go(data)
    # The root's text runs to the end (blanks after it too): RawFinder reads only its
    # start, as its containers are the split's own.
    return Split(start, msgspec.Raw(memoryview(data)[start:]), members, events)


class RawFinder:
    """Where values are in a JSON file, found by stepping down their paths with msgspec.

    Each container on the way is decoded into its items as `msgspec.Raw` (their text,
    undecoded), and an item's place is its predecessors' lengths and the separators
    between them: a path costs the containers it passes through, in C, not a walk of
    the text before it in Python (which took seconds per 100,000 events in front of a
    problem). Containers are remembered, so the events of a big file are split once
    however many of them have problems. Each value a path steps onto is compared with
    the text where it was placed: a place found wrong (a key given twice) raises Bail."""

    def __init__(self, data: Buffer, split: Split | None = None) -> None:
        self.data = data
        self.view = memoryview(data)
        self._containers: dict[tuple[int, bool], _Array | _Object | None] = {}
        if split is not None:
            start, root = split.start, split.root
        else:
            start = _after_blank(data, 0)
            try:
                root = msgspec.json.decode(data, type=msgspec.Raw)
            except (msgspec.DecodeError, RecursionError):
                raise Bail from None
        self._check(start, root)
        self.root = (start, root)
        if split is not None:
            self._seed(split)

    def _seed(self, split: Split) -> None:
        """The containers the split has decoded already: the document, and its events."""
        at = split.start
        if split.members is not None:
            document = _Object(self.data, at, split.members)
            self._containers[at, False] = document
            member = document.member("events")
            if member is None:
                raise Bail
            at = member[1]
        self._containers[at, True] = _Array(self.data, at, split.events)

    def offset(self, path: PathKey) -> int | None:
        """The byte offset where the value at `path` starts (for a path ending in KEY,
        where its key starts); None if the file has no such value."""
        start, raw = self.root
        for depth, step in enumerate(path):
            if step == KEY:
                return None  # KEY follows a key: handled there
            container = self._container(start, raw, isinstance(step, int))
            if isinstance(container, _Array) and isinstance(step, int):
                found = container.item(step)
            elif isinstance(container, _Object) and isinstance(step, str):
                member = container.member(step)
                if member is not None and path[depth + 1 : depth + 2] == (KEY,):
                    return member[0] if depth + 2 == len(path) else None
                found = None if member is None else member[1:]
            else:
                found = None
            if found is None:
                return None
            start, raw = found
            self._check(start, raw)
        return start

    def _container(self, start: int, raw: msgspec.Raw, array: bool) -> _Array | _Object | None:
        if (start, array) in self._containers:
            return self._containers[start, array]
        container: _Array | _Object | None
        try:
            if array:
                items = msgspec.json.decode(raw, type=list[msgspec.Raw])
                container = _Array(self.data, start, items)
            else:
                values = msgspec.json.decode(raw, type=dict[str, msgspec.Raw])
                container = _Object(self.data, start, values)
        except msgspec.ValidationError:
            container = None  # not a list (an object) here: the path is not in the file
        self._containers[start, array] = container
        return container

    def _check(self, start: int, raw: msgspec.Raw) -> None:
        if not _placed(self.view, start, raw):
            raise Bail
