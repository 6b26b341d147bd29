"""Whole event files generated for round trips (every field, times, BCE years, open ends,
unknown keys, non-ASCII text, the file's own metadata), and a field-by-field comparison."""

from __future__ import annotations

import io
from typing import Any

from hypothesis import strategies as st

from tests.support.dates import whens
from tui.formats.ical import to_calendar
from tui.formats.parquet import write_parquet
from tui.formats.table import write_csv
from tui.formats.timeline import write_json
from tui.formats.timelinejs import write_timelinejs
from tui.model.events import Event, Status, Timeline
from tui.model.text import clean_text

CHARACTERS = st.characters(
    codec="utf-8", exclude_categories=("Cs", "Cc", "Cf", "Zl", "Zp", "Co", "Cn")
)
TRICKY = st.sampled_from(["a;b", "c|d", 'say "hi"', "x, y", "Łódź", "서울", "=1+1", "[not json"])


def one_line(min_size: int = 0) -> st.SearchStrategy[str]:
    plain = st.text(CHARACTERS, min_size=min_size, max_size=12) | TRICKY
    return plain.map(lambda s: " ".join(s.split())).filter(
        lambda s: len(s) >= min_size and clean_text(s) == s and (s.strip() or not min_size)
    )


def paragraph() -> st.SearchStrategy[str]:
    return st.lists(one_line(1), min_size=1, max_size=3).map("\n".join)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | one_line(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(one_line(1), inner, max_size=3),
    max_leaves=6,
)  # fmt: skip
UNKNOWN_KEYS = st.dictionaries(
    st.sampled_from(["x-score", "x-desk", "confidence", "wikidata", "x-raw"]),
    JSON_VALUES,
    max_size=2,
)
OWN_KEYS_INSIDE = st.dictionaries(st.sampled_from(["x-page", "wikidata"]), JSON_VALUES, max_size=1)
"""A place's, citation's, relation's or status change's keys of its own."""


@st.composite
def files(draw: st.DrawFn, fmt: str) -> dict[str, Any]:
    def when(value: Any) -> str:
        text: str = value.to_text()
        return text

    dates = whens()
    if fmt == "ics":  # iCalendar holds years 1 to 9998, in UTC (the export says what it left out)
        dates = dates.filter(
            lambda w: all(
                1 <= p.year <= 9998 and not (p.tz_minutes and p.year in (1, 9998))
                for p in (w.start, w.end)
                if p
            )
        )
    named = draw(st.lists(st.sampled_from(["wire", "report", "blog"]), unique=True, max_size=2))
    sources = {}
    for key in named:
        source = {
            "title": draw(st.none() | one_line(1)),
            "published": draw(st.none() | dates.map(when)),
            "publisher": draw(st.none() | one_line(1)),
            "url": draw(st.none() | st.just("https://example.org/a?b=c&d=é")),
        }
        provenance = {  # DESIGN.md §7
            "reliability": st.sampled_from("ABCDEF"),
            "archived": st.just("https://web.archive.org/web/2025/https://example.org/a"),
            "captured": whens().map(when),  # carried as text by every format: any year
            "sha256": st.text("0123456789abcdef", min_size=64, max_size=64),
        }
        for key, strategy in provenance.items():
            if draw(st.booleans()):
                source[key] = draw(strategy)
        source.update(draw(UNKNOWN_KEYS))
        sources[key] = source
    # Every format holds the keys inside an event, but a table has no column for a
    # place's, and Parquet's structs none for any (each writer says what it left out).
    inside = st.just({}) if fmt == "parquet" else OWN_KEYS_INSIDE
    in_place = st.just({}) if fmt in ("csv", "parquet") else OWN_KEYS_INSIDE

    def keeping(part: st.SearchStrategy[dict[str, Any]], own: Any) -> Any:
        return st.tuples(part, own).map(lambda pair: {**pair[1], **pair[0]})

    count = draw(st.integers(1, 5))
    events = []
    for i in range(count):
        event: dict[str, Any] = {
            "id": f"e{i}-{draw(one_line())}".replace(" ", "_"),
            "date": draw(dates.map(when)),
            "title": draw(one_line(1)),
        }
        optional = {
            "summary": paragraph(),
            "notes": paragraph(),
            "kind": one_line(1),
            "tags": st.lists(one_line(1), min_size=1, max_size=3),
            "actors": st.lists(one_line(1), min_size=1, max_size=3),
            "claimed_by": st.lists(one_line(1), min_size=1, max_size=2),
            "reported": dates.map(when),
            "status": st.sampled_from([s.value for s in Status]),
            "place": keeping(
                st.fixed_dictionaries(
                    {"name": one_line(1)},
                    optional={
                        "lat": st.floats(-90, 90, allow_nan=False),
                        "lon": st.floats(-180, 180, allow_nan=False),
                    },
                ),
                in_place,
            ),
            "sources": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "ref": st.sampled_from(named) if named else st.nothing(),
                        "quote": one_line(1),
                        "title": one_line(1),
                        "url": st.just("https://example.org/q"),
                        "credibility": st.integers(1, 6),
                    },
                )
                .filter(lambda ref: bool(ref.keys() - {"credibility"}))
                .flatmap(lambda ref: keeping(st.just(ref), inside)),
                min_size=1,
                max_size=2,
            ),
            "history": st.lists(
                st.fixed_dictionaries(
                    {"date": whens().map(when)},
                    optional={
                        "status": st.sampled_from([s.value for s in Status]),
                        "by": st.lists(one_line(1), min_size=1, max_size=2),
                        "note": paragraph(),
                    },
                ).flatmap(lambda change: keeping(st.just(change), inside)),
                min_size=1,
                max_size=3,
            ),
            "related": st.lists(
                st.fixed_dictionaries(
                    {"id": st.sampled_from([f"e{j}" for j in range(count)])},
                    optional={"rel": st.sampled_from(["follows", "confirms", "see also"])},
                ).flatmap(lambda relation: keeping(st.just(relation), inside)),
                min_size=1,
                max_size=2,
            ),
        }
        for key, strategy in optional.items():
            if draw(st.booleans()):
                event[key] = draw(strategy)
        event.update(draw(UNKNOWN_KEYS))
        events.append(event)
    ids = [e["id"] for e in events]
    for event in events:  # relations point at ids that exist, never at the event itself
        if "related" in event:
            event["related"] = [
                {**r, "id": ids[int(r["id"][1:])]}
                for r in event["related"]
                if ids[int(r["id"][1:])] != event["id"]
            ] or None
            if event["related"] is None:
                del event["related"]
    document: dict[str, Any] = {"events": events}
    if draw(st.booleans()):
        document["title"] = draw(one_line(1))
    if draw(st.booleans()):
        document["description"] = draw(paragraph())
    if sources:
        document["sources"] = sources
    document.update(
        draw(st.dictionaries(st.sampled_from(["x-desk", "license"]), JSON_VALUES, max_size=1))
    )
    return document


def exported(timeline: Timeline, fmt: str) -> bytes:
    everything = range(len(timeline))
    if fmt == "ics":
        data, skipped = to_calendar(timeline, everything)
        assert skipped == []
        return data
    if fmt == "parquet":
        binary = io.BytesIO()
        assert write_parquet(timeline, everything, binary) == []
        return binary.getvalue()
    out = io.StringIO()
    {"json": write_json, "csv": write_csv, "timelinejs": write_timelinejs}[fmt](
        timeline, everything, out
    )
    return out.getvalue().encode()


def assert_same_event(a: Event, b: Event) -> None:
    for field in a.__struct_fields__:
        if field != "order":  # the position in the file, which an export may change
            assert getattr(a, field) == getattr(b, field), (a.id, field)


def assert_same_timeline(a: Timeline, b: Timeline) -> None:
    assert (a.title, a.description) == (b.title, b.description)
    assert a.sources == b.sources
    assert a.extra == b.extra
    assert len(a) == len(b)
    for x, y in zip(a, b, strict=True):
        assert_same_event(x, y)
