"""Possible duplicates (DESIGN.md §6): planted pairs found across formats, nothing else;
what keeps two events from being compared."""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from typing import Any

import pytest

from tests.conftest import SEVERAL
from tui.model import dupes
from tui.model.combining import combine, file_names
from tui.model.dates import DAY
from tui.model.dupes import LEAST_SCORE, Pair, _Comparer, _width, possible_duplicates, title_words
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


def reference(timeline: Timeline, least: float = LEAST_SCORE) -> list[Pair]:
    """Every pair, compared the slow way: dates that overlap give or take a day, of like
    width, sharing one of each other's key words (uncrowded), scored as `dupes` scores."""
    words = {i: title_words(e.title) for i, e in enumerate(timeline)}
    frequency = Counter(w for found in words.values() for w in found)
    weight = {w: math.log((len(words) + 1) / n) + 0.01 for w, n in frequency.items()}
    keys = {
        i: set(sorted((w for w in found if frequency[w] > 1), key=lambda w: (frequency[w], w))[:2])
        for i, found in words.items()
    }
    compare = _Comparer(timeline.events, words, weight, least)
    earliest, latest = timeline.earliests, timeline.latests
    pairs = []
    for first in range(len(timeline)):
        for second in range(first + 1, len(timeline)):
            near = (
                earliest[first] - DAY <= latest[second] and earliest[second] - DAY <= latest[first]
            )
            widths = abs(
                _width(latest[first] - earliest[first]) - _width(latest[second] - earliest[second])
            )
            if near and widths <= 1 and keys[first] & keys[second]:
                found = compare(first, second)
                if found is not None:
                    pairs.append(found)
    return sorted(pairs, key=lambda p: (-p.score, p.first, p.second))


WORDS = ["drone", "strike", "kupiansk", "shelling", "market", "soldiers", "captured", "kursk"]
PLACES = [None, "Kupiansk", "Kursk", "kursk"]


def random_timeline(rng: random.Random) -> Timeline:
    events = []
    for index in range(rng.randint(2, 25)):
        day = rng.randint(1, 20)
        date = rng.choice(
            [
                f"2025-01-{day:02d}",
                f"2025-01-{day:02d}",
                "2025-01",
                "2025-02",
                "2025",
                f"2025-01-{day:02d}/2025-01-{min(day + rng.randint(1, 8), 28):02d}",
                f"2025-01-{day:02d}~",
                f"2025-01-{day:02d}T23:30+05:00",
                f"../2025-01-{day:02d}",
                "2024/2025",
            ]
        )
        event: dict[str, Any] = {
            "id": f"e{index}",
            "date": date,
            "title": " ".join(rng.sample(WORDS, rng.randint(1, 4))),
            "actors": rng.sample(["Russia", "Ukraine", "russia"], rng.randint(0, 2)),
        }
        place = rng.choice(PLACES)
        if place:
            event["place"] = {"name": place}
        events.append(event)
    return timeline_of(events)


def test_the_sweep_finds_what_comparing_every_pair_finds() -> None:
    rng = random.Random(15)
    for _ in range(150):
        timeline = random_timeline(rng)
        assert possible_duplicates(timeline) == reference(timeline)
        assert possible_duplicates(timeline, least=0.6) == reference(timeline, 0.6)


def test_a_long_event_at_the_front_is_kept_and_a_crowded_word_brings_none_together(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dupes, "CROWDED", 2)
    title = "Shelling of the Kupiansk market"
    month = {"id": "month", "date": "2025-01", "title": title}
    days = [{"id": f"d{d}", "date": f"2025-01-{d:02d}", "title": title} for d in (1, 5, 10, 20)]
    timeline = timeline_of([month, *days])
    found = {(timeline[p.first].id, timeline[p.second].id) for p in possible_duplicates(timeline)}
    in_order = timeline.position.__getitem__
    assert found == {tuple(sorted(("month", f"d{d}"), key=in_order)) for d in (1, 5, 10, 20)}
    crowd = [{"id": f"c{n}", "date": "2025-03-03", "title": title} for n in range(4)]
    later = [{"id": f"l{n}", "date": f"2025-03-{10 + n:02d}", "title": title} for n in range(2)]
    timeline = timeline_of(crowd + later)
    found = {(timeline[p.first].id, timeline[p.second].id) for p in possible_duplicates(timeline)}
    assert found == {("c0", "c1"), ("c0", "c2"), ("c1", "c2"), ("l0", "l1")}


def test_widths_of_dates() -> None:
    assert [_width(days * DAY) for days in (0, 1, 2, 31, 32, 366, 367)] == [0, 0, 1, 1, 2, 2, 3]


def test_the_score_at_its_edges() -> None:
    title = "Shelling of Kupiansk market"
    timeline = timeline_of(
        [
            {"id": "none", "date": "2025-01-08", "title": title},
            {"id": "here", "date": "2025-01-09", "title": title, "place": {"name": "Kupiansk"}},
            {"id": "there", "date": "2025-01-09", "title": title, "place": {"name": "Kharkiv"}},
            {"id": "also-none", "date": "2025-01-09", "title": title},
        ]
    )
    pairs = {
        (timeline[p.first].id, timeline[p.second].id): p for p in possible_duplicates(timeline)
    }
    # No place on one side: neither for nor against; no actors on either: nothing.
    assert pairs["none", "here"].score == pairs["none", "also-none"].score == 0.7
    assert not pairs["none", "here"].places_differ
    different = pairs["here", "there"]  # two places: against
    assert different.score == 0.55 and different.places_differ
    assert different.reasons() == "titles 100% alike · different places"
    # Scores exactly at the least shown are shown.
    assert len(possible_duplicates(timeline, least=0.7)) == len(pairs) - 1


def test_a_score_exactly_at_the_least_is_shown() -> None:
    event = {
        "title": "Shelling of Kupiansk market",
        "place": {"name": "Kupiansk"},
        "actors": ["Russia"],
    }
    timeline = timeline_of(
        [{"id": "a", "date": "2025-01-09", **event}, {"id": "b", "date": "2025-01-09", **event}]
    )
    (pair,) = possible_duplicates(timeline, least=1.0)
    assert pair.score == 1.0
    no_place = timeline_of(
        [
            {"id": "a", "date": "2025-01-09", "title": "Kupiansk market", "actors": ["Russia"]},
            {"id": "b", "date": "2025-01-09", "title": "Kupiansk market", "actors": ["Russia"]},
        ]
    )
    assert len(possible_duplicates(no_place, least=0.85)) == 1


def test_a_day_apart_to_the_second_still_overlaps() -> None:
    title = "Drone strike on Kharkiv"
    timeline = timeline_of(
        [
            {"id": "day", "date": "2025-01-01", "title": title},
            {"id": "edge", "date": "2025-01-02T23:59:59Z", "title": title},
            {"id": "past", "date": "2025-01-03T00:00:00Z", "title": title},
        ]
    )
    found = {(timeline[p.first].id, timeline[p.second].id) for p in possible_duplicates(timeline)}
    assert found == {("day", "edge"), ("edge", "past")}


def test_a_crowded_width_does_not_keep_the_others_from_being_compared(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dupes, "CROWDED", 2)
    title = "Shelling of the Kupiansk market"
    days = [{"id": f"c{n}", "date": "2025-03-03", "title": title} for n in range(4)]
    timeline = timeline_of([{"id": "month", "date": "2025-03", "title": title}, *days])
    found = {(timeline[p.first].id, timeline[p.second].id) for p in possible_duplicates(timeline)}
    assert {pair for pair in found if "month" in pair} == {
        ("month", "c0"),
        ("month", "c1"),
        ("month", "c2"),
        ("month", "c3"),
    }


def test_what_has_ended_is_sifted_out_from_behind_a_long_event(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(dupes, "CROWDED", 2)
    title = "Shelling of the Kupiansk market"
    timeline = timeline_of(
        [
            {"id": "long", "date": "2024-12-31/2025-01-30", "title": title},
            {"id": "ended", "date": "2025-01-01/2025-01-03", "title": title},
            {"id": "edge", "date": "2025-01-01/2025-01-04", "title": title},
            {"id": "later", "date": "2025-01-05T23:59:59Z", "title": title},
        ]
    )
    found = {(timeline[p.first].id, timeline[p.second].id) for p in possible_duplicates(timeline)}
    assert {pair for pair in found if "later" in pair} == {("long", "later"), ("edge", "later")}


def test_events_are_swept_by_when_they_may_begin_not_by_their_place_in_the_list() -> None:
    """An open start (`../2026-06-01`) is listed by its end but may begin any time: it is
    met first, so the year 2024 finds it even after 2026 has moved 2024 out of the way."""
    title = "Shelling of the Kupiansk market"
    timeline = timeline_of(
        [
            {"id": "y2024", "date": "2024", "title": title},
            {"id": "y2025", "date": "2025", "title": title},
            {"id": "y2026", "date": "2026", "title": title},
            {"id": "open", "date": "../2026-06-01", "title": title},
        ]
    )
    found = {(timeline[p.first].id, timeline[p.second].id) for p in possible_duplicates(timeline)}
    assert found == {
        ("y2024", "y2025"),
        ("y2025", "y2026"),  # a year and the next touch (give or take a day)
        ("y2024", "open"),
        ("y2025", "open"),
        ("y2026", "open"),
    }


def test_places_are_one_by_coordinates_else_by_the_first_part_of_their_name() -> None:
    from tui.model.dupes import place_match
    from tui.model.events import Place

    kursk = Place("Kursk region, Russia", 51.7373, 36.1874)
    assert place_match(kursk, Place("Kursk region, Kursk, Russia", 51.75, 36.19)) == 1  # 1.4 km
    assert place_match(kursk, Place("Somewhere", 51.85, 36.19)) == 0  # 12.5 km: can't tell
    assert place_match(kursk, Place("Kursk region", 51.96, 36.19)) == 0  # 24.8 km: nor here
    assert place_match(kursk, Place("Kursk region", 52.0, 36.19)) == -1  # 29.2 km
    assert place_match(kursk, Place("Belgorod", 50.6, 36.6)) == -1
    # Without coordinates on both sides: the name's first part, folded.
    assert place_match(Place("Kursk region, Russia"), Place("KURSK REGION, Kursk, Russia")) == 1
    assert place_match(Place("Kursk"), Place("Kursk region, Russia")) == 0
    assert place_match(Place("Yantarne, Donetsk"), Place("Kalynove, Donetsk")) == -1
    assert place_match(kursk, Place("Kursk region")) == 1


def test_far_apart_north_to_south_is_different_without_the_sphere() -> None:
    from tui.model.dupes import place_match
    from tui.model.events import Place

    # 0.23 degrees of latitude is 25.6 km whatever the longitude; 0.22 is 24.5 km.
    assert place_match(Place("a", 50.0, 30.0), Place("b", 50.23, 30.0)) == -1
    assert place_match(Place("a", 50.0, 30.0), Place("b", 50.22, 30.0)) == 0
    assert place_match(Place("a", 50.0, 30.0), Place("b", 50.0, 30.0)) == 1


def test_distances_east_to_west_go_round_the_sphere() -> None:
    from tui.model.dupes import _km, place_match
    from tui.model.events import Place

    assert round(_km(50.45, 30.52, 49.99, 36.23), 2) == 409.35  # Kyiv to Kharkiv
    assert place_match(Place("a", 50.0, 30.0), Place("b", 50.0, 30.05)) == 1  # 3.6 km
    assert place_match(Place("a", 50.0, 30.0), Place("b", 50.0, 30.2)) == 0  # 14.3 km
    assert place_match(Place("a", 50.0, 30.0), Place("b", 50.0, 30.5)) == -1  # 35.7 km
    assert place_match(Place("Kursk region"), Place("Kursk")) == 0  # either way round
