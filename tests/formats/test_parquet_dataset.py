"""A folder of Parquet files, or a glob, read as one timeline (model/datasets.py): by
DuckDB in one read where it can, else by the Python reader file by file, the same
events either way; hive partitions below the folder are keys, folders above it nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.support.routes import assert_same, both_routes
from tests.support.timelines import exported
from tui.app.loads import file_stat
from tui.model import cache
from tui.model.datasets import dataset_files, dataset_root, is_glob
from tui.model.loading import Loaded, LoadOptions, load_bytes, load_path
from tui.model.problems import LoadError


def _copy(path: Path, select: str) -> None:
    """A Parquet file another tool wrote: DuckDB's COPY of `select`."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as connection:
        connection.execute(f"COPY ({select}) TO ? (FORMAT parquet)", [str(path)])


def _rows(first: int, count: int, extra: str = "") -> str:
    return (
        f"SELECT 'e' || i AS id, '2025-01-' || lpad((i % 28 + 1)::VARCHAR, 2, '0') AS date,"
        f" 'Event ' || i AS title{extra} FROM range({first}, {first + count}) t(i)"
    )


def _lake(tmp_path: Path) -> Path:
    """A hive-partitioned folder under a folder that looks like a partition too."""
    root = tmp_path / "region=eu" / "lake"
    _copy(root / "year=2024" / "month=01" / "part-0.parquet", _rows(0, 3))
    _copy(root / "year=2024" / "month=02" / "part-0.parquet", _rows(3, 2))
    _copy(root / "year=2025" / "month=01" / "part-0.parquet", _rows(5, 4, ", 'x' AS colour"))
    (root / "_SUCCESS").write_text("")
    _copy(root / "_temporary" / "part-9.parquet", _rows(100, 1))
    _copy(root / ".hidden.parquet", _rows(200, 1))
    return root


def _sql_and_rows(path: Path) -> tuple[Any, Any]:
    by_sql, by_rows, taken = both_routes(path)
    assert taken, "DuckDB read the dataset in one read"
    assert_same(by_sql, by_rows)
    return by_sql, by_rows


def test_a_hive_folder_is_one_timeline_its_partitions_keys(tmp_path: Path) -> None:
    root = _lake(tmp_path)
    by_sql, _ = _sql_and_rows(root)
    events = {e.id: e for e in by_sql.timeline}
    assert sorted(events, key=lambda i: int(i[1:])) == [f"e{i}" for i in range(9)]
    assert events["e0"].extra == {"year": "2024", "month": "01"}  # as the folder says
    assert events["e3"].extra == {"year": "2024", "month": "02"}
    assert events["e5"].extra == {"year": "2025", "month": "01", "colour": "x"}
    assert all("region" not in e.extra for e in by_sql.timeline)  # above the root


def test_a_glob_reads_the_files_it_matches_with_the_partitions_below_its_fixed_part(
    tmp_path: Path,
) -> None:
    root = _lake(tmp_path)
    pattern = str(root / "year=2024" / "*" / "*.parquet")
    assert is_glob(pattern) and dataset_root(pattern) == str(root / "year=2024")
    by_sql, _ = _sql_and_rows(Path(pattern))
    assert [e.id for e in by_sql.timeline] == ["e0", "e1", "e2", "e3", "e4"]
    assert [e.extra for e in by_sql.timeline][::3] == [{"month": "01"}, {"month": "02"}]
    everything = str(root / "**" / "*.parquet")
    assert len(load_path(everything).timeline) == 9


def test_one_file_under_a_partition_like_folder_gets_no_keys_from_it(tmp_path: Path) -> None:
    """DuckDB reads `key=value` folders of any path as columns unless told not to."""
    path = tmp_path / "year=2024" / "story.parquet"
    _copy(path, _rows(0, 2))
    for options in (LoadOptions(), LoadOptions(skip_bad=True)):
        assert [e.extra for e in load_path(str(path), options=options).timeline] == [None, None]


def test_partition_values_are_read_alike_by_both_routes(tmp_path: Path) -> None:
    root = tmp_path / "odd"
    for folder in ("k=a%2Fb c", "k=__HIVE_DEFAULT_PARTITION__", "k=", "k=NULL", "k=ü"):
        _copy(
            root / folder / "part.parquet", _rows(len(os.listdir(root)) if root.exists() else 0, 1)
        )
    by_sql, _ = _sql_and_rows(root)
    assert sorted(str((e.extra or {}).get("k")) for e in by_sql.timeline) == sorted(
        ["a/b c", "None", "", "NULL", "ü"]
    )


def test_files_duckdb_cannot_read_as_one_are_read_one_by_one(tmp_path: Path) -> None:
    """Partitions that differ between files, and a column that changes type."""
    root = tmp_path / "mixed"
    _copy(root / "a=1" / "part.parquet", _rows(0, 1, ", 1 AS n"))
    _copy(root / "b=2" / "part.parquet", _rows(1, 1, ", 'one' AS n"))
    by_sql, by_rows, taken = both_routes(root)
    assert not taken
    assert_same(by_sql, by_rows)
    assert [e.extra for e in by_rows.timeline] == [{"a": "1", "n": 1}, {"b": "2", "n": "one"}]


def test_a_problem_names_the_file_and_its_row(tmp_path: Path) -> None:
    root = tmp_path / "lake"
    _copy(root / "p=1" / "part.parquet", _rows(0, 3))
    bad = "SELECT * REPLACE (CASE WHEN id = 'e4' THEN '2025-13-01' ELSE date END AS date)"
    _copy(root / "p=2" / "part.parquet", f"{bad} FROM ({_rows(3, 3)})")
    with pytest.raises(LoadError) as caught:
        load_path(str(root))
    (problem,) = caught.value.problems
    assert problem.file == str(root / "p=2" / "part.parquet")
    assert (problem.line, problem.column) == (2, 2)  # its second row, the date column
    assert str(caught.value).startswith(f"{root / 'p=2' / 'part.parquet'}:2:2: error: ")
    skipped = load_path(str(root), options=LoadOptions(skip_bad=True))
    assert skipped.skipped == 1 and len(skipped.timeline) == 5
    assert skipped.warnings[0].file == str(root / "p=2" / "part.parquet")


def test_our_export_split_in_files_keeps_its_record(tmp_path: Path) -> None:
    story = load_path(str(ROOT / "events.json"))
    data = exported(story.timeline, "parquet")
    root = tmp_path / "story"
    root.mkdir()
    import duckdb

    whole = tmp_path / "whole.parquet"
    whole.write_bytes(data)
    half = len(story.timeline) // 2
    with duckdb.connect() as connection:
        record = connection.execute(
            "SELECT value FROM parquet_kv_metadata(?) WHERE key = 'timeline'", [str(whole)]
        ).fetchone()
        assert record is not None
        for name, where in (("a", f"< {half}"), ("b", f">= {half}")):
            connection.execute(
                "COPY (SELECT * EXCLUDE (file_row_number) FROM read_parquet(?,"
                f" file_row_number = true) WHERE file_row_number {where}) TO ?"
                " (FORMAT parquet, KV_METADATA {timeline: ?})",
                [str(whole), str(root / f"{name}.parquet"), record[0].decode()],
            )
    by_sql, _ = _sql_and_rows(root)
    assert by_sql.timeline.title == story.timeline.title
    assert by_sql.timeline.sources == story.timeline.sources
    assert [e.id for e in by_sql.timeline] == [e.id for e in story.timeline]
    # A file of another record (or of none) is not part of the same timeline.
    _copy(root / "c.parquet", _rows(0, 1))
    with pytest.raises(LoadError) as caught:
        load_path(str(root))
    assert "carry different `timeline` records" in str(caught.value)


def test_what_names_no_parquet_file_says_so(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("")
    for path, said in (
        (tmp_path / "empty", "is a directory with no Parquet file under it"),
        (tmp_path / "none" / "*.parquet", "no .parquet file matches it"),
    ):
        with pytest.raises(LoadError) as caught:
            load_path(str(path))
        assert said in str(caught.value)
    with pytest.raises(LoadError) as caught:
        load_path(str(_lake(tmp_path)), options=LoadOptions(format="csv"))
    assert "read as Parquet files, not as csv" in str(caught.value)


def test_files_with_no_suffix_are_read_where_they_are_parquet(tmp_path: Path) -> None:
    """As Hive, Trino and Athena write a table's files: `000000_0`. Beside them, a file
    of another format with no suffix (an ORC table's), and files with other suffixes,
    are not the dataset's, even where they start as Parquet does."""
    root = tmp_path / "table"
    _copy(root / "year=2024" / "000000_0", _rows(0, 3))
    _copy(root / "year=2025" / "000000_0", _rows(3, 2))
    (root / "year=2025" / "000001_0").write_bytes(b"ORC\x00 not parquet")
    (root / "year=2025" / "notes.txt").write_bytes(b"PAR1 but a text")
    (root / "year=2025" / "000002_0").mkdir()  # a folder so named is walked, not read
    assert dataset_files(str(root)) == [
        str(root / "year=2024" / "000000_0"),
        str(root / "year=2025" / "000000_0"),
    ]
    by_sql, _ = _sql_and_rows(root)
    assert {(e.id, (e.extra or {}).get("year")) for e in by_sql.timeline} == {
        ("e0", "2024"),
        ("e1", "2024"),
        ("e2", "2024"),
        ("e3", "2025"),
        ("e4", "2025"),
    }


def test_a_damaged_file_of_a_dataset_is_named_not_a_line_of_its_folder(tmp_path: Path) -> None:
    root = tmp_path / "lake"
    _copy(root / "a" / "part-0.parquet", _rows(0, 3))
    damaged = root / "b" / "000000_0"
    damaged.parent.mkdir()
    damaged.write_bytes((root / "a" / "part-0.parquet").read_bytes()[:300])
    with pytest.raises(LoadError) as caught:
        load_path(str(root))
    said = str(caught.value)
    assert f"{root}: error: not Parquet files DuckDB can read (" in said
    assert str(damaged) in said


def test_only_a_pattern_ending_in_parquet_is_a_glob(tmp_path: Path) -> None:
    (tmp_path / "kursk.json").write_text("{}")
    os.chdir(tmp_path)
    assert not is_glob("kurs*")  # a query word, though it matches a file here
    assert not is_glob("kursk.json")
    assert is_glob("lake/*.parquet") and is_glob("a/[ab].PARQUET")
    assert dataset_files("kursk.json") is None and dataset_files("-") is None


def test_a_change_to_any_file_of_a_dataset_is_seen(tmp_path: Path) -> None:
    """By the snapshot's fingerprint (a reopen reads the files again) and by the app's
    watch (it reloads)."""
    root = _lake(tmp_path)
    before = cache.fingerprint(str(root), "o"), file_stat(str(root))
    assert cache.fingerprint(str(root), "o") == before[0]
    _copy(root / "year=2025" / "month=02" / "part-0.parquet", _rows(50, 1))
    added = cache.fingerprint(str(root), "o"), file_stat(str(root))
    assert added[0] != before[0] and added[1] != before[1]
    _copy(root / "year=2025" / "month=02" / "part-0.parquet", _rows(60, 2))
    rewritten = cache.fingerprint(str(root), "o"), file_stat(str(root))
    assert rewritten[0] not in (before[0], added[0])
    assert rewritten[1] not in (before[1], added[1])


def test_a_large_dataset_is_reopened_from_its_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.model import loading

    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 1)
    root = _lake(tmp_path)
    first = load_path(str(root), snapshot=True)
    assert first.snapshot_due is not None
    cache.write(str(root), first.snapshot_due, first.timeline, first.warnings, 0)
    again = load_path(str(root), snapshot=True)
    assert isinstance(again.timeline, cache.CachedTimeline)
    assert [e.extra for e in again.timeline] == [e.extra for e in first.timeline]
    _copy(root / "year=2025" / "month=02" / "part-0.parquet", _rows(50, 1))
    changed = load_path(str(root), snapshot=True)
    assert not isinstance(changed.timeline, cache.CachedTimeline)
    assert len(changed.timeline) == 10


def test_a_file_of_ours_is_unchanged_by_reading_it_as_a_dataset(tmp_path: Path) -> None:
    document = {"events": [{"id": "a", "date": "2025-01-09", "title": "Captured", "k": [1]}]}
    single = load_bytes(json.dumps(document).encode(), "story.json")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "story.parquet").write_bytes(exported(single.timeline, "parquet"))
    as_file = load_path(str(tmp_path / "d" / "story.parquet"))
    as_folder = load_path(str(tmp_path / "d"))
    assert isinstance(as_folder, Loaded)
    assert list(as_folder.timeline) == list(as_file.timeline) == list(single.timeline)


def test_a_dataset_keeps_its_notes_beside_its_folder(tmp_path: Path) -> None:
    from tui.model.locations import sidecar_file

    root = _lake(tmp_path)
    beside = str(root) + ".notes.json"
    os.chdir(root)
    for named in (str(root), f"{root}/", str(root / "**" / "*.parquet"), "."):
        assert sidecar_file(named) == beside
    assert sidecar_file("year=2024/*/*.parquet") == str(root / "year=2024") + ".notes.json"


def test_the_command_takes_a_folder_and_a_quoted_glob_before_the_query(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = _lake(tmp_path)
    for named in (str(root), str(root / "year=2024" / "*" / "*.parquet")):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "tui",
                "print",
                named,
                "2025-01-04..2025-01-05",
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert (done.returncode, done.stderr) == (0, "")
        printed = json.loads(done.stdout)["events"]
        assert [(e["id"], e["month"]) for e in printed] == [("e3", "02"), ("e4", "02")]
    missing = str(tmp_path / "gone" / "*.parquet")
    done = subprocess.run(
        [sys.executable, "-m", "tui", "print", missing, "kursk"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 2
    assert done.stderr.startswith(f"{missing}: error: no .parquet file matches it\n")


def test_a_glob_is_called_by_its_pattern_a_folder_by_its_name(tmp_path: Path) -> None:
    from tui.model.combining import file_names

    root = _lake(tmp_path)
    pattern = str(root / "year=2024" / "*" / "*.parquet")
    assert file_names([pattern, str(root)]) == [pattern, "lake"]


def test_problems_are_in_the_order_of_the_files_then_their_rows(tmp_path: Path) -> None:
    """Rows are counted again in each file: sorted by row alone, the two files' warnings
    would interleave."""
    root = tmp_path / "lake"
    cites = ", [{'ref': 'wire'}] AS sources"
    _copy(root / "p=1" / "part.parquet", _rows(0, 2, cites))
    _copy(root / "p=2" / "part.parquet", _rows(2, 2, cites))
    for options in (LoadOptions(), LoadOptions(skip_bad=True)):  # by DuckDB, by Python
        loaded = load_path(str(root), options=options)
        assert [(p.file, p.line) for p in loaded.warnings] == [
            (str(root / "p=1" / "part.parquet"), 1),
            (str(root / "p=1" / "part.parquet"), 2),
            (str(root / "p=2" / "part.parquet"), 1),
            (str(root / "p=2" / "part.parquet"), 2),
        ]


def test_warnings_only_counted_are_not_placed(tmp_path: Path) -> None:
    """`print` counts a file's warnings: a million placed at their rows took 15 s."""
    from tui.model.problems import Warnings

    root = tmp_path / "lake"
    _copy(root / "p=1" / "part.parquet", _rows(0, 3, ", [{'ref': 'wire'}] AS sources"))
    placed = load_path(str(root)).warnings
    counted = load_path(str(root), options=LoadOptions(placed=False)).warnings
    assert isinstance(counted, Warnings) and len(counted) == len(placed) == 3
    assert [p.line for p in placed] == [1, 2, 3]


def test_a_problem_about_a_dataset_as_a_whole_names_no_row() -> None:
    from tui.formats.base import Imported, Origin
    from tui.model.locating import relocate
    from tui.model.problems import Problem, Severity

    imported = Imported({}, [Origin(line=1, file="lake/a.parquet")], format="parquet")
    problems = [
        Problem(Severity.WARNING, "of the event", "$.events[0].title"),
        Problem(Severity.WARNING, "of the whole", "$.sources"),
    ]
    placed = relocate(b"", imported, problems)
    assert [(p.message, p.file, p.line) for p in placed] == [
        ("of the whole", None, None),
        ("of the event", "lake/a.parquet", 1),
    ]


def test_a_partition_named_in_the_glob_is_a_key_only_where_the_glob_matches_it(
    tmp_path: Path,
) -> None:
    root = _lake(tmp_path)
    named = load_path(str(root / "year=2025" / "*" / "*.parquet")).timeline
    matched = load_path(str(root / "year=202[5]" / "*" / "*.parquet")).timeline
    assert [e.extra for e in named][:1] == [{"month": "01", "colour": "x"}]
    assert [e.extra for e in matched][:1] == [{"year": "2025", "month": "01", "colour": "x"}]


def test_warnings_of_rows_are_placed_when_asked_in_the_order_relocate_gives(
    tmp_path: Path,
) -> None:
    """Per row: a source it does not name, a relation to no event, a `reported` before
    the date, the `sources` column before `related` and `reported` after both (so the
    order of the kinds is not the columns'), in two files; the Python route places every
    warning at once, and is the reference."""
    from tui.model.locating import PlacedWarnings

    root = tmp_path / "lake"
    columns = (
        ", [{'ref': 'wire'}, {'ref': 'agency'}] AS sources,"
        " [{'id': 'nowhere', 'rel': 'follows'}] AS related, '2024' AS reported"
    )
    _copy(root / "p=1" / "part.parquet", _rows(0, 3, columns))
    _copy(root / "p=2" / "part.parquet", _rows(3, 2, columns))
    one = tmp_path / "one.parquet"
    _copy(one, _rows(0, 3, columns))
    for path in (root, one):
        by_sql, by_rows = _sql_and_rows(path)
        assert isinstance(by_sql.warnings, PlacedWarnings)
        said = [(p.file, p.line, p.column, p.message) for p in by_sql.warnings]
        assert said == [(p.file, p.line, p.column, p.message) for p in by_rows.warnings]
        assert [p.column for p in by_sql.warnings][:4] == [4, 4, 5, 6]  # sources, related, reported
        assert by_sql.warnings[-1].line == (2 if path == root else 3)
        assert len(said) == (20 if path == root else 12)


def test_a_file_s_name_found_in_a_folder_reaches_no_terminal_raw(tmp_path: Path) -> None:
    """A problem names the file it is in: a name the folder holds, not one the user typed,
    so it is cleaned as data text is (an OSC sequence would retitle the terminal)."""
    root = tmp_path / "lake"
    folder = root / "k=\x1b[31mred"
    cites = ", [{'ref': 'wire'}] AS sources"
    _copy(folder / "warned\x1b]0;pwned\x07.parquet", _rows(0, 1, cites))
    _copy(folder / "sub" / "ok.parquet", _rows(1, 1))
    warned = load_path(str(root)).warnings  # read by DuckDB, placed when asked
    bad = "SELECT * REPLACE ('2025-13-01' AS date)"
    _copy(folder / "bad\x1b]0;pwned\x07.parquet", f"{bad} FROM ({_rows(2, 1)})")
    with pytest.raises(LoadError) as caught:  # left to the Python reader
        load_path(str(root))
    said = [p.format("lake") for p in [*warned, *caught.value.problems]]
    assert [s.split(":")[0].rsplit("/", 1)[-1] for s in said] == [
        "warned.parquet",  # by DuckDB
        "bad.parquet",  # by the Python reader: the error, then the other file's warning
        "warned.parquet",
    ]
    assert not any(c in s for s in said for c in "\x1b\x07")
