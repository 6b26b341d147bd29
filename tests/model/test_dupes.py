"""Possible duplicates (DESIGN.md §6): planted pairs found across formats, nothing else;
what keeps two events from being compared."""

from __future__ import annotations

import json
from typing import Any

from tests.conftest import SEVERAL
from tui.model.combining import combine, file_names
from tui.model.dupes import possible_duplicates, title_words
from tui.model.events import Timeline
from tui.model.loading import load_bytes, load_path


def timeline_of(events: list[dict[str, Any]]) -> Timeline:
    return load_bytes(json.dumps({"events": events}).encode(), "x.json").timeline


def test_the_planted_pairs_across_a_json_and_a_csv_are_found_best_first() -> None:
    paths = [str(SEVERAL / "newsroom.json"), str(SEVERAL / "wire.csv")]
    timeline = combine(file_names(paths), [load_path(p) for p in paths]).timeline
    pairs = possible_duplicates(timeline)
    found = [(timeline[p.first].id, timeline[p.second].id) for p in pairs]
    assert found == [
        ("newsroom.json:capture", "wire.csv:capture"),
        ("newsroom.json:offer", "wire.csv:offer"),
    ]
    best, second = pairs
    assert best.score > second.score
    assert best.reasons() == "titles 77% alike · same place · both name Ukraine, North Korea"
    assert second.reasons() == "titles 44% alike · both name Zelenskyy"
    assert (best.title, best.same_place, best.actors) == (0.772, True, ("Ukraine", "North Korea"))
    assert possible_duplicates(timeline, least=0.8) == [best]
    # Among some events only: the pair needs both (the words weigh as rare as they are
    # among those events).
    without = [p for p in range(len(timeline)) if p != best.first]
    assert [(p.first, p.second) for p in possible_duplicates(timeline, without)] == [
        (second.first, second.second)
    ]


def test_words_are_folded_stemmed_and_the_common_ones_left_out() -> None:
    assert title_words("Ukraine CAPTURED the Soldiers, near Kursk 9") == {
        "ukrain",
        "captur",
        "soldie",
        "kursk",
        "9",
    }


def test_only_events_near_in_time_and_of_like_width_are_compared() -> None:
    same = "North Korean soldiers captured in Kursk"
    timeline = timeline_of(
        [
            {"id": "day", "date": "2025-01-09", "title": same},
            {"id": "next", "date": "2025-01-10", "title": same},
            {"id": "later", "date": "2025-01-13", "title": same},
            {"id": "month", "date": "2025-01", "title": same},
            {"id": "year", "date": "2025", "title": same},
            {"id": "other", "date": "2025-01-09", "title": "Drone attack on Kharkiv"},
        ]
    )
    pairs = {
        frozenset((timeline[p.first].id, timeline[p.second].id))
        for p in possible_duplicates(timeline)
    }
    assert pairs == {
        frozenset(("day", "next")),
        frozenset(("day", "month")),
        frozenset(("next", "month")),
        frozenset(("later", "month")),
        frozenset(("month", "year")),
    }


def test_the_score_weighs_titles_place_and_actors() -> None:
    base = {"date": "2025-01-09", "title": "Shelling of Kupiansk market"}
    timeline = timeline_of(
        [
            {"id": "a", **base, "place": {"name": "Kupiansk"}, "actors": ["Russia", "Ukraine"]},
            {"id": "b", **base, "place": {"name": "KUPIANSK"}, "actors": ["Russia"]},
            {"id": "c", **base},
        ]
    )
    scores = {
        (timeline[p.first].id, timeline[p.second].id): p.score
        for p in possible_duplicates(timeline)
    }
    # Titles alike: 0.7; the same place (case aside): 0.15; one actor of two: 0.075.
    assert scores == {("a", "b"): 0.925, ("a", "c"): 0.7, ("b", "c"): 0.7}
