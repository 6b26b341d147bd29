"""A large mapped file is split once (jsonpos.split_file), decoded in parts with its
pages let go after each (fast_path._in_parts), and its problems placed from the same
split and counted out a window at a time (reading.byte_positions): all of it must load
and place exactly as one decode of the file's bytes does. The sizes that switch this on
are made small here, so that small files take the way a million events take."""

from __future__ import annotations

import io
import json
import mmap
import shutil
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.model.test_loading import _EVENT
from tests.support.timelines import assert_same_timeline
from tui.model import fast_path, loading, reading
from tui.model.jsonpos import KEY, split_file
from tui.model.loading import load_bytes, load_path
from tui.model.locating import _found_by_decoder
from tui.model.problems import LoadError
from tui.model.reading import STDIN


@contextmanager
def in_parts(events: int, window: int = 7) -> Iterator[None]:
    """Every mapped file split and decoded `events` events at a time, counted out for
    its problems `window` bytes at a time."""
    with (
        mock.patch.object(loading, "MAP_AT_LEAST", 0),
        mock.patch.object(loading, "IN_PARTS_AT_LEAST", 0),
        mock.patch.object(fast_path, "PART_EVENTS", events),
        mock.patch.object(reading, "WINDOW", window),
    ):
        yield


def loaded_or_error(load: Any) -> Any:
    try:
        loaded = load()
    except LoadError as exc:
        return [(p.message, p.path, p.line, p.column) for p in exc.problems]
    return loaded


def assert_loads_as_one_decode(data: bytes, events: int) -> Any:
    """The file mapped and taken in parts against its bytes in one decode: the same
    timeline, and the same problems at the same places (or the same errors)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        path.write_bytes(data)
        with in_parts(events):
            parted = loaded_or_error(lambda: load_path(str(path)))
        whole = loaded_or_error(lambda: load_bytes(data, "big.json"))
    if isinstance(whole, list):
        assert parted == whole
        return None
    assert not isinstance(parted, list), parted
    assert_same_timeline(parted.timeline, whole.timeline)
    placed = [(p.message, p.path, p.line, p.column) for p in parted.warnings]
    assert placed == [(p.message, p.path, p.line, p.column) for p in whole.warnings]
    return parted


@given(
    st.lists(_EVENT, max_size=5, unique_by=lambda e: e["id"]),
    st.booleans(),
    st.sampled_from([None, 0, 2, "\t"]),
    st.integers(1, 3),
)
@example(
    [
        {"id": "a", "date": "2025", "title": "t"},
        {"id": "b", "date": "2025", "title": "t", "x-desk": 1, "tags": None},
    ],
    False,
    2,
    1,
)
def test_a_file_in_parts_loads_as_one_decode_of_it(
    events: list[Any], bare: bool, indent: int | str | None, part: int
) -> None:
    """Unknown keys and null lists first met in a later part, warnings anywhere, a bare
    array or a document with its own sources, one line or many."""
    document: Any = events if bare else {"title": "T", "sources": {"w": {}}, "events": events}
    assert_loads_as_one_decode(json.dumps(document, indent=indent).encode(), part)


@pytest.mark.parametrize(
    "text",
    [
        '{"events": 3}',
        '{"title": "T"}',
        '{"events": [], "titel": "T"}',
        '{"events": [], "title": 3}',
        '{"events": [1, {"id": "a", "date": "2025", "title": "t"}]}',
        '{"events": [{"id": "a", "date": "2025", "title": "t"}, {"id": "b"}]}',
        '[{"id": "a", "date": "2025", "title": "t"}, {"id": "a", "date": "2025", "title": "t"}]',
        '[{"id": "a", "date": "2025", "title": "t"}, {"id": "b", "date": "2025", "titel": "t"}]',
        '{"events": [{"id": "a", "date": "2025", "title": "t"}], "events": []}',
        '[{"id": "a", "date": "2025", "title": "t"}] ]',
        "\n [ ] \n",
    ],
)
def test_a_file_the_fast_path_refuses_in_parts_is_refused_as_whole(text: str) -> None:
    assert_loads_as_one_decode(text.encode(), 1)


@pytest.mark.parametrize("bare", [True, False])
def test_keys_first_met_in_a_later_part_are_found_at_their_place_in_the_file(
    bare: bool,
) -> None:
    """The decoder stops at an unknown key in the second part: its place in the file
    (not in the part) is where the keys are read from, one event's worth here."""
    events = [{"id": f"e{i}", "date": "2025", "title": "t"} for i in range(4)]
    events[3]["x-desk"] = "kyiv"
    data = json.dumps(events if bare else {"events": events}).encode()
    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        with (
            mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped,
            in_parts(2),
            mock.patch.object(fast_path, "_SAMPLED", 1),
        ):
            fast = loading._fast_load(mapped, "x.json")
            assert fast is not None  # the fast path kept the key: it did not give up
            assert fast.timeline.get("e3").extra == {"x-desk": "kyiv"}
            del fast


@given(st.text(st.sampled_from("ab\nĀé🙂\r"), max_size=60), st.data())
def test_lines_and_columns_counted_a_window_at_a_time_are_those_of_the_text(
    text: str, data: st.DataObject
) -> None:
    """Windows may cut a line, or a character's bytes, anywhere."""
    from tui.model.jsonpos import line_column

    encoded = text.encode()
    starts = [len(text[:n].encode()) for n in range(len(text) + 1)]
    offsets = data.draw(st.lists(st.sampled_from(starts), max_size=6))
    window = data.draw(st.integers(1, 9))
    with mock.patch.object(reading, "WINDOW", window):
        found = reading.byte_positions(encoded, offsets)
    wanted = {o: line_column(text, len(encoded[:o].decode())) for o in offsets}
    assert found == wanted


@given(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "title", "x"]), st.integers() | st.text()),
        max_size=4,
    ),
    st.booleans(),
    st.sampled_from([None, 1, "\t"]),
)
def test_the_split_places_every_path_where_a_fresh_look_at_the_file_does(
    events: list[Any], bare: bool, indent: int | str | None
) -> None:
    document: Any = events if bare else {"title": "T", "events": events, "z": [1]}
    raw = ("\n " + json.dumps(document, indent=indent) + " \n").encode()
    stem: tuple[str | int, ...] = () if bare else ("events",)
    wanted: set[tuple[str | int, ...]] = {(*stem, 9), ("z", 0), ("title", KEY)}
    for n, event in enumerate(events):
        wanted |= {(*stem, n), *((*stem, n, key) for key in event), (*stem, n, "zz")}
    split = split_file(raw)
    assert _found_by_decoder(raw, wanted, split) == _found_by_decoder(raw, wanted, None)


def test_a_split_names_what_is_not_a_timeline() -> None:
    with pytest.raises(msgspec.ValidationError):
        split_file(b'{"title": "T"}')
    with pytest.raises(msgspec.ValidationError):
        split_file(b'{"events": {}}')
    with pytest.raises(msgspec.DecodeError):
        split_file(b'[{"id": "a"},]')


@pytest.mark.parametrize("bare", [True, False])
def test_placing_a_problem_in_a_split_file_does_not_split_it_again(bare: bool) -> None:
    """The split's events are RawFinder's: no container is decoded again on the way to
    an event (a whole-file scan at a million events)."""
    from tui.model import jsonpos

    events = [{"id": "a", "title": "t"}, {"id": "b", "sources": [{"ref": "gone"}]}]
    raw = json.dumps(events if bare else {"title": "T", "events": events}).encode()
    split = split_file(raw)
    path = (1, "sources", 0, "ref") if bare else ("events", 1, "sources", 0, "ref")
    decoded: list[Any] = []
    real = msgspec.json.decode

    def decode(text: Any, **options: Any) -> Any:
        decoded.append(bytes(text))
        return real(text, **options)

    with mock.patch.object(jsonpos.msgspec.json, "decode", decode):
        places = _found_by_decoder(raw, {path}, split)
    assert places == _found_by_decoder(raw, {path}, None)
    assert decoded == [json.dumps(events[1]).encode(), b'[{"ref": "gone"}]', b'{"ref": "gone"}']


_ROOT = Path(__file__).parents[2]
_DATA = _ROOT / "tests" / "data"
_INPUTS = sorted([*(_DATA / "bad").glob("*.json"), *(_DATA / "samples").glob("*.*")])


@contextmanager
def standard_input_of(data: bytes, scratch: Path) -> Iterator[None]:
    """`data` as standard input, copied to a scratch file under `scratch` from the first
    byte, and read by DuckDB from any size."""
    with (
        mock.patch.object(sys, "stdin", io.TextIOWrapper(io.BytesIO(data))),
        mock.patch.object(reading, "MAP_AT_LEAST", 1),
        mock.patch.object(loading, "MAP_AT_LEAST", 0),
        mock.patch.object(loading, "SQL_AT_LEAST", 0),
        mock.patch.object(tempfile, "tempdir", str(scratch)),
    ):
        yield


@pytest.mark.parametrize(
    "path", [_ROOT / "events.json", *_INPUTS], ids=lambda p: p.name if p.suffix != ".md" else "md"
)
def test_large_standard_input_loads_from_a_scratch_copy_as_its_bytes_do(
    path: Path, tmp_path: Path
) -> None:
    """Our JSON mapped (and split), a CSV read by DuckDB from the copy: the same timeline
    or the same errors, named for standard input, as the input's bytes in hand give; the
    copy is gone afterwards, whatever happened."""
    data = path.read_bytes()
    copies: list[Path] = []
    load_file = loading._load_file

    def loaded_from(path: str, *args: Any, **options: Any) -> Any:
        copies.append(Path(path))
        return load_file(path, *args, **options)

    with standard_input_of(data, tmp_path):
        with mock.patch.object(loading, "_load_file", loaded_from):
            spooled = loaded_or_error(lambda: load_path(STDIN))
        in_hand = loaded_or_error(lambda: load_bytes(data, "<stdin>"))
    assert [copy.parent.parent for copy in copies] == ([tmp_path] if data else [])
    assert not list(tmp_path.iterdir())
    if isinstance(in_hand, list):
        assert spooled == in_hand
        return
    assert_same_timeline(spooled.timeline, in_hand.timeline)
    placed = [(p.message, p.path, p.line, p.column) for p in spooled.warnings]
    assert placed == [(p.message, p.path, p.line, p.column) for p in in_hand.warnings]


def test_an_error_in_large_standard_input_names_it(tmp_path: Path) -> None:
    with standard_input_of(b'{"events": [{"id": 1}]}', tmp_path), pytest.raises(LoadError) as err:
        load_path(STDIN)
    assert err.value.source == "<stdin>" and err.value.problems[0].line == 1


def test_no_room_for_the_copy_of_standard_input_is_a_clear_error(tmp_path: Path) -> None:
    full = OSError(28, "No space left on device")
    with (
        standard_input_of(b"[]", tmp_path),
        mock.patch.object(shutil, "copyfileobj", side_effect=full),
        pytest.raises(LoadError) as err,
    ):
        load_path(STDIN)
    (problem,) = err.value.problems
    assert problem.message.startswith("cannot read: no room for a copy in ")
    assert problem.message.endswith("(No space left on device)")
    assert not list(tmp_path.iterdir())


def test_a_split_file_whose_first_event_lacks_a_required_key_is_not_read_for_keys(
    tmp_path: Path,
) -> None:
    """A TimelineJS file (no `date` in its events) is left by the fast path at once: it
    used to read every event's raw keys for the unknown ones first (0.5 s at 100,000);
    a clean file, or one with keys of its own, still takes the fast path."""
    events = [{"start_date": {"year": "2025"}, "text": {"headline": f"E{n}"}} for n in range(9)]
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"title": {"text": {"headline": "T"}}, "events": events}))
    with (
        in_parts(4),
        mock.patch.object(fast_path, "_more_unknown_keys", side_effect=AssertionError),
    ):
        loaded = load_path(str(path))
    assert [e.title for e in loaded.timeline.events][:2] == ["E0", "E1"]
    own = [{"id": f"e{n}", "date": "2025", "title": "t", "x-desk": n} for n in range(9)]
    for document in (
        {"events": own},
        {"events": [{k: v for k, v in e.items() if k != "x-desk"} for e in own]},
    ):
        raw = json.dumps(document).encode()
        assert fast_path.checked_json(raw, False, split=split_file(raw)) is not None
