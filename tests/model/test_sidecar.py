"""The analyst's sidecar (DESIGN.md §6): what it writes, what it keeps, what it refuses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import BUNDLED
from tui.model.loading import load_path
from tui.model.query import QueryError, parse_query
from tui.model.sidecar import Annotation, Sidecar, sidecar_path


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.json"
    path.write_bytes(BUNDLED.read_bytes())
    return path


def test_the_sidecar_sits_beside_the_file_and_never_touches_it(story: Path) -> None:
    before = story.read_bytes()
    sidecar = Sidecar.for_file(str(story))
    sidecar.set_note("capture", "Ask the SBU for the video.\nSecond line.")
    sidecar.set_starred("announce", True)
    sidecar.toggle_label("announce", "verify")
    sidecar.save_view("pow", "tag:pow")
    assert story.read_bytes() == before
    written = json.loads((story.parent / "story.notes.json").read_text(encoding="utf-8"))
    assert written == {
        "file": "story.json",
        "events": {
            "announce": {"starred": True, "labels": ["verify"]},
            "capture": {"note": "Ask the SBU for the video.\nSecond line."},
        },
        "views": {"pow": "tag:pow"},
    }
    again = Sidecar.for_file(str(story))
    assert again.get("capture") == Annotation("Ask the SBU for the video.\nSecond line.")
    assert again.get("announce") == Annotation("", True, ("verify",))
    assert again.views == {"pow": "tag:pow"}
    assert again.warnings == []


def test_an_emptied_annotation_leaves_the_file(story: Path) -> None:
    sidecar = Sidecar.for_file(str(story))
    sidecar.set_starred("capture", True)
    assert sidecar.toggle_label("capture", "verify") is True
    assert sidecar.toggle_label("capture", "verify") is False
    sidecar.set_starred("capture", False)
    written = json.loads(sidecar_path(str(story)).read_text(encoding="utf-8"))  # type: ignore[union-attr]
    assert written["events"] == {}


def test_what_it_does_not_know_is_kept_and_a_wrong_file_name_is_said(story: Path) -> None:
    path = story.parent / "story.notes.json"
    path.write_text(
        json.dumps(
            {
                "file": "other.json",
                "same_as": [["a", "b"]],
                "events": {
                    "gone-id": {"note": "kept", "colour": "red"},
                    "capture": {"starred": "yes"},
                },
                "views": {"broken": 3},
            }
        ),
        encoding="utf-8",
    )
    sidecar = Sidecar.for_file(str(story))
    where = str(path)
    assert sidecar.warnings == [
        f'{where}: $.file: it annotates "other.json", not story.json',
        f'{where}: $.events["capture"].starred: expected true or false, found a string',
        f'{where}: $.views["broken"]: expected a query (a string), found a number',
    ]
    ids = {event.id for event in load_path(str(story)).timeline}
    assert sidecar.orphans(ids) == ["gone-id"]
    sidecar.set_note("announce", "new")
    written = json.loads(path.read_text(encoding="utf-8"))
    assert written["same_as"] == [["a", "b"]]
    assert written["events"]["gone-id"] == {"note": "kept", "colour": "red"}
    assert written["events"]["announce"] == {"note": "new"}
    assert written["file"] == "story.json"


def test_another_apps_change_is_not_lost(story: Path) -> None:
    first, second = Sidecar.for_file(str(story)), Sidecar.for_file(str(story))
    first.set_note("capture", "from the first")
    second.set_starred("announce", True)  # reads the file again before writing
    final = Sidecar.for_file(str(story))
    assert final.get("capture").note == "from the first"
    assert final.get("announce").starred


def test_an_unreadable_sidecar_is_never_written_over(story: Path) -> None:
    path = story.parent / "story.notes.json"
    path.write_text('{"events": {"capture": ', encoding="utf-8")
    sidecar = Sidecar.for_file(str(story))
    assert sidecar.warnings == [
        f"{path}:1:24: not valid JSON (Expecting value); notes are not saved until it is fixed"
    ]
    sidecar.set_starred("capture", True)
    assert sidecar.get("capture").starred  # for the session
    assert path.read_text(encoding="utf-8") == '{"events": {"capture": '


def test_read_only_keeps_changes_for_the_session_only(story: Path) -> None:
    sidecar = Sidecar.for_file(str(story), writable=False)
    sidecar.set_note("capture", "only here")
    assert sidecar.get("capture").note == "only here"
    assert not (story.parent / "story.notes.json").exists()


def test_standard_input_and_the_bundled_story(tmp_path: Path) -> None:
    assert sidecar_path("-") is None
    stdin = Sidecar.for_file("-")
    stdin.set_starred("capture", True)
    assert stdin.get("capture").starred and not stdin.saves
    bundled = sidecar_path(str(BUNDLED))
    assert bundled is not None
    assert bundled.parent == Path(os.environ["TIMELINE_DATA_DIR"])  # not the install's folder


def test_the_analyst_terms_of_the_filter(story: Path) -> None:
    timeline = load_path(str(story)).timeline
    sidecar = Sidecar.for_file(str(story))
    sidecar.set_note("capture", "Ask the Élysée; the SBU video")
    sidecar.set_starred("announce", True)
    sidecar.toggle_label("announce", "verify-date")
    sidecar.toggle_label("nis-confirms", "verify")
    sidecar.save_view("pow", "tag:pow")
    sidecar.save_view("starred-pow", "@pow is:starred")
    layer = sidecar.layer(new=["exchange-offer"])

    def found(query: str) -> list[str]:
        parsed = parse_query(query, timeline, sidecar.views)
        return [timeline[i].id for i in parsed.filter(timeline, layer=layer)]

    assert found("note:elysee") == ["capture"]
    assert found("note:video") == ["capture"]
    assert found("note:ideo") == []  # where a word starts, as everywhere
    assert found("is:noted") == ["capture"]
    assert found("is:starred") == ["announce"]
    assert found("is:new") == ["exchange-offer"]
    assert found("is:starred,new") == ["announce", "exchange-offer"]
    assert found("label:verify") == ["announce", "nis-confirms"]
    assert found("label:=verify") == ["nis-confirms"]
    assert found("-is:starred tag:pow") == [i for i in found("tag:pow") if i != "announce"]
    assert found("@pow") == found("tag:pow")
    assert found("@starred-pow") == ["announce"]
    assert found("@pow -@starred-pow") == [i for i in found("tag:pow") if i != "announce"]
    no_layer = parse_query("is:starred OR note:video", timeline).filter(timeline)
    assert no_layer == []


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("@nope", 'unknown view "@nope" (saved views: @a, @b, @bad, @pow) at column 1'),
        ("x @po", 'unknown view "@po"; did you mean "@pow"? at column 3'),
        ("@", "@ needs the name of a saved view at column 1"),
        ("x @a", 'the view "@a" uses itself (@a → @b → @a) at column 3'),
        (
            "@bad",
            'in the view @bad: unknown date "someday" (column 7 of "after:someday") at column 1',
        ),
        (
            "is:stared",
            'unknown "is:stared"; did you mean "is:starred"? (is: takes starred,'
            " noted, new) at column 4",
        ),
        ("is:", "is: needs a value at column 4"),
        ("label:", "label: needs a value at column 7"),
    ],
)
def test_view_and_layer_errors_point_at_their_column(query: str, message: str) -> None:
    views = {"a": "@b", "b": "x @a", "bad": "after:someday", "pow": "tag:pow"}
    with pytest.raises(QueryError) as caught:
        parse_query(query, 2025, views)
    assert str(caught.value) == message


def test_no_views_saved_says_how_to_save_one() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("@pow", 2025, {})
    assert str(caught.value) == (
        'unknown view "@pow" (no views are saved for this file; s in the app saves one) at column 1'
    )


def test_changing_one_thing_keeps_the_others(story: Path) -> None:
    sidecar = Sidecar.for_file(str(story))
    sidecar.set_starred("capture", True)
    sidecar.toggle_label("capture", "verify")
    sidecar.set_note("capture", "\n  indented, kept\n\n")
    assert sidecar.get("capture") == Annotation("  indented, kept", True, ("verify",))
    sidecar.set_starred("capture", False)
    assert sidecar.get("capture") == Annotation("  indented, kept", False, ("verify",))
    sidecar.toggle_label("capture", "ask")
    assert sidecar.get("capture") == Annotation("  indented, kept", False, ("verify", "ask"))
    sidecar.star_all(["capture", "announce"])
    assert sidecar.get("capture") == Annotation("  indented, kept", True, ("verify", "ask"))
    assert sidecar.get("announce") == Annotation("", True, ())
    sidecar.toggle_label("announce", "ask")
    assert sidecar.labels() == ["ask", "verify"]  # the most used first


def test_the_file_is_written_for_people_and_git(story: Path) -> None:
    sidecar = Sidecar(story.with_name("story.notes.json"), "story.json")  # writable by default
    sidecar.set_note("capture", "Élysée")
    assert story.with_name("story.notes.json").read_text(encoding="utf-8") == (
        '{\n  "file": "story.json",\n  "events": {\n    "capture": {\n'
        '      "note": "Élysée"\n    }\n  }\n}\n'
    )


def test_unknown_keys_of_a_changed_entry_and_entries_that_make_no_sense(story: Path) -> None:
    path = story.with_name("story.notes.json")
    path.write_text(
        json.dumps(
            {
                "events": {
                    "kept": {"note": "n", "colour": "red"},
                    "text": "oops",
                    "list": [1],
                    "flag": True,
                    "number": 3,
                    "none": None,
                    "null-note": {"note": None, "starred": 1, "labels": "x"},
                    "empty": {"labels": []},
                }
            }
        ),
        encoding="utf-8",
    )
    sidecar = Sidecar.for_file(str(story))
    where = f"{path}: $.events"
    assert sidecar.warnings == [
        f'{where}["text"]: expected an object, found a string',
        f'{where}["list"]: expected an object, found an array',
        f'{where}["flag"]: expected an object, found true or false',
        f'{where}["number"]: expected an object, found a number',
        f'{where}["null-note"].note: expected a string, found null',
        f'{where}["null-note"].starred: expected true or false, found a number',
        f'{where}["null-note"].labels: expected an array of strings, found a string',
    ]
    assert set(sidecar.events) == {"kept"}
    sidecar.set_starred("kept", True)
    sidecar.set_starred("text", True)  # what made no sense is replaced by what does
    written = json.loads(path.read_text(encoding="utf-8"))["events"]
    assert written["kept"] == {"note": "n", "colour": "red", "starred": True}
    assert written["text"] == {"starred": True}
    assert written["list"] == [1]  # untouched entries stay as they were


def test_a_sidecar_whose_shape_is_wrong_reads_as_empty_and_says_so(story: Path) -> None:
    path = story.with_name("story.notes.json")
    path.write_text('{"events": ["a"], "views": "tag:pow"}', encoding="utf-8")
    sidecar = Sidecar.for_file(str(story))
    assert sidecar.warnings == [
        f"{path}: $.events: expected an object, found an array",
        f"{path}: $.views: expected an object, found a string",
    ]
    assert sidecar.events == {} and sidecar.views == {} and sidecar.saves
    path.write_text("[1, 2]", encoding="utf-8")
    array = Sidecar.for_file(str(story))
    assert array.warnings == [
        f"{path}: expected a JSON object, found an array; notes are not saved until it is fixed"
    ]
    assert array.events == {} and array.views == {} and not array.saves
    path.write_bytes(b'{"events": {"a": {"note": "\xe9"}}}')
    latin = Sidecar.for_file(str(story))
    assert latin.warnings == [
        f"cannot read {path}: not UTF-8; notes are not saved until it is fixed"
    ]
    path.unlink()
    path.mkdir()
    folder = Sidecar.for_file(str(story))
    assert folder.warnings == [
        f"cannot read {path}: Is a directory; notes are not saved until it is fixed"
    ]


def test_read_only_changes_add_up_for_the_session(story: Path) -> None:
    sidecar = Sidecar.for_file(str(story), writable=False)
    sidecar.set_note("capture", "first")
    sidecar.set_note("announce", "second")
    assert sidecar.get("capture").note == "first" and sidecar.get("announce").note == "second"
    assert Sidecar.for_file("-").annotates == "<stdin>"
    assert Sidecar.for_file(str(story)).annotates == "story.json"


def test_notes_go_into_each_events_x_notes_for_the_data_formats(story: Path) -> None:
    from tui.model.sidecar import annotated

    timeline = load_path(str(story)).timeline
    marks = {
        "capture": Annotation("a note", True, ("verify",)),
        "announce": Annotation("", True, ()),
        "gone": Annotation("on an event no longer here"),
        "treaty": Annotation(),
    }
    with_notes = annotated(timeline, marks)
    assert [e.id for e in with_notes] == [e.id for e in timeline]  # the same order
    notes = {e.id: (e.extra or {}).get("x-notes") for e in with_notes}
    assert notes["capture"] == {"note": "a note", "starred": True, "labels": ["verify"]}
    assert notes["announce"] == {"starred": True}
    assert notes["treaty"] is None and notes["invasion"] is None
    assert with_notes.title == timeline.title and with_notes.sources == timeline.sources


def test_more_of_what_a_change_keeps_and_removes(story: Path) -> None:
    path = story.with_name("story.notes.json")
    path.write_text(
        json.dumps(
            {
                "file": "story.json",
                "events": {
                    "kept": {"note": "n", "colour": "red"},
                    "odd": {"note": 5, "starred": "yes"},
                    "text": "oops",
                },
                "views": {"v": {}},
            }
        ),
        encoding="utf-8",
    )
    sidecar = Sidecar.for_file(str(story))
    assert f'{path}: $.events["odd"].note: expected a string, found a number' in sidecar.warnings
    assert f'{path}: $.views["v"]: expected a query (a string), found an object' in (
        sidecar.warnings
    )
    sidecar.star_all(["kept", "text"])  # keeps what it does not know, replaces what is odd
    sidecar.set_note("kept", "")  # a note removed is gone from the file
    sidecar.set_starred("never-annotated", False)  # nothing to remove: no error
    sidecar.set_note("x", "Xylophone\n")
    written = json.loads(path.read_text(encoding="utf-8"))["events"]
    assert written["kept"] == {"colour": "red", "starred": True}
    assert written["text"] == {"starred": True}
    assert "never-annotated" not in written
    assert written["x"] == {"note": "Xylophone"}
    path.write_text('{"file": "story.json", "events": []}', encoding="utf-8")
    listless = Sidecar.for_file(str(story))
    listless.star_all(["a"])
    assert json.loads(path.read_text(encoding="utf-8"))["events"] == {"a": {"starred": True}}
    path.write_text('{"file": "story.json"}', encoding="utf-8")
    assert Sidecar.for_file(str(story)).warnings == []  # no events yet is no problem


def test_odd_values_read_as_nothing_not_as_null(story: Path) -> None:
    path = story.with_name("story.notes.json")
    path.write_text('{"events": {"a": {"note": 5, "starred": "yes", "labels": ["l"]}}}')
    assert Sidecar.for_file(str(story)).get("a") == Annotation("", False, ("l",))


def test_x_notes_skip_what_is_not_in_the_timeline_and_keep_the_file_record(story: Path) -> None:
    from tui.model.sidecar import annotated

    timeline = load_path(str(story)).timeline
    marks = {"gone": Annotation("n"), "capture": Annotation("kept")}  # the missing one first
    with_notes = annotated(timeline, marks)
    assert (with_notes.get("capture").extra or {})["x-notes"] == {"note": "kept"}  # type: ignore[union-attr]
    assert with_notes.description == timeline.description and timeline.description
    assert with_notes.extra == timeline.extra


def test_x_notes_keep_the_files_own_unknown_keys(tmp_path: Path) -> None:
    from tui.model.sidecar import annotated

    path = tmp_path / "f.json"
    path.write_text(
        json.dumps({"x-desk": "Seoul", "events": [{"id": "a", "date": "2025", "title": "A"}]}),
        encoding="utf-8",
    )
    timeline = load_path(str(path)).timeline
    assert annotated(timeline, {"a": Annotation("n")}).extra == {"x-desk": "Seoul"}
