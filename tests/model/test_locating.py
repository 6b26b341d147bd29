"""Where a problem is: the decoder's finder (msgspec, containers split into raw items)
against the walker that reads the text token by token, and the cap on how many are
placed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.model.jsonpos import KEY, Bail, PathKey, RawFinder
from tui.model.loading import LoadOptions, load_bytes
from tui.model.locating import LOCATED_UP_TO, _found_by_decoder, _found_by_walker
from tui.model.problems import Problem, Severity
from tui.model.validation import CrossChecks

_KEYS = st.text(st.sampled_from('ab"\\\té\n/🙂'), max_size=3)
_SCALARS = st.none() | st.booleans() | st.integers() | st.text(st.sampled_from('x"\\\n,:{}[]é'))
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=25,
)


def _paths(value: Any, path: PathKey = ()) -> list[PathKey]:
    found = [path]
    if isinstance(value, dict):
        for key, inner in value.items():
            found += [(*path, key, KEY), *_paths(inner, (*path, key))]
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += _paths(inner, (*path, index))
    return found


@given(
    _VALUES,
    st.sampled_from([None, 0, 2, "\t"]),
    st.sampled_from([(",", ":"), (", ", ": "), (" ,\r\n", " :  ")]),
    st.booleans(),
    st.data(),
)
@example({"a": [1, {"b": 2}]}, None, (",", ":"), False, None)
def test_the_decoder_places_every_path_where_the_walker_does(
    value: Any,
    indent: int | str | None,
    separators: tuple[str, str],
    ascii_only: bool,
    data: st.DataObject | None,
) -> None:
    text = json.dumps(value, indent=indent, separators=separators, ensure_ascii=ascii_only)
    raw = ("\n " + text + " \n").encode()
    paths = set(_paths(value))
    absent = {(*p, step) for p in list(paths)[:5] for step in (0, 7, "zz", "a")}
    if data is not None:
        absent |= {data.draw(st.tuples(st.integers(0, 3), _KEYS, st.integers(0, 3)))}
    wanted = {p for p in paths | absent if p}
    assert _found_by_decoder(raw, wanted) == _found_by_walker(raw, wanted)


def test_a_key_given_twice_is_left_to_the_walker() -> None:
    raw = b'{"events": [{"id": "a", "id": "b", "title": 1}]}'
    finder = RawFinder(raw)
    try:
        finder.offset(("events", 0, "title"))
    except Bail:
        pass
    else:
        raise AssertionError("a key given twice must not be placed by the lengths of others")
    data = b'[{"id": "a", "date": "2025", "title": "x", "id": "a", "sources": [{"ref": "n"}]}]'
    loaded = load_bytes(data, "twice.json")
    (dangling,) = [p for p in loaded.warnings if '"n"' in p.message]
    assert (dangling.line, dangling.column) == (1, data.index(b'"n"') + 1)


def _warned_events(count: int) -> bytes:
    events = [
        {"id": f"e{i}", "date": "2025", "title": "T", "sources": [{"ref": "gone"}]}
        for i in range(count)
    ]
    return json.dumps(events, indent=1).encode()


def test_past_the_cap_problems_are_told_by_their_path_after_the_placed_ones() -> None:
    count = LOCATED_UP_TO + 3
    loaded = load_bytes(_warned_events(count), "many.json")
    warnings = loaded.warnings
    assert len(warnings) == count
    placed, by_path = warnings[:LOCATED_UP_TO], warnings[LOCATED_UP_TO:]
    assert all(p.line is not None for p in placed)
    assert [p.line for p in placed] == sorted(p.line or 0 for p in placed)
    assert [(p.line, p.path) for p in by_path] == [
        (None, f"$.events[{i}].sources[0].ref") for i in range(LOCATED_UP_TO, count)
    ]
    assert by_path[0].format("many.json") == (
        f'many.json: warning: event "e{LOCATED_UP_TO}": source "gone" is not among the'
        f" file's `sources` (at $.events[{LOCATED_UP_TO}].sources[0].ref)"
    )
    everything = load_bytes(_warned_events(count), "many.json", options=LoadOptions(thorough=True))
    assert all(p.line is not None for p in everything.warnings if "gone" in p.message)


def test_warnings_past_the_cap_are_made_only_when_asked_and_say_what_the_builder_says(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every kind of look-across warning, a thousand past the cap: the fast path makes
    only the placed ones, and the rest, made when read, are the builder's, in its order."""
    events: list[dict[str, Any]] = [
        {"id": f"e{i}", "date": "2025", "title": "T", "sources": [{"ref": "gone"}]}
        for i in range(LOCATED_UP_TO + 1000)
    ]
    for i in range(0, len(events), 7):
        events[i]["related"] = [{"id": f"e{i}"}, {"id": "nowhere"}]
        events[i]["reported"] = "2024"
    data = json.dumps(events, indent=1).encode()
    made = 0
    item = CrossChecks.item

    def counted(self: CrossChecks, index: int) -> Problem:
        nonlocal made
        made += 1
        return item(self, index)

    monkeypatch.setattr(CrossChecks, "item", counted)
    fast = load_bytes(data, "many.json")
    assert made == LOCATED_UP_TO
    by_builder = load_bytes(data, "many.json", options=LoadOptions(skip_bad=True))
    assert isinstance(by_builder.warnings, list)  # the builder's own path
    assert len(fast.warnings) == len(by_builder.warnings) == LOCATED_UP_TO + 1000 + 3 * 1572
    assert list(fast.warnings) == by_builder.warnings
    assert fast.warnings[-1] == by_builder.warnings[-1]
    assert {p.message.split(": ", 1)[1][:9] for p in fast.warnings[LOCATED_UP_TO:]} == {
        "`reported",
        "related i",
        'source "g',
    }


def test_warnings_only_counted_keep_their_paths_and_say_the_same() -> None:
    """`print` and the other commands that count warnings load with placed=False: the
    same warnings in the same order, at their JSON paths, no line read for them."""
    data = _warned_events(50)
    placed = load_bytes(data, "few.json")
    counted = load_bytes(data, "few.json", options=LoadOptions(placed=False))
    assert [(p.message, p.path) for p in counted.warnings] == [
        (p.message, p.path) for p in placed.warnings
    ]
    assert len(counted.warnings) == 50
    assert all(p.line is None for p in counted.warnings)
    assert all(p.line is not None for p in placed.warnings)
    thorough = LoadOptions(placed=False, thorough=True)  # `validate` places them all
    assert all(p.line is not None for p in load_bytes(data, "few.json", options=thorough).warnings)


def test_an_error_is_placed_before_any_warning_past_the_cap() -> None:
    events = json.loads(_warned_events(LOCATED_UP_TO + 1))
    events.append({"id": "last", "date": "2025-13", "title": "T"})
    data = json.dumps(events, indent=1).encode()
    loaded = load_bytes(data, "bad.json", options=LoadOptions(skip_bad=True))
    (skipped,) = [p for p in loaded.warnings if p.message.startswith("skipped: ")]
    line = data[: data.index(b'"2025-13"')].count(b"\n") + 1
    assert skipped.line == line and skipped.severity == Severity.WARNING
    assert sum(p.line is None for p in loaded.warnings) == 2  # the last two warnings


def test_items_after_uneven_separators_are_placed_where_the_walker_places_them() -> None:
    """An item's start is first guessed from the first separator's length; a hand-edited
    list whose separators differ must still place every item exactly."""
    for raw in (
        b'[10,2 ,\n 3,   4,5, "six"  ,7]',
        b'{"events": [{"a": 1},{"a": 22},\n\n  {"a": 3}, {"a":4}  ,{"a": [5]}]}',
    ):
        bare = raw.startswith(b"[")
        wanted: set[PathKey] = {
            (index,) if bare else ("events", index, "a") for index in range(7 if bare else 5)
        }
        assert _found_by_decoder(raw, wanted) == _found_by_walker(raw, wanted)
