"""Several files as one timeline (DESIGN.md §6): what each event keeps of its file, ids
two files share, named sources two files define, and events marked the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tui.model.combining import assembled, combine, file_names, merge_same, same_files
from tui.model.events import Relation
from tui.model.loading import Loaded, load_bytes, load_path
from tui.model.sidecars import Sidecars


def loaded(events: list[dict[str, Any]], **top: Any) -> Loaded:
    return load_bytes(json.dumps({**top, "events": events}).encode(), "x.json")


def test_each_event_knows_its_file_and_ids_two_files_share_are_kept_as_file_id() -> None:
    first = loaded(
        [
            {"id": "a", "date": "2025-01-02", "title": "A one", "related": [{"id": "b"}]},
            {"id": "b", "date": "2025-01-01", "title": "B one"},
        ]
    )
    second = loaded(
        [
            {"id": "b", "date": "2025-01-03", "title": "B two", "related": [{"id": "b0"}]},
            {"id": "b0", "date": "2025-01-01", "title": "Only here"},
        ]
    )
    both = combine(["one.json", "two.csv"], [first, second])
    timeline = both.timeline
    assert [e.id for e in timeline] == ["one.json:b", "b0", "a", "two.csv:b"]
    assert [timeline.file_of(e) for e in timeline] == ["one.json", "two.csv", "one.json", "two.csv"]
    # A relation inside a file keeps pointing at its own file's event.
    assert timeline.get("a").related[0].id == "one.json:b"  # type: ignore[union-attr]
    assert timeline.get("two.csv:b").related[0].id == "b0"  # type: ignore[union-attr]
    assert timeline.own_id(timeline.events[0]) == "b" and timeline.own_id(timeline[1]) == "b0"
    assert timeline.column("file") == ["\x1fone.json\x1f", "\x1ftwo.csv\x1f"] * 2
    (clash,) = both.warnings
    assert clash.format("") == (
        'one.json, two.csv: warning: id "b" is in one.json and two.csv: each kept, shown as'
        " one.json:b and two.csv:b"
    )
    assert timeline.title == "one.json + two.csv"


def test_named_sources_two_files_define_differently_are_both_kept() -> None:
    first = loaded(
        [{"id": "a", "date": "2025", "title": "A", "sources": [{"ref": "w"}, {"ref": "same"}]}],
        sources={"w": {"title": "Wire one"}, "same": {"title": "Same"}},
        title="One",
    )
    second = loaded(
        [{"id": "b", "date": "2025", "title": "B", "sources": [{"ref": "w"}, {"ref": "same"}]}],
        sources={"w": {"title": "Wire two"}, "same": {"title": "Same"}},
        title="Two",
    )
    timeline = combine(["1.json", "2.json"], [first, second]).timeline
    assert sorted(timeline.sources) == ["1.json:w", "2.json:w", "same"]
    labels = {e.id: [timeline.source_label(ref) for ref in e.sources] for e in timeline}
    assert labels == {"a": ["Wire one", "Same"], "b": ["Wire two", "Same"]}
    assert timeline.title == "One + Two"


def test_problems_name_their_file() -> None:
    first = loaded([{"id": "a", "date": "2025", "title": "A", "tittle": "typo"}])
    second = loaded([{"id": "b", "date": "2025", "title": "B"}])
    (problem,) = combine(["1.json", "2.json"], [first, second]).warnings
    assert problem.format("ignored").startswith("1.json:1:")


def test_file_names_tell_files_of_one_name_apart_and_a_file_given_twice_is_found() -> None:
    assert file_names(["a/story.json", "b/story.json", "x.csv", "-"]) == [
        "a/story.json",
        "b/story.json",
        "x.csv",
        "<stdin>",
    ]
    assert same_files(["a.json", "./a.json"]) == "./a.json"
    assert same_files(["a.json", "b.json", "-"]) is None


def test_events_marked_the_same_are_shown_once_with_the_sources_of_both() -> None:
    timeline = loaded(
        [
            {"id": "x", "date": "2025-01-09", "title": "X", "sources": [{"title": "S1"}]},
            {"id": "y", "date": "2025-01-10", "title": "Y", "sources": [{"title": "S2"}]},
            {"id": "z", "date": "2025-01-11", "title": "Z", "related": [{"id": "y"}]},
        ]
    ).timeline
    merged = merge_same(timeline, [["y", "x"], ["nothere", "z"]])
    assert [e.id for e in merged] == ["x", "z"]
    shown = merged.get("y")
    assert shown is not None and shown.id == "x"  # its id leads to the one shown
    assert [ref.title for ref in shown.sources] == ["S1", "S2"]
    assert [e.id for e in merged.same["x"]] == ["y"]
    assert merged.get("z").related[0].id == "x"  # type: ignore[union-attr]
    assert merge_same(timeline, [["x"], ["nothere"]]) is timeline


def test_marking_the_same_across_files_writes_each_sidecar_and_is_read_back(
    several_files: list[str],
) -> None:
    paths = several_files
    tmp_path = Path(paths[0]).parent
    parts = [load_path(path) for path in paths]
    sidecars = Sidecars(paths)
    names = file_names(paths)
    timeline = assembled(names, parts, sidecars).timeline
    assert len(timeline) == 7
    sidecars.set_same("newsroom.json:capture", "wire.csv:capture", True)
    sidecars.set_starred("wire.csv:capture", True)
    ours = json.loads((tmp_path / "newsroom.notes.json").read_text())
    theirs = json.loads((tmp_path / "wire.notes.json").read_text())
    assert ours["events"] == {"capture": {"same_as": [{"file": "wire.csv", "id": "capture"}]}}
    assert theirs["events"] == {
        "capture": {"same_as": [{"file": "newsroom.json", "id": "capture"}], "starred": True}
    }
    again = Sidecars(paths)
    timeline = assembled(names, [load_path(path) for path in paths], again).timeline
    assert len(timeline) == 6
    shown = timeline.get("wire.csv:capture")
    assert shown is not None and shown.id == "newsroom.json:capture"
    assert len(shown.sources) == 2  # the newsroom's wire and the agency's report
    assert again.get("wire.csv:capture").starred  # the star stays on its own event
    assert again.owner("wire.csv:capture") == (1, "capture")
    # Opened alone, a file whose partner is not open shows its events as they are.
    alone = assembled(names[:1], [load_path(paths[0])], Sidecars(paths[:1])).timeline
    assert len(alone) == 4 and not alone.same
    again.set_same("newsroom.json:capture", "wire.csv:capture", False)
    assert (
        "same_as" not in json.loads((tmp_path / "wire.notes.json").read_text())["events"]["capture"]
    )
    assert "capture" not in json.loads((tmp_path / "newsroom.notes.json").read_text())["events"]


def test_a_bad_same_as_is_said_and_kept(tmp_path: Path) -> None:
    story = tmp_path / "s.json"
    story.write_text(json.dumps({"events": [{"id": "a", "date": "2025", "title": "A"}]}))
    notes = tmp_path / "s.notes.json"
    notes.write_text(json.dumps({"events": {"a": {"same_as": [3, {"id": "b"}]}}}))
    sidecars = Sidecars([str(story)])
    assert sidecars.warnings == [
        f'{notes}: $.events["a"].same_as[0]: expected {{"id": …}} (and "file" for another'
        " file's event), found a number"
    ]
    assert sidecars.parts[0].same == {"a": [sidecars.parts[0].same["a"][0]]}
    sidecars.set_starred("a", True)
    assert json.loads(notes.read_text())["events"]["a"]["same_as"] == [3, {"id": "b"}]


def test_pairs_marked_the_same_that_share_an_event_make_one_group() -> None:
    timeline = loaded(
        [
            {"id": "c", "date": "2025-01-11", "title": "C", "sources": [{"title": "S3"}]},
            {"id": "b", "date": "2025-01-10", "title": "B", "sources": [{"title": "S2"}]},
            {"id": "a", "date": "2025-01-09", "title": "A", "sources": [{"title": "S1"}]},
            {"id": "d", "date": "2025-01-12", "title": "D"},
        ]
    ).timeline
    merged = merge_same(timeline, [["c", "b"], ["b", "a"]])
    assert [e.id for e in merged] == ["a", "d"]
    assert [e.id for e in merged.same["a"]] == ["b", "c"]
    assert [ref.title for ref in merged.events[0].sources] == ["S1", "S2", "S3"]
    assert merged.get("c") is merged.get("b") is merged.events[0]


def test_three_files_that_share_an_id_are_named_in_one_sentence() -> None:
    parts = [loaded([{"id": "x", "date": "2025", "title": t}]) for t in "ABC"]
    (clash,) = combine(["a.json", "b.csv", "c.ics"], parts).warnings
    assert clash.message == (
        'id "x" is in a.json, b.csv and c.ics: each kept, shown as a.json:x and b.csv:x and c.ics:x'
    )


def test_what_a_rename_keeps_and_what_it_leaves_alone() -> None:
    first = loaded(
        [
            {
                "id": "a",
                "date": "2025",
                "title": "A",
                "related": [{"id": "b", "rel": "confirms"}, {"id": "c"}],
            },
            {"id": "b", "date": "2025", "title": "B"},
            {"id": "c", "date": "2025", "title": "C", "sources": [{"title": "inline"}]},
        ],
    )
    second = loaded([{"id": "b", "date": "2025", "title": "B2"}], title="Second")
    first.skipped, second.skipped = 2, 1
    both = combine(["1.json", "2.json"], [first, second])
    assert both.skipped == 3
    timeline = both.timeline
    assert timeline.get("a").related == (  # type: ignore[union-attr]
        Relation("1.json:b", "confirms"),
        Relation("c"),
    )
    # An event nothing renames is the file's own, not a copy.
    assert timeline.get("c") is first.timeline.get("c")
    alone = assembled(["1.json"], [first], None)
    assert alone is first and not alone.timeline.files


def test_marked_the_same_keeps_the_file_and_relation_kinds_and_drops_a_link_to_itself() -> None:
    timeline = loaded(
        [
            {
                "id": "x",
                "date": "2025-01-09",
                "title": "X",
                "related": [{"id": "y", "rel": "confirms"}],
            },
            {"id": "y", "date": "2025-01-10", "title": "Y"},
            {
                "id": "z",
                "date": "2025-01-11",
                "title": "Z",
                "related": [{"id": "y", "rel": "follows"}, {"id": "x"}],
            },
        ],
        title="T",
        description="D",
        sources={"s": {"title": "S"}},
        extra_key="kept",
    ).timeline
    merged = merge_same(timeline, [["x", "y"]])
    assert merged.get("x").related == ()  # type: ignore[union-attr]
    assert merged.get("z").related == (Relation("x", "follows"), Relation("x"))  # type: ignore[union-attr]
    assert (merged.title, merged.description, list(merged.sources)) == ("T", "D", ["s"])
    assert merged.extra == timeline.extra == {"extra_key": "kept"}


def test_a_files_name_is_cleaned_before_it_is_shown() -> None:
    assert file_names(["ev\x1b[31mil.json", "b\x07.csv"]) == ["evil.json", "b.csv"]
