"""`print`, `stats` and `dupes` on a large file the app has indexed search through the word
index saved beside its snapshot (store.py), and say exactly what the predicate says."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.conftest import BUNDLED
from tui import cli
from tui.model import cache, index_file, loading
from tui.model.cache import CachedTimeline
from tui.model.loading import load_path
from tui.model.query import Query
from tui.model.word_index import WordIndex
from tui.output.stats import FACET_NAMES

QUERIES = [
    "",
    "soldiers",
    "sold",
    "tag:pow",
    "by:nis -status:context",
    "kursk OR zelenskyy",
    '"north korean"',
    "after:2025-01-10",
    "asof:2025-01-11",
    "reliability:<=B",
    "nothing-matches-this",
]
COMMANDS = [
    ["print"],
    ["print", "--format", "markdown"],
    ["print", "--format", "json"],
    ["print", "--format", "csv", "--reverse"],
    ["stats"],
    ["dupes", "--format", "json"],
]


@pytest.fixture
def indexed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled story, taken for a large file: its snapshot and its word index saved, as
    the app leaves them."""
    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)
    path = tmp_path / "story.json"
    path.write_bytes(BUNDLED.read_bytes())
    fresh = load_path(str(path), snapshot=True)
    assert fresh.snapshot_due is not None and fresh.cache_place is not None
    cache.write(str(path), fresh.snapshot_due, fresh.timeline, fresh.warnings, fresh.skipped)
    index_file.write(fresh.cache_place, WordIndex(fresh.timeline, counted=FACET_NAMES))
    return path


def run(path: Path, command: list[str], query: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli.main, [*command, str(path), "--", query])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_indexed_file_prints_what_the_predicate_prints(
    indexed: Path, command: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    filter_by_predicate = Query.filter
    predicate_used: list[str] = []

    def watched(self: Query, *args: object, **kwargs: object) -> list[int]:
        predicate_used.append(self.source)
        return filter_by_predicate(self, *args, **kwargs)  # type: ignore[arg-type]

    columns_read: list[str] = []
    read_column = CachedTimeline.column

    def column(self: CachedTimeline, name: str) -> list[str]:
        columns_read.append(name)
        return read_column(self, name)

    monkeypatch.setattr(Query, "filter", watched)
    monkeypatch.setattr(CachedTimeline, "column", column)
    with_index = {query: run(indexed, command, query) for query in QUERIES}
    assert predicate_used == [], "the index answers every one of these"
    # Only a phrase reads a column (its many candidates' texts: events.FEW_TEXTS); the
    # facets are counted over the index.
    assert set(columns_read) <= {"text"} and not set(columns_read) & set(FACET_NAMES)
    place = load_path(str(indexed), snapshot=True).cache_place
    assert place is not None
    cache.index_path(place).unlink()
    for query in QUERIES:
        assert run(indexed, command, query) == with_index[query], query
    assert predicate_used == QUERIES
    assert with_index["nothing-matches-this"][0] == 1
    if command[0] != "dupes":  # the story has no duplicates
        assert with_index["soldiers"][0] == 0 and "Kursk" in with_index["soldiers"][1]


def test_a_saved_index_that_can_no_longer_be_read_leaves_the_answer_to_the_predicate(
    indexed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = run(indexed, ["print"], "soldiers OR tag:pow")
    assert expected[0] == 0 and "Kursk" in expected[1]

    def cut_short(self: object, word: str) -> object:
        raise ValueError("story.index can no longer be read: IO Error")

    monkeypatch.setattr(index_file.SavedField, "prefixed", cut_short)
    assert run(indexed, ["print"], "soldiers OR tag:pow") == expected
