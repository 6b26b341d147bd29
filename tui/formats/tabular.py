"""What every CSV reader shares: records with their lines, the header, rows by column,
list cells, coordinates."""

from __future__ import annotations

import csv
import io
import json
import math
import re
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TextIO, overload

from .base import FormatError, Origin, delimiter

Row = dict[str, str]
LIST_SEPARATORS: Final = (";", "|")

# A cell may hold a whole article: the csv module's own limit (128 KB a field) refused
# such a file as "not readable". The largest a C long holds everywhere.
csv.field_size_limit(2**31 - 1)


def records(source: str | TextIO) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on; what the csv module can't read is a
    FormatError at its line. `source`: the text, or a file opened with `newline=""`,
    read as the records are (a large file SQL read is placed so: RowOrigins)."""
    stream: TextIO
    if isinstance(source, str):
        first_line, stream = source.split("\n", 1)[0], io.StringIO(source, newline="")
    else:
        first_line, stream = source.readline(), source
        source.seek(0)
    reader = csv.reader(stream, delimiter=delimiter(first_line))
    line = 1
    try:
        for values in reader:
            yield line, values
            line = reader.line_num + 1
    except csv.Error as exc:
        raise FormatError(f"not readable as CSV: {exc}", max(reader.line_num, 1)) from None


def header(text: str) -> list[str]:
    return next(records(text), (1, []))[1]


def columns_of(written: list[str]) -> tuple[list[str], dict[str, tuple[int, str]]]:
    """A header's names, stripped and lower-cased, and each one's column number and name
    as written (a name given twice: its last column)."""
    names = [name.strip().lower() for name in written]
    return names, {name: (i + 1, written[i].strip()) for i, name in enumerate(names)}


def is_blank(values: list[str]) -> bool:
    """Every cell blank ("".join: no call per cell)."""
    return not "".join(values).strip()


def rows(text: str) -> Iterator[tuple[int, Row, dict[str, tuple[int, str]]]]:
    """(line the row starts on, row by column name, column number and name by lower-cased name)."""
    read = records(text)
    names, columns = columns_of(next(read, (1, []))[1])
    for line, values in read:
        if not is_blank(values):
            yield line, {names[i]: v for i, v in enumerate(values) if i < len(names)}, columns


class RowOrigins(Sequence[Origin]):
    """Where each row of a CSV file starts, as `rows` numbers them (a row of blank cells
    is none), for a file SQL read: its lines found by streaming the file through the csv
    module once, kept as one number a row, each Origin made when asked. `fields`: our
    field to the column that holds it; `skipped`: a column whose stripped cell, if one of
    the values given, makes the row no event (our file's own record)."""

    def __init__(
        self, path: str, fields: dict[str, str], skipped: tuple[str, tuple[str, ...]] | None = None
    ) -> None:
        self.lines = array("q")
        with open(path, encoding="utf-8-sig", newline="") as handle:
            read = records(handle)
            _, columns = columns_of(next(read, (1, []))[1])
            self.columns = {f: columns[n] for f, n in fields.items() if n in columns}
            column, values_skipped = skipped or ("", ())
            at = columns.get(column, (0, ""))[0] - 1  # the last of that name, as `rows`
            append = self.lines.append
            for line, values in read:
                if not is_blank(values) and not (
                    0 <= at < len(values) and values[at].strip() in values_skipped
                ):
                    append(line)

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, index: int) -> Origin: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Origin]: ...

    def __getitem__(self, index: int | slice) -> Origin | Sequence[Origin]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        return Origin(line=self.lines[index], columns=self.columns)


def list_cell(value: str) -> list[str]:
    """A list written as JSON (what our export writes when a value holds `;` or `|`),
    else split at `;` or `|`."""
    if value.startswith("["):
        try:
            found = json.loads(value)
        except json.JSONDecodeError:
            found = None
        if isinstance(found, list) and all(isinstance(v, str) for v in found):
            return found
    return split_list(value)


def split_list(value: str) -> list[str]:
    for separator in LIST_SEPARATORS:
        if separator in value:
            return [v.strip() for v in value.split(separator) if v.strip()]
    return [value.strip()] if value.strip() else []


def origin(line: int, columns: dict[str, tuple[int, str]], fields: dict[str, str]) -> Origin:
    return Origin(
        line=line,
        columns={field: columns[name] for field, name in fields.items() if name in columns},
    )


# The TimelineJS spreadsheet


def getter(row: Row) -> Callable[[str], str]:
    return lambda name: row.get(name, "").strip()


_DECIMAL_COMMA: Final = re.compile(r"^(-?\d+),(\d+)$")


def coordinates(lat: str, lon: str) -> dict[str, Any]:
    """Numbers where they are numbers (`51.73`, or `51,73` as sheets with a decimal comma
    write it); anything else (`nan` and `inf` too, which JSON has not) passed on as
    written, for the loader to report."""
    result: dict[str, Any] = {}
    for key, value in (("lat", lat), ("lon", lon)):
        if value:
            try:
                number = float(_DECIMAL_COMMA.sub(r"\1.\2", value))
            except ValueError:
                number = math.nan
            result[key] = number if math.isfinite(number) else value
    return result


# Plain CSV: columns named for our fields (what `timeline print --format csv` writes)
