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
