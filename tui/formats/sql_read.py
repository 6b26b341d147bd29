"""What the loader gets from a file DuckDB reads for it (acled_sql.py, parquet_sql.py):
the rows made our events in SQL, written as JSON lines to a scratch file, decoded by
the loader straight into the model a block at a time.

Each line is an event object with two keys of ours besides the event's: `extra`, the
file's own keys (an object, or null), and `cells`, null unless SQL could not make the
row exactly as the format's Python reader does, in which case it holds what that
reader needs (`event` makes the row with it). The rows keep the file's order only
because nothing in a query reorders them: DuckDB keeps insertion order unless an
operator such as a join does not (a long `IN` list becomes one). Each reader's tests
check the order of a file read by several threads.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from typing import Any, Final

from .base import Origin

BLOCK: Final = 64 << 20
"""Bytes of JSON lines handed to the decoder at a time."""


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

    def event(self, cells: Any, index: int) -> dict[str, Any]:
        """The row at `index` that SQL left to Python, as the Python reader makes it."""
        raise NotImplementedError

    @property
    def origins(self) -> Sequence[Origin]:
        raise NotImplementedError


def threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))
