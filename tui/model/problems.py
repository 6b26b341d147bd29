"""Problems found in an event file, with where they are; a saved snapshot of one that
can no longer be read."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import TYPE_CHECKING

import msgspec

from .sequences import Computed

if TYPE_CHECKING:
    from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class Problem(msgspec.Struct, frozen=True):
    severity: Severity
    message: str
    path: str = "$"
    """JSON path of the value, `$.events[3].date`."""
    line: int | None = None
    column: int | None = None
    offset: int = 0
    """Characters into the value where the problem is (a date's bad digit)."""
    file: str | None = None
    """Which file, when several are open at once (else the one the caller names)."""

    def located(self, line: int, column: int) -> Problem:
        return msgspec.structs.replace(self, line=line, column=column + self.offset)

    def format(self, source: str) -> str:
        where = self.file or source
        if self.line is not None:
            where += f":{self.line}:{self.column}"
        at = f" (at {self.path})" if self.path != "$" else ""
        return f"{where}: {self.severity}: {self.message}{at}"


class Warnings(Computed[Problem]):
    """Warnings alone, each made when it is asked for (validation.CrossChecks): a file
    can hold a million, and most callers only count them."""


class JoinedWarnings(Warnings):
    """Two lists of warnings as one, `said` then `made`, either made when asked."""

    def __init__(self, said: Sequence[Problem], made: Sequence[Problem]) -> None:
        self.said, self.made = said, made

    def __len__(self) -> int:
        return len(self.said) + len(self.made)

    def item(self, index: int) -> Problem:
        said = len(self.said)
        return self.said[index] if index < said else self.made[index - said]


def file_order(problem: Problem) -> tuple[bool, int, int]:
    """Sort key: by line and column; a problem placed by its JSON path alone (past
    locating.LOCATED_UP_TO) after those, in the order it was found (sorts are stable)."""
    return (problem.line is None and problem.path != "$", problem.line or 0, problem.column or 0)


class ColumnError(ValueError):
    """A problem in one line of text (a date, a query); `column` is 1-based."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} at column {self.column}"


class LoadError(Exception):
    """The file could not be loaded; `problems` says every reason found."""

    def __init__(self, source: str, problems: list[Problem], *, skippable: bool = False) -> None:
        super().__init__(source)
        self.source = source
        self.problems = problems
        self.skippable = skippable
        """Every error is in an event (or a row): --skip-bad would load the rest."""

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    def __str__(self) -> str:
        return "\n".join(p.format(self.source) for p in self.problems)


class Unreadable(ValueError):
    """A saved database that could be opened but can no longer be read: its file cut
    short in place, or its disk failing, while it was open. What was read from it
    cannot go on, and the file should not be opened again as it is."""

    def __init__(self, where: Path, detail: str, identity: tuple[int, int] | None) -> None:
        super().__init__(f"{where} can no longer be read: {detail}")
        self.where = where
        self._identity = identity

    def remove(self) -> bool:
        """Removes the file, if it is still the one that could not be read (not a new
        snapshot written in its place meanwhile), so that the next open reads the
        source afresh; whether it did."""
        try:
            if self._identity != file_identity(self.where):
                return False
            self.where.unlink()
        except OSError:
            return False
        return True


def file_identity(where: Path) -> tuple[int, int] | None:
    """The file now at `where` (device, inode), or None if there is none."""
    try:
        stat = where.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino
