from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ids
from tui.model.dates import parse_when
from tui.model.events import Event, Timeline
from tui.model.query import QueryError, highlight_spans, parse_date_value, parse_query
from tui.model.text import NON_DECOMPOSING


def run(story: Timeline, text: str) -> list[str]:
    return ids(story, parse_query(text, story.latest_year).filter(story))


def test_empty_query_matches_everything(story: Timeline) -> None:
    assert len(run(story, "")) == len(story)


def test_words_must_all_match_case_and_accent_insensitively(story: Timeline) -> None:
    # (the NIS confirmation's DW quote speaks of "the Kursk battlefield" and "captured")
    assert run(story, "KURSK capture") == ["capture", "nis-confirms"]
    assert run(story, "kürsk capture") == ["capture", "nis-confirms"]


def test_words_match_at_word_starts_not_inside_words(story: Timeline) -> None:
    assert "villages" not in run(story, "by:nis")  # "Ministry" holds "nis"
    assert "capture" in run(story, "soldier")  # a prefix of "soldiers"


def test_phrase_must_occur_exactly(story: Timeline) -> None:
    assert run(story, '"prisoners of war"') == ["exchange-offer"]
    assert run(story, '"war of prisoners"') == []


def test_field_terms_search_only_their_field(story: Timeline) -> None:
    assert run(story, "id:capture") == ["capture"]
    assert run(story, "place:pyongyang") == ["treaty"]
    assert run(story, "source:treaty") == ["treaty"]
    assert set(run(story, "status:context")) == {"invasion", "treaty", "article"}
    assert run(story, 'actor:"kim jong"') == ["exchange-offer"]


def test_exact_value_and_alternatives(story: Timeline) -> None:
    assert "announce" in run(story, "tag:=pow")
    assert run(story, "tag:=po") == []
    assert set(run(story, "tag:casualties,treaty")) == {"casualties", "treaty"}


def test_negation_and_or_and_grouping(story: Timeline) -> None:
    everything = set(run(story, ""))
    assert set(run(story, "-tag:pow")) == everything - set(run(story, "tag:pow"))
    assert set(run(story, "NOT tag:pow")) == set(run(story, "-tag:pow"))
    assert set(run(story, "tag:treaty OR tag:casualties")) == {"treaty", "casualties"}
    # AND binds tighter than OR.
    assert set(run(story, "tag:treaty OR tag:pow status:confirmed")) == {
        "treaty",
        "capture",
        "nis-confirms",
    }
    assert set(run(story, "(tag:treaty OR tag:pow) status:confirmed")) == {
        "capture",
        "nis-confirms",
    }


def test_by_nis_after_10_january_is_only_what_the_nis_said_after_it(story: Timeline) -> None:
    found = run(story, "by:nis after:2025-01-10")
    assert found == ["nis-confirms", "nis-training", "soldiers-wishes", "casualties"]
    for event_id in found:
        event = story.get(event_id)
        assert event is not None and any("NIS" in who for who in event.claimed_by)


def test_on_matches_overlap_and_after_before_are_strict(story: Timeline) -> None:
    assert run(story, "on:2024-06-19") == ["treaty"]
    assert run(story, "in:2024-10") == ["troops-10k"]
    # A month-precision event overlaps a day inside it...
    assert "troops-10k" in run(story, "on:2024-10-17")
    # ...but is not strictly after its first day.
    assert "troops-10k" not in run(story, "after:2024-10-01")
    assert run(story, "before:2024") == ["invasion"]


def test_dates_in_plain_words_use_dateutil(story: Timeline) -> None:
    assert run(story, 'on:"19 June 2024"') == ["treaty"]
    assert run(story, "in:oct-2024") == ["troops-10k"]
    # No year: the year of the timeline's latest event (2025).
    assert run(story, 'on:"jan 11"') == ["announce"]


def test_date_range_is_inclusive_with_overlap(story: Timeline) -> None:
    assert run(story, "2025-01-09..2025-01-11") == ["capture", "announce"]
    assert run(story, "..2022") == ["invasion"]


def test_asof_keeps_only_what_was_public_by_the_end_of_that_day(story: Timeline) -> None:
    known = run(story, "asof:2025-01-11")
    assert "capture" in known  # happened 9 Jan, announced 11 Jan
    assert "nis-confirms" not in known
    assert "capture" not in run(story, "asof:2025-01-10")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("after:someday", 'unknown date "someday"', 7),
        ("tga:pow", 'unknown field "tga"', 1),
        ("kursk (tag:pow", "unclosed '('", 7),
        ("kursk)", "unmatched ')'", 6),
        ("kursk OR", "OR needs something after it", 7),
        ('"prisoner', "unclosed quote", 1),
        ("tag:", "tag: needs a value", 5),
        ("source:=\u0301", "source: needs a value", 8),  # a lone accent folds to nothing
        ("title:\u0301,", "title: needs a value", 7),
        ("kursk -", "- needs something", 7),
        ("2025-02..2024", "ends before it starts", 10),
    ],
)
def test_malformed_queries_name_the_column(text: str, message: str, column: int) -> None:
    with pytest.raises(QueryError) as caught:
        parse_query(text, 2025)
    assert message in caught.value.message
    assert caught.value.column == column


def test_error_text_is_the_one_the_design_gives() -> None:
    with pytest.raises(QueryError) as caught:
        parse_query("after:someday")
    assert str(caught.value) == 'unknown date "someday" at column 7'


@given(st.text(alphabet=st.sampled_from(list('ab :"()-ORNTAD.,=2025tagon~')), max_size=40))
def test_every_query_parses_or_fails_with_a_column(text: str) -> None:
    try:
        parse_query(text, 2025)
    except QueryError as exc:
        assert 1 <= exc.column <= len(text) + 1


def test_highlight_spans_find_folded_words_in_the_original() -> None:
    assert highlight_spans("Kürsk and KURSK", ["kursk"]) == [(0, 5), (10, 15)]
    assert highlight_spans("no match", ["kursk"]) == []


def test_negated_words_are_not_highlighted() -> None:
    assert parse_query("kursk -pow").words == ["kursk"]


@pytest.mark.parametrize(
    ("title", "query"),
    [
        ("\u212aelvin scale", "kelvin"),  # the Kelvin sign lower-cases to k
        ("ΩMEGA", "ωmega"),
        ("\u2126mega", "ωmega"),  # the Ohm sign lower-cases to ω
        ("ÉNERGIE", "energie"),
        ("energie", "ÉNERGIE"),
        ("Straße", "STRASSE"),
        # Letters with no accented form: each spelt in both its cases all the same
        # (the Cyrillic в and н were matched in the needle's case only).
        ("Война в Украине", "война"),
        ("война", "ВОЙНА"),
    ],
)
def test_case_is_matched_as_lower_case_would(title: str, query: str) -> None:
    """The search regexes spell case out instead of using re.IGNORECASE: every
    character whose lower case matches must be in them."""
    timeline = Timeline([Event(id="x", date=parse_when("2025"), title=title)])
    assert parse_query(query).filter(timeline) == [0]


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Straße", "strasse"),
        ("STRAẞE", "strasse"),
        ("Kellerstraße", "kellerstrasse"),
        ("The oﬃce", "office"),  # ﬃ folds to ffi (casefold, not the table)
        ("ﬁnal", "final"),
        ("ﬀﬁ", "fffi"),
        ("e\u0301nergie", "energie"),  # the accent written as a character of its own
        ("Lo\u0301\u0308dz", "lodz"),
        ("ǌive", "njive"),
        ("2\u03012", "22"),  # an accent on a digit: dropped by folding too
        ("²", "2"),
    ],
)
def test_every_prefix_typed_on_the_way_to_a_word_finds_it(written: str, typed: str) -> None:
    """Typing `strasse` a letter at a time: `stras` ends inside the ß (which folds to
    `ss`), and the event must not vanish for that one key; a ligature stands for its
    letters anywhere. The index and SQL read the folded text, so all three agree
    (test_stores)."""
    timeline = Timeline([Event(id="x", date=parse_when("2025"), title=written)])
    for end in range(1, len(typed) + 1):
        assert parse_query(typed[:end]).filter(timeline) == [0], typed[:end]
    assert parse_query(typed + "n").filter(timeline) == []


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("e\u0301nergie", False),  # é written apart: one word, as folded
        ("e\u0301\u0302nergie", False),
        ("x \u0301nergie", True),  # an accent on nothing: dropped, the word starts after it
        ("x-nergie", True),
    ],
)
def test_a_letter_after_an_accent_written_apart_does_not_start_a_word(
    written: str, found: bool
) -> None:
    timeline = Timeline([Event(id="x", date=parse_when("2025"), title=written)])
    for typed in ("n", "nergie", "ne"):
        assert parse_query(typed).filter(timeline) == ([0] if found else []), typed


def test_a_needle_of_many_places_for_a_ligature_is_spelt_letter_by_letter() -> None:
    """Each `f` may begin a ligature: the alternatives would double with each one."""
    from tui.model.text import LONGEST_PATTERN, _marks_class, needle_pattern

    pattern = needle_pattern("f" * 60, word_start=True)
    assert len(pattern.replace(_marks_class(), "M")) < LONGEST_PATTERN  # the marks: one class
    timeline = Timeline([Event(id="x", date=parse_when("2025"), title="F" * 60)])
    assert parse_query("f" * 60).filter(timeline) == [0]


def test_a_whole_value_does_not_end_inside_a_character() -> None:
    """`tag:=stras` is the value `stras`, not the start of `straß`."""
    timeline = Timeline([Event(id="x", date=parse_when("2025"), title="t", tags=["Straß"])])
    assert parse_query("tag:=stras").filter(timeline) == []
    assert parse_query("tag:=strass").filter(timeline) == [0]
    assert parse_query("tag:stras").filter(timeline) == [0]


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("(", ")"), ("NOT ", ""), ("-", ""), ("( NOT ", ")"), ("-(", ")")],
)
@pytest.mark.parametrize("depth", [300, 5000])
def test_deep_nesting_is_an_error_at_the_column_where_the_limit_is_passed(
    story: Timeline, opening: str, closing: str, depth: int
) -> None:
    from tui.model.query import MAX_NESTING

    text = opening * depth + "kursk" + closing * depth
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert "nested too deeply" in str(raised.value)
    # The first opening past the limit: each level is one opening, as written.
    levels_per_opening = 2 if opening in ("( NOT ", "-(") else 1
    openings_allowed = MAX_NESTING // levels_per_opening
    assert MAX_NESTING % levels_per_opening == 0
    assert raised.value.column == len(opening) * openings_allowed + 1


def test_nesting_up_to_the_limit_parses_and_means_what_it_says(story: Timeline) -> None:
    from tui.model.query import MAX_NESTING

    deep = "(" * MAX_NESTING + "tag:pow" + ")" * MAX_NESTING
    assert run(story, deep) == run(story, "tag:pow")
    negated = "NOT " * MAX_NESTING + "tag:pow"  # an even count: the same as none
    assert MAX_NESTING % 2 == 0
    assert run(story, negated) == run(story, "tag:pow")
    assert run(story, "-" * (MAX_NESTING - 1) + "tag:pow") == run(story, "-tag:pow")


@given(
    st.sampled_from(sorted(NON_DECOMPOSING.items())),
    st.sampled_from(["", "x", "Ab"]),
    st.sampled_from(["", "y", "cd"]),
    st.booleans(),
)
def test_letters_that_do_not_decompose_are_found_by_their_plain_spelling(
    letter_and_plain: tuple[str, str], before: str, after: str, upper: bool
) -> None:
    """`Lodz` finds Łódź, `orsted` Ørsted, `aesir` Æsir; and the other way round."""
    import re

    from tui.model.text import fold, needle_pattern

    letter, plain = letter_and_plain
    written = before + (letter.upper() if upper and len(letter.upper()) == 1 else letter) + after
    typed = before + plain + after
    assert fold(written) == fold(typed)
    assert re.search(needle_pattern(typed, word_start=True), written)
    assert re.search(needle_pattern(written, word_start=True), typed)


def test_search_finds_polish_names_without_their_strokes(tmp_path: object) -> None:
    import json

    from tui.model.loading import load_bytes

    events = [
        {"id": "lodz", "date": "2025", "title": "Protest in Łódź", "actors": ["Radosław Sikorski"]},
        {"id": "other", "date": "2025", "title": "Elsewhere"},
    ]
    story = load_bytes(json.dumps({"events": events}).encode(), "f").timeline
    for query in ("Lodz", "radoslaw", "actor:Radoslaw", "title:LODZ", '"protest in lodz"'):
        assert [story[i].id for i in parse_query(query).filter(story)] == ["lodz"], query


def test_source_matches_the_key_the_title_and_the_publisher() -> None:
    import json

    from tui.model.loading import load_bytes

    document = {
        "sources": {"wapo": {"title": "Ukraine captures soldiers", "publisher": "Washington Post"}},
        "events": [
            {"id": "a", "date": "2025", "title": "x", "sources": [{"ref": "wapo"}]},
            {"id": "b", "date": "2025", "title": "y", "sources": [{"title": "Kyiv Independent"}]},
            {"id": "c", "date": "2025", "title": "z"},
        ],
    }
    story = load_bytes(json.dumps(document).encode(), "f").timeline
    for query, expected in [
        ('source:"washington post"', ["a"]),
        ("source:wapo", ["a"]),
        ("source:captures", ["a"]),
        ('source:"kyiv independent"', ["b"]),
        ("source:post", ["a"]),
    ]:
        assert [story[i].id for i in parse_query(query).filter(story)] == expected, query


@pytest.mark.parametrize(
    ("text", "near"),
    [
        ("status:confimed", "confirmed"),
        ("status:=confirm", "confirmed"),
        ("status:reported,claimd", "claimed"),
        ('status:"not stat3d"', "not stated"),
    ],
)
def test_a_status_outside_the_closed_set_is_an_error_with_the_nearest(text: str, near: str) -> None:
    with pytest.raises(QueryError) as raised:
        parse_query(text)
    assert f'did you mean "{near}"?' in str(raised.value)
    assert raised.value.column == 8


@pytest.mark.parametrize(
    "text", ["status:conf", "status:=context", 'status:"not stated"', "status:stated", "status:rep"]
)
def test_a_status_prefix_or_exact_value_is_accepted(text: str) -> None:
    parse_query(text)


def test_an_open_field_value_no_event_has_gets_the_nearest(story: Timeline) -> None:
    query = parse_query("kind:statment tag:capturd -tag:nothere actor:zzzzzz")
    assert query.filter(story) == []
    assert query.nearest_values(story) == [
        'no event has kind "statment"; the nearest is "statement"',
        'no event has tag "capturd"; the nearest is "capture"',
        'no event has actor "zzzzzz"; no value is near it',
    ]
    assert parse_query("kind:statement tag:treaty").nearest_values(story) == []


def timeline_of(*dates: str) -> Timeline:
    """Events e0, e1, ... on these dates, each titled "kursk"."""
    events = [Event(f"e{i}", parse_when(d), "kursk") for i, d in enumerate(dates)]
    return Timeline(events)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        # An event at the first second of 15 June is not before 15 June, and is on it;
        # one at the last second of 14 June is not after 14 June, and is on it.
        ("before:2024-06-15", ["e1"]),
        ("after:2024-06-14", ["e0", "e2"]),
        ("on:2024-06-15", ["e0", "e2"]),
        ("on:2024-06-14", ["e1"]),
        ("2024-06-15..2024-06-15", ["e0", "e2"]),
        ("2024-06-14..2024-06-14", ["e1"]),
    ],
)
def test_date_terms_at_the_first_and_last_second_of_a_day(query: str, found: list[str]) -> None:
    timeline = timeline_of("2024-06-15T00:00:00Z", "2024-06-14T23:59:59Z", "2024-06-15T12:00Z")
    assert ids(timeline, parse_query(query).filter(timeline)) == found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 January 2025", "2025-01-09"),
        ("January 2025", "2025-01"),
        ("9 Jan 2025 14:30", "2025-01-09T14:30"),
        ("9 Jan 2025 00:30", "2025-01-09T00:30"),
        ("29 Feb 2024", "2024-02-29"),
        ("31 January 2025", "2025-01-31"),
        ("2025", "2025"),
        ("jan 10", "2023-01-10"),  # the year given as the reference
        ("march", "2023-03"),
    ],
)
def test_dates_written_in_words_keep_what_was_written(text: str, expected: str) -> None:
    assert parse_date_value(text, 1, 2023) == parse_when(expected)


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        ('on:"29 feb"', 'unknown date "29 feb" (no such day in 2023)', 4),
        ('on:"31 February 2025"', 'unknown date "31 February 2025"', 4),
        ("on:9", 'unknown date "9" (a day without a month)', 4),
        ("after:someday", 'unknown date "someday"', 7),
        ("kursk before:14:30", 'unknown date "14:30"', 14),
        ("x 2024..someday", 'unknown date "someday"', 9),
        ("x someday..2024", 'unknown date "someday"', 3),
        ("x ..", "a date range needs at least one end", 3),
        ("x 2025-02..2024", "the range ends before it starts", 12),
        ("AND kursk", "AND needs something before it", 1),
        ("kursk OR OR x", "OR needs something after it", 7),
        ("kursk OR )", "OR needs something after it", 7),
        ("x ()", "empty parentheses", 3),
        ("x (kursk", "unclosed '('", 3),
        ("x )", "unmatched ')'", 3),
        ("(x))", "unmatched ')'", 4),
        ("x NOT", "NOT needs something after it", 3),
        ("x NOT AND y", "NOT needs something after it", 3),
        ("x - OR y", "- needs something after it", 3),
        ("(NOT)", "NOT needs something after it", 2),
        ('x "kursk', "unclosed quote", 3),
        ('x tag:"pow', "unclosed quote", 7),
        ("x tag:", "tag: needs a value", 7),
        ("x tag:,", "tag: needs a value", 7),
        ("x tag:= ", "tag: needs a value", 7),
        ("x titel:pow", 'unknown field "titel"; did you mean "title:"?', 3),
        (
            "x zzz:pow",
            'unknown field "zzz"; fields are tag, actor, place, status, kind, by, source, id,'
            " title, file, after, before, on, in, asof, note, label, is, corroboration,"
            " reliability, credibility",
            3,
        ),
        (
            "x status:confimed",
            'unknown status "confimed"; did you mean "confirmed"? (statuses: confirmed,'
            " reported, claimed, disputed, denied, context, not stated)",
            10,
        ),
        (
            "x status:zzzz",
            'unknown status "zzzz" (statuses: confirmed, reported, claimed,'
            " disputed, denied, context, not stated)",
            10,
        ),
        (
            "x status:ddden",
            'unknown status "ddden"; did you mean "denied"? (statuses: confirmed,'
            " reported, claimed, disputed, denied, context, not stated)",
            10,
        ),
        (
            "x status:=confirmed,zzz",
            'unknown status "zzz" (statuses: confirmed, reported,'
            " claimed, disputed, denied, context, not stated)",
            10,
        ),
        ("x (", "expected a search term", 4),
        ("OR x", "expected a search term", 1),
        ("x ( OR y)", "expected a search term", 5),
        ("x 2024..2025..2026", 'unknown date "2025..2026"', 9),
        ("", None, None),
    ],
)
def test_each_error_says_exactly_what_and_where(
    query: str, message: str | None, column: int | None
) -> None:
    if message is None:
        assert parse_query(query).is_empty
        return
    with pytest.raises(QueryError) as caught:
        parse_query(query, 2023)
    assert (caught.value.message, caught.value.column) == (message, column)


def test_quotes_end_at_the_next_quote_and_the_text_goes_on_after_it(story: Timeline) -> None:
    assert run(story, '"north korean" "kursk"') == run(story, '"north korean" kursk')
    assert run(story, '"north korean"kursk') == run(story, '"north korean" kursk')
    assert run(story, '"" kursk') == run(story, "kursk")
    assert parse_query('"north korean"kursk').words == ["north korean", "kursk"]


def test_a_word_ends_only_at_space_parenthesis_or_quote() -> None:
    assert parse_query("TXT X-ray").words == ["txt", "x-ray"]


def test_a_minus_before_a_bce_range_is_its_sign_not_a_negation() -> None:
    timeline = timeline_of("-0044-03-15", "0010")
    assert ids(timeline, parse_query("-0044..-0001").filter(timeline)) == ["e0"]
    assert ids(timeline, parse_query("-0044-03..0001").filter(timeline)) == ["e0"]
    assert ids(timeline, parse_query("-kursk").filter(timeline)) == []


def test_filter_keeps_to_the_positions_it_is_given(story: Timeline) -> None:
    everything = parse_query("")
    assert everything.filter(story, within=[3, 1]) == [3, 1]
    kursk = parse_query("kursk", story.latest_year)
    inside = kursk.filter(story)[1:3]
    assert kursk.filter(story, within=inside) == inside
    assert parse_query("kursk").source == "kursk"


def test_a_one_off_filter_keeps_no_column_and_the_app_s_keeps_each() -> None:
    timeline = timeline_of("2025-01-09", "2025-01-10")
    parse_query("kursk tag:pow").filter(timeline, keep_columns=False)
    assert timeline._columns == {}
    parse_query("kursk tag:pow").filter(timeline)
    assert set(timeline._columns) == {"text", "tag"}
    other = timeline_of("2025-01-09")
    parse_query("kursk").predicate(other)(0)
    assert set(other._columns) == {"text"}


@pytest.mark.parametrize(
    ("text", "words", "spans"),
    [
        ("kursk and kursk", ["kursk"], [(0, 5), (10, 15)]),
        ("abcdef", ["abc", "cde"], [(0, 5)]),  # overlapping: one span
        ("abcdef", ["ab", "cd"], [(0, 4)]),  # touching: one span
        ("abcdef", ["abcd", "bc"], [(0, 4)]),  # one inside another
        ("ab cd", ["cd", "ab"], [(0, 2), (3, 5)]),  # apart: in order
        ("Straße strasse", ["strasse"], [(0, 6), (7, 14)]),
        ("", ["kursk"], []),
        ("kursk", [], []),
    ],
)
def test_highlight_spans_are_merged_where_they_overlap_or_touch(
    text: str, words: list[str], spans: list[tuple[int, int]]
) -> None:
    assert highlight_spans(text, words) == spans


def test_29_february_without_a_year_takes_a_leap_year_or_says_there_is_none() -> None:
    assert parse_date_value("29 feb", 1, 2024) == parse_when("2024-02-29")
    assert parse_date_value("feb 29", 1, 2024) == parse_when("2024-02-29")


def test_and_joins_and_an_open_end_of_a_range_reaches_any_year() -> None:
    timeline = timeline_of("-0044-03-15", "0010", "2025-01-09")
    assert ids(timeline, parse_query("kursk AND 0010..0010").filter(timeline)) == ["e1"]
    assert ids(timeline, parse_query("..0001").filter(timeline)) == ["e0"]
    assert ids(timeline, parse_query("0001..").filter(timeline)) == ["e1", "e2"]
    second = "2025-01-09T00:00:00Z"
    assert ids(timeline, parse_query(f"{second}..{second}").filter(timeline)) == ["e2"]


def test_title_terms_are_highlighted_and_other_fields_are_not() -> None:
    assert parse_query("title:kursk tag:pow").words == ["kursk"]


def test_a_quoted_field_value_is_one_value_commas_and_all() -> None:
    events = [Event("a", parse_when("2025"), "t", place=None, actors=("Kim, Jong",))]
    timeline = Timeline([*events, Event("b", parse_when("2025"), "t", actors=("Kim",))])
    assert ids(timeline, parse_query('actor:"kim, jong"').filter(timeline)) == ["a"]
    assert ids(timeline, parse_query("actor:zzz,kim").filter(timeline)) == ["a", "b"]


def test_a_day_without_a_year_takes_the_only_year_with_events_that_day() -> None:
    timeline = timeline_of("2023-01-05", "2024-01-10", "2025-06-01")
    assert parse_date_value("jan 10", 1, timeline) == parse_when("2024-01-10")
    assert parse_date_value("jan 5", 1, timeline) == parse_when("2023-01-05")


def test_without_a_timeline_or_a_year_a_date_without_one_is_this_year() -> None:
    this_year = datetime.now().year
    assert parse_date_value("jan 10", 1, None) == parse_when(f"{this_year}-01-10")


def test_the_nearest_value_is_said_for_each_open_field_term_that_matches_nothing() -> None:
    timeline = Timeline(
        [
            Event("a", parse_when("2025"), "kursk", kind="capture", actors=("South Korea NIS",)),
            Event("b", parse_when("2025"), "kursk", tags=("pow",)),
        ]
    )
    notes = parse_query('kursk tag:pow kind:captur3 actor:"south korea nus"').nearest_values(
        timeline
    )
    assert notes == [
        'no event has kind "captur3"; the nearest is "capture"',
        'no event has actor "south korea nus"; the nearest is "South Korea NIS"',
    ]


def test_a_year_in_words_is_a_year() -> None:
    assert parse_date_value("2025 AD", 1, None) == parse_when("2025")


def test_every_occurrence_is_highlighted() -> None:
    assert highlight_spans("kursk kursk kursk", ["kursk"]) == [(0, 5), (6, 11), (12, 17)]


def test_a_bce_range_after_a_word_is_still_a_range() -> None:
    timeline = timeline_of("-0044-03-15", "0010")
    assert ids(timeline, parse_query("kursk -0044..-0001").filter(timeline)) == ["e0"]


def test_the_nesting_limit_counts_depth_not_how_many_negations() -> None:
    assert parse_query(" ".join(["-x"] * 200) + " y").filter(timeline_of("2025")) == []
    assert not parse_query("-a " + "(" * 64 + "b" + ")" * 64).is_empty
    with pytest.raises(QueryError) as caught:
        parse_query("-a " + "(" * 65 + "b" + ")" * 65)
    assert (caught.value.message, caught.value.column) == (
        "nested too deeply (more than 64 levels of parentheses and negations)",
        68,
    )


def test_a_needle_starting_with_a_letter_matches_at_a_word_start_and_cjk_anywhere() -> None:
    timeline = Timeline(
        [
            Event("a", parse_when("2025"), "ea-b and 北朝鮮兵士"),
            Event("b", parse_when("2025"), "a-b"),
        ]
    )
    assert ids(timeline, parse_query("a-b").filter(timeline)) == ["b"]
    assert ids(timeline, parse_query("朝鮮").filter(timeline)) == ["a"]


SEARCHED_PIECES = [
    "Kursk", "KURSK", "Łódź", "lodz", "Straße", "strasse", "STRASSE", "oﬃce", "office",
    "e\u0301nergie", "énergie", "energie", "Æsir", "aesir", "İstanbul", "istanbul", "ǅ",
    "北朝鮮", "朝鮮", "Война", "война", "x²", "x2", "drone", "drones", "undrone", "d-rone",
    "K", "k", "ſ", "s", "ß", "ss",
]  # fmt: skip
"""Words, and (below) what a text holds between them."""
BETWEEN = ["\u0301", "\x1f", "\x00", "\n", "–", "-", " ", ""]


@given(
    st.lists(
        st.lists(st.sampled_from(SEARCHED_PIECES) | st.sampled_from(BETWEEN), max_size=8).map(
            "".join
        ),
        min_size=1,
        max_size=12,
    ),
    st.lists(st.sampled_from(SEARCHED_PIECES), min_size=1, max_size=2).map(" ".join),
    st.sampled_from(["", "title:", "tag:", "tag:="]),
    st.booleans(),
)
def test_a_text_term_found_texts_at_a_time_finds_what_its_predicate_finds(
    texts: list[str], needle: str, field: str, keep: bool
) -> None:
    """`filter` looks for a text term's needles in lowercased ASCII text before its regex
    (TextMatch.found_in): never an event the predicate, asked of each, would not find,
    nor one less, whatever the text's case, accents, ligatures or control characters."""
    events = [
        Event(f"e{i}", parse_when("2025"), text, summary=text, tags=tuple(text.split()))
        for i, text in enumerate(texts)
    ]
    timeline = Timeline(events)
    query = parse_query(f"tag:={needle.split()[0]}" if field == "tag:=" else f'{field}"{needle}"')
    predicate = query.predicate(timeline, keep_columns=keep)
    everywhere = [i for i in range(len(timeline)) if predicate(i)]
    assert query.filter(timeline, keep_columns=keep) == everywhere
    some = list(range(len(timeline)))[1::2]
    assert query.filter(timeline, some, keep_columns=keep) == [i for i in some if predicate(i)]
