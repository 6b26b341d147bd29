"""Every evaluator answers every query alike (DESIGN.md §5): random timelines and random
queries, each run by the in-memory predicate, by the SQL that the DuckDB store runs and
over the word index, must give the same positions in the same order. Text is drawn to
trouble a translation to SQL or an index: accents and case, words that start inside
others, punctuation inside a phrase, a script written without spaces, LIKE's own `%`,
`_` and `\\`, and phrases cut from the timeline's own text at any character."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.model.duck_store import DuckStore
from tui.model.events import ALL_TEXT_FIELDS, Status, Timeline
from tui.model.loading import load_bytes
from tui.model.query import QueryError, parse_query
from tui.model.sidecar import Layer
from tui.model.sql import compile_where, like_pattern
from tui.model.store import MemoryStore, Store
from tui.model.text import fold
from tui.model.word_index import (
    WordIndex,
    _codes,
    _distinct_field_index,
    _repeated_field_index,
    _words,
)
from tui.output.stats import FACET_NAMES, facet_counts

PIECES = [
    "Kursk", "kursk", "KURSK", "Łódź", "lodz", "Ōsaka", "osaka", "soldier", "soldiers",
    "ex-soldier", "NIS", "nis", "ministry", "北朝鮮", "朝鮮", "서울", "Straße", "strasse",
    "100%", "50_50", "a\\b", "x_y", "e2e", "2025", "_war", "war", "Война", "война",
    "U.S.", "us", "#pow", "pow", "(POW)", "o'brien", "brien", "oﬃce", "office", "ﬁnal",
    "e\u0301nergie", "energie", "\u0301n", "ǌive", "2\u03012", "1", "x²", "x2",
]  # fmt: skip
WORDS = st.sampled_from(PIECES)
SEP_CHARS = st.sampled_from([" ", "-", ", ", "/", ""])
DATES = ["2024", "2024-06", "2024-06-15", "2024-12~", "2025-01-09", "2025-01", "2024-11/2025-01"]
STATUSES = [s.value for s in Status]
GRADES = [
    ("reliability", "B"), ("reliability", "F"), ("credibility", "2"),
    ("corroboration", "1"), ("corroboration", "0"),
]  # fmt: skip
LAYER_TERMS = ["is:starred", "is:noted", "is:new", "note:war", "label:check"]


@st.composite
def joined_text(draw: st.DrawFn) -> str:
    words = draw(st.lists(WORDS, min_size=1, max_size=4))
    text = words[0]
    for word in words[1:]:
        text += draw(SEP_CHARS) + word
    return text


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    sources = {
        "wire": {"title": draw(joined_text()), "reliability": draw(st.sampled_from("ABF"))},
        "blog": {"title": "A blog", "publisher": draw(joined_text())},
    }
    events = []
    for i in range(draw(st.integers(0, 10))):
        event: dict[str, Any] = {
            "id": draw(st.sampled_from([f"e{i}", f"E-{i}", f"ev_{i}"])),
            "date": draw(st.sampled_from(DATES)),
            "title": draw(joined_text()),
        }
        for key, values in (
            ("tags", WORDS),
            ("actors", joined_text()),
            ("claimed_by", joined_text()),
        ):
            if draw(st.booleans()):
                event[key] = draw(st.lists(values, max_size=2, unique=True))
        if draw(st.booleans()):
            event["summary"] = draw(joined_text())
        if draw(st.booleans()):
            event["notes"] = draw(joined_text())
        if draw(st.booleans()):
            event["place"] = {"name": draw(joined_text())}
        if draw(st.booleans()):
            event["status"] = draw(st.sampled_from(STATUSES))
        if draw(st.booleans()):
            event["kind"] = draw(WORDS)
        if draw(st.booleans()):
            event["reported"] = draw(st.sampled_from(DATES))
        citations = []
        for _ in range(draw(st.integers(0, 2))):
            citation: dict[str, Any] = draw(
                st.sampled_from([{"ref": "wire"}, {"ref": "blog"}, {"title": "Inline"}])
            )
            if draw(st.booleans()):
                citation = {**citation, "quote": draw(joined_text())}
            if draw(st.booleans()):
                citation = {**citation, "credibility": draw(st.integers(1, 6))}
            citations.append(citation)
        if citations:
            event["sources"] = citations
        if draw(st.booleans()):
            event["history"] = [
                {"date": draw(st.sampled_from(DATES)), "status": draw(st.sampled_from(STATUSES))}
                for _ in range(draw(st.integers(1, 3)))
            ]
        events.append(event)
    document = {"sources": sources, "events": events}
    return load_bytes(json.dumps(document).encode(), "drawn.json").timeline


def _value(draw: st.DrawFn) -> str:
    value: str = draw(WORDS | joined_text())
    cut = draw(st.integers(1, max(1, len(value))))
    return value[:cut] if draw(st.booleans()) else value


@st.composite
def cut(draw: st.DrawFn, texts: list[str]) -> str:
    """A phrase cut from the timeline's own text at any character: a word's middle, a
    run of punctuation, a script written without spaces."""
    text = draw(st.sampled_from(texts))
    start = draw(st.integers(0, len(text) - 1))
    piece = text[start : draw(st.integers(start + 1, len(text)))].replace('"', "")
    field = draw(st.sampled_from(["", "", "title:", "place:", "actor:"]))
    return f'{field}"{piece}"' if piece.strip() else "kursk"


@st.composite
def terms(draw: st.DrawFn, texts: list[str]) -> str:
    if texts and draw(st.integers(0, 3)) == 0:
        return draw(cut(texts))
    kind = draw(st.integers(0, 8))
    if kind == 0:
        value = _value(draw)
        if '"' in value or not value.strip():
            return "kursk"
        return f'"{value}"' if " " in value or draw(st.booleans()) else value.split()[0]
    if kind == 1:
        field = draw(st.sampled_from(["tag", "actor", "place", "by", "title", "source", "kind"]))
        value = _value(draw)
        exact = "=" if draw(st.booleans()) else ""
        return f'{field}:{exact}"{value}"' if " " in value else f"{field}:{exact}{value}"
    if kind == 2:
        return f"status:{draw(st.sampled_from(STATUSES))}"
    if kind == 3:
        op = draw(st.sampled_from(["after", "before", "on", "in", "asof"]))
        return f"{op}:{draw(st.sampled_from(DATES))}"
    if kind == 4:
        return f"{draw(st.sampled_from(DATES))}..{draw(st.sampled_from(DATES))}"
    if kind == 5:
        op = draw(st.sampled_from(["<=", ">=", "<", ">", ""]))
        field, value = draw(st.sampled_from(GRADES))
        return f"{field}:{op}{value}"
    if kind == 6:
        return draw(st.sampled_from(LAYER_TERMS))
    if kind == 7:
        return f"id:{draw(st.sampled_from(['e1', 'E-', 'ev_2', 'e']))}"
    return f"file:{draw(st.sampled_from(['drawn', 'other']))}"


@st.composite
def queries(draw: st.DrawFn, texts: list[str], depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        if depth < 2 and draw(st.integers(0, 4)) == 0:
            part = f"({draw(queries(texts, depth + 1))})"
        else:
            part = draw(terms(texts))
        if draw(st.integers(0, 3)) == 0:
            part = draw(st.sampled_from(["-", "NOT "])) + part
        parts.append(part)
    joiner = draw(st.sampled_from([" ", " OR ", " AND "]))
    return joiner.join(parts)


def _layer(timeline: Timeline, draw: st.DrawFn) -> Layer | None:
    if not len(timeline) or draw(st.booleans()):
        return None
    ids = [e.id for e in timeline] + ["gone"]
    chosen = st.lists(st.sampled_from(ids), max_size=3, unique=True)
    return Layer(
        notes={i: draw(joined_text()) for i in draw(chosen)},
        starred=set(draw(chosen)),
        labels={i: ("check",) for i in draw(chosen)},
        new=set(draw(chosen)),
    )


@settings(max_examples=150)
@given(st.data())
def test_sql_and_the_index_find_what_the_predicate_finds(data: st.DataObject) -> None:
    timeline = data.draw(timelines())
    store = DuckStore.build(timeline)
    memory = MemoryStore(timeline)
    both: list[Store] = [store, memory]  # what print and stats read of a store
    assert all(s.text_counts is None and len(s) == len(timeline) for s in both)
    index = WordIndex(timeline)
    texts = [e.title for e in timeline] + [e.place.name for e in timeline if e.place]
    texts += [a for e in timeline for a in e.actors]
    try:
        for _ in range(6):
            text = data.draw(queries(texts))
            try:
                query = parse_query(text, timeline)
            except QueryError:
                continue
            layer = _layer(timeline, data.draw)
            expected = list(memory.select(query, layer))
            assert list(store.select(query, layer)) == expected, text
            assert store.count(query, layer) == len(expected), text
            assert index.select(query, layer).tolist() == expected, text
            assert index.count(query, layer) == len(expected), text
    finally:
        store.close()


@pytest.fixture(scope="module")
def bundled_store(story: Timeline) -> Any:
    store = DuckStore.build(story)
    yield store
    store.close()


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("kursk", 3),  # in titles, places and quotes
        ("korea nis", 7),
        ("by:nis", 7),  # a word start: "Ministry" is not NIS
        ("tag:=pow", 6),
        ("-reliability:<=B", 11),  # the ungraded are kept by the negation
        ("status:confirmed", 2),
        ("after:2025-01-10 OR tag:=treaty", 9),
    ],
)
def test_the_duckdb_store_answers_the_bundled_story(
    bundled_store: DuckStore, story: Timeline, text: str, count: int
) -> None:
    query = parse_query(text, story)
    found = bundled_store.select(query)
    assert len(found) == count
    assert list(found) == query.filter(story)


def test_a_duckdb_store_gives_back_the_events_themselves(
    bundled_store: DuckStore, story: Timeline
) -> None:
    assert bundled_store.get("capture") == story.get("capture")
    assert bundled_store.get("no-such-id") is None
    assert bundled_store.events_at([3, 0]) == [story[3], story[0]]
    assert len(bundled_store) == len(story)


def test_a_duckdb_store_file_is_opened_again_read_only(story: Timeline, tmp_path: Any) -> None:
    path = str(tmp_path / "story.duckdb")
    DuckStore.build(story, path).close()
    first, second = DuckStore.open(path), DuckStore.open(path)
    try:
        query = parse_query("tag:pow", story)
        assert list(first.select(query)) == list(second.select(query)) == query.filter(story)
        with pytest.raises(Exception, match="read-only"):
            first.connection.execute("DELETE FROM events")
    finally:
        first.close()
        second.close()


def test_user_text_reaches_sql_only_as_a_parameter(story: Timeline) -> None:
    text = 'tag:"x\' OR 1=1 --" "%_\\" status:confirmed'
    where, params = compile_where(parse_query(text, story), lambda ids: [])
    assert "'x" not in where and "1=1" not in where and "%" not in where
    assert like_pattern("%_\\") in params  # escaped: a literal per cent, underscore, backslash
    assert like_pattern("%_\\") == "%" + "\\%\\_\\\\" + "%"


@pytest.mark.parametrize(
    ("needle", "exact", "pattern"),
    [
        ("nis", False, "%\x01nis%"),  # at a word start
        ("korea nis", False, "%\x01korea \x01nis%"),
        ("朝鮮", False, "%朝鮮%"),  # anywhere, in a script written without spaces
        ("#pow", False, "%#\x01pow%"),  # anywhere, as punctuation starts it
        ("pow", True, "%\x1f\x01pow\x1f%"),  # one whole value
    ],
)
def test_like_patterns(needle: str, exact: bool, pattern: str) -> None:
    assert like_pattern(needle, exact) == pattern


@pytest.mark.parametrize(
    ("titles", "text", "found"),
    [
        (["北朝鮮 Kursk", "朝 Kursk"], '"朝鮮 kursk"', [0]),  # its first word inside another
        (["x-5 report", "x5 report"], '"-5"', [0]),  # punctuation first: anywhere
        (["an ex-soldier", "exsoldier"], '"ex-sol"', [0]),  # a word's start after a hyphen
        (["Ministry of Defence", "NIS says"], "nis", [1]),  # only at a word start
        (["Война в Украине", "война"], "ВОЙНА", [0, 1]),  # case, in any script
        (["Łódź shelling", "Lodz"], "lodz", [0, 1]),  # letters without a decomposition
        (["50% of 100_000", "50 of 100"], '"50%"', [0]),  # LIKE's own wildcard, literally
        (["a_b", "ab"], "b", [0]),  # underscore: a word starts after it
        (["قال مُحَمَّد اليوم", "محمود"], "محمد", [0]),  # Arabic's vowel marks, dropped
        (["שָׁלוֹם עולם", "עולם"], "שלום", [0]),  # Hebrew's points
        (["v\u20d7 x", "w"], '"v x"', [0]),  # a mark for symbols, then a word
    ],
)
def test_every_evaluator_agrees_on_the_edges_of_word_search(
    titles: list[str], text: str, found: list[int]
) -> None:
    events = [{"id": f"e{i}", "date": "2025-01-09", "title": t} for i, t in enumerate(titles)]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "edges.json").timeline
    query = parse_query(text, timeline)
    assert MemoryStore(timeline).select(query) == found
    store = DuckStore.build(timeline)
    try:
        assert list(store.select(query)) == found
    finally:
        store.close()
    assert WordIndex(timeline).select(query).tolist() == found


@pytest.mark.parametrize(
    ("text", "found"),
    [("kind:=n", [0, 1]), ("kind:=\u0301n", [0, 1]), ("-kind:=\u0301n", [2]), ("tag:=n", [0, 1])],
)
def test_a_whole_value_that_starts_with_an_accent_is_its_folded_self_in_every_evaluator(
    text: str, found: list[int]
) -> None:
    """Folding drops the accent before `n`: the value is `n` (the predicate missed it:
    found by the differential test above)."""
    kinds = ["\u0301n", "n", "n x"]
    events = [
        {"id": f"e{i}", "date": "2025", "title": "t", "kind": k, "tags": [k]}
        for i, k in enumerate(kinds)
    ]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "accents.json").timeline
    query = parse_query(text, timeline)
    store = DuckStore.build(timeline)
    try:
        assert list(store.select(query)) == found
    finally:
        store.close()
    assert list(MemoryStore(timeline).select(query)) == found
    assert WordIndex(timeline).select(query).tolist() == found


def test_ungraded_events_are_kept_by_a_negated_grade_in_every_evaluator() -> None:
    document = {
        "sources": {"wire": {"title": "Wire", "reliability": "A"}},
        "events": [
            {"id": "graded", "date": "2025", "title": "A", "sources": [{"ref": "wire"}]},
            {"id": "ungraded", "date": "2025", "title": "B"},
        ],
    }
    timeline = load_bytes(json.dumps(document).encode(), "grades.json").timeline
    for text, found in (("reliability:<=B", ["graded"]), ("-reliability:<=B", ["ungraded"])):
        query = parse_query(text, timeline)
        ids = [
            [timeline[i].id for i in positions]
            for positions in (
                MemoryStore(timeline).select(query),
                list(DuckStore.build(timeline).select(query)),
                WordIndex(timeline).select(query).tolist(),
            )
        ]
        assert ids == [found, found, found], text


@given(timelines())
def test_all_text_has_the_words_of_its_fields_and_its_prose_and_no_others(
    timeline: Timeline,
) -> None:
    """The index puts all text's words together from ALL_TEXT_FIELDS' and the prose's: a
    part of all text in neither would never be found by a bare word over the index."""
    for i in range(len(timeline)):
        parts = [timeline.texts(name)[i] for name in ALL_TEXT_FIELDS] + [timeline.prose()[i]]
        found = {w for part in parts for w in re.findall(r"[^\W_]+", fold(part))}
        assert found == set(re.findall(r"[^\W_]+", fold(timeline.texts("text")[i])))


@given(st.text() | joined_text())
def test_a_text_is_split_into_the_words_the_regex_finds(text: str) -> None:
    assert set(_words(text)) == set(re.findall(r"[^\W_]+", text))


FIELD_TEXTS = st.lists(
    st.sampled_from(["", "\x1fpow\x1fKursk", "\x1fpow", "\x1fpow kursk\x1fnis\x1f"])
    | joined_text(),
    max_size=12,
)


@given(FIELD_TEXTS)
def test_a_field_read_a_distinct_text_at_a_time_is_indexed_as_one_read_event_by_event(
    texts: list[str],
) -> None:
    """A field's texts repeat (tags, places) or don't (titles): the word index reads each
    kind its own way, and both must give every word and whole value the same events."""
    by_text = _repeated_field_index(*_codes(texts))
    by_event = _distinct_field_index(texts)
    assert by_text.words == by_event.words
    assert by_text.bitmaps == by_event.bitmaps
    assert by_text.values == by_event.values
    assert list(by_text.bitmaps) == list(by_event.bitmaps)  # as held, or made from it


@settings(max_examples=100)
@given(st.data())
def test_facets_counted_over_the_index_are_the_facets_counted_event_by_event(
    data: st.DataObject,
) -> None:
    timeline = data.draw(timelines())
    every = range(len(timeline))
    shown = data.draw(
        st.just(every) | st.sets(st.sampled_from(every)).map(sorted) if every else st.just(every)
    )
    index = WordIndex(timeline, counted=FACET_NAMES)
    over_the_index = facet_counts(timeline, shown, index.text_counts)
    walked = facet_counts(timeline, shown)
    # In the same order too: the facets screen and `stats` list ties as they come.
    assert {name: list(c.items()) for name, c in over_the_index.items()} == {
        name: list(c.items()) for name, c in walked.items()
    }


def test_the_index_build_reports_its_progress_every_few_thousand_events(
    monkeypatch: pytest.MonkeyPatch, story: Timeline
) -> None:
    """The app's thread waits there while a filter runs, and stops there when the index
    is no longer wanted: a report only per field (a quarter of a minute at a million
    events) would hold a filter back that long."""
    from tui.model import word_index

    monkeypatch.setattr(word_index, "TICK", 4)
    told: list[tuple[int, int]] = []
    WordIndex(story, lambda done, total: told.append((done, total)), counted=FACET_NAMES)
    total = told[0][1]
    count = len(story)
    assert total > count and total % count == 0  # each pass over the events counted
    passes = total // count
    assert len(told) >= passes * (count // 4)
    assert [done for done, _ in told] == sorted(done for done, _ in told)
    assert told[-1] == (total, total)


@settings(max_examples=80)
@given(st.data())
def test_the_first_words_of_an_index_answer_bare_words_as_the_whole_index_does(
    data: st.DataObject,
) -> None:
    """Built first (a bare word searches all the text), and given to the app at once: it
    says which queries it can answer, and answers those as the whole index does."""
    timeline = data.draw(timelines())
    partial: list[WordIndex] = []
    whole = WordIndex(timeline, counted=FACET_NAMES, first_words=partial.append)
    (first,) = partial
    assert whole.complete and not first.complete
    texts = [e.title for e in timeline]
    for _ in range(5):
        text = data.draw(queries(texts))
        try:
            query = parse_query(text, timeline)
        except QueryError:
            continue
        assert whole.answers(query)
        if first.answers(query):
            assert first.select(query).tolist() == whole.select(query).tolist(), text
    for text, answered in (
        ("kursk", True), ("kursk -soldier OR (nis 2024..2025)", True), ("is:starred war", True),
        ("tag:pow", True), ("kursk title:war", True), ("-kind:x", True), ("by:nis", True),
        ("status:claimed", False), ("reliability:<=B", False), ("source:wire", False),
        ("id:e1", False), ("kursk OR source:wire", False),
    ):  # fmt: skip
        assert first.answers(parse_query(text, timeline)) == answered, text
