"""What the loader gets from a file DuckDB reads for it (acled_sql.py, table_sql.py,
parquet_sql.py):
the rows made our events in SQL, written as JSON lines to a scratch file, decoded by
the loader straight into the model a block at a time.

Each line is an event object with keys of ours besides the event's: `extra`, the file's
own keys (an object, or null); `cells`, null unless SQL could not make the row exactly
as the format's Python reader does, in which case it holds what that reader needs
(`event` makes the row with it); and, where a reader writes it, `said`, null unless
the row has no id and the Python reader gives it one (`given_id`) from what it holds.
The rows keep the file's order only because nothing in a query reorders them: DuckDB
keeps insertion order unless an operator such as a join does not (a long `IN` list
becomes one). Each reader's tests check the order of a file read by several threads.
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final

from ..model.engine import connect
from .base import RowsOrigins, delimiter

if TYPE_CHECKING:
    import duckdb

    from ..model.events import Event

BLOCK: Final = 64 << 20
"""Bytes of JSON lines handed to the decoder at a time."""
FIRST_ROWS: Final = 20_000
"""As many as a JSON file's first events (fast_path.PREVIEW_EVENTS, not imported:
fast_path names this module's types): the app filters them at once (no index)."""
First = Callable[["SqlRead", bytes], None]
"""Told the JSON lines of a file's first FIRST_ROWS rows (copy_rows), made as the whole
file's are, before the whole file is read."""


class SqlRead:
    """The file's rows as DuckDB wrote them (`blocks`), the file's own record
    (`document`: title, description, named sources, unknown keys; no events), and where
    each row came from (`origins`, found only when asked: a problem to place). Removes
    its scratch folder when closed."""

    format: str = ""

    def __init__(self, path: str, document: dict[str, Any]) -> None:
        self.path = path
        self.document = document
        self.scratch = tempfile.mkdtemp(prefix=f"timeline-{self.format}-")
        self.json_path = os.path.join(self.scratch, "events.json")

    def __enter__(self) -> SqlRead:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)

    def blocks(self) -> Iterator[bytes]:
        """The JSON lines, about BLOCK bytes at a time, each ending at a line's end."""
        with open(self.json_path, "rb") as handle:
            left = b""
            while block := handle.read(BLOCK):
                end = block.rfind(b"\n") + 1
                if end:
                    yield left + block[:end]
                    left = block[end:]
                else:
                    left += block
            if left:
                yield left

    def made_by_sql(
        self, events: Sequence[Event], left: Mapping[int, Any], unnamed: Mapping[int, Any]
    ) -> None:
        """Told the events SQL made before `event` and `given_id` are asked for what it
        left, in file order: a placeholder at each index it `left` to Python (with that
        row's cells), and a placeholder id at each index it left `unnamed` (with what
        `given_id` needs)."""

    def event(self, cells: Any, index: int) -> dict[str, Any] | None:
        """The row at `index` that SQL left to Python, as the Python reader makes it;
        None: the Python reader finds a problem in it, and says it."""
        raise NotImplementedError

    def given_id(self, said: list[str], index: int) -> str:
        """The id the Python reader gives the row at `index`, which has none."""
        raise NotImplementedError

    def first_ids(self, said: list[list[str]], own: list[str]) -> tuple[list[str], bool] | None:
        """The ids `given_id` gives the first rows without one (what each `said`, in file
        order), the first rows' `own` ids taken; and whether they are the whole file's
        (a later row's own id may take one first). None where they can't be given from
        the first rows alone."""
        return None

    @property
    def origins(self) -> RowsOrigins:
        raise NotImplementedError


def copy_rows(
    connection: duckdb.DuckDBPyConnection,
    sql: str,
    parameters: dict[str, Any],
    read: SqlRead,
    first: First | None = None,
) -> None:
    """A reader's COPY of its rows made our events to its JSON lines (`$out`); with
    `first`, the same statement's first rows before, into a file of their own (a LIMIT:
    DuckDB keeps the file's order)."""
    if first is not None:
        limited = sql.replace(") TO $out", f"LIMIT {FIRST_ROWS}\n) TO $out")
        assert limited.count("LIMIT") == sql.count("LIMIT") + 1, "one COPY, ours"
        path = os.path.join(read.scratch, "first.json")
        connection.execute(limited, {**parameters, "out": path})
        with open(path, "rb") as handle:
            first(read, handle.read())
    connection.execute(sql, parameters)


def threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


WHITESPACE: Final = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
"""What Python's str.strip() removes (every such character is below U+3001)."""
HEAD: Final = 1 << 20
"""Bytes read to find the header row."""


def csv_header(path: str) -> tuple[list[str], str] | None:
    """The header row's names, lower-cased and stripped as the Python reader has them,
    and the delimiter."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(HEAD)
    except OSError:
        return None
    head = head.removeprefix(b"\xef\xbb\xbf")
    first, newline, _ = head.partition(b"\n")
    try:
        line = first.decode("utf-8").removesuffix("\r")
    except UnicodeDecodeError:
        return None
    if not newline or not line.strip() or line.count('"') % 2:
        return None  # no header line, or one that goes on past a line break
    values = next(csv.reader([line], delimiter=delimiter(line)), [])
    return [name.strip().lower() for name in values], delimiter(line)


def csv_cells(width: int) -> str:
    """A CSV at `$path` (its delimiter `$delim`) as DuckDB's strict reader reads it: the
    header row skipped, every cell text, the columns named `c0`, `c1` ... by us."""
    columns = ", ".join(f"c{i}: 'VARCHAR'" for i in range(width))
    return (
        "read_csv($path, header = true, auto_detect = false, strict_mode = true,"
        f" delim = $delim, quote = '\"', escape = '\"', columns = {{{columns}}})"
    )


@contextmanager
def csv_connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection of our own to read a CSV with: our threads, Python's text macros."""
    with connect() as connection:
        connection.execute("SET threads = ?", [threads()])
        python_text_macros(connection)
        yield connection


def python_text_macros(connection: duckdb.DuckDBPyConnection) -> None:
    """`py_strip` (str.strip()), `py_split` (tabular.split_list), `one` (a cell as a list
    of none or one)."""
    spaces = WHITESPACE.replace("'", "''")  # our own constant (it holds no quote)
    ends = f"^[{_SPACE_CLASS}]|[{_SPACE_CLASS}]$"
    # trim() with a set of characters is slow: only where the cell needs it.
    connection.execute(
        f"CREATE MACRO py_strip(s) AS CASE WHEN regexp_matches(s, '{ends}')"
        f" THEN trim(s, '{spaces}') ELSE s END"
    )
    connection.execute(
        "CREATE MACRO py_split(s) AS CASE WHEN s IS NULL THEN []::VARCHAR[]"
        " WHEN contains(s, ';') THEN"
        " list_filter(list_transform(string_split(s, ';'), lambda x: py_strip(x)),"
        " lambda x: x <> '')"
        " WHEN contains(s, '|') THEN"
        " list_filter(list_transform(string_split(s, '|'), lambda x: py_strip(x)),"
        " lambda x: x <> '')"
        " ELSE [s] END"
    )
    connection.execute("CREATE MACRO one(s) AS CASE WHEN s IS NULL THEN []::VARCHAR[] ELSE [s] END")


_SPACE_CLASS: Final = "".join(f"\\x{{{ord(c):x}}}" for c in WHITESPACE)
"""WHITESPACE as the inside of an RE2 character class."""
