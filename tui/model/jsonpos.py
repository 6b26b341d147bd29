"""Line and column of values in JSON text, found by their paths.

The fast decoder gives no positions, so when a file has problems we scan its
text once more, only then, to say where each one is. The scan is iterative:
a file nested 100,000 deep must not exhaust the stack.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Final

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
