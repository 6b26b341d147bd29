"""The on-disk snapshot: a reopened file must be the same timeline, and a
snapshot that no longer matches its file must never be used."""

from __future__ import annotations

import io
import json
import os
from array import array
from pathlib import Path

import duckdb
import pytest

from tests.conftest import BUNDLED
from tests.support.timelines import assert_same_timeline
from tui.formats.table import write_csv
from tui.formats.timeline import timeline_document
from tui.model import cache, events, loading
from tui.model.cache import CachedTimeline
from tui.model.events import COLUMN_EXTRACTORS, Timeline
from tui.model.loading import LoadOptions, load_path
from tui.model.problems import LoadError
from tui.model.query import parse_query
from tui.model.seen import fingerprint, fingerprints
from tui.output.markdown import markdown_lines
from tui.output.render import plain, text_lines
from tui.output.stats import facet_counts


@pytest.fixture(autouse=True)
def snapshots_for_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)


def snapshot(path: Path, options: LoadOptions | None = None) -> Timeline:
    """Load `path`, write its snapshot and load it again from the snapshot."""
    fresh = load_path(str(path), options=options, snapshot=True)
    assert fresh.snapshot_due is not None and not isinstance(fresh.timeline, CachedTimeline)
    cache.write(str(path), fresh.snapshot_due, fresh.timeline, fresh.warnings, fresh.skipped)
    again = load_path(str(path), options=options, snapshot=True)
    assert isinstance(again.timeline, CachedTimeline) and again.snapshot_due is None
    assert list(again.warnings) == list(fresh.warnings) and again.skipped == fresh.skipped
    return again.timeline


def rendered(timeline: Timeline) -> str:
    everything = range(len(timeline))
    lines = [plain(line) for line in text_lines(timeline, everything, 100)]
    out = io.StringIO()
    write_csv(timeline, everything, out)
    return "\n".join([*lines, *markdown_lines(timeline, everything), out.getvalue()])


def story_copy(tmp_path: Path) -> Path:
    path = tmp_path / "story.json"
    path.write_bytes(BUNDLED.read_bytes())
    return path


@pytest.mark.parametrize("block", [cache.BLOCK, 2])
def test_a_reopened_file_is_the_same_timeline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    monkeypatch.setattr(cache, "BLOCK", block)  # 2: events read in many blocks,
    monkeypatch.setattr(cache, "KEPT_BLOCKS", 3)  # most of them forgotten again
    path = story_copy(tmp_path)
    fresh = load_path(str(path)).timeline
    cached = snapshot(path)
    everything = range(len(fresh))
    assert_same_timeline(cached, fresh)  # the model, field by field
    assert timeline_document(cached, everything) == timeline_document(fresh, everything)
    assert rendered(cached) == rendered(fresh)
    assert (cached.title, cached.span, cached.latest) == (fresh.title, fresh.span, fresh.latest)
    for name in ("starts", "filed", "known", "earliests", "latests", "known_days"):
        assert getattr(cached, name) == getattr(fresh, name), name
    some = [5, 0, 12, 1, 1, len(fresh) - 1]
    for name in COLUMN_EXTRACTORS:  # a few texts read from the snapshot, then all
        monkeypatch.setattr(events, "FEW_TEXTS", 2)  # 6 of 13 events: few
        assert list(cached.texts_at(name, some)) == [fresh.column(name)[i] for i in some]
        assert not cached.has_column(name)
        monkeypatch.setattr(events, "FEW_TEXTS", 3)  # many: the whole column, kept
        assert list(cached.texts_at(name, some)) == [fresh.column(name)[i] for i in some]
        assert cached.has_column(name)
        assert cached.column(name) == fresh.column(name), name
    for index, event in enumerate(fresh):
        assert cached[index] == event
        assert cached.date_at(index) == event.date
        assert cached.position[event.id] == index and cached.get(event.id) == event
        assert cached.links(cached[index]) == fresh.links(event)
    assert cached.get("no-such-id") is None and "no-such-id" not in cached.position
    count = len(fresh)
    orders = [[], [3], list(every := range(count)), list(reversed(every)), [5, 0, 12, 1, 1, 7]]
    orders += [list(range(0, count, 4)), [count - 1, 0, count - 1]]
    for order in orders:  # read a window of three at a time
        monkeypatch.setattr(cache, "CHUNK", 3)
        assert list(cached.events_at(order)) == [fresh[i] for i in order], order
    with pytest.raises(IndexError):
        list(cached.events_at([0, count]))
    assert list(cached) == list(fresh) and cached.events[-2:] == fresh.events[-2:]
    assert facet_counts(cached, everything) == facet_counts(fresh, everything)
    # What catching up compares, saved rather than made again from every event
    assert fresh.saved_fingerprints() is None
    assert cached.saved_fingerprints() == array("Q", map(fingerprint, fresh.events))
    assert fingerprints(cached) == fingerprints(fresh) and len(fingerprints(cached)) == count


def test_a_snapshots_ids_are_looked_up_as_the_timelines_are(tmp_path: Path) -> None:
    path = story_copy(tmp_path)
    fresh = load_path(str(path)).timeline
    cached = snapshot(path)
    assert isinstance(cached.position, cache.SavedPositions)
    assert list(cached.position.items()) == list(fresh.position.items())  # timeline order
    assert list(cached.position) == list(fresh.position)
    assert list(cached.position.values()) == list(range(len(fresh)))
    assert len(cached.position) == len(fresh.position)
    some = [fresh[3].id, "no-such-id", fresh[0].id, fresh[3].id, fresh[-1].id]
    assert (
        cached.positions_of(some)
        == fresh.positions_of(some)
        == {
            fresh[0].id: 0,
            fresh[3].id: 3,
            fresh[-1].id: len(fresh) - 1,
        }
    )
    assert cached.positions_of([]) == {} and cached.positions_of(["gone"]) == {}
    assert cached.position.get("no-such-id") is None and fresh[5].id in cached.position


def test_an_events_backlinks_are_read_by_its_id_before_all_of_them_are(tmp_path: Path) -> None:
    path = story_copy(tmp_path)
    pointed_at = load_path(str(path)).timeline.referrers()
    assert len(pointed_at) > 1 and any(len(at) > 1 for at in pointed_at.values())
    cached = snapshot(path)
    for event in cached:
        assert cached.referrers_of(event.id) == pointed_at.get(event.id, [])
    assert cached.referrers_of("no-such-id") == []
    assert cached._referrers is None  # each read on its own, none all at once
    assert cached.referrers() == pointed_at


@pytest.mark.parametrize(
    "query",
    ["soldiers", "tag:pow", "by:nis", "after:2025-01-10", "asof:2025-01-11", '"nis" -kursk', "ñ"],
)
def test_queries_find_the_same_events_in_a_snapshot(tmp_path: Path, query: str) -> None:
    path = story_copy(tmp_path)
    fresh = load_path(str(path)).timeline
    cached = snapshot(path)
    parsed = parse_query(query, fresh.latest_year)
    for keep in (True, False):
        assert parsed.filter(cached, keep_columns=keep) == parsed.filter(fresh, keep_columns=keep)


def test_warnings_and_skipped_events_come_back_with_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "BLOCK", 2)  # six warnings in three blocks
    path = tmp_path / "warned.json"
    events = [
        *(
            {"id": f"e{k}", "date": "2024-01-02", "title": "A", "related": [{"id": f"gone{k}"}]}
            for k in range(5)
        ),
        {"id": "b", "date": "2024-13-01", "title": "bad month"},
    ]
    path.write_text(json.dumps({"events": events}))
    fresh = load_path(str(path), options=LoadOptions(skip_bad=True))
    cached = snapshot(path, LoadOptions(skip_bad=True))
    again = load_path(str(path), options=LoadOptions(skip_bad=True), snapshot=True)
    assert [e.id for e in cached] == [f"e{k}" for k in range(5)] and again.skipped == 1
    assert len(again.warnings) == len(fresh.warnings) == 6  # five gone, one skipped
    assert list(again.warnings) == list(fresh.warnings)
    assert again.warnings[4] == fresh.warnings[4] and again.warnings[-1] == fresh.warnings[-1]
    assert again.warnings[1:5] == fresh.warnings[1:5]
    assert sum("gone" in p.message for p in again.warnings) == 5
    # Other options are another snapshot: without skip_bad the file still fails.
    with pytest.raises(LoadError):
        load_path(str(path), snapshot=True)


def test_a_snapshot_cut_short_under_an_open_timeline_raises_no_crash(tmp_path: Path) -> None:
    """Something that truncates the snapshot in place under an open timeline: what
    DuckDB holds already reads the same, the rest is a clear error, never a crash or
    other events."""
    path = story_copy(tmp_path)
    fresh = load_path(str(path)).timeline
    cached = snapshot(path)
    cache.snapshot_path(str(path), "None:False").write_bytes(b"")
    saved = cached.saved_fingerprints()  # None: catching up makes them from the events
    assert saved is None or saved == array("Q", map(fingerprint, fresh.events))
    try:
        events = list(cached)
        columns = [cached.column(name) for name in COLUMN_EXTRACTORS]
    except ValueError as exc:
        assert "can no longer be read" in str(exc)
    else:
        assert events == list(fresh)
        assert columns == [fresh.column(name) for name in COLUMN_EXTRACTORS]


def _reloaded(path: Path) -> Timeline:
    return load_path(str(path), snapshot=True).timeline


def test_a_changed_file_is_read_again(tmp_path: Path) -> None:
    path = story_copy(tmp_path)
    snapshot(path)
    stat = path.stat()
    # Same size, same modification time, one byte changed: the sampled hash sees it.
    data = bytearray(path.read_bytes())
    at = data.index(b"Kursk")
    data[at : at + 5] = b"Kursx"
    path.write_bytes(bytes(data))
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    timeline = _reloaded(path)
    assert not isinstance(timeline, CachedTimeline)
    assert "Kursx" in json.dumps(timeline_document(timeline, range(len(timeline))))
    # Only the modification time changed: read again too.
    snapshot(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not isinstance(_reloaded(path), CachedTimeline)


DAMAGE = {
    "another version": "UPDATE about SET version = version + 1",
    "another file's": "UPDATE about SET fingerprint = fingerprint || 'x'::BLOB",
    "an event missing": "DELETE FROM events WHERE pos = 3",
    "a date out of range": "UPDATE events SET date_index = 999 WHERE pos = 2",
    "no ids": "DROP TABLE ids",
    "no dates": "DELETE FROM dates",
    "a date missing": "DELETE FROM dates WHERE pos = 1",
    "no warnings table": "DROP TABLE warnings",
}


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", *DAMAGE])
def test_a_damaged_snapshot_is_ignored(tmp_path: Path, damage: str) -> None:
    path = story_copy(tmp_path)
    cached = snapshot(path)
    ids = [e.id for e in cached]
    cached.close()  # DuckDB lets a path be attached once
    where = cache.snapshot_path(str(path), "None:False")
    data = where.read_bytes()
    if damage == "garbage":
        where.write_bytes(b"garbage" * 1000)
    elif damage == "truncated":
        where.write_bytes(data[: len(data) // 2])
    elif damage == "empty":
        where.write_bytes(b"")
    else:
        with duckdb.connect(str(where)) as connection:
            connection.execute(DAMAGE[damage])
    loaded = load_path(str(path), snapshot=True)
    assert not isinstance(loaded.timeline, CachedTimeline)
    assert [e.id for e in loaded.timeline] == ids
    assert loaded.snapshot_due is not None  # and the app will write a good one


def test_only_the_most_recently_used_snapshots_are_kept(tmp_path: Path) -> None:
    paths = []
    for k in range(cache.KEEP + 2):
        path = tmp_path / f"story{k}.json"
        path.write_bytes(BUNDLED.read_bytes())
        snapshot(path)
        paths.append(path)
        os.utime(cache.snapshot_path(str(path), "None:False"), (k, k))  # older first
    kept = sorted(cache.cache_dir().glob("*.snapshot"))
    assert len(kept) == cache.KEEP
    assert not cache.snapshot_path(str(paths[0]), "None:False").exists()
    assert cache.snapshot_path(str(paths[-1]), "None:False").exists()


def test_a_file_that_changes_while_it_is_read_gets_no_snapshot(tmp_path: Path) -> None:
    path = story_copy(tmp_path)
    fresh = load_path(str(path), snapshot=True)
    assert fresh.snapshot_due is not None
    path.write_bytes(path.read_bytes() + b"\n")
    cache.write(str(path), fresh.snapshot_due, fresh.timeline, fresh.warnings, fresh.skipped)
    assert not list(cache.cache_dir().glob("*.snapshot"))


def test_a_reopened_timeline_reads_its_search_text_only_when_a_query_needs_it(
    tmp_path: Path,
) -> None:
    """The app makes all text ahead for a file it has read (the predicate's first key),
    not for a snapshot (its saved word index answers; all text is 0.4 GB at a million)."""
    path = story_copy(tmp_path)
    fresh = load_path(str(path)).timeline
    cached = snapshot(path)
    fresh.prepare_search()
    cached.prepare_search()
    assert list(fresh._columns) == ["text"] and cached._columns == {}
    assert parse_query("soldiers", cached.latest_year).filter(cached) == parse_query(
        "soldiers", fresh.latest_year
    ).filter(fresh)
    assert cached.column("text") == fresh.column("text")
