"""A big file's first open leaves a snapshot behind; the next open shows the same
list from it."""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from pathlib import Path

import pytest
from textual.events import Key

from tests.conftest import BUNDLED
from tests.support.app import (
    current_id,
    event_list,
    filtered,
    make_app,
    ready,
    wait_for_exit,
    write_events,
)
from tui import cli
from tui.app import TimelineApp, timeline_app
from tui.model import cache, loading
from tui.model.cache import CachedTimeline
from tui.model.problems import Unreadable


def screen_lines(app: TimelineApp) -> list[str]:
    lst = event_list(app)
    return ["".join(s.text for s in lst.render_line(y)) for y in range(lst.size.height)]


async def test_the_next_open_of_a_big_file_comes_from_its_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)  # as if the story were big
    monkeypatch.setattr(timeline_app, "SYNC_LOAD_BYTES", 0)
    path = tmp_path / "story.json"
    shutil.copy(BUNDLED, path)
    where = cache.snapshot_path(str(path), "None:False")

    first = make_app(path)
    async with first.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        assert not isinstance(first.timeline, CachedTimeline)
        assert await asyncio.to_thread(first.background_done.wait, 10)
        assert where.exists()
        await pilot.press("j", "j")
        before = screen_lines(first)

    second = make_app(path)
    async with second.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        assert isinstance(second.timeline, CachedTimeline)
        await pilot.press("j", "j")
        assert screen_lines(second) == before
        await pilot.press("slash", *"soldiers", "enter")
        await pilot.pause()
        assert 0 < len(event_list(second).positions) < len(second.timeline)
        await pilot.press("escape", "enter")
        await pilot.pause()
        assert type(second.screen).__name__ == "EventScreen"


async def test_the_next_open_of_a_big_file_reads_its_word_index_instead_of_building_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.model.word_index import WordIndex
    from tui.screens import main

    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)  # as if the story were big
    monkeypatch.setattr(main, "SYNC_FILTER_LIMIT", 5)  # and had an index
    path = tmp_path / "story.json"
    shutil.copy(BUNDLED, path)
    saved = cache.snapshot_path(str(path), "None:False").with_suffix(cache.INDEX_SUFFIX)

    first = make_app(path)
    async with first.run_test(size=(110, 30)) as pilot:
        await ready(pilot)  # the index's thread is among the workers waited for
        assert first.main.word_index is not None
        assert saved.exists()
        found = await filtered(pilot, "kursk OR tag:pow")

    # From now on an index that was built rather than read would fail the test.
    def no_build(self: WordIndex, *args: object, **kwargs: object) -> None:
        raise AssertionError("the index was built again")

    monkeypatch.setattr(WordIndex, "__init__", no_build)
    second = make_app(path)
    async with second.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        assert isinstance(second.timeline, CachedTimeline)
        index = second.main.word_index
        assert index is not None and index.timeline is second.timeline
        assert await filtered(pilot, "kursk OR tag:pow") == found
        assert 0 < len(found) < len(second.timeline)


async def test_a_saved_word_index_lost_under_the_app_is_built_again_meanwhile_the_predicate_answers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its file cut short or removed under the open app: DuckDB then fails a keystroke's
    read of its words, which is a ValueError (cache.SavedDatabase), never a crash."""
    from tui.model import index_file
    from tui.model.word_index import FieldIndex
    from tui.screens import main

    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)  # as if the story were big
    monkeypatch.setattr(main, "SYNC_FILTER_LIMIT", 5)  # and had an index
    path = tmp_path / "story.json"
    shutil.copy(BUNDLED, path)
    first = make_app(path)
    async with first.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        found = await filtered(pilot, "kursk OR tag:pow")

    def cut_short(self: object, word: str) -> object:
        raise ValueError("story.index can no longer be read: IO Error")

    saved = cache.snapshot_path(str(path), "None:False").with_suffix(cache.INDEX_SUFFIX)
    written = saved.stat().st_mtime_ns

    app = make_app(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        lost = app.main.word_index
        assert lost is not None and isinstance(lost.fields["text"], index_file.SavedField)
        monkeypatch.setattr(index_file.SavedField, "prefixed", cut_short)
        assert await filtered(pilot, "kursk OR tag:pow") == found and app.is_running
        assert any("can no longer be read" in n.message for n in app._notifications)
        rebuilt = app.main.word_index
        assert rebuilt is not None and rebuilt is not lost
        assert isinstance(rebuilt.fields["text"], FieldIndex)  # built from the events
        await pilot.press("escape")
        assert 0 < len(await filtered(pilot, "soldiers")) < len(app.timeline)
    assert saved.stat().st_mtime_ns != written  # saved again over the lost one


def test_the_snapshot_waits_for_the_word_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both take the interpreter's time (a snapshot makes every column again); the index
    is what the user waits for, the snapshot only speeds up the next open."""
    import threading

    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)
    path = tmp_path / "story.json"
    shutil.copy(BUNDLED, path)
    loaded = loading.load_path(str(path), snapshot=True)
    written: list[str] = []
    monkeypatch.setattr(cache, "write", lambda path, *args: written.append(path))
    index_built, done = threading.Event(), threading.Event()
    thread = threading.Thread(
        target=timeline_app.prepare,
        args=(loaded.timeline, [(str(path), loaded)], done, print, index_built),
    )
    thread.start()
    assert not done.wait(0.3) and written == []
    index_built.set()
    thread.join(5)
    assert done.is_set() and written == [str(path)]


def test_catching_up_waits_for_the_first_words_of_the_index(tmp_path: Path) -> None:
    """Fingerprinting every event takes seconds at a million: the words a bare word
    searches come first."""
    import threading

    from tui.app.catching_up import CatchingUp, CaughtUp

    timeline = loading.load_path(str(BUNDLED)).timeline
    posted: list[object] = []
    first_words = threading.Event()
    catching_up = CatchingUp("story", write=False)
    catching_up.start(timeline, posted.append, first_words)
    assert not catching_up.done.wait(0.3) and posted == []
    first_words.set()
    assert catching_up.done.wait(5)
    assert [type(message) for message in posted] == [CaughtUp]


async def test_a_snapshot_cut_short_under_the_app_ends_it_as_bad_input_and_is_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Something that truncates the snapshot in place under the open app: DuckDB fails
    the next read of events it had not read yet (problems.Unreadable). The app ends as on a
    file it can't read, exit code 2 and no traceback, and removes the snapshot, so that
    the next open reads the file afresh rather than failing again. The command line
    says so (tests/cli: its sentence)."""
    monkeypatch.setattr(loading, "SNAPSHOT_AT_LEAST", 0)  # as if the file were big
    noise = hashlib.sha256()
    events = []
    for n in range(20000):  # events over several of DuckDB's blocks (256 KB)
        noise.update(b"%d" % n)
        summary = noise.hexdigest() * 8  # not compressed away
        events.append(
            {"id": f"e{n}", "date": "2025-01-09", "title": f"Event {n}", "summary": summary}
        )
    path = write_events(tmp_path / "big.json", events)
    fresh = loading.load_path(str(path), snapshot=True)
    assert fresh.snapshot_due is not None
    cache.write(str(path), fresh.snapshot_due, fresh.timeline, fresh.warnings, fresh.skipped)
    where = cache.snapshot_path(str(path), "None:False")

    app = make_app(path)
    async with app.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        assert isinstance(app.timeline, CachedTimeline)
        with where.open("r+b") as snapshot:
            snapshot.truncate(0)  # in place: the app's open file is this one
        for key in ("slash", *"12345", "enter"):  # to an event far from those shown
            # Posted, not pressed: the pilot would wait for a screen that is ending.
            app.post_message(Key(key, "/" if key == "slash" else key))
        await wait_for_exit(pilot)
        assert app.return_code == 2
        assert isinstance(app.unreadable, Unreadable)
        assert "can no longer be read" in str(app.unreadable)
    with pytest.raises(SystemExit) as ended:  # what the command line does then
        cli.fail_unreadable(app.unreadable)
    assert ended.value.code == 2 and not where.exists()
    assert "it is removed" in capsys.readouterr().err
    again = make_app(path)
    async with again.run_test(size=(110, 30)) as pilot:
        await ready(pilot)
        assert not isinstance(again.timeline, CachedTimeline)  # read from the file
        await pilot.press("end")
        assert app.return_code == 2 and again.return_code is None
        assert current_id(again) == "e19999"
