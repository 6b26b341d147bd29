"""DuckDB connections as every part of the model and the readers opens them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import duckdb


def connect(
    database: str = ":memory:", read_only: bool = False, **config: Any
) -> duckdb.DuckDBPyConnection:
    """A connection that never prints: DuckDB's progress bar, on by default, writes to
    standard output (where `timeline print`, or a program using the model, writes its
    data) once a query has run for two seconds. Its cursors keep the setting."""
    import duckdb

    connection = duckdb.connect(database, read_only=read_only, config=config)
    connection.execute("SET enable_progress_bar = false")
    return connection
