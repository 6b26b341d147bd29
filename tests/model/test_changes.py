"""What changed between two days (`timeline diff`), in the model: what became known, what
changed status and on whose word, what was revised and what it said before."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import BUNDLED
from tui.model.changes import changes_between
from tui.model.dates import DAY, days_from_civil
from tui.model.loading import load_bytes, load_path


def end_of(year: int, month: int, day: int) -> int:
    return (days_from_civil(year, month, day) + 1) * DAY


def test_the_bundled_story_between_10_and_12_january() -> None:
    timeline = load_path(str(BUNDLED)).timeline
    changes = changes_between(timeline, end_of(2025, 1, 10), end_of(2025, 1, 12))
    assert [e.id for e in changes.known] == [
        "capture", "announce", "nis-confirms", "exchange-offer", "nis-training",
        "soldiers-wishes", "villages",
    ]  # fmt: skip
    [move] = changes.moved
    assert (move.event.id, move.before, move.after) == ("capture", "reported", "confirmed")
    assert move.step is not None and move.step.by == ("South Korea NIS",)
    assert changes.revised == []
    assert bool(changes)


def test_a_revision_says_what_came_before_and_the_first_word_is_not_one() -> None:
    timeline = load_path(str(BUNDLED)).timeline
    changes = changes_between(timeline, end_of(2025, 1, 12), end_of(2025, 1, 13))
    assert [e.id for e in changes.known] == ["casualties", "article"]
    [revision] = changes.revised
    assert revision.event.id == "casualties"
    assert revision.step.note == "about 300 killed and 2,700 wounded"
    assert revision.previous == "about 100 killed and 1,000 wounded"
    december = changes_between(timeline, end_of(2024, 12, 18), end_of(2024, 12, 19))
    assert december.revised == []  # the first estimate is not a revision of anything


def history_file(*history: dict[str, Any], reported: str = "2025-01-11") -> Any:
    event = {
        "id": "e",
        "date": "2025-01-09",
        "title": "T",
        "reported": reported,
        "status": "confirmed",
        "history": list(history),
    }
    return load_bytes(json.dumps({"events": [event]}).encode(), "f.json").timeline


def test_a_status_change_is_measured_from_when_the_event_was_known() -> None:
    timeline = history_file(
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-14", "status": "confirmed", "by": ["X"]},
    )
    before = changes_between(timeline, end_of(2025, 1, 10), end_of(2025, 1, 13))
    assert [e.id for e in before.known] == ["e"] and before.moved == []
    after = changes_between(timeline, end_of(2025, 1, 13), end_of(2025, 1, 14))
    assert after.known == []
    [move] = after.moved
    assert (move.before, move.after) == ("reported", "confirmed")
    assert move.step is not None and move.step.by == ("X",)
    later = changes_between(timeline, end_of(2025, 1, 14), end_of(2025, 1, 20))
    assert not later and later.moved == [] and later.known == []
    unknown = changes_between(timeline, end_of(2025, 1, 1), end_of(2025, 1, 10))
    assert not unknown  # not known by the end: nothing to say of it


def test_a_note_without_a_new_status_is_a_revision_and_with_one_a_move() -> None:
    timeline = history_file(
        {"date": "2025-01-11", "status": "reported", "note": "first"},
        {"date": "2025-01-12", "note": "a figure revised"},
        {"date": "2025-01-13", "status": "confirmed", "note": "confirmed"},
    )
    changes = changes_between(timeline, end_of(2025, 1, 11), end_of(2025, 1, 13))
    assert [(r.step.note, r.previous) for r in changes.revised] == [("a figure revised", "first")]
    assert [(m.before, m.after) for m in changes.moved] == [("reported", "confirmed")]


def test_the_edges_of_the_window() -> None:
    timeline = history_file(
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-12", "status": "confirmed", "by": ["X"]},
        {"date": "2025-01-13", "note": "later words, no new status"},
    )
    became = timeline.known[0]
    assert [e.id for e in changes_between(timeline, became, became + 1).known] == ["e"]
    assert changes_between(timeline, became - 10, became).known == []  # not yet, at `end`
    assert changes_between(timeline, became + 1, became + 10).known == []
    step = timeline[0].history[1].date.known_by
    moved = changes_between(timeline, step, step + 1).moved
    assert [(m.before, m.after) for m in moved] == [("reported", "confirmed")]
    assert moved[0].step is not None and moved[0].step.by == ("X",)  # not the later note
    assert changes_between(timeline, step - 5, step).moved == []
    assert changes_between(timeline, step + 1, step + 5).moved == []
    later = timeline[0].history[2].date.known_by
    [revision] = changes_between(timeline, later, later + 1).revised
    assert revision.previous is None  # nothing said in words before
    assert changes_between(timeline, later + 1, later + 5).revised == []


def test_a_later_event_is_seen_after_one_not_known_yet() -> None:
    events = [
        {"id": "late-news", "date": "2025-01-09", "title": "A", "reported": "2025-02-01"},
        {"id": "b", "date": "2025-01-10", "title": "B"},
    ]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "f.json").timeline
    changes = changes_between(timeline, end_of(2025, 1, 9), end_of(2025, 1, 10))
    assert [e.id for e in changes.known] == ["b"]


def test_a_revision_after_words_without_a_status_keeps_the_status_said_before() -> None:
    timeline = history_file(
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-12", "note": "first figure"},
        {"date": "2025-01-13", "status": "reported", "note": "second figure"},
    )
    changes = changes_between(timeline, end_of(2025, 1, 11), end_of(2025, 1, 13))
    assert [(r.step.note, r.previous) for r in changes.revised] == [
        ("first figure", None),
        ("second figure", "first figure"),
    ]


def test_any_kind_of_change_counts_as_one() -> None:
    from tui.model.changes import Changes, Revision, StatusMove

    e = history_file({"date": "2025-01-11", "status": "reported", "note": "n"})[0]
    assert not Changes()
    assert Changes(moved=[StatusMove(e, None, None, None)])
    assert Changes(revised=[Revision(e, e.history[0], None)])
    assert Changes(known=[e])


def test_a_move_names_its_step_even_with_later_words_in_the_window() -> None:
    timeline = history_file(
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-12", "status": "confirmed", "by": ["X"]},
        {"date": "2025-01-13", "note": "words", "by": ["Y"]},
    )
    [move] = changes_between(timeline, end_of(2025, 1, 11), end_of(2025, 1, 14)).moved
    assert move.step is not None and move.step.by == ("X",)
    later = timeline[0].history[2].date.known_by
    assert changes_between(timeline, later - 5, later).revised == []  # known at `end`: not yet


def test_a_move_is_said_on_the_word_known_by_the_end_not_one_that_comes_at_it() -> None:
    timeline = history_file(
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-12", "status": "confirmed", "by": ["X"]},
        {"date": "2025-01-13", "status": "confirmed", "by": ["Y"]},  # said again, later
    )
    end = timeline[0].history[2].date.known_by  # the 13th's word is not known yet
    [move] = changes_between(timeline, end_of(2025, 1, 11), end).moved
    assert move.step is not None and move.step.by == ("X",)
