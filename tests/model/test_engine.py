"""Our DuckDB connections print nothing of their own."""

from __future__ import annotations

import subprocess
import sys

import pytest

SETTING = """
import sys
import duckdb
from tui.model.engine import connect
connection = duckdb.connect() if sys.argv[1] == "duckdb" else connect(memory_limit="64MB")
query = "SELECT current_setting('enable_progress_bar')"
print(connection.execute(query).fetchone()[0], connection.cursor().execute(query).fetchone()[0])
"""


@pytest.mark.parametrize("opened_by", ["duckdb", "ours"])
def test_no_progress_bar_is_printed_by_a_connection_nor_its_cursors(opened_by: str) -> None:
    """DuckDB's default, in a script (not under pytest), prints one to standard output
    after two seconds: where `timeline print` or a program using the model writes."""
    run = subprocess.run(
        [sys.executable, "-c", SETTING, opened_by], capture_output=True, text=True, check=True
    )
    connection_prints = "True" if opened_by == "duckdb" else "False"
    assert run.stdout.split() == [connection_prints, "False"]
