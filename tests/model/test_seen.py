"""Catching up: what a file held when it was last open, and what is new since."""

from __future__ import annotations

from pathlib import Path

import msgspec

from tests.conftest import BUNDLED
from tui.model.events import Timeline
from tui.model.loading import load_path
from tui.model.seen import fingerprint, fingerprints, read_seen, seen_path, write_seen


def test_an_event_is_new_when_added_or_changed_not_when_moved(tmp_path: Path) -> None:
    timeline = load_path(str(BUNDLED)).timeline
    write_seen("/story.json", 1_700_000_000.5, fingerprints(timeline))
    seen = read_seen("/story.json")
    assert seen is not None and seen.at == 1_700_000_000.5
    assert seen.new_in(timeline, fingerprints(timeline)) == set()
    events = list(timeline.events)
    capture = timeline.position["capture"]
    events[capture] = msgspec.structs.replace(events[capture], title="Revised")
    moved = [msgspec.structs.replace(e, order=n + 100) for n, e in enumerate(events)]
    extra = tmp_path / "late.json"
    extra.write_text('[{"id": "late", "date": "2025-02-01", "title": "Late"}]', encoding="utf-8")
    later = Timeline([*moved, *load_path(str(extra)).timeline])
    assert seen.new_in(later, fingerprints(later)) == {"capture", "late"}


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
