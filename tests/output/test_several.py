"""`print` of several files (DESIGN.md §6): each event's file in the text and Markdown, and
the events marked the same as the one shown, under it."""

from __future__ import annotations

from tests.conftest import SEVERAL
from tui.model.combining import combine, file_names, merge_same
from tui.model.loading import load_path
from tui.model.sidecar import SameAs, Sidecar
from tui.output.markdown import markdown_lines
from tui.output.render import plain, text_lines

PATHS = [str(SEVERAL / "newsroom.json"), str(SEVERAL / "wire.csv")]


def merged() -> object:
    timeline = combine(file_names(PATHS), [load_path(p) for p in PATHS]).timeline
    return merge_same(timeline, [["newsroom.json:capture", "wire.csv:capture"]])


def test_text_names_each_events_file_and_what_it_is_shown_for() -> None:
    timeline = merged()
    at = [timeline.position["newsroom.json:capture"]]  # type: ignore[attr-defined]
    lines = list(text_lines(timeline, at, 100))  # type: ignore[arg-type]
    assert lines[-3:] == [
        [(" " * 27 + "newsroom.json", "dim")],
        [(" " * 27 + "same as: Two North Korean soldiers captured by Ukraine in Kursk", "dim")],
        [(" " * 27 + "(wire.csv: wire.csv:capture)", "dim")],
    ]
    drones = [timeline.position["drones"]]  # type: ignore[attr-defined]
    assert plain(list(text_lines(timeline, drones, 100))[-1]).strip() == "wire.csv"  # type: ignore[arg-type]


def test_markdown_names_each_events_file_and_what_it_is_shown_for() -> None:
    timeline = merged()
    at = [timeline.position["newsroom.json:capture"]]  # type: ignore[attr-defined]
    lines = list(markdown_lines(timeline, at))  # type: ignore[arg-type]
    assert "  newsroom.json · Kursk region, Russia" in lines
    assert (
        "  same as: Two North Korean soldiers captured by Ukraine in Kursk"
        " (wire.csv: wire.csv:capture)" in lines
    )


def test_links_are_added_and_removed_one_at_a_time(tmp_path: object) -> None:
    from pathlib import Path

    story = Path(str(tmp_path)) / "s.json"
    sidecar = Sidecar.for_file(str(story))
    sidecar.set_same("a", SameAs("b"), False)  # nothing to remove: nothing happens
    sidecar.set_same("a", SameAs("b"), True)
    sidecar.set_same("a", SameAs("c", "other.csv"), True)
    assert sidecar.same == {"a": [SameAs("b"), SameAs("c", "other.csv")]}
    sidecar.set_same("a", SameAs("b"), False)
    assert sidecar.same == {"a": [SameAs("c", "other.csv")]}
    sidecar.set_same("a", SameAs("c", "other.csv"), False)
    assert sidecar.same == {} and sidecar.events == {}


def test_one_files_events_marked_the_same_name_no_file() -> None:
    from tui.model.loading import load_bytes

    timeline = load_bytes(
        b'{"events": [{"id": "x", "date": "2025", "title": "X"},'
        b' {"id": "y", "date": "2025", "title": "Y"}]}',
        "s.json",
    ).timeline
    lines = list(text_lines(merge_same(timeline, [["x", "y"]]), [0], 80))
    assert plain(lines[-1]).strip() == "same as: Y (y)"


def test_a_link_is_added_beside_a_same_as_that_makes_no_sense_which_is_kept(
    tmp_path: object,
) -> None:
    import json
    from pathlib import Path

    story = Path(str(tmp_path)) / "s.json"
    notes = story.with_name("s.notes.json")
    notes.write_text(json.dumps({"events": {"a": {"same_as": "bad"}}}))
    sidecar = Sidecar.for_file(str(story))
    sidecar.set_same("a", SameAs("c"), True)
    assert json.loads(notes.read_text())["events"] == {"a": {"same_as": ["bad", {"id": "c"}]}}
    sidecar.set_same("a", SameAs("c"), False)  # what makes no sense stays, said
    assert json.loads(notes.read_text())["events"] == {"a": {"same_as": ["bad"]}}
