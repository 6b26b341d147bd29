"""The filter language's meaning, pinned against a reference evaluator written plainly
here: random timelines, random queries built as trees, rendered to text, parsed and run
by the real code, and evaluated directly by the tree. Every precision of a date value
in every date term, negation and OR at every position (DESIGN.md §2)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tui.model.dates import parse_when
from tui.model.events import Timeline
from tui.model.loading import load_bytes
from tui.model.query import parse_query

WORDS = ["kursk", "capture", "treaty", "soldier", "soldiers", "exchange", "nis"]
TAGS = ["pow", "war", "warfare", "treaty"]
DATES = [
    "2024", "2024-06", "2024-06-15", "2024-06-30", "2024-12~", "2025-01-09",
    "2025-01", "2025-01-09/2025-01-12", "2024-11/2025-01", "2025-01-09/2025-01",
    "2024-06-15T23:30+00:00", "2023/2024-02",
]  # fmt: skip
VALUES = ["2024", "2024-06", "2024-06-15", "2025-01", "2025-01-09", "2025-01-10", "2023"]


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    events = []
    for i in range(draw(st.integers(0, 8))):
        event: dict[str, Any] = {
            "id": f"e{i}",
            "date": draw(st.sampled_from(DATES)),
            "title": " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=3))),
            "tags": draw(st.lists(st.sampled_from(TAGS), max_size=2, unique=True)),
        }
        if draw(st.booleans()):
            event["reported"] = draw(st.sampled_from(DATES))
        events.append(event)
    return load_bytes(json.dumps({"events": events}).encode(), "f").timeline


@dataclass
class Term:
    text: str
    test: Any  # (event) -> bool

    def render(self, inside_and: bool = False) -> str:
        return self.text


@dataclass
class Not:
    part: Any
    spelt: str  # "-" or "NOT "

    def render(self, inside_and: bool = False) -> str:
        inner = self.part.render()
        # `-2024..2025` is a range from 2025 BCE (DESIGN.md §2): a negated range is `-(…)`.
        if not isinstance(self.part, Term | Not) or (self.spelt == "-" and inner[:1].isdigit()):
            inner = f"({inner})"
        return f"{self.spelt}{inner}"

    def test(self, event: Any) -> bool:
        return not self.part.test(event)


@dataclass
class All:
    parts: list[Any]

    def render(self, inside_and: bool = False) -> str:
        return " ".join(
            f"({p.render()})" if isinstance(p, Any_) else p.render(True) for p in self.parts
        )

    def test(self, event: Any) -> bool:
        return all(p.test(event) for p in self.parts)


@dataclass
class Any_:
    parts: list[Any]

    def render(self, inside_and: bool = False) -> str:
        text = " OR ".join(p.render() for p in self.parts)
        return f"({text})" if inside_and else text

    def test(self, event: Any) -> bool:
        return any(p.test(event) for p in self.parts)


def words_of(event: Any) -> list[str]:
    return event.title.split() + list(event.tags)


def word_term(word: str) -> Term:
    return Term(word, lambda e: any(w.startswith(word) for w in words_of(e)))


def tag_term(tag: str, exact: bool) -> Term:
    if exact:
        return Term(f"tag:={tag}", lambda e: tag in e.tags)
    return Term(f"tag:{tag}", lambda e: any(t.startswith(tag) for t in e.tags))


def date_term(op: str, value: str) -> Term:
    when = parse_when(value)

    def known(e: Any) -> int:
        # Known once the whole of `reported` (else `date`) has passed.
        shown = e.reported or e.date
        last = shown.end if shown.end is not None else shown.start
        return last.latest

    tests = {
        "after": lambda e: e.date.earliest > when.latest,
        "before": lambda e: e.date.latest < when.earliest,
        "on": lambda e: e.date.earliest <= when.latest and e.date.latest >= when.earliest,
        "in": lambda e: e.date.earliest <= when.latest and e.date.latest >= when.earliest,
        "asof": lambda e: known(e) <= when.latest,
    }
    return Term(f"{op}:{value}", tests[op])


def range_term(low: str | None, high: str | None) -> Term:
    if low and high and parse_when(high).latest < parse_when(low).earliest:
        low, high = high, low  # a range that ends before it starts is an error (tested apart)
    lo = parse_when(low).earliest if low else None
    hi = parse_when(high).latest if high else None

    def test(e: Any) -> bool:
        return (lo is None or e.date.latest >= lo) and (hi is None or e.date.earliest <= hi)

    return Term(f"{low or ''}..{high or ''}", test)


terms = st.one_of(
    st.sampled_from(WORDS).map(word_term),
    st.builds(tag_term, st.sampled_from([*TAGS, "wa", "t"]), st.booleans()),
    st.builds(
        date_term, st.sampled_from(["after", "before", "on", "in", "asof"]), st.sampled_from(VALUES)
    ),
    st.builds(range_term, st.sampled_from([None, *VALUES]), st.sampled_from(VALUES)),
)

queries = st.recursive(
    terms,
    lambda inner: st.one_of(
        st.builds(Not, inner, st.sampled_from(["-", "NOT "])),
        st.lists(inner, min_size=2, max_size=3).map(All),
        st.lists(inner, min_size=2, max_size=3).map(Any_),
    ),
    max_leaves=6,
)


@given(timelines(), queries)
def test_every_query_means_what_the_reference_says(timeline: Timeline, query: Any) -> None:
    text = query.render()
    found = parse_query(text, timeline).filter(timeline)
    expected = [i for i, event in enumerate(timeline) if query.test(event)]
    assert found == expected, text


def test_the_reference_catches_a_negation_that_swallows_the_group() -> None:
    """The bug the issue planted: `-tag:pow kursk` must be (not pow) and kursk."""
    events = [
        {"id": "a", "date": "2025", "title": "kursk", "tags": ["pow"]},
        {"id": "b", "date": "2025", "title": "kursk"},
        {"id": "c", "date": "2025", "title": "other"},
    ]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "f").timeline
    assert [timeline[i].id for i in parse_query("-tag:pow kursk").filter(timeline)] == ["b"]
    assert [timeline[i].id for i in parse_query("kursk -tag:pow").filter(timeline)] == ["b"]


def test_after_a_year_excludes_that_year_and_asof_a_month_means_its_end() -> None:
    events = [
        {"id": "in2024", "date": "2024-06-15", "title": "x"},
        {"id": "in2025", "date": "2025-01-02", "title": "y"},
        {"id": "late-jan", "date": "2025-01-31", "title": "z"},
    ]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "f").timeline
    ids = lambda q: [timeline[i].id for i in parse_query(q).filter(timeline)]  # noqa: E731
    assert ids("after:2024") == ["in2025", "late-jan"]
    assert ids("before:2025") == ["in2024"]
    assert ids("asof:2025-01") == ["in2024", "in2025", "late-jan"]
    assert ids("asof:2025-01-30") == ["in2024", "in2025"]
