"""A large file's first events, read from its start while the rest is read
(fast_path.first_events): exactly the file's first events, as the whole load reads them,
wherever the text is cut; or nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.model.test_large_files import in_parts
from tests.support.timelines import assert_same_event
from tui.model import fast_path
from tui.model.events import Timeline
from tui.model.fast_path import first_events
from tui.model.loading import load_bytes, load_path
from tui.model.problems import LoadError

# Text that looks like the end of an event (`}, {`) inside strings and nested lists.
# Text the whole load cleans, too: escaped tabs and line breaks, a mark of direction, a
# terminal escape.
_TEXT = st.sampled_from(
    ["a", '"}, {"', "}, {", '}, {"id": "x"', "É ]", "\\", "a\nb ", "x\ty", "\u200fשלום", "\x1b[1mb"]
)
_EVENT = st.fixed_dictionaries(
    {
        "id": st.text(alphabet="abcdef", min_size=1, max_size=3),
        "date": st.sampled_from(["2025", "2025-01-09", "2024-12~"]),
        "title": _TEXT,
    },
    optional={
        "summary": _TEXT,
        # One string: a list of one; with a comma, an error (the builder's), not drawn.
        "tags": st.lists(_TEXT, max_size=2) | st.none() | _TEXT.filter(lambda t: "," not in t),
        "sources": st.lists(
            st.fixed_dictionaries(
                {"ref": st.just("w")}, optional={"quote": _TEXT, "x-page": st.integers()}
            ),
            max_size=2,
        ),
        "x-desk": _TEXT | st.integers(),
        "place": st.fixed_dictionaries({"name": _TEXT}, optional={"lng": st.just(30.5)}),
    },
)


def _file_ids(timeline: Timeline, ids: list[str]) -> list[str]:
    """The ids in the timeline's order (as a first-events timeline sorts its own)."""
    wanted = set(ids)
    return [event.id for event in timeline if event.id in wanted]


@given(
    st.lists(_EVENT, min_size=1, max_size=6, unique_by=lambda e: e["id"]),
    st.booleans(),
    st.sampled_from([None, 0, 2]),
    st.integers(10, 2000),
)
@example(
    [{"id": "a", "date": "2025", "title": "}, {"}, {"id": "b", "date": "2025", "title": "t"}],
    True,
    None,
    60,
)
def test_the_first_events_are_the_files_first_as_the_whole_load_reads_them(
    events: list[Any], bare: bool, indent: int | None, cut: int
) -> None:
    title = "T" if cut % 2 else "T\tU"  # cleaned as the whole file's is
    document: Any = events if bare else {"title": title, "sources": {"w": {}}, "events": events}
    data = json.dumps(document, indent=indent, ensure_ascii=False).encode()
    with mock.patch.object(fast_path, "PREVIEW_BYTES", cut):
        first = first_events(data)
    if first is None:
        return
    whole = load_bytes(data, "f.json").timeline
    ids = [event["id"] for event in events[: len(first)]]
    assert sorted(event.id for event in first) == sorted(ids)  # the first, none skipped
    assert [event.id for event in first] == _file_ids(whole, ids)
    by_id = {event.id: event for event in whole}
    for event in first:
        assert_same_event(event, by_id[event.id])
    if not bare:
        assert (first.title, first.sources) == (whole.title, whole.sources)


def test_a_cut_past_the_first_events_reads_them_all() -> None:
    events = [{"id": f"e{n}", "date": "2025", "title": "}, {", "x-desk": n} for n in range(50)]
    data = json.dumps({"title": "T", "events": events}).encode()
    first = first_events(data)
    assert first is not None and first.title == "T"
    assert len(first) == 49  # the last is not followed by `, {`
    assert first.get("e7") is not None and first.get("e7").extra == {"x-desk": 7}  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "text",
    [
        '{"meta": {"events": [{"id": "x"}]}, "events": [{"id": "a", "date": "2025", "title": "t"},'
        ' {"id": "b", "date": "2025", "title": "t"}]}',  # `events` first met nested
        # no title once cleaned:
        '[{"id": "a", "date": "2025", "title": "\\u001b[31m"}, {"id": "b", "date": "2025"}]',
        '[{"id": "a", "date": "2025", "title": "t", "\\u0085order": 1}, {"id": "b"}]',  # ours
        '[{"id": "a", "date": "2025-13", "title": "t"}, {"id": "b"}]',
        '[{"id": "a", "date": "2025", "title": "t"}]',  # no second event: nothing to cut at
        '{"title": 3, "events": [{"id": "a", "date": "2025", "title": "t"}, {"id": "b"}]}',
    ],
)
def test_first_events_gives_nothing_it_cannot_read_as_the_fast_path_would(text: str) -> None:
    assert first_events(text.encode()) is None


def test_a_large_file_tells_its_first_events_before_it_is_read(tmp_path: Path) -> None:
    events = [{"id": f"e{n}", "date": f"2025-01-{n % 28 + 1:02}", "title": "t"} for n in range(40)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"events": events}))
    told: list[tuple[str, Any]] = []
    with in_parts(10), mock.patch.object(fast_path, "PREVIEW_BYTES", 500):
        loaded = load_path(
            str(path),
            lambda text: told.append(("progress", text)),
            preview=lambda timeline, final: told.append(("first", (timeline, final))),
        )
    assert len(loaded.timeline) == 40
    kinds = [kind for kind, _ in told]
    assert kinds[0] == "progress" and kinds[1] == "first" and kinds.count("first") == 1
    first, final = told[1][1]
    assert (
        final
        and 0 < len(first) < 40
        and sorted(e.id for e in first) == sorted(f"e{n}" for n in range(len(first)))
    )
    said = [text for kind, text in told if kind == "progress"]
    assert "decoding, 10 of 40 events" in said and said[-1] == "checking 40 events"


def test_a_file_that_fails_after_its_first_events_still_fails(tmp_path: Path) -> None:
    events = [{"id": "a", "date": "2025", "title": "t"}] * 3  # an id given twice
    path = tmp_path / "big.json"
    path.write_text(json.dumps(events))
    told: list[Timeline] = []
    with in_parts(1), pytest.raises(LoadError):
        load_path(str(path), preview=lambda timeline, _: told.append(timeline))
    assert len(told) == 1  # shown while read, then the error


def _story(count: int) -> Timeline:
    """Events whose file order is not their timeline order, citing a named source."""
    from tui.model.dates import parse_when
    from tui.model.events import Event, Source, SourceRef

    events = [
        Event(
            id=f"e{n}",
            date=parse_when(f"2025-01-{(n * 7) % 28 + 1:02}"),
            title=f"Event {n}",
            sources=(SourceRef(ref="w"),),
        )
        for n in range(count)
    ]
    return Timeline(events, title="Story", sources={"w": Source(title="Wire")})


def _written(tmp_path: Path, kind: str) -> tuple[Path, list[str]]:
    """The story in a file of this kind, and its ids in the file's order: the exports
    write the timeline's order; the ACLED file and the lake's part are in another."""
    import csv

    from tests.support.timelines import exported

    story = _story(12)
    if kind == "acled":
        path = tmp_path / "acled.csv"
        ids = [f"e{n}" for n in range(12)]
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["event_id_cnty", "event_date", "event_type", "source"])
            for event_id in ids:
                event = story.get(event_id)
                assert event is not None
                writer.writerow([event.id, event.date.to_text(), "Battles", "Wire"])
        return path, ids
    if kind == "lake":
        import duckdb

        part = tmp_path / "lake" / "k=1" / "000000_0"
        part.parent.mkdir(parents=True)
        (tmp_path / "one.parquet").write_bytes(exported(story, "parquet"))
        with duckdb.connect() as connection:
            connection.execute(
                "COPY (SELECT * FROM read_parquet(?) ORDER BY id) TO ? (FORMAT parquet)",
                [str(tmp_path / "one.parquet"), str(part)],
            )
        (tmp_path / "one.parquet").unlink()
        return tmp_path / "lake", sorted(event.id for event in story)
    path = tmp_path / f"story.{kind}"
    path.write_bytes(exported(story, kind))
    return path, [event.id for event in story]


@pytest.mark.parametrize("kind", ["csv", "parquet", "acled", "lake"])
def test_a_file_duckdb_reads_tells_its_first_rows_as_the_whole_load_makes_them(
    tmp_path: Path, kind: str
) -> None:
    from tui.formats import sql_read
    from tui.model import loading

    path, in_file = _written(tmp_path, kind)
    told: list[tuple[Timeline, bool]] = []
    with (
        mock.patch.object(loading, "SQL_AT_LEAST", 0),
        mock.patch.object(sql_read, "FIRST_ROWS", 5),
    ):
        whole = load_path(str(path), preview=lambda *first: told.append(first)).timeline
    assert len(told) == 1 and len(whole) == 12
    first, final = told[0]
    assert final
    assert [event.id for event in first] == _file_ids(whole, in_file[:5])
    by_id = {event.id: event for event in whole}
    for event in first:
        assert_same_event(event, by_id[event.id])
    assert (first.title, first.sources) == (whole.title, whole.sources)
    if kind in ("csv", "parquet"):  # our exports carry the record (the lake's copy not)
        assert whole.title == "Story" and whole.sources


def _first_rows(path: Path, rows: int) -> tuple[Timeline, tuple[Timeline, bool] | None]:
    """The whole CSV as loaded, and what it told early of its first `rows` rows."""
    from tui.formats import sql_read
    from tui.model import loading

    told: list[tuple[Timeline, bool]] = []
    with (
        mock.patch.object(loading, "SQL_AT_LEAST", 0),
        mock.patch.object(sql_read, "FIRST_ROWS", rows),
    ):
        whole = load_path(str(path), preview=lambda *first: told.append(first)).timeline
    assert len(told) <= 1
    return whole, told[0] if told else None


def test_rows_without_an_id_are_named_early_as_the_whole_load_names_them(
    tmp_path: Path,
) -> None:
    """With no id column no later row can take a made id first: the ids are final."""
    path = tmp_path / "story.csv"
    path.write_text("date,title\n2025-01-02,A\n2025-01-01,B\n2025-01-02,A\n2025-01-03,C\n")
    whole, told = _first_rows(path, 3)
    assert told is not None
    first, final = told
    assert final
    assert sorted(e.id for e in first) == ["2025-01-01-b", "2025-01-02-a", "2025-01-02-a-2"]
    by_id = {event.id: event for event in whole}
    for event in first:
        assert_same_event(event, by_id[event.id])


def test_an_id_made_early_that_a_later_row_takes_is_said_not_final(tmp_path: Path) -> None:
    path = tmp_path / "story.csv"
    path.write_text("id,date,title\n,2025-01-02,A\nb,2025-01-01,B\n2025-01-02-a,2025-01-05,D\n")
    whole, told = _first_rows(path, 2)
    assert told is not None
    first, final = told
    assert not final and sorted(e.id for e in first) == ["2025-01-02-a", "b"]
    assert sorted(e.id for e in whole) == ["2025-01-02-a", "2025-01-02-a-2", "b"]
    _, told = _first_rows(path, 3)  # the row that takes it among the first: final ids
    assert told is not None and sorted(e.id for e in told[0]) == sorted(e.id for e in whole)


def test_rows_python_makes_or_names_by_line_give_no_first_events(tmp_path: Path) -> None:
    from tui.formats.table_sql import TableRead

    path = tmp_path / "story.csv"
    path.write_text('id,date,title,tags\na,2025-01-02,A,"[""x"", ""y""]"\nb,2025-01-01,B,\n')
    whole, told = _first_rows(path, 5)  # a list written as JSON: Python makes that row
    assert len(whole) == 2 and whole.get("a") is not None and told is None
    with TableRead(str(path), ["date", "title"]) as read:  # nothing said: named by its line
        assert read.first_ids([["", ""]], []) is None
        assert read.first_ids([["2025", "A"], ["2025", "A"]], ["2025-a"]) == (
            ["2025-a-2", "2025-a-3"],
            True,
        )


class _Piped:
    """Standard input whose reads are told, in order, beside what the load tells."""

    def __init__(self, data: bytes, told: list[tuple[str, Any]]) -> None:
        self.data, self.at, self.told = data, 0, told

    def read(self, size: int = -1) -> bytes:
        end = len(self.data) if size < 0 else self.at + size
        chunk, self.at = self.data[self.at : end], min(end, len(self.data))
        self.told.append(("read", len(chunk)))
        return chunk


def _piped(
    monkeypatch: pytest.MonkeyPatch, text: bytes, format: str | None = None
) -> tuple[Timeline, list[tuple[str, Any]]]:
    """The piped `text` loaded as the app loads it, and what was read and told, in order."""
    import sys
    from types import SimpleNamespace

    from tui.model import loading, reading
    from tui.model.loading import LoadOptions

    told: list[tuple[str, Any]] = []
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=_Piped(text, told)))
    for module, name, value in [
        (reading, "MAP_AT_LEAST", 100),
        (reading, "READ_CHUNK", 100),
        (loading, "MAP_AT_LEAST", 0),
        (loading, "IN_PARTS_AT_LEAST", 300),
        (loading, "PREVIEW_BYTES", 500),
        (fast_path, "PREVIEW_BYTES", 500),
        (loading, "SQL_AT_LEAST", 0),
    ]:
        monkeypatch.setattr(module, name, value)
    whole = load_path(
        "-",
        options=LoadOptions(format=format),
        preview=lambda timeline, final: told.append(("first", timeline)),
    ).timeline
    return whole, told


@pytest.mark.parametrize("bare", [True, False])
def test_piped_events_are_told_from_the_inputs_start_before_the_rest_is_read(
    monkeypatch: pytest.MonkeyPatch, bare: bool
) -> None:
    events = [
        {"id": f"e{n:02}", "date": f"2025-01-{n % 28 + 1:02}", "title": "t"} for n in range(40)
    ]
    text = json.dumps(events if bare else {"title": "Piped", "events": events}).encode()
    whole, told = _piped(monkeypatch, text)
    kinds = [kind for kind, _ in told]
    assert kinds.count("first") == 1
    at = kinds.index("first")
    read_before = sum(size for kind, size in told[:at] if kind == "read")
    assert 300 <= read_before < len(text) and ("read", 0) in told[at:]
    first: Timeline = told[at][1]
    assert 0 < len(first) < 40
    assert [e.id for e in first] == _file_ids(whole, [f"e{n:02}" for n in range(len(first))])
    by_id = {event.id: event for event in whole}
    for event in first:
        assert_same_event(event, by_id[event.id])
    assert first.title == whole.title == (None if bare else "Piped")


def test_a_small_piped_input_or_another_format_tells_nothing_from_its_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events = [{"id": "a", "date": "2025", "title": "t"}]
    whole, told = _piped(monkeypatch, json.dumps(events).encode())  # under 300 bytes
    assert len(whole) == 1 and "first" not in [kind for kind, _ in told]
    rows = "".join(f"e{n:02},2025-01-{n % 28 + 1:02},Title {n}\n" for n in range(40))
    whole, told = _piped(monkeypatch, f"id,date,title\n{rows}".encode(), "csv")
    kinds = [kind for kind, _ in told]  # DuckDB's first rows: once the copy is whole
    assert (
        len(whole) == 40
        and kinds.count("first") == 1
        and kinds.index("first") > kinds.index("read")
    )
    assert told[kinds.index("first") - 1] == ("read", 0)


def test_first_rows_with_line_breaks_and_tabs_are_cleaned_as_the_whole_files(
    tmp_path: Path,
) -> None:
    path = tmp_path / "story.csv"
    rows = "".join(
        f'e{n},2025-01-{n % 28 + 1:02},"Title\t{n}","First line.\nSecond line {n}."\n'
        for n in range(12)
    )
    path.write_text(f"id,date,title,summary\n{rows}")
    whole, told = _first_rows(path, 5)
    assert told is not None and len(told[0]) == 5
    assert whole.get("e3") is not None and whole.get("e3").title == "Title 3"  # type: ignore[union-attr]
    by_id = {event.id: event for event in whole}
    for event in told[0]:
        assert_same_event(event, by_id[event.id])
