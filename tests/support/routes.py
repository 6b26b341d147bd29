"""A file read two ways: by DuckDB (the SQL route, formats/sql_read.py) and by the
format's Python reader, which is the reference."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.support.timelines import assert_same_timeline
from tui.model import loading
from tui.model.loading import Loaded, LoadOptions, load_path
from tui.model.problems import LoadError


def _outcome(path: Path, options: LoadOptions) -> Loaded | list[tuple[str, str, Any, Any]]:
    try:
        return load_path(str(path), options=options)
    except LoadError as exc:
        return [(p.severity.value, p.message, p.line, p.column) for p in exc.problems]


@contextmanager
def sql_route_watched() -> Iterator[list[bool]]:
    """While inside, each load's SQL route says whether it took the file (True) or left
    it to the Python reader."""
    taken: list[bool] = []
    sql_load = loading._sql_load

    def spy(*args: Any, **kwargs: Any) -> Loaded | None:
        loaded = sql_load(*args, **kwargs)
        taken.append(loaded is not None)
        return loaded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "_sql_load", spy)
        yield taken


@contextmanager
def python_route_only() -> Iterator[None]:
    """While inside, every file goes to the Python reader."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "_sql_load", lambda *args, **kwargs: None)
        yield


def both_routes(path: Path, thorough: bool = False) -> tuple[Any, Any, bool]:
    """What the SQL route and the row-by-row reader make of a file, and whether the SQL
    route took it."""
    options = LoadOptions(thorough=thorough)
    with pytest.MonkeyPatch.context() as patch, sql_route_watched() as taken:
        patch.setattr(loading, "SQL_AT_LEAST", 0)
        by_sql = _outcome(path, options)
    with python_route_only():
        by_rows = _outcome(path, options)
    return by_sql, by_rows, taken == [True]


def assert_same(by_sql: Any, by_rows: Any) -> None:
    if isinstance(by_rows, list):
        assert by_sql == by_rows
        return
    assert isinstance(by_sql, Loaded)
    assert_same_timeline(by_sql.timeline, by_rows.timeline)
    said = [
        [(p.severity, p.message, p.line, p.column) for p in x.warnings] for x in (by_sql, by_rows)
    ]
    assert said[0] == said[1]


def read_by_sql(path: Path, thorough: bool = False) -> Loaded:
    """The file as the SQL route reads it, having checked that it took it and read it
    as the row-by-row reader does."""
    by_sql, by_rows, taken = both_routes(path, thorough)
    assert taken
    assert_same(by_sql, by_rows)
    assert isinstance(by_sql, Loaded)
    return by_sql


def assert_left_to_python(path: Path) -> None:
    """The SQL route does not take the file, and the outcome is the row-by-row reader's."""
    by_sql, by_rows, taken = both_routes(path)
    assert not taken
    assert_same(by_sql, by_rows)
