"""Where a problem is in the file: a JSON path turned into a line and column, or, for
another tool's file, the CSV row and column or the VEVENT it came from."""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from .problems import Problem
from .reading import first_byte

_EVENT_PATH: Final = re.compile(r"^\$\.events\[(\d+)\](?:\.([A-Za-z_]+))?")


def relocate(data: bytes, imported: Any, problems: list[Problem]) -> list[Problem]:
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
        result += locate(data, json_paths)
    return sorted(result, key=lambda p: (p.line or 0, p.column or 0))


def locate(data: bytes, problems: list[Problem]) -> list[Problem]:
    from .jsonpos import line_column, locate  # only files with problems need positions

    text = data.decode("utf-8-sig", "replace")
    keys = {p.path: _path_key(p.path) for p in problems}
    if first_byte(data) == b"[":  # a bare array: `$.events[3]` is `$[3]` in the text
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
