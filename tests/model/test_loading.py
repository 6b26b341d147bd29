from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path
from typing import Any, Final

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.support.timelines import assert_same_timeline
from tui.model.events import Event
from tui.model.loading import LoadOptions, load_bytes, load_path
from tui.model.problems import LoadError, Problem, Severity


def problems_of(text: str | bytes) -> list[Problem]:
    data = text.encode() if isinstance(text, str) else text
    with pytest.raises(LoadError) as caught:
        load_bytes(data, "test.json")
    return caught.value.problems


def test_syntax_error_names_line_and_column() -> None:
    [problem] = problems_of('{"events": [\n  {"id": "a",}\n]}')
    assert problem.severity == Severity.ERROR
    assert "trailing comma" in problem.message
    assert (problem.line, problem.column) == (2, 14)


def test_truncated_file_points_at_its_end() -> None:
    [problem] = problems_of('{"events": [\n  {"id": "a"')
    assert "ends too soon" in problem.message
    assert problem.line == 2


def test_type_error_names_the_json_path_and_the_event_id() -> None:
    text = '{"events": [{"id": "cap", "date": "2025", "title": 5}]}'
    [problem] = problems_of(text)
    assert problem.path == "$.events[0].title"
    assert 'event "cap"' in problem.message
    assert "expected a string, found a number" in problem.message
    assert (problem.line, problem.column) == (1, text.index("5}") + 1)


BROKEN = """{"title": "Broken",
 "events": [
  {"id": "a", "date": "2025-02-30", "title": "Impossible day"},
  {"id": "b", "date": "2025-01-09/2024-01-01", "title": "Backwards interval"},
  {"id": "a", "date": "2025-01-09", "title": "Duplicate"},
  {"id": "c", "date": "2025-01-09", "tittle": "Misspelt", "title": "c",
   "related": [{"id": "nowhere", "rel": "follows"}]}
 ]}"""


def test_every_semantic_problem_is_collected_with_its_place() -> None:
    problems = problems_of(BROKEN)
    summary = [(p.severity.value, p.line, p.path) for p in problems]
    assert summary == [
        ("error", 3, "$.events[0].date"),
        ("error", 4, "$.events[1].date"),
        ("error", 5, "$.events[2].id"),
        ("warning", 6, "$.events[3].tittle.<key>"),
        ("warning", 7, "$.events[3].related[0].id"),
    ]
    day = problems[0]
    assert "day 30 is out of range for February 2025" in day.message
    # The column is that of the day's first digit inside the string.
    assert day.column == BROKEN.splitlines()[2].index("2025-02-30") + 9
    assert 'did you mean "title"' in problems[3].message


def test_warnings_alone_still_load_and_unknown_keys_are_kept() -> None:
    data = {
        "events": [
            {"id": "a", "date": "2025", "title": "t", "witness": "Ann", "related": [{"id": "zz"}]}
        ]
    }
    loaded = load_bytes(json.dumps(data).encode(), "x.json")
    assert loaded.timeline[0].extra == {"witness": "Ann"}
    assert [w.severity for w in loaded.warnings] == [Severity.WARNING]


def test_unknown_keys_are_kept_on_the_fast_path_wherever_they_first_appear() -> None:
    from tui.model.loading import _fast_load

    events: list[dict[str, Any]] = [
        {"id": f"e{i}", "date": "2025", "title": "t", "x-desk": i % 3} for i in range(2500)
    ]
    events[2400]["x-seen"] = ["found", "after the first sample"]
    for data in (events, {"title": "T", "events": events}):
        fast = _fast_load(json.dumps(data).encode(), "x.json")
        assert fast is not None
        assert fast.timeline.get("e2").extra == {"x-desk": 2}
        assert fast.timeline.get("e2400").extra == {"x-desk": 0, "x-seen": events[2400]["x-seen"]}
        assert all(type(event) is Event for event in fast.timeline)


def test_a_wide_export_stays_on_the_fast_path_but_keys_found_round_after_round_do_not() -> None:
    """Dozens of columns a database exports are kept in one more decode; keys that only
    more rounds than KEY_ROUNDS_UP_TO find send the file to the builder."""
    from tui.model.fast_path import KEY_ROUNDS_UP_TO
    from tui.model.loading import _fast_load

    wide = [
        {"id": f"e{i}", "date": "2025", "title": "t", **{f"col_{k}": i * k for k in range(40)}}
        for i in range(50)
    ]
    fast = _fast_load(json.dumps(wide).encode(), "x.json")
    columns = {f"col_{k}": 3 * k for k in range(40)}
    assert fast is not None and fast.timeline.get("e3").extra == columns  # type: ignore[union-attr]
    sparse: list[dict[str, Any]] = [
        {"id": f"e{i}", "date": "2025", "title": "t"} for i in range(1500 * (KEY_ROUNDS_UP_TO + 1))
    ]
    for round in range(KEY_ROUNDS_UP_TO + 1):  # each past the sample of the round before
        sparse[1500 * round][f"x-{round}"] = round
    raw = json.dumps(sparse).encode()
    assert _fast_load(raw, "x.json") is None
    assert load_bytes(raw, "x.json").timeline.get("e3000").extra == {"x-2": 2}  # type: ignore[union-attr]
    del sparse[1500 * KEY_ROUNDS_UP_TO]["x-" + str(KEY_ROUNDS_UP_TO)]  # one round fewer
    assert _fast_load(json.dumps(sparse).encode(), "x.json") is not None


def test_what_the_fast_path_leaves_to_the_builder_still_keeps_every_key() -> None:
    from tui.model.fast_path import UNKNOWN_KEYS_UP_TO
    from tui.model.loading import _fast_load

    many = {f"k{n}": n for n in range(UNKNOWN_KEYS_UP_TO + 1)}
    typo = {"summery": "s"}
    # msgspec refuses such a field name: it crashed the fast path (exit 70)
    unnameable: list[dict[str, Any]] = [{"\\": 1}, {'a"b': 2}, {"x-a": 0, "\\n": 3}]
    for keys in (many, *unnameable):
        raw = json.dumps([{"id": "a", "date": "2025", "title": "t", **keys}]).encode()
        assert _fast_load(raw, "x.json") is None
        loaded = load_bytes(raw, "x.json")
        assert loaded.timeline[0].extra == keys
    # A key like a known one is kept by the fast path too, with the builder's warning.
    raw = json.dumps([{"id": "a", "date": "2025", "title": "t", **typo}]).encode()
    fast = _fast_load(raw, "x.json")
    assert fast is not None and fast.timeline[0].extra == typo
    said = [(w.message, w.path, w.line, w.column) for w in fast.warnings]
    assert said == [(w.message, w.path, w.line, w.column) for w in load_bytes(raw, "x").warnings]
    assert said[0][0] == 'event "a": unknown key "summery": did you mean "summary"?'

    not_an_event = b'[{"id": "a", "date": "2025", "title": "t", "x": 1}, 5]'
    assert _fast_load(not_an_event, "x.json") is None
    with pytest.raises(LoadError) as raised:
        load_bytes(not_an_event, "x.json")
    assert [p.message for p in raised.value.problems] == [
        "expected an event object, found a number"
    ]


NESTED_UNKNOWN_KEYS: Final = {
    "id": "a",
    "date": "2025-01-09",
    "title": "Capture",
    "place": {"name": "Kursk", "lat": 51.7, "lng": 36.2, "region": "Kursk oblast"},
    "sources": [{"url": "https://bbc.co.uk", "publisher": "BBC", "section": "World"}, "w"],
    "related": [{"id": "b", "rel": "follows", "why": "per NIS"}],
    "history": [{"date": "2025-01-10", "status": "confirmed", "latitude": 1}],
}


def test_unknown_keys_inside_an_event_are_kept_with_a_warning_at_a_key_like_ours() -> None:
    """DESIGN §1: unknown keys are kept and shown. Inside a place, a citation, a relation
    or a status change they were dropped without a word (a map's `lng` lost the
    longitude)."""
    from tui.model.events import unknown_keys

    events = [NESTED_UNKNOWN_KEYS, {"id": "b", "date": "2025", "title": "t"}]
    loaded = load_bytes(json.dumps({"sources": {"w": {}}, "events": events}).encode(), "x.json")
    event = loaded.timeline.get("a")
    assert event is not None and event.place is not None
    assert (event.place.lat, event.place.lon) == (51.7, None)  # `lng` is not ours: kept, unread
    assert event.place.extra == {"lng": 36.2, "region": "Kursk oblast"}
    assert [ref.extra for ref in event.sources] == [{"publisher": "BBC", "section": "World"}, None]
    assert event.related[0].extra == {"why": "per NIS"}
    assert event.history[0].extra == {"latitude": 1}
    assert list(unknown_keys(event)) == [
        ("place.lng", 36.2),
        ("place.region", "Kursk oblast"),
        ("sources[0].publisher", "BBC"),
        ("sources[0].section", "World"),
        ("related[0].why", "per NIS"),
        ("history[0].latitude", 1),
    ]
    said = [(p.message, p.path) for p in loaded.warnings]
    assert said == [  # a map's name for ours is named; `latitude` is ours only in a place
        ('event "a": unknown key "lng": did you mean "lon"?', "$.events[0].place.lng.<key>")
    ]


@pytest.mark.parametrize("shape", ["object", "bare"])
def test_the_fast_path_keeps_the_keys_inside_an_event_as_the_builder_does(
    shape: str,
) -> None:
    """A map's `lng` in every place sent the whole file to the builder: 3.5 times as slow
    (100,000 events: 3.74 s against 1.07 s). Keys found over several rounds, a place
    written as its name and a citation as its ref beside them, a relation's and a status
    change's keys (`latitude` is like a key of a place's, not of a status change's)."""
    import msgspec

    from tui.model.fast_path import _SAMPLED
    from tui.model.loading import _fast_load
    from tui.model.validation import Builder

    events: list[dict[str, Any]] = [NESTED_UNKNOWN_KEYS]
    for n in range(_SAMPLED + 2):  # the last two only found by a second round
        place = {"name": "Kyiv", "lat": 50.4, "lng": 30.5}
        source: dict[str, Any] = {"url": "u", "x-page": n}
        if n >= _SAMPLED:
            place["Lat"], source["quotes"] = 50.0, "q"
        events.append({"id": f"e{n}", "date": "2025", "title": "t", "place": place,
                       "sources": [source, "w"] if n % 2 else [source]})  # fmt: skip
    events.append({"id": "z", "date": "2026", "title": "t", "place": "Lviv", "sources": None})
    events.append({"id": "s", "date": "2026", "title": "t", "tags": "pow", "actors": "Kyiv"})
    document: Any = {"sources": {"w": {}}, "events": events} if shape == "object" else events
    data = json.dumps(document).encode()
    fast = _fast_load(data, "x.json")
    assert fast is not None
    builder = Builder()
    assert_same_timeline(fast.timeline, builder.build(msgspec.json.decode(data)))
    said = sorted((p.message, p.path) for p in fast.warnings)  # placed: in the file's order
    assert said == sorted((p.message, p.path) for p in builder.problems)
    assert ('event "e1000": unknown key "quotes": did you mean "quote"?',
            "$.events[1001].sources[0].quotes.<key>") in said  # fmt: skip
    assert fast.timeline.get("e1001").place.extra == {"lng": 30.5, "Lat": 50.0}  # type: ignore[union-attr]
    at = len(events) - 1  # a list of names as one string: a warning, read as a list of one
    assert ('event "s": `tags`: expected a list, found one string', f"$.events[{at}].tags") in said
    assert fast.timeline.get("s").tags == ("pow",)  # type: ignore[union-attr]
    events[-1]["tags"] = "pow, capture"  # several in one string: the builder's error
    assert _fast_load(json.dumps(document).encode(), "x.json") is None


def test_a_bare_array_is_a_file_without_metadata() -> None:
    loaded = load_bytes(b'[{"id": "a", "date": "2025", "title": "t"}]', "x.json")
    assert loaded.timeline.title is None and len(loaded.timeline) == 1


def test_missing_required_fields_are_errors() -> None:
    problems = problems_of('{"events": [{"summary": "no id, date or title"}]}')
    messages = " ".join(p.message for p in problems)
    assert (
        "missing `id`" in messages
        and "missing `date`" in messages
        and "missing `title`" in messages
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n", "the file is empty"),
        (b'{"events": "nope"}', "expected a list of events"),
        (b"42", "expected an object"),
        (b"\xff\xfe{\x00}\x00", "UTF-16"),
        (b'{"events": [{"id": "caf\xe9"}]}', "not UTF-8: byte 0xE9 at byte offset 23"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_unreadable_content_gets_a_clear_error(data: bytes, message: str) -> None:
    problems = problems_of(data)
    assert message in problems[0].message


def test_utf8_bom_is_accepted() -> None:
    loaded = load_bytes(b'\xef\xbb\xbf[{"id": "a", "date": "2025", "title": "t"}]', "x.json")
    assert len(loaded.timeline) == 1


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    for path, reason in [(tmp_path / "missing.json", "no such file"), (tmp_path, "is a directory")]:
        with pytest.raises(LoadError) as caught:
            load_path(str(path))
        assert reason in str(caught.value)


def test_control_characters_and_escapes_are_stripped_on_load() -> None:
    title = "\x1b[2JCleared\x1b]0;pwned\x07 \u202eevil\x9b"
    data = {"events": [{"id": "a", "date": "2025", "title": title, "notes": "line 1\nline 2\x07"}]}
    event = load_bytes(json.dumps(data).encode(), "x.json").timeline[0]
    assert event.title == "Cleared evil"
    assert event.notes == "line 1\nline 2"


def test_sort_is_by_start_then_finer_precision_then_file_order() -> None:
    events = [
        {"id": "month", "date": "2025-01", "title": "m"},
        {"id": "day-b", "date": "2025-01-01", "title": "b"},
        {"id": "day-a", "date": "2025-01-01", "title": "a"},
        {"id": "earlier", "date": "2024-12-31", "title": "e"},
    ]
    timeline = load_bytes(json.dumps(events).encode(), "x.json").timeline
    assert [e.id for e in timeline] == ["earlier", "day-b", "day-a", "month"]


def test_relations_show_in_both_directions() -> None:
    events = [
        {"id": "a", "date": "2025", "title": "a", "related": [{"id": "b", "rel": "confirms"}]},
        {"id": "b", "date": "2025", "title": "b"},
    ]
    timeline = load_bytes(json.dumps(events).encode(), "x.json").timeline
    b = timeline.get("b")
    assert b is not None
    [link] = timeline.links(b)
    assert (link.rel, link.target, link.inverse) == ("confirmed-by", "a", True)


def test_headings_never_repeat_when_a_whole_year_sorts_among_its_days() -> None:
    from tui.output.headings import heading_text, headings

    events = [{"id": f"d{i}", "date": f"2024-01-0{i}", "title": "t"} for i in range(1, 8)]
    events.append({"id": "y", "date": "2024", "title": "the whole year"})
    timeline = load_bytes(json.dumps(events).encode(), "x.json").timeline
    found = [
        (heading_text(year, month), timeline[index].id)
        for index, year, month in headings(timeline.events)
    ]
    assert found == [("2024 January", "d1")]
    assert [e.id for e in timeline][:3] == ["d1", "y", "d2"]  # finer first at the same start


# Text the loader cleans: tabs, line breaks, a terminal escape, marks of direction and of
# width (an Arabic or Hebrew text's, a web page's), a byte-order mark.
_TEXT = st.text(
    alphabet=st.sampled_from(list("ab \n\tÉz-\x1b[\u200f\u061c\u200b\ufeff\x85\r")),
    max_size=6,
)
_EVENT = st.fixed_dictionaries(
    {
        "id": st.sampled_from(["a", "b", "c\td", " e "]),
        "date": st.sampled_from(["2025", "2025-01-09", "2024-12~"]),
        "title": _TEXT,
    },
    optional={
        "summary": _TEXT | st.none(),
        "kind": _TEXT | st.none(),
        # Lists other tools write as null when empty: read as empty by both. A list of
        # names as one string: a warning; with a comma or semicolon, an error.
        "tags": st.lists(_TEXT, max_size=3) | st.none() | _TEXT | st.sampled_from(["a, b", "x;"]),
        "actors": st.lists(_TEXT, max_size=2) | st.none() | _TEXT,
        "claimed_by": st.lists(_TEXT, max_size=2) | st.none() | _TEXT,
        "notes": _TEXT | st.none(),
        # A place written as its name, a source cited by its ref alone: read as ours.
        # A key of its own inside a place, a citation, a relation: kept by the builder.
        "place": st.fixed_dictionaries({"name": _TEXT}, optional={"lng": st.just(36.2)}) | _TEXT,
        "status": st.sampled_from(["confirmed", "claimed"]),
        "sources": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "ref": st.sampled_from(["w", "x\ty"]),
                    "quote": _TEXT,
                    "title": _TEXT,
                    "url": _TEXT,
                    "section": _TEXT,
                },
            )
            | st.sampled_from(["w", "x\ty", "", " "]),
            max_size=2,
        )
        | st.none(),
        "related": st.lists(
            st.fixed_dictionaries(
                {"id": st.sampled_from(["a", "b", "zz"]), "rel": _TEXT}, optional={"why": _TEXT}
            ),
            max_size=2,
        )
        | st.none(),
        "history": st.lists(
            st.fixed_dictionaries(
                {"date": st.sampled_from(["2025-01-10", "2025~"])},
                optional={"status": st.just("confirmed"), "x-link": _TEXT, "nite": _TEXT},
            ),
            max_size=2,
        )
        | st.none(),
        "reported": st.sampled_from(["2024-06", "2025-01-10", "2026"]),  # early: a warning
        # Keys the format doesn't know: kept by both; one like a known key is a warning.
        "x-desk": st.sampled_from(["kyiv", None]) | st.lists(_TEXT, max_size=2),
        "confidence": st.floats(0, 1) | st.dictionaries(_TEXT, _TEXT, max_size=2),
        "summery": _TEXT,
        "\x85order": st.integers(0, 3),  # the model's own field, as the snapshot names it
    },
)


# The file's own keys, and a named source's: kept by both; one like a known key is a warning.
_HEAD = st.fixed_dictionaries(
    {},
    optional={
        "$schema": _TEXT,
        "titel": _TEXT,
        "x-v": st.integers(),
        "w": st.sampled_from([{"x-paywall": False}, {"publsher": "P"}, {"published": "bad"}]),
    },
)


@given(st.lists(_EVENT, max_size=3, unique_by=lambda e: e["id"]), _TEXT, _HEAD)
@example(
    events=[{"id": "a", "date": "2025", "title": "t", "x-desk": None, "confidence": {"é": ""}}],
    title="",
    head={},
)
@example(events=[{"id": "a", "date": "2025", "title": "a", "\x85order": 0}], title="", head={})
@example(  # a `reported` before the date is the only problem: the early events alone walked
    events=[
        {"id": "a", "date": "2025-01-09", "title": "t", "reported": "2024-06"},
        {
            "id": "b",
            "date": "2025",
            "title": "u",
            "sources": [{"ref": "w"}],
            "related": [{"id": "a"}],
        },
    ],
    title="",
    head={},
)
@example(
    events=[{"id": "c\td", "date": "2025", "title": "a\nb", "tags": ["", "x"]}], title="", head={}
)
@example(
    events=[{"id": "a", "date": "2025", "title": "a", "tags": None, "x-desk": 1}], title="", head={}
)
def test_the_fast_and_the_full_loader_build_the_same_timeline(
    events: list[Any], title: str, head: dict[str, Any]
) -> None:
    """The fast path (one typed decode) and the builder must agree whenever the fast
    path accepts a file: same events, same cleaning, same warnings."""
    import msgspec

    from tui.model.loading import _fast_load
    from tui.model.validation import Builder

    sources = {"w": {"title": f"W{title}", **head.pop("w", {})}}
    document = {"title": title, **head, "sources": sources, "events": events}
    data = json.dumps(document, ensure_ascii=False).encode()
    fast = _fast_load(data, "x")
    builder = Builder()
    full = builder.build(msgspec.json.decode(data))
    if fast is None:
        return  # the full path takes the file (the clean-file test below always compares)
    assert not [p for p in builder.problems if p.severity == Severity.ERROR]
    assert_same_timeline(fast.timeline, full)
    assert sorted(p.message for p in fast.warnings) == sorted(p.message for p in builder.problems)


@given(data=st.data())
def test_the_fast_path_takes_every_clean_file_and_builds_what_the_full_one_does(
    data: st.DataObject,
) -> None:
    """Clean files (no unknown keys, nothing to report) never leave the fast path, and it
    builds the same model, field by field, as the loader that checks everything."""
    import msgspec

    from tests.support.timelines import files
    from tui.model.loading import _fast_load
    from tui.model.records import EventFile, EventRecord, SourceRecord, field_names
    from tui.model.validation import Builder

    document = data.draw(files("json"))
    known = field_names(EventRecord)
    document["events"] = [{k: v for k, v in e.items() if k in known} for e in document["events"]]
    source_keys = field_names(SourceRecord)
    for key, source in document.get("sources", {}).items():
        document["sources"][key] = {k: v for k, v in source.items() if k in source_keys}
    document = {k: v for k, v in document.items() if k in field_names(EventFile)}
    raw = json.dumps(document, ensure_ascii=False).encode()
    fast = _fast_load(raw, "x")
    assert fast is not None
    builder = Builder()
    full = builder.build(msgspec.json.decode(raw))
    assert sorted(p.message for p in fast.warnings) == sorted(p.message for p in builder.problems)
    assert_same_timeline(fast.timeline, full)


def test_one_line_cleaning_is_the_same_for_every_script() -> None:
    from tui.model.text import clean_text

    assert clean_text("a  b") == "a  b" and clean_text("é  b") == "é  b"
    assert clean_text("title\n") == "title" and clean_text("a \n b\tc") == "a b c"


_CLEANED_ALPHABET = (
    st.sampled_from(
        list("a é\u00a0\t\n\r\x1b[]0;m\x07\\\x85\x9f\u2028\u2029\u200b\u200d\u202e\ufeff한😀")
    )
    | st.characters()
)


@given(st.text(_CLEANED_ALPHABET), st.booleans())
@example("é\u2028x", False)
@example("é\x85", True)
@example("\u00a0", False)
def test_cleaning_takes_no_shortcut_that_changes_the_text(value: str, multiline: bool) -> None:
    """clean_text skips steps for text that needs none (printable text, no line
    separator): the same result as every step taken."""
    from tui.model import text

    every_step = text._ESCAPE_SEQUENCE.sub("", value).replace("\t", " ")
    every_step = every_step.replace("\r\n", "\n").replace("\r", "\n")
    every_step = text._CONTROLS.sub("", every_step.translate(text._LINE_SEPARATORS))
    if not multiline and "\n" in every_step:
        every_step = text._BREAK.sub(" ", text._EDGE_BREAKS.sub("", every_step))
    assert text.clean_text(value, multiline=multiline) == every_step


def _big_file(path: Path, extra: str = "", prefix: bytes = b"") -> Path:
    """An event file over MAP_AT_LEAST, so that load_path maps it."""
    from tui.model.reading import MAP_AT_LEAST

    padding = "x" * 400
    count = MAP_AT_LEAST // 450 + 10
    events = [
        {"id": f"e{i}", "date": f"2024-{i % 12 + 1:02d}", "title": f"T{i} {padding}"}
        for i in range(count)
    ]
    events[-1]["related"] = [{"id": extra or "e0"}]
    path.write_bytes(prefix + json.dumps({"events": events}).encode())
    assert path.stat().st_size > MAP_AT_LEAST
    return path


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf", b"\n  "])
def test_a_mapped_big_file_loads_as_the_read_one(tmp_path: Path, prefix: bytes) -> None:
    from tui.formats.timeline import timeline_document

    path = _big_file(tmp_path / "big.json", prefix=prefix)
    mapped = load_path(str(path))
    read = load_path(str(path), mapped=False)
    everything = range(len(read.timeline))
    assert len(mapped.timeline) == len(read.timeline) > 9000
    assert timeline_document(mapped.timeline, everything) == timeline_document(
        read.timeline, everything
    )
    assert mapped.timeline.links(mapped.timeline.events[0])[0].target.startswith("e")


@pytest.mark.parametrize(
    ("prefix", "added", "said_no"),
    [
        (b"", {"\x85x": 1}, [True]),  # a key that may name a field of ours: the builder's
        (b"\xef\xbb\xbf", {}, [False]),  # the mark: read whole, then the fast path
    ],
)
def test_the_fast_path_is_asked_once_about_a_mapped_file(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    prefix: bytes,
    added: dict[str, str],
    said_no: list[bool],
) -> None:
    """Once the fast path has said no to a mapped file, the same bytes read whole are
    not decoded by it again (a TimelineJS file paid for it twice); a file it skips
    mapped (a byte-order mark) is still decoded by it once read."""
    from tui.model import loading

    path = _big_file(tmp_path / "big.json", prefix=prefix)
    document = json.loads(path.read_bytes().removeprefix(b"\xef\xbb\xbf"))
    document["events"][5] |= added
    path.write_bytes(prefix + json.dumps(document).encode())
    answers: list[bool] = []

    def counted(data: Any, *args: Any, **kwargs: Any) -> Any:
        found = checked_json(data, *args, **kwargs)
        answers.append(found is None)
        return found

    checked_json = loading.checked_json
    monkeypatch.setattr(loading, "checked_json", counted)
    loaded = load_path(str(path))
    assert answers == said_no
    assert len(loaded.timeline) > 9000


def test_a_mapped_big_file_with_a_problem_names_its_place(tmp_path: Path) -> None:
    path = _big_file(tmp_path / "big.json", extra="nowhere")
    (problem,) = load_path(str(path)).warnings
    assert "nowhere" in problem.message and problem.line == 1 and problem.column


def test_a_mapped_big_file_with_unknown_keys_and_problems_loads_as_the_read_one(
    tmp_path: Path,
) -> None:
    """Unknown keys and problems are read from the mapped file in place (msgspec.Raw
    views into it): all of it let go before the file is unmapped."""
    from tui.formats.timeline import timeline_document

    path = _big_file(tmp_path / "big.json", extra="nowhere")
    document = json.loads(path.read_bytes())
    for n, event in enumerate(document["events"]):
        event["x-desk"] = n % 3
    path.write_bytes(json.dumps(document).encode())
    mapped = load_path(str(path))
    read = load_path(str(path), mapped=False)
    everything = range(len(read.timeline))
    assert timeline_document(mapped.timeline, everything) == timeline_document(
        read.timeline, everything
    )
    assert mapped.timeline.get("e1").extra == {"x-desk": 1}
    (problem,) = mapped.warnings
    assert problem == read.warnings[0] and problem.line == 1 and problem.column


@pytest.fixture
def collector_as_found() -> Any:
    """Puts the collector back as it was, whatever a test did to it."""
    import gc

    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    if enabled:
        gc.enable()
    else:
        gc.disable()


GOOD = b'{"events": [{"id": "a", "date": "2025", "title": "x", "tags": ["t"]}]}'
BAD_JSON = b'{"events": [{"id": "a",}]}'
BAD_EVENT = b'{"events": [{"id": "a", "date": "2025-13", "title": "x"}]}'


@pytest.mark.parametrize("enabled", [True, False])
@pytest.mark.parametrize("data", [GOOD, BAD_JSON, BAD_EVENT])
def test_a_load_leaves_the_collector_as_it_found_it(
    collector_as_found: None, enabled: bool, data: bytes
) -> None:
    """On, off, nothing frozen: a library call does not change process-wide collection."""
    import gc

    gc.unfreeze()
    gc.enable() if enabled else gc.disable()
    try:
        load_bytes(data, "f.json")
        load_bytes(data, "f.json", options=LoadOptions(skip_bad=True))
    except LoadError:
        pass
    assert gc.isenabled() is enabled
    assert gc.get_freeze_count() == 0


def test_loads_in_several_threads_at_once_leave_the_collector_on(
    collector_as_found: None, tmp_path: Path
) -> None:
    import gc
    from concurrent.futures import ThreadPoolExecutor

    gc.unfreeze()
    gc.enable()
    big = _big_file(tmp_path / "big.json")
    with ThreadPoolExecutor(4) as pool:
        jobs = [pool.submit(load_path, str(big)) for _ in range(3)]
        jobs += [pool.submit(load_bytes, BAD_EVENT, "bad.json") for _ in range(3)]
        for job in jobs:
            with contextlib.suppress(LoadError):
                job.result()
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0


def test_only_a_large_timeline_kept_is_frozen(
    collector_as_found: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from tui.model import reading

    monkeypatch.setattr(reading, "FREEZE_AT_LEAST", 5000)
    keep_out_of_collections = reading.keep_out_of_collections
    gc.unfreeze()
    small = load_bytes(GOOD, "f.json").timeline
    keep_out_of_collections(small)
    assert gc.get_freeze_count() == 0
    big = load_path(str(_big_file(tmp_path / "big.json"))).timeline
    keep_out_of_collections(big)
    assert gc.get_freeze_count() > 0
    assert gc.isenabled()


def test_both_loaders_report_dangling_references_the_same_way() -> None:
    """One check serves the fast and the full loader: same warnings, same order, same places."""
    events = [
        {"id": "a", "date": "2025", "title": "x", "related": [{"id": "nowhere"}]},
        {"id": "b", "date": "2024", "title": "y", "sources": [{"ref": "missing"}]},
        {"id": "c", "date": "2023", "title": "z", "sources": ["gone"], "related": [{"id": "a"}]},
    ]
    data = json.dumps({"sources": {"s": {"title": "S"}}, "events": events}, indent=1).encode()
    fast = load_bytes(data, "f.json").warnings
    full = load_bytes(data, "f.json", options=LoadOptions(skip_bad=True)).warnings
    seen = [(p.message, p.path, p.line, p.column) for p in fast]
    assert seen == [(p.message, p.path, p.line, p.column) for p in full]
    assert [p.path for p in fast] == [
        "$.events[0].related[0].id",
        "$.events[1].sources[0].ref",
        "$.events[2].sources[0].ref",
    ]
    assert all(p.line and p.column for p in fast)


@pytest.mark.parametrize(
    ("raw", "found"),
    [
        (rb'{"a": "\\b"}', ""),  # a backslash and a b: nothing to clean
        (rb'{"a": "\b"}', "unsafe"),  # a backspace
        (rb'{"a": "\\\b"}', "unsafe"),  # a backslash, then a backspace
        (rb'{"a": "\\n", "b": "\\u0007"}', ""),
        (rb'{"a": "x\n"}', "whitespace"),
        (rb'{"a": "\\b", "c": "\f"}', "unsafe"),
    ],
)
def test_only_a_real_escape_needs_cleaning(raw: bytes, found: str) -> None:
    from tui.model.text import bytes_need_cleaning

    assert bytes_need_cleaning(raw) == found


def test_a_clean_file_with_a_backslash_in_its_text_takes_the_fast_path() -> None:
    from tui.model.loading import _fast_load

    raw = json.dumps({"events": [{"id": "a", "date": "2025", "title": "x", "actors": ["\\b"]}]})
    fast = _fast_load(raw.encode(), "f.json")
    assert fast is not None and fast.timeline[0].actors == ("\\b",)


@given(
    st.text(st.sampled_from('ab\n{}"'), max_size=200),
    st.lists(st.integers(0, 200), max_size=20),
)
def test_many_offsets_are_placed_as_each_is_alone(text: str, offsets: list[int]) -> None:
    from tui.model.jsonpos import line_column, line_columns

    offsets = [o for o in offsets if o <= len(text)]
    assert line_columns(text, offsets) == {o: line_column(text, o) for o in offsets}


def test_a_minified_file_with_a_warning_per_event_places_each_on_its_column() -> None:
    events = [
        {"id": f"e{i}", "date": "2025", "title": "T", "sources": [{"ref": "gone"}]} for i in (1, 2)
    ]
    data = json.dumps(events, separators=(",", ":")).encode()
    loaded = load_bytes(data, "min.json")
    columns = [p.column for p in loaded.warnings if "gone" in p.message]
    assert [p.line for p in loaded.warnings] == [1, 1]
    assert columns == [m.start() + 1 for m in re.finditer('"gone"', data.decode())]


def test_lists_written_as_null_stay_on_the_fast_path() -> None:
    """pandas, many exporters and hand-edited files write an empty list as null: the
    builder reads it as empty, and so does the fast path, without leaving it."""
    from tui.model.loading import _fast_load
    from tui.model.validation import Builder

    events = [
        {"id": f"e{i}", "date": "2025-01-09", "title": "t", "tags": None if i % 2 else ["pow"],
         "actors": None, "claimed_by": None, "sources": None, "related": None, "history": None,
         "x-desk": "kyiv" if i == 3 else None}
        for i in range(5)
    ]  # fmt: skip
    for document in (events, {"events": events}):
        data = json.dumps(document).encode()
        fast = _fast_load(data, "x.json")
        assert fast is not None
        assert_same_timeline(fast.timeline, Builder().build(json.loads(data)))
        assert fast.timeline.get("e1").tags == () and fast.timeline.get("e0").tags == ("pow",)
        assert fast.timeline.get("e3").extra == {"x-desk": "kyiv"}
        assert all(type(event) is Event for event in fast.timeline)


@given(st.binary(max_size=12) | st.text(max_size=6).map(lambda t: t.encode("utf-8", "replace")))
@example(b"a\xc3")  # a character cut short at the end
@example("é😀".encode())
@example(b"\xef\xbb\xbf\xed\xa0\x80")  # the mark, then a surrogate
def test_a_text_checked_a_part_at_a_time_is_checked_as_decoded_whole(data: bytes) -> None:
    """checked_utf8 (iCalendar's bytes) says what decode_text says, whatever the parts."""
    from tui.model import reading

    def outcome(check: Any) -> Any:
        try:
            return check(data, "x.ics")
        except LoadError as exc:
            return [(p.message, p.line, p.column) for p in exc.problems]

    whole = outcome(reading.decode_text)
    part = reading._CHECKED_PART
    try:
        for size in (1, 2, 5, part):
            reading._CHECKED_PART = size  # type: ignore[misc]
            checked = outcome(reading.checked_utf8)
            assert checked == (whole if isinstance(whole, list) else whole.encode())
    finally:
        reading._CHECKED_PART = part  # type: ignore[misc]


_ANY_TEXT = st.text(_CLEANED_ALPHABET, max_size=4)
_NAME = st.text(_CLEANED_ALPHABET, min_size=1, max_size=4)  # NonEmpty: what decoding allows


@given(
    st.lists(_ANY_TEXT, min_size=10, max_size=10),
    st.lists(st.lists(_NAME, min_size=1, max_size=2), min_size=4, max_size=4),
    _NAME,
    st.booleans(),
)
@example([""] * 9 + ["a\nb"], [["x"]] * 4, "x", True)  # a line break where one is kept
@example(["a\nb"] + [""] * 9, [["x"]] * 4, "x", True)  # ... and where it is not
@example(["x"] * 9 + ["a\tb"], [["x"]] * 4, "x", True)  # a tab where a break is kept
def test_tidying_an_event_skips_only_what_cleaning_would_leave_as_it_is(
    texts: list[str], lists: list[list[str]], rel: str, full: bool
) -> None:
    """tidy_event returns an event whose text needs no cleaning as it is: the same as
    cleaning every field."""
    from tui.model import tidy
    from tui.model.dates import parse_when
    from tui.model.events import Event, Place, Relation, SourceRef, StatusChange

    id, title, kind, place, ref, source_title, url, quote, note, summary = texts
    event = Event(
        id=id,
        date=parse_when("2025"),
        title=title,
        summary=summary,
        kind=kind or None,
        tags=tuple(lists[0]),
        actors=tuple(lists[1]),
        claimed_by=tuple(lists[2]),
        place=Place(name=place) if full else None,
        sources=(SourceRef(ref=ref, quote=quote, title=source_title, url=url),) if full else (),
        related=(Relation(id=id, rel=rel),) if full else (),
        history=(StatusChange(date=parse_when("2025"), by=tuple(lists[3]), note=note),)
        if full
        else (),
        notes=note,
    )
    assert tidy.tidy_event(event) == tidy._tidied(event)


def test_a_files_dates_are_parsed_once_while_it_is_read_and_let_go_after(tmp_path: Path) -> None:
    """Each distinct date text is parsed once while a file is read, its events sharing the
    one When, and let go once it is read: kept, the parsed dates outlived the events and
    held the memory around them (a million events let go: 1.7 GB still held, 0.08 without)."""
    from tui.model import dates

    path = tmp_path / "story.json"
    events = [{"id": f"e{n}", "date": "2025-01", "title": f"Event {n}"} for n in range(3)]
    path.write_text(json.dumps({"events": [*events, {**events[0], "id": "x", "date": "2024"}]}))
    timeline = load_path(str(path)).timeline
    first, second, third = (timeline.get(f"e{n}") for n in range(3))
    assert first is not None and second is not None and third is not None
    assert first.date is second.date is third.date
    assert dates._PARSED == {}
