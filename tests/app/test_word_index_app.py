"""Above SYNC_FILTER_LIMIT events the app builds the timeline's word index in a thread of
its own, and the filter reads it once it is there: the same results as the predicate,
without testing every event; a reload builds the new timeline's index."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import BUNDLED
from tests.support.app import filtered, make_app, ready, shown_ids, until
from tui.model.query import Query, parse_query
from tui.screens import main


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(main, "SYNC_FILTER_LIMIT", 5)


def expected(app: object, text: str) -> list[str]:
    timeline = app.timeline  # type: ignore[attr-defined]
    return [timeline[i].id for i in parse_query(text, timeline).filter(timeline)]


@pytest.mark.parametrize(
    "text",
    ["kursk", '"north korea"', "tag:pow -status:context", "by:nis OR actor:ukraine", "nis"],
)
async def test_above_the_limit_the_filter_reads_the_word_index(
    small_limit: None, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)  # the index's thread is among the workers waited for
        index = app.main.word_index
        assert index is not None and index.timeline is app.timeline
        # The predicate's texts are let go (and made no more ahead) once the index is there
        assert await asyncio.to_thread(app.background_done.wait, 10)
        assert not app.timeline.has_column("text")

        # From now on a filter that tested every event would fail the test.
        def no_predicate(self: Query, *args: object, **kwargs: object) -> None:
            raise AssertionError("the filter tested every event")

        monkeypatch.setattr(Query, "filter", no_predicate)
        await pilot.press("slash", *text)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.query_one("#filter", Input).value == text
        monkeypatch.undo()
        assert shown_ids(app) == expected(app, text)
        assert shown_ids(app)  # each finds something in the story


async def test_a_reload_builds_the_index_of_the_new_timeline(
    small_limit: None, tmp_path: Path
) -> None:
    path = tmp_path / "live.json"
    events = [
        {"id": f"e{i}", "date": f"2025-01-{i + 1:02d}", "title": f"Alpha {i}"} for i in range(8)
    ]
    path.write_text(json.dumps({"events": events}))
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        first = app.main.word_index
        assert first is not None and first.timeline is app.timeline
        events[0]["title"] = "Beta"
        path.write_text(json.dumps({"events": events}))
        await until(pilot, lambda: app.timeline is not first.timeline)
        await until(
            pilot, lambda: app.main.word_index is not None and app.main.word_index is not first
        )
        assert app.main.word_index is not None
        assert app.main.word_index.timeline is app.timeline
        await pilot.press("slash", *"beta")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert shown_ids(app) == ["e0"]


async def test_below_the_limit_no_index_is_built() -> None:
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        assert app.main.word_index is None


async def test_above_the_limit_the_facets_are_counted_over_the_index(
    small_limit: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.model.events import Timeline
    from tui.output.stats import facet_counts
    from tui.screens.facets import FacetsScreen

    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        await filtered(pilot, "kursk")
        shown = list(app.main.shown_positions())
        walked = facet_counts(app.timeline, shown)

        # From now on a facet count that read the events' columns would fail the test.
        def no_columns(self: Timeline, name: str) -> None:
            raise AssertionError(f"the facets read the {name} column")

        monkeypatch.setattr(Timeline, "column", no_columns)
        await pilot.press("f")
        screen = app.screen
        assert isinstance(screen, FacetsScreen)
        monkeypatch.undo()
        assert screen.counts == walked
        assert screen.total == len(shown) < len(app.timeline)


async def test_bare_words_read_the_first_words_while_the_rest_of_the_index_is_built(
    small_limit: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from tui.model import word_index

    rest = threading.Event()
    all_text = threading.Event()
    build, merge = word_index._field_index, word_index._merged

    def merged(*args: object) -> object:
        found = merge(*args)  # type: ignore[arg-type]
        all_text.set()
        return found

    def held(*args: object) -> object:
        """The fields after all text's (the first words) wait for the test."""
        if all_text.is_set():
            rest.wait(10)
        return build(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(word_index, "_merged", merged)
    monkeypatch.setattr(word_index, "_field_index", held)
    app = make_app(BUNDLED)
    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.loaded and app.main.word_index is not None)
        first = app.main.word_index
        assert first is not None and not first.complete
        texts = ("kursk soldiers", "tag:pow", "status:claimed")
        wanted = {text: expected(app, text) for text in texts}
        real = Query.filter
        tested: list[str] = []  # the queries the predicate tested events for

        def watched(self: Query, *args: object, **kwargs: object) -> object:
            tested.append(self.source)
            return real(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Query, "filter", watched)
        for text in texts:
            filter_input = app.query_one("#filter", Input)
            filter_input.value = text
            await until(pilot, lambda text=text: app.main.positions_text == text)
            assert shown_ids(app) == wanted[text]
        # Bare words and all text's fields were found over the first words.
        assert tested == ["status:claimed"]
        rest.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.main.word_index is not None and app.main.word_index.complete
