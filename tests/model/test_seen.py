"""Catching up: what a file held when it was last open, and what is new since."""

from __future__ import annotations

import json
from array import array
from pathlib import Path

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BUNDLED
from tui.model import seen
from tui.model.events import Timeline
from tui.model.loading import load_path
from tui.model.seen import fingerprint, fingerprints, read_seen, seen_path, write_seen


@pytest.mark.parametrize("numpy_from", [seen.NUMPY_FROM, 0])
def test_an_event_is_new_when_added_or_changed_not_when_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, numpy_from: int
) -> None:
    monkeypatch.setattr(seen, "NUMPY_FROM", numpy_from)  # 0: numpy sorts and compares
    timeline = load_path(str(BUNDLED)).timeline
    write_seen("/story.json", 1_700_000_000.5, fingerprints(timeline))
    stored = read_seen("/story.json")
    assert stored is not None and stored.at == 1_700_000_000.5
    assert list(stored.prints) == sorted(fingerprints(timeline))
    assert stored.new_in(timeline, fingerprints(timeline)) == set()
    events = list(timeline.events)
    capture = timeline.position["capture"]
    events[capture] = msgspec.structs.replace(events[capture], title="Revised")
    moved = [msgspec.structs.replace(e, order=n + 100) for n, e in enumerate(events)]
    extra = tmp_path / "late.json"
    extra.write_text('[{"id": "late", "date": "2025-02-01", "title": "Late"}]', encoding="utf-8")
    later = Timeline([*moved, *load_path(str(extra)).timeline])
    assert stored.new_in(later, fingerprints(later)) == {"capture", "late"}


def test_every_field_counts_as_a_change() -> None:
    event = load_path(str(BUNDLED)).timeline.get("capture")
    assert event is not None
    same = fingerprint(event)
    for change in (
        {"summary": "x"},
        {"tags": ("x",)},
        {"status": None},
        {"extra": {"x-y": 1}},
        {"id": "capture-2"},
    ):
        assert fingerprint(msgspec.structs.replace(event, **change)) != same, change
    assert fingerprint(msgspec.structs.replace(event, order=99)) == same


def test_nothing_stored_or_a_damaged_store_means_nothing_is_new() -> None:
    assert read_seen("/never-opened.json") is None
    path = seen_path("/damaged.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"TLSEEN1\n" + b"\0" * 8 + b"\1\2\3")  # not whole fingerprints
    assert read_seen("/damaged.json") is None
    path.write_bytes(b"something else entirely")
    assert read_seen("/damaged.json") is None


PRINTS = st.lists(st.integers(0, 2**64 - 1) | st.sampled_from([0, 1, 2**64 - 1]), max_size=40)


@given(PRINTS, PRINTS)
def test_numpy_and_python_find_the_same_new_prints(now: list[int], before: list[int]) -> None:
    ordered = array("Q", sorted(before))
    by_python = seen._not_among(array("Q", now), ordered)
    assert by_python == [i for i, value in enumerate(now) if value not in set(before)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(seen, "NUMPY_FROM", 0)
        assert seen._not_among(array("Q", now), ordered) == by_python
        assert list(seen._sorted(array("Q", now))) == sorted(now)


def test_fingerprints_saved_before_parts_kept_keys_of_their_own_still_match() -> None:
    """A place and a relation now carry an `extra`; encoded as is, it changed every
    such event's fingerprint, and catching up called them all changed on the first open
    after the upgrade. The values are those the code before gave (eba3dea)."""
    from tui.model.loading import load_bytes
    from tui.model.seen import fingerprint

    events = [
        {"id": "a", "date": "2025-01-09", "title": "Capture",
         "place": {"name": "Kursk", "lat": 51.7}, "sources": [{"ref": "w", "quote": "q"}],
         "related": [{"id": "b", "rel": "follows"}],
         "history": [{"date": "2025-01-10", "status": "confirmed", "by": ["NIS"]}],
         "x-desk": 1},
        {"id": "b", "date": "2025", "title": "Named place", "place": "Kyiv"},
        {"id": "c", "date": "2025-02", "title": "Plain"},
    ]  # fmt: skip
    document = {"sources": {"w": {}}, "events": events}
    timeline = load_bytes(json.dumps(document).encode(), "x.json").timeline
    assert {event.id: fingerprint(event) for event in timeline} == {
        "a": 8402221183064556495,
        "b": 13209626367620281812,
        "c": 16330311677086181258,
    }
    events[1]["place"] = {"name": "Kyiv", "lng": 30.5}  # a key of its own: a change
    changed = load_bytes(json.dumps(document).encode(), "x.json").timeline
    assert fingerprint(changed.get("b")) != 13209626367620281812  # type: ignore[arg-type]
