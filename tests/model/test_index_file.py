"""A word index saved beside a file's snapshot answers as the index it was saved from, and
is never used for another version of the file, a damaged save or another layout."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyroaring import BitMap

from tests.conftest import BUNDLED
from tests.model.test_stores import queries, timelines
from tui.model import cache, index_file, loading
from tui.model.cache import CachedTimeline, Fingerprint, SnapshotPlace
from tui.model.events import Timeline
from tui.model.loading import load_path
from tui.model.query import QueryError, parse_query
from tui.model.word_index import LAST, FieldIndex, WordIndex
from tui.output.stats import FACET_NAMES

FINGERPRINT = Fingerprint(1, 2, "samples", "None:False")


def saved_and_read(index: WordIndex, folder: str, timeline: Timeline | None = None) -> WordIndex:
    place = SnapshotPlace(str(Path(folder) / "story.snapshot"), FINGERPRINT)
    index_file.write(place, index)
    again = index_file.read(place, timeline or index.timeline)
    assert again is not None
    return again


@settings(max_examples=60)
@given(st.data())
def test_a_saved_index_answers_as_the_index_it_was_saved_from(data: st.DataObject) -> None:
    timeline = data.draw(timelines())
    built = WordIndex(timeline, counted=FACET_NAMES)
    with tempfile.TemporaryDirectory() as folder:
        read = saved_and_read(built, folder)
    for name, field in built.fields.items():
        assert isinstance(field, FieldIndex)
        saved = read.fields[name]
        # Each word whole, some of their prefixes and parts, and what no word has
        prefixes = sorted({word[:k] for word in field.words for k in range(1, len(word) + 1)})
        parts = sorted(
            {word[i:j] for word in field.words for j in range(len(word) + 1) for i in range(j)}
        )
        asked = [*field.words, "", LAST, "zz-none"]
        asked += data.draw(st.lists(st.sampled_from(prefixes), max_size=8)) if prefixes else []
        for prefix in asked:
            assert saved.prefixed(prefix) == field.prefixed(prefix), (name, prefix)
        for part in data.draw(st.lists(st.sampled_from(parts), max_size=8)) if parts else []:
            assert saved.containing(part) == field.containing(part), (name, part)
        assert saved.containing("zz-none") == BitMap()
        assert dict(saved.values) == dict(field.values) and len(saved.values) == len(field.values)
        assert saved.values.get("zz-none") is None
    texts = [e.title for e in timeline] + [e.summary or "" for e in timeline if e.summary]
    for _ in range(5):
        text = data.draw(queries([t for t in texts if t]))
        try:
            query = parse_query(text, timeline)
        except QueryError:
            continue
        assert read.select(query).tolist() == built.select(query).tolist(), text
    every = range(len(timeline))
    for name in FACET_NAMES:
        assert read.text_counts(name, every) == built.text_counts(name, every)


@pytest.fixture
def story(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)  # as if the story were big
    path = tmp_path / "story.json"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def test_a_reopened_file_finds_its_index_beside_its_snapshot(story: Path) -> None:
    fresh = load_path(str(story), snapshot=True)
    assert fresh.snapshot_due is not None and fresh.cache_place is not None
    cache.write(str(story), fresh.snapshot_due, fresh.timeline, fresh.warnings, fresh.skipped)
    built = WordIndex(fresh.timeline, counted=FACET_NAMES)
    index_file.write(fresh.cache_place, built)
    again = load_path(str(story), snapshot=True)
    assert isinstance(again.timeline, CachedTimeline) and again.cache_place == fresh.cache_place
    read = index_file.read(again.cache_place, again.timeline)
    assert read is not None and read.timeline is again.timeline
    query = parse_query("kursk OR tag:pow -status:context", again.timeline)
    assert read.select(query).tolist() == built.select(query).tolist() != []


def test_an_index_is_not_used_once_its_file_has_changed(story: Path) -> None:
    fresh = load_path(str(story), snapshot=True)
    assert fresh.cache_place is not None
    index_file.write(fresh.cache_place, WordIndex(fresh.timeline, counted=FACET_NAMES))
    assert index_file.read(fresh.cache_place, fresh.timeline) is not None
    story.write_bytes(story.read_bytes().replace(b"Kursk", b"Kursq", 1))
    changed = load_path(str(story), snapshot=True)
    assert changed.cache_place is not None
    assert changed.cache_place.snapshot == fresh.cache_place.snapshot  # the same place
    assert index_file.read(changed.cache_place, changed.timeline) is None


DAMAGE = {
    "cut short": lambda data: data[: len(data) // 2],
    "not a database": lambda data: b"x" * len(data),
    "empty": lambda data: b"",
}
SQL_DAMAGE = {
    "a code out of range": "UPDATE numbers SET c_tag = 999999 WHERE pos = 0",
    "a facet's texts gone": "DROP TABLE texts_tag",
    "a grade missing": "DELETE FROM numbers WHERE pos = 3",
    "not our header": "UPDATE about SET about = 'x'::BLOB",
    "a word missing": "DELETE FROM words_title WHERE pos = 0",
    "a whole value missing": "DELETE FROM values_tag WHERE pos = 1",
    "a bitmap damaged": "UPDATE words_title SET bitmap = 'x'::BLOB WHERE pos = 0",
}


@pytest.mark.parametrize("damage", [*DAMAGE, *SQL_DAMAGE])
def test_a_damaged_index_is_ignored(damage: str, tmp_path: Path) -> None:
    timeline = load_path(str(BUNDLED)).timeline
    place = SnapshotPlace(str(tmp_path / "story.snapshot"), FINGERPRINT)
    built = WordIndex(timeline, counted=FACET_NAMES)
    index_file.write(place, built)
    where = cache.index_path(place)
    if damage in DAMAGE:
        where.write_bytes(DAMAGE[damage](where.read_bytes()))
    else:
        with duckdb.connect(str(where)) as connection:
            connection.execute(SQL_DAMAGE[damage])
    read = index_file.read(place, timeline)
    if damage == "a bitmap damaged":  # found when the word is read, not before
        assert read is not None
        title = built.fields["title"]
        assert isinstance(title, FieldIndex)
        with pytest.raises(ValueError, match="deserialize"):
            read.fields["title"].prefixed(title.words[0])
        assert read.fields["title"].prefixed(title.words[1]) == title.prefixed(title.words[1])
    else:
        assert read is None


def test_an_index_of_another_version_or_size_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    timeline = load_path(str(BUNDLED)).timeline
    place = SnapshotPlace(str(tmp_path / "story.snapshot"), FINGERPRINT)
    index_file.write(place, WordIndex(timeline, counted=FACET_NAMES))
    assert index_file.read(place, timeline) is not None
    shorter = Timeline(list(timeline.events)[:-1])
    assert index_file.read(place, shorter) is None
    monkeypatch.setattr(index_file, "VERSION", index_file.VERSION + 1)
    assert index_file.read(place, timeline) is None
    monkeypatch.undo()
    monkeypatch.setattr(index_file, "SNAPSHOT_VERSION", index_file.SNAPSHOT_VERSION + 1)
    assert index_file.read(place, timeline) is None


def test_an_index_goes_with_its_snapshot(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the KEEP most recently used snapshots stay, and an index only beside one."""
    monkeypatch.setattr(cache, "KEEP", 1)
    first, second = tmp_path / "a.snapshot", tmp_path / "b.snapshot"
    first.write_bytes(b"old")
    os_time = first.stat().st_mtime
    second.write_bytes(b"new")
    import os

    os.utime(first, (os_time - 10, os_time - 10))
    for snapshot in (first, second):
        snapshot.with_suffix(".index").write_bytes(b"index")
    (tmp_path / "orphan.index").write_bytes(b"index")
    cache._forget_old(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.index", "b.snapshot"]
