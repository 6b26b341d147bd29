"""Possible duplicates (DESIGN.md §6): pairs of events that may report the same thing,
in one file or across several, best first.

Two events are compared only if their dates overlap (give or take a day: sources often
differ by one, across time zones), are of about the same width (a day and a month, not
a day and a year) and their titles share a rare word (one of the two rarest of the
later one's that some other title has too). The events are swept in date order, so no
two events far apart in time are ever compared, and a word too common among the events
open at once (more than `CROWDED` of them) brings none together.

The score is what the analyst is shown and can check: how alike the titles are (the
words they share over the words of both, each weighted by how rare it is: Dice's
coefficient), whether the place is the same (or, both given, different: that counts
against; see `place_match`), how many of their actors they share.
"""

from __future__ import annotations

import math
import re
from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from .dates import DAY
from .events import Event, Place, Timeline
from .text import fold

TOLERANCE: Final = DAY
"""Dates this far apart still count as overlapping."""
KEYS_PER_TITLE: Final = 2
"""The rarest words of a title (of those another title has too) that can bring two events
together: a third finds no planted pair more in `bench/dupes.py`, at about 1.7x the time."""
CROWDED: Final = 200
"""A key shared by more events than this at once (within one window) blocks nothing."""
STEM: Final = 6
"""Words are compared by their first letters: `captured` and `capture` are one word."""
TITLE_WEIGHT: Final = 0.7
PLACE_WEIGHT: Final = 0.15
ACTORS_WEIGHT: Final = 0.15
LEAST_SCORE: Final = 0.45
NEAR_KM: Final = 5.0
"""Two places with coordinates this close are one (xSub's rule for conflict events)."""
KM_PER_DEGREE: Final = 111.19
"""Of latitude, on a sphere of the Earth's mean radius."""
FAR_KM: Final = 25.0
"""Farther apart than this, two places are different; in between, no one can tell."""

_WORD: Final = re.compile(r"\w+")
_COMMON: Final = frozenset(
    {"the", "and", "for", "with", "from", "that", "this", "into", "over", "after", "says"}
    | {"said", "its", "their", "has", "have", "was", "were", "are", "not", "but", "near", "amid"}
)


@dataclass(frozen=True)
class Pair:
    """Two events (positions in the timeline) that may report the same thing."""

    first: int
    second: int
    score: float
    title: float
    """How alike the titles are, 0 to 1."""
    same_place: bool
    actors: tuple[str, ...]
    """The actors both name."""
    places_differ: bool = False
    """Both name a place, and not the same one (which counts against)."""

    def reasons(self) -> str:
        """`titles 82% alike · same place · both name Ukraine`."""
        parts = [f"titles {round(self.title * 100)}% alike"]
        if self.same_place:
            parts.append("same place")
        elif self.places_differ:
            parts.append("different places")
        if self.actors:
            parts.append("both name " + ", ".join(self.actors))
        return " · ".join(parts)


def title_words(title: str) -> frozenset[str]:
    return frozenset(
        word[:STEM]
        for word in _WORD.findall(fold(title))
        if (len(word) > 2 or word.isdigit()) and word not in _COMMON
    )


def possible_duplicates(
    timeline: Timeline,
    positions: Sequence[int] | None = None,
    *,
    least: float = LEAST_SCORE,
) -> list[Pair]:
    """The pairs among `positions` (default: every event) scoring at least `least`, best
    first (then in timeline order)."""
    events = timeline.events
    chosen = range(len(events)) if positions is None else positions
    words = {i: title_words(events[i].title) for i in chosen}
    frequency = Counter(word for found in words.values() for word in found)
    total = max(len(words), 1)
    weight = {word: math.log((total + 1) / count) + 0.01 for word, count in frequency.items()}
    compare = _Comparer(events, words, weight, least)
    earliests, latests = timeline.earliests, timeline.latests
    active: dict[tuple[str, int], deque[int]] = {}
    """Per rare word and width of date, the events met so far that may still overlap."""
    sifted_at: dict[tuple[str, int], int] = {}
    pairs: list[Pair] = []
    for i in sorted(chosen, key=earliests.__getitem__):
        start = earliests[i] - TOLERANCE
        width = _width(latests[i] - earliests[i])
        done: set[int] = set()
        shared = [w for w in words[i] if frequency[w] > 1]  # a word no other title has: no key
        for word in sorted(shared, key=lambda w: (frequency[w], w))[:KEYS_PER_TITLE]:
            for near in (width - 1, width, width + 1):
                here = active.get((word, near))
                if not here:
                    continue
                while here and latests[here[0]] < start:
                    here.popleft()
                key = (word, near)
                if len(here) > sifted_at.get(key, CROWDED):  # a long event holds the front
                    here = active[key] = deque(j for j in here if latests[j] >= start)
                    sifted_at[key] = max(2 * len(here), CROWDED)
                if len(here) > CROWDED:
                    continue
                for j in here:
                    if j in done or latests[j] < start:
                        continue
                    done.add(j)
                    found = compare(j, i) if j < i else compare(i, j)
                    if found is not None:
                        pairs.append(found)
            active.setdefault((word, width), deque()).append(i)
    pairs.sort(key=lambda p: (-p.score, p.first, p.second))
    return pairs


def _width(seconds: int) -> int:
    """How wide a date is: a day or two, up to a month, up to a year, more. Only events of
    the same or the next width are compared: a day may be the month another source
    gives, but a year holds too many days to compare each with it."""
    days = seconds // DAY
    return 0 if days < 2 else 1 if days < 32 else 2 if days < 367 else 3


def place_match(first: Place, second: Place) -> int:
    """1: the same place, -1: different places, 0: can't tell. By coordinates where both
    have them; else by the name's first part, folded (`Kursk region, Kursk, Russia` as
    ACLED writes it is `Kursk region, Russia`); a name that begins the other (`Kursk`,
    `Kursk region`) can't tell."""
    if None not in (first.lat, first.lon, second.lat, second.lon):
        if first.lat == second.lat and first.lon == second.lon:
            return 1
        if abs(first.lat - second.lat) * KM_PER_DEGREE > FAR_KM:  # type: ignore[operator]
            return -1  # far apart north to south: no need for the sphere
        km = _km(first.lat, first.lon, second.lat, second.lon)  # type: ignore[arg-type]
        return 1 if km <= NEAR_KM else -1 if km > FAR_KM else 0
    mine, theirs = _first_part(first.name), _first_part(second.name)
    if mine == theirs:
        return 1
    if mine.startswith(theirs + " ") or theirs.startswith(mine + " "):
        return 0
    return -1


def _first_part(name: str) -> str:
    return " ".join(fold(name).split(",")[0].split())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, on a sphere of the Earth's mean radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


class _Comparer:
    """Scores a pair, with what each event brings worked out once (an event is met in
    many pairs): its title's weight, its place and actors folded."""

    def __init__(
        self,
        events: Sequence[Event],
        words: dict[int, frozenset[str]],
        weight: dict[str, float],
        least: float,
    ) -> None:
        self.words = words
        self.weight = weight
        self.least = least
        self.least_title = (least - PLACE_WEIGHT - ACTORS_WEIGHT) / TITLE_WEIGHT
        """Below this, no place or actors can lift a pair to `least`."""
        self.title_weight = {i: sum(map(weight.__getitem__, w)) for i, w in words.items()}
        self.places = {i: p for i in words if (p := events[i].place) is not None}
        self.actors = {i: {fold(a): a for a in events[i].actors} for i in words}

    def __call__(self, first: int, second: int) -> Pair | None:
        shared = self.words[first] & self.words[second]
        if not shared:
            return None
        common = sum(map(self.weight.__getitem__, shared))
        both = self.title_weight[first] + self.title_weight[second]
        title = 2 * common / both if both else 0.0
        if title < self.least_title:
            return None
        place, other_place = self.places.get(first), self.places.get(second)
        match = place_match(place, other_place) if place and other_place else 0
        same_place, places_differ = match > 0, match < 0
        placed = TITLE_WEIGHT * title + PLACE_WEIGHT * (same_place - places_differ)
        if placed + ACTORS_WEIGHT < self.least:  # no actors can lift it
            return None
        mine, theirs = self.actors[first], self.actors[second]
        named_by_both = tuple(actor for key, actor in mine.items() if key in theirs)
        named = len(mine.keys() | theirs.keys())
        score = placed + ACTORS_WEIGHT * (len(named_by_both) / named if named else 0.0)
        if score < self.least:
            return None
        return Pair(
            first,
            second,
            round(score, 3),
            round(title, 3),
            same_place,
            named_by_both,
            places_differ,
        )
