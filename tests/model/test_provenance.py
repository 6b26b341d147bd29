"""How sure, on what source, since when (DESIGN.md §7): corroboration, grades, status
history, the filter's terms for them, and `validate`'s lints."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tui.model.dates import DAY, days_from_civil
from tui.model.loading import LoadOptions, load_bytes
from tui.model.provenance import (
    best_credibility,
    best_reliability,
    grade_text,
    independent_sources,
    status_on,
)
from tui.model.query import QueryError, parse_query

SOURCES = {
    "afp-wire": {
        "title": "AFP",
        "publisher": "AFP",
        "url": "https://afp.com/a",
        "reliability": "B",
    },
    "dw": {"title": "DW live", "publisher": "DW", "url": "https://dw.com/x", "reliability": "A"},
    "copy": {"title": "Hürriyet (AFP copy)", "publisher": "Hürriyet", "url": "https://h.com/y"},
    "blog": {"title": "A blog", "url": "https://www.blog.example/p", "reliability": "E"},
    "same-host": {"title": "The blog again", "url": "https://blog.example/q"},
}


def timeline_of(*events: dict[str, Any], sources: dict[str, Any] | None = None) -> Any:
    document = {"sources": SOURCES if sources is None else sources, "events": list(events)}
    return load_bytes(json.dumps(document).encode(), "f.json").timeline


def event(event_id: str = "e", **fields: Any) -> dict[str, Any]:
    return {"id": event_id, "date": "2025-01-09", "title": "T", **fields}


@pytest.mark.parametrize(
    ("citations", "count"),
    [
        ([], 0),
        ([{"ref": "dw"}], 1),
        ([{"ref": "dw"}, {"ref": "dw", "quote": "another line"}], 1),  # one source, twice
        ([{"ref": "dw"}, {"ref": "afp-wire"}], 2),
        (
            [
                {"ref": "afp-wire", "quote": "Confirmed on Jan. 9"},
                {"ref": "copy", "quote": "confirmed on  jan. 9"},
            ],
            1,
        ),  # the same quote from another publisher: a syndicated copy
        ([{"ref": "blog"}, {"ref": "same-host"}], 1),  # no publisher: the link's host
        ([{"url": "https://dw.com/x"}, {"ref": "dw"}], 1),  # the same link
        ([{"title": "A leaflet"}, {"title": "a leaflet"}], 1),  # the same name
        ([{"title": "A leaflet"}, {"title": "A poster"}, {"ref": "dw"}, {"ref": "blog"}], 4),
    ],
)
def test_independent_sources_count_a_syndicated_copy_once(
    citations: list[dict[str, Any]], count: int
) -> None:
    timeline = timeline_of(event(sources=citations))
    assert independent_sources(timeline, timeline[0]) == count


def test_the_best_grades_and_the_admiralty_code() -> None:
    timeline = timeline_of(
        event(sources=[{"ref": "blog", "credibility": 4}, {"ref": "dw", "credibility": 2}])
    )
    e = timeline[0]
    assert best_reliability(timeline, e) == "A" and best_credibility(e) == 2
    assert [grade_text(timeline, ref) for ref in e.sources] == ["E4", "A2"]
    plain = timeline_of(event(sources=[{"title": "x"}, {"ref": "copy", "credibility": 3}]))
    assert best_reliability(plain, plain[0]) is None
    assert [grade_text(plain, ref) for ref in plain[0].sources] == ["", "3"]


def test_the_status_as_known_on_a_day() -> None:
    history = [
        {"date": "2025-01-11", "status": "reported", "by": ["Zelenskyy"]},
        {"date": "2025-01-13", "note": "a figure revised, no new status"},
        {"date": "2025-01-12", "status": "confirmed", "by": ["NIS"]},  # out of order
    ]
    e = timeline_of(event(status="confirmed", history=history))[0]
    day = DAY
    jan = days_from_civil(2025, 1, 11)
    assert status_on(e, jan * day) == "reported"  # before anything: what was said first
    assert status_on(e, (jan + 1) * day) == "reported"  # the end of 11 January
    assert status_on(e, (jan + 2) * day - 1) == "reported"  # 12 January not yet over
    assert status_on(e, (jan + 2) * day) == "confirmed"
    assert status_on(e, (jan + 9) * day) == "confirmed"
    plain = timeline_of(event(status="claimed"))[0]
    assert status_on(plain, 0) == "claimed"


def ids(timeline: Any, query: str) -> list[str]:
    return [timeline[i].id for i in parse_query(query, timeline).filter(timeline)]


def test_the_filter_compares_grades_and_corroboration() -> None:
    timeline = timeline_of(
        event("one", sources=[{"ref": "dw", "credibility": 1}]),
        event("two", sources=[{"ref": "blog", "credibility": 5}, {"ref": "afp-wire"}]),
        event("none"),
        event("ungraded", sources=[{"title": "x"}]),
    )
    assert ids(timeline, "corroboration:>=2") == ["two"]
    assert ids(timeline, "corroboration:1") == ["one", "ungraded"]
    assert ids(timeline, "corroboration:<1") == ["none"]
    assert ids(timeline, "corroboration:>0") == ["one", "two", "ungraded"]
    assert ids(timeline, "reliability:<=B") == ["one", "two"]  # two's best is AFP's B
    assert ids(timeline, "reliability:=a") == ["one"]
    assert ids(timeline, "reliability:>A") == ["two"]  # ungraded events match no grade
    assert ids(timeline, "credibility:<=2") == ["one"]
    assert ids(timeline, "credibility:>=5") == ["two"]
    assert ids(timeline, "-reliability:<=F") == ["none", "ungraded"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "reliability:<=G",
            'reliability: takes a grade A to F (A best), as in reliability:<=B; found "G"'
            " at column 15",
        ),
        (
            "x credibility:7",
            "credibility: takes a grade 1 to 6 (1 best), as in credibility:<=2; found"
            ' "7" at column 15',
        ),
        (
            "corroboration:>=two",
            "corroboration: takes a number of sources, as in corroboration:>=2; found"
            ' "two" at column 17',
        ),
        ("corroboration:", "corroboration: needs a value at column 15"),
    ],
)
def test_a_bad_grade_is_an_error_at_its_column(query: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(query, 2025)
    assert str(caught.value) == message


def test_asof_reads_the_status_known_that_day() -> None:
    history = [
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-12", "status": "confirmed"},
    ]
    timeline = timeline_of(event("cap", status="confirmed", history=history), event("other"))
    assert ids(timeline, "asof:2025-01-11 status:reported") == ["cap"]
    assert ids(timeline, "asof:2025-01-11 status:confirmed") == []
    assert ids(timeline, "asof:2025-01-12 status:confirmed") == ["cap"]
    assert ids(timeline, "status:confirmed") == ["cap"]  # no asof: the latest


def lints_of(*events: dict[str, Any], sources: dict[str, Any] | None = None) -> list[str]:
    document = {"sources": sources or {}, "events": list(events)}
    loaded = load_bytes(json.dumps(document).encode(), "f.json", options=LoadOptions(thorough=True))
    return [f"{p.message} ({p.path})" for p in loaded.warnings]


def test_validate_lints_how_sure_the_file_says_it_is() -> None:
    assert lints_of(
        event("c", status="confirmed", sources=[{"title": "only one"}]),
    ) == [
        'event "c": `confirmed` on 1 independent source; confirmed needs two or more'
        " (else: reported) ($.events[0].status)"
    ]
    assert lints_of(event("c", status="confirmed", sources=[{"title": "a"}, {"title": "b"}])) == []
    assert lints_of(event("k", status="claimed")) == [
        'event "k": `claimed` without `claimed_by`: who claims it? ($.events[0].status)'
    ]
    assert lints_of(event("k", status="claimed", claimed_by=["x"])) == []
    assert lints_of(event(), sources={"s": {"url": "https://a.b/c"}}) == [
        'source "s" has a `url` but no `archived` copy: links rot; keep one (`archived`,'
        " `captured`, `sha256`) ($.sources.s.url)"
    ]
    assert lints_of(event(), sources={"s": {"url": "https://a.b", "archived": "https://x"}}) == []
    history = [{"date": "2025-01-12", "status": "confirmed"}]
    assert lints_of(event("h", status="reported", history=history)) == [
        'event "h": `status` is reported, but the latest in `history` is confirmed'
        " (12 Jan 2025) ($.events[0].status)"
    ]
    early = {"id": "early", "date": "2024-12", "title": "E"}
    assert lints_of(early, event("late", related=[{"id": "early", "rel": "followed-by"}])) == [
        'event "late": it followed-by "early", but the dates say otherwise (9 Jan 2025 and'
        " Dec 2024) ($.events[1].related[0])"
    ]
    assert lints_of(early, event("late", related=[{"id": "early", "rel": "follows"}])) == []
    assert lints_of(early, event("late", related=[{"id": "early", "rel": "confirms"}])) == []


def test_lints_point_at_the_event_in_the_file_on_both_loading_paths() -> None:
    """The fast path sorts the events; the lints still name each one's place in the file
    (a file with a key we don't know takes the checking path: the same warnings)."""
    late = event("late", related=[{"id": "early", "rel": "followed-by"}])
    early = {"id": "early", "date": "2024-12", "title": "E", "status": "claimed"}
    expected = [
        'event "late": it followed-by "early", but the dates say otherwise (9 Jan 2025 and'
        " Dec 2024) ($.events[0].related[0])",
        'event "early": `claimed` without `claimed_by`: who claims it? ($.events[1].status)',
    ]
    assert lints_of(late, early) == expected
    assert lints_of({**late, "zz_unknown": 1}, early) == expected


def test_the_words_of_a_history_step() -> None:
    from tui.model.provenance import step_text

    e = timeline_of(
        event(
            history=[
                {"date": "2025-01-11", "status": "reported", "by": ["Kyiv", "SBU"]},
                {"date": "2025-01-12", "note": "a figure"},
            ]
        )
    )[0]
    assert [step_text(change) for change in e.history] == [
        "11 Jan 2025 reported by Kyiv, SBU",
        "12 Jan 2025",
    ]


def test_more_grade_terms_at_their_bounds() -> None:
    timeline = timeline_of(
        event("one", sources=[{"title": "x", "credibility": 1}]),
        event("six", sources=[{"title": "y", "credibility": 6}]),
    )
    assert ids(timeline, "credibility:1") == ["one"]
    assert ids(timeline, "credibility:=6") == ["six"]
    assert ids(timeline, "corroboration:10000") == []
    for bad, column in (("corroboration:10001", 15), ("reliability:X", 13), ("is:,", 4)):
        with pytest.raises(QueryError) as caught:
            parse_query(bad, 2025)
        assert caught.value.column == column, bad
    with pytest.raises(QueryError) as caught:
        parse_query("is:zzz", 2025)
    assert str(caught.value) == 'unknown "is:zzz" (is: takes starred, noted, new) at column 4'


def test_views_carry_their_dates_nesting_and_errors() -> None:
    from tui.model.query import reads_analyst_layer

    history = [
        {"date": "2025-01-11", "status": "reported"},
        {"date": "2025-01-12", "status": "confirmed"},
    ]
    timeline = timeline_of(event("cap", status="confirmed", history=history))
    views = {"then": "asof:2025-01-11", "jan": '(on:"jan 9")', "q": 'a "b'}

    def found(query: str) -> list[str]:
        parsed = parse_query(query, timeline, views)
        return [timeline[i].id for i in parsed.filter(timeline)]

    assert found("@then status:reported") == ["cap"]  # the view's asof: reads the status
    assert found("@then status:confirmed") == []
    assert found("@jan") == ["cap"]  # a date without a year, in parentheses, in a view
    with pytest.raises(QueryError) as caught:
        parse_query("x @q", timeline, views)
    assert str(caught.value) == 'in the view @q: unclosed quote (column 3 of "a "b") at column 3'
    with pytest.raises(QueryError) as caught:
        parse_query("@ b", timeline, views)
    assert str(caught.value) == "@ needs the name of a saved view at column 1"
    assert reads_analyst_layer("@pow") and reads_analyst_layer("x NOTE:y")
    assert reads_analyst_layer("is:new") and reads_analyst_layer("label:x")
    assert not reads_analyst_layer("tag:pow kursk")


def test_lints_say_counts_and_order_exactly() -> None:
    sources = {"a": {"title": "A", "publisher": "P"}, "b": {"title": "B", "publisher": "P"}}
    assert lints_of(
        event("c", status="confirmed", sources=[{"ref": "a"}, {"ref": "b"}]), sources=sources
    ) == [
        'event "c": `confirmed` on 1 independent source; confirmed needs two or more'
        " (else: reported) ($.events[0].status)"
    ]
    assert lints_of(event("z", status="confirmed")) == [
        'event "z": `confirmed` on 0 independent sources; confirmed needs two or more'
        " (else: reported) ($.events[0].status)"
    ]
    history = [
        {"date": "2025-01-13", "status": "reported"},
        {"date": "2025-01-12", "status": "confirmed"},  # the latest is the 13th's
    ]
    assert lints_of(event("h", status="claimed", claimed_by=["x"], history=history)) == [
        'event "h": `status` is claimed, but the latest in `history` is reported'
        " (13 Jan 2025) ($.events[0].status)"
    ]
    same_day = {"id": "same", "date": "2025-01-09", "title": "S"}
    unknown = event("u", related=[{"id": "nowhere", "rel": "follows"}])
    # An unknown target is said once (not as a lint); the same day is no contradiction.
    assert lints_of(unknown, same_day, event("t", related=[{"id": "same", "rel": "follows"}])) == [
        'event "u": related id "nowhere" is not an event in this file ($.events[0].related[0].id)'
    ]
    long_id = "x" * 45
    assert lints_of(event(long_id, status="claimed"))[0].startswith(f'event "{"x" * 40}": ')


def test_lints_are_warnings_never_errors() -> None:
    from tui.model.problems import Severity

    document = {
        "sources": {"s": {"url": "https://a.b/c"}},
        "events": [event("c", status="confirmed"), event("k", status="claimed")],
    }
    loaded = load_bytes(json.dumps(document).encode(), "f.json", options=LoadOptions(thorough=True))
    assert len(loaded.warnings) == 3
    assert {p.severity for p in loaded.warnings} == {Severity.WARNING}


def test_more_lints_and_terms_at_their_edges() -> None:
    long_key, long_id = "k" * 45, "t" * 45
    assert lints_of(event(), sources={long_key: {"url": "https://a.b"}})[0].startswith(
        f'source "{"k" * 40}" has'
    )
    target = {"id": long_id, "date": "2024-12", "title": "E"}
    relations = [{"id": long_id, "rel": "see also"}, {"id": long_id, "rel": "followed-by"}]
    [said] = lints_of(target, event("e", related=relations))
    assert said.startswith(f'event "e": it followed-by "{"t" * 40}", but')  # after one skipped
    with pytest.raises(QueryError) as caught:
        parse_query("is:,", 2025)
    assert str(caught.value) == "is: needs a value at column 4"
    assert parse_query("asof:2025-01-11 @v", 2025, {"v": "kursk"}).as_of is not None


def test_the_brief_has_no_history_unless_asked() -> None:
    from tests.conftest import BUNDLED
    from tui.model.loading import load_path
    from tui.model.sidecar import Annotation
    from tui.output.markdown import markdown_lines
    from tui.output.render import annotation_lines

    timeline = load_path(str(BUNDLED)).timeline
    assert "history:" not in "\n".join(markdown_lines(timeline, range(len(timeline))))
    assert annotation_lines(Annotation("", False, ("l",))) == ["labels: l"]
    assert annotation_lines(Annotation("a\nb", False, ())) == ["your note: a b"]


def test_more_provenance_errors_word_for_word() -> None:
    from tests.model.test_validation_messages import said

    for digit in "123456":
        [message] = said({"events": [event(sources=[{"title": "x", "credibility": digit}])]})
        assert message.endswith(
            f"found a string; write {digit} without quotes (at $.events[0].sources[0].credibility)"
        ), digit
    long = "Z" * 25
    assert (
        f'`reliability` "{"Z" * 20}" is not'
        in said({"sources": {"w": {"reliability": long}}, "events": []})[0]
    )
    assert (
        f'`sha256` "{"Z" * 20}": expected'
        in said({"sources": {"w": {"sha256": long}}, "events": []})[0]
    )
    assert said({"sources": {"w": {"archived": 5}}, "events": []}) == [
        "f.json:4:16: error: `archived`: expected a string, found a number"
        " (at $.sources.w.archived)"
    ]
    steps = ["odd", {"date": "2025-01-12", "by": 5, "note": 5, "stats": "x"}]
    assert said({"events": [event(history=steps)]}) == [
        'f.json:8:5: error: event "e": a status change: expected an object with `date` and'
        " `status`, found a string (at $.events[0].history[0])",
        'f.json:11:12: error: event "e": `by`: expected a list of strings, found a number'
        " (at $.events[0].history[1].by)",
        'f.json:12:14: error: event "e": `note`: expected a string, found a number'
        " (at $.events[0].history[1].note)",
        'f.json:13:6: warning: event "e": unknown key "stats": did you mean "status"?'
        " (at $.events[0].history[1].stats.<key>)",
    ]


def test_a_csv_history_cell_that_is_not_json_is_an_error_at_its_cell() -> None:
    from tui.model.problems import LoadError

    text = "date,title,history\n2025-01-09,A,[not json\n"
    with pytest.raises(LoadError) as caught:
        load_bytes(text.encode(), "f.csv")
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 3)
    assert problem.message.startswith("`history`: not a JSON list")
