"""`timeline stats`: counts per period and per facet, plain in a pipe, tables on a terminal."""

from __future__ import annotations

import re
import subprocess
import sys

from tests.conftest import ROOT
from tests.support.terminal import SGR, run_in_pty
from tui.model.loading import load_path
from tui.output.stats import facet_counts, period_counts


def stats(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", "stats", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_periods_cover_the_span_with_empty_ones_shown() -> None:
    timeline = load_path(str(ROOT / "events.json")).timeline
    unit, periods = period_counts(timeline, range(len(timeline)))
    assert unit == "month"
    assert periods[0] == ("2022-02", 1) and periods[-1] == ("2025-01", 9)
    assert len(periods) == 36 and ("2023-06", 0) in periods
    assert sum(n for _, n in periods) == 13


def test_facets_count_each_value() -> None:
    timeline = load_path(str(ROOT / "events.json")).timeline
    counts = facet_counts(timeline, range(len(timeline)))
    assert counts["status"]["claimed"] == 5 and counts["status"]["confirmed"] == 2
    assert counts["tag"]["pow"] == 6
    assert counts["place"]["Seoul, South Korea"] == 3


def test_plain_text_in_a_pipe() -> None:
    result = stats()
    assert result.returncode == 0
    out = result.stdout
    assert "\x1b" not in out
    assert "Events per month" in out and "  2025-01       9  " in out
    assert "By status" in out and re.search(r"^  claimed +5$", out, re.MULTILINE)
    assert "By tag (top 10 of" in out


def test_a_query_narrows_the_counts_and_no_match_exits_1() -> None:
    result = stats("tag:pow")
    assert result.returncode == 0 and "6 of 13 events" in result.stdout
    assert stats("on:1990").returncode == 1
    assert stats("after:someday").returncode == 2


def test_tables_on_a_terminal() -> None:
    out = run_in_pty([sys.executable, "-m", "tui", "stats"])
    assert SGR.search(out)
    assert "Events per month" in SGR.sub("", out) and "Actors" in SGR.sub("", out)


def test_who_claims_it_is_counted_in_plain_stats() -> None:
    from tui.output.stats import stats_lines

    timeline = load_path(str(ROOT / "events.json")).timeline
    lines = list(stats_lines(timeline, range(len(timeline)), 80, 3))
    at = lines.index("By who claims it (top 3 of 9)")
    assert lines[at + 1].split() == ["South", "Korea", "NIS", "7"]
    assert lines[at + 2].split() == ["Zelenskyy", "3"]
