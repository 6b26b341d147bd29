"""The notes files of several files as one (DESIGN.md §6): each event's notes read from and
written to its own file's sidecar under its own id; views from all, saved in the first."""

from __future__ import annotations

import json
from pathlib import Path

from tui.model.combining import assembled, file_names
from tui.model.loading import load_path
from tui.model.sidecar import Annotation
from tui.model.sidecars import Sidecars


def opened(paths: list[str], writable: bool = True) -> Sidecars:
    sidecars = Sidecars(paths, writable=writable)
    assembled(file_names(paths), [load_path(p) for p in paths], sidecars)
    return sidecars


def notes_of(path: str) -> dict[str, object]:
    stem = Path(path).with_suffix("").name
    data: dict[str, object] = json.loads(Path(path).with_name(f"{stem}.notes.json").read_text())
    return data


def test_before_a_file_is_open_there_is_nothing_and_nothing_is_saved() -> None:
    nothing = Sidecars.nothing()
    assert nothing.path is None and not nothing.saves and not nothing.writable
    assert nothing.get("x") == Annotation() and nothing.events == {} and nothing.views == {}
    assert nothing.read_problem is None and nothing.warnings == []


def test_each_change_goes_to_the_events_own_file_under_its_own_id(
    several_files: list[str],
) -> None:
    sidecars = opened(several_files)
    assert sidecars.path == Path(several_files[0]).with_name("newsroom.notes.json")
    sidecars.set_note("wire.csv:capture", "Call the agency")
    assert sidecars.path == Path(several_files[1]).with_name("wire.notes.json")
    assert sidecars.saves and sidecars.writable
    assert sidecars.toggle_label("newsroom.json:capture", "verify") is True
    sidecars.set_starred("drones", True)
    assert notes_of(several_files[1])["events"] == {
        "capture": {"note": "Call the agency"},
        "drones": {"starred": True},
    }
    assert notes_of(several_files[0])["events"] == {"capture": {"labels": ["verify"]}}
    assert sidecars.get("wire.csv:capture").note == "Call the agency"
    assert sidecars.get("newsroom.json:capture").labels == ("verify",)
    assert sidecars.starred() == ["drones"]
    assert sidecars.labels() == ["verify"]
    layer = sidecars.layer(["nis"])
    assert layer.notes == {"wire.csv:capture": "Call the agency"}
    assert layer.starred == {"drones"} and layer.new == {"nis"}
    assert layer.labels == {"newsroom.json:capture": ("verify",)}
    assert sidecars.owner("nis") == (0, "nis") and sidecars.owner("offer-x") == (0, "offer-x")
    assert sidecars.orphans({"drones", "wire.csv:capture"}) == ["newsroom.json:capture"]


def test_views_come_from_every_file_and_are_saved_in_the_first(
    several_files: list[str],
) -> None:
    wire_notes = Path(several_files[1]).with_name("wire.notes.json")
    wire_notes.write_text(json.dumps({"views": {"wire": "file:wire", "both": "kursk"}}))
    sidecars = opened(several_files)
    sidecars.save_view("both", "soldiers")
    assert sidecars.views == {"wire": "file:wire", "both": "soldiers"}  # the first file's wins
    assert notes_of(several_files[0])["views"] == {"both": "soldiers"}
    assert sidecars.path == Path(several_files[0]).with_name("newsroom.notes.json")


def test_old_bookmarks_become_stars_in_the_one_files_sidecar(several_files: list[str]) -> None:
    sidecars = opened(several_files[:1])
    sidecars.star_all(["capture", "nis"])
    assert sidecars.starred() == ["capture", "nis"]
    assert notes_of(several_files[0])["events"] == {
        "capture": {"starred": True},
        "nis": {"starred": True},
    }


def test_read_only_changes_last_the_session(several_files: list[str]) -> None:
    sidecars = opened(several_files, writable=False)
    sidecars.set_starred("wire.csv:capture", True)
    assert not sidecars.saves and not sidecars.writable
    assert sidecars.get("wire.csv:capture").starred
    assert not Path(several_files[1]).with_name("wire.notes.json").exists()


def test_links_to_a_file_not_open_or_an_id_not_in_it_are_left_out(
    several_files: list[str], tmp_path: Path
) -> None:
    notes = Path(several_files[0]).with_name("newsroom.notes.json")
    notes.write_text(
        json.dumps(
            {
                "events": {
                    "capture": {
                        "same_as": [
                            {"file": "elsewhere.csv", "id": "capture"},
                            {"file": "wire.csv", "id": "capture"},
                            {"id": "nis"},
                        ]
                    }
                }
            }
        )
    )
    sidecars = Sidecars(several_files)
    parts = [load_path(p) for p in several_files]
    timeline = assembled(file_names(several_files), parts, sidecars).timeline
    assert [e.id for e in timeline.same["newsroom.json:capture"]] == ["wire.csv:capture", "nis"]
    assert sidecars.owner("nis") == (0, "nis")  # hidden in the group, still its own file's
    assert sidecars.owner("wire.csv:capture") == (1, "capture")


def test_a_link_to_standard_input_is_kept_in_its_own_notes_only(
    several_files: list[str],
) -> None:
    paths = [several_files[0], "-"]
    sidecars = Sidecars(paths)
    sidecars.attach(
        assembled(
            file_names(paths),
            [load_path(several_files[0]), load_path(several_files[1])],
            None,
        ).timeline
    )
    sidecars.set_same("newsroom.json:capture", "<stdin>:capture", True)
    assert not Path(several_files[0]).with_name("newsroom.notes.json").exists()
    ((link,),) = sidecars.parts[1].same.values()  # from here (the working folder)
    assert link.id == "capture" and Path(str(link.file)).resolve() == Path(several_files[0])
    assert sidecars.same_groups(sidecars.timeline) == [["<stdin>:capture", "newsroom.json:capture"]]
    assert sidecars.path is None  # the last written: standard input's, in memory


def test_two_events_of_one_file_are_linked_without_a_file(several_files: list[str]) -> None:
    sidecars = opened(several_files[:1])
    sidecars.set_same("nis", "offer", True)
    assert notes_of(several_files[0])["events"] == {
        "nis": {"same_as": [{"id": "offer"}]},
        "offer": {"same_as": [{"id": "nis"}]},
    }


def test_same_as_that_is_not_an_array_is_said_and_kept(tmp_path: Path) -> None:
    story = tmp_path / "s.json"
    story.write_text(json.dumps({"events": [{"id": "a", "date": "2025", "title": "A"}]}))
    notes = tmp_path / "s.notes.json"
    notes.write_text(json.dumps({"events": {"a": {"same_as": "b"}}}))
    sidecars = Sidecars([str(story)])
    assert sidecars.warnings == [
        f'{notes}: $.events["a"].same_as: expected an array of links, found a string'
    ]
    assert sidecars.parts[0].same == {}
