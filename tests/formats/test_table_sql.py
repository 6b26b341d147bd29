"""A large CSV with our columns is read by DuckDB (table_sql.py), a small one row by row
(table.py's `from_plain`). The row-by-row reader is the reference: on any file, the SQL
route builds the same timeline and says the same problems at the same lines and
columns, or leaves the file to it. Here the threshold is lowered so that small files
take the SQL route."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.support.routes import (
    assert_left_to_python,
    assert_same,
    both_routes,
    python_route_only,
    read_by_sql,
    sql_route_watched,
)
from tests.support.timelines import exported, files
from tui.formats.table import CSV_COLUMNS
from tui.formats.table_sql import TableRead
from tui.formats.tabular import RowOrigins, rows
from tui.model import loading
from tui.model.loading import LoadOptions, load_bytes, load_path

BUNDLED = Path(__file__).parent.parent.parent / "events.json"

CELLS = st.sampled_from(
    ["", " ", "Kursk", " Kursk\t", "a\x00b", "x;y", "x | y", " ; a;", "[\"a;b\", \"c\"]", "[1]",
     "[x", "nan", "-0", "51,5", "٣,٥", "1e3", "2025-02-30", "2025-01", "~2025", "é\u0301",
     "\u200fשלום", "a\x1b[1mb", "\u200b",
     "line\nbreak", "Ｋ", "\u3000wide\u3000", "\xa0", "http://x.org/a", "null", '{"a": 1}',
     '{"title": "t"}', '{"x-a": null}', '{"x-a": [1, {"b": 2}], "x-c": "d"}', '"text"',
     '[{"ref": "wire"}]', '[{"id": "e1", "rel": "causes"}]', "[{]", "confirmed", "A"]
)  # fmt: skip
DATES = st.sampled_from(["2025-01-09", "2024-02-29", "2025-01", "2025-01-09T10:00", " 2025 "])
PLAIN = st.sampled_from(
    ["", "Kursk", " Kursk\t", "x;y", "x | y", "é\u0301", "line\nbreak", "Ｋ", "\u3000wide\u3000",
     "\u200fשלום", "a\x1b[1mb",
     "http://x.org/a", "51.5", "-3,25"]
)  # fmt: skip
"""Cells with nothing the loader reports: the SQL route takes most such files."""
COLUMNS = st.lists(
    st.sampled_from(
        ["summary", "kind", "tags", "actors", "claimed_by", "place", "lat", "lon", "sources",
         "related", "notes", "reported", "status", "history", "extra", "record", "headline",
         "x-desk", "Region "]
    ),
    unique=True,
    max_size=8,
)  # fmt: skip


@st.composite
def tables(draw: st.DrawFn, cells: st.SearchStrategy[str]) -> list[dict[str, str]]:
    names = ["id", "date", draw(st.sampled_from(["title", "headline", "Title"]))]
    names += [n for n in draw(COLUMNS) if n.lower() not in names]
    names = draw(st.permutations(names))
    count = draw(st.integers(1, 5))
    table = []
    for i in range(count):
        row = {name: draw(cells) for name in names}
        row["id"] = draw(st.sampled_from([f"e{i}", "", " ", f" e{i} "]))
        row["date"] = draw(DATES | cells)
        if "record" in row:
            row["record"] = draw(st.sampled_from(["", "", "title", "source", " source", "x"]))
        table.append(row)
    return table


def written(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


SETTINGS = settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
    deadline=None,
)


@SETTINGS
@given(tables(CELLS) | tables(PLAIN), st.sampled_from([",", ";", "\t"]), st.booleans())
def test_any_table_is_read_the_same_by_sql(
    tmp_path: Path, table: list[dict[str, str]], delimiter: str, thorough: bool
) -> None:
    path = tmp_path / "table.csv"
    path.write_text(written(table, delimiter), encoding="utf-8")
    by_sql, by_rows, taken = both_routes(path, thorough)
    event("read by SQL" if taken else "left to Python")
    assert_same(by_sql, by_rows)


@settings(SETTINGS, max_examples=60)
@given(data=st.data(), thorough=st.booleans())
def test_our_csv_export_is_read_the_same_by_sql(
    tmp_path: Path, data: st.DataObject, thorough: bool
) -> None:
    """What `print --format csv` writes: every field, unknown keys of every JSON type,
    the file's title and named sources in rows of their own."""
    document = data.draw(files("csv"))
    original = load_bytes(json.dumps(document).encode(), "story.json")
    path = tmp_path / "story.csv"
    path.write_bytes(exported(original.timeline, "csv"))
    by_sql, by_rows, taken = both_routes(path, thorough)
    event("read by SQL" if taken else "left to Python")
    assert_same(by_sql, by_rows)


def test_the_bundled_story_as_csv_is_read_by_sql(tmp_path: Path) -> None:
    story = load_path(str(BUNDLED))
    path = tmp_path / "story.csv"
    path.write_bytes(exported(story.timeline, "csv"))
    by_sql = read_by_sql(path, thorough=True)
    assert by_sql.timeline.sources == story.timeline.sources and by_sql.timeline.sources
    assert [e.id for e in by_sql.timeline] == [e.id for e in story.timeline]


def test_a_file_read_by_several_threads_keeps_its_order(tmp_path: Path) -> None:
    """Rows on one day stay in the file's order (the timeline's sort is stable): DuckDB
    must hand them over in that order, whatever its threads do."""
    table = [
        {"id": f"e{(i * 7919) % 40_000:05d}", "date": "2025-01-09", "title": f"Event {i}",
         "tags": "a; b" if i % 5 else "", "place": f"Place {i}" if i % 2 else "",
         "lat": f"{i % 90}.5", "lon": "36,2", "sources": "https://x.org" if i % 3 else "TASS",
         "x-desk": "Seoul" if i % 7 else "", "notes": f"Note {i}\nsecond line"}
        for i in range(40_000)
    ]  # fmt: skip
    path = tmp_path / "table.csv"
    path.write_text(written(table), encoding="utf-8")
    by_sql = read_by_sql(path)
    assert [e.id for e in by_sql.timeline] == [row["id"] for row in table]
    first = by_sql.timeline.get("e00000")
    assert first is not None and first.extra is None and first.tags == ()
    assert first.sources[0].title == "TASS" and first.place is None
    second = by_sql.timeline.get("e07919")
    assert second.extra == {"x-desk": "Seoul"} and second.place.lon == 36.2


def test_rows_sql_leaves_to_python_are_made_by_python_in_their_places(tmp_path: Path) -> None:
    """No id (its id from its date and title, never one another row has, before or after
    it, whether the row is made in SQL or in Python), a list written as JSON, an `extra`
    naming a column (it fills the column that is empty), a coordinate in other digits:
    each made by `plain_event`, in its place."""
    text = (
        "id,date,title,tags,extra,place,lat,notes\n"
        'a,2025-01-09,Capture,,,,,"one\ntwo"\n'
        ",2025-01-10,Exchange offer,,,,,\n"
        "2025-01-10-exchange-offer,2025-01-11,Taken already,,,,,\n"
        ',2025-01-12,!!!,"[""x;y"", ""z""]",,,,\n'
        'b,2025-01-13,B,,"{""notes"": ""from extra"", ""x-a"": 1}",,,\n'
        "c,2025-01-14,C,,,Kyiv,\u0665\u0660,\n"
        ",2025-01-15,Same,,,,,first\n"
        ',2025-01-15,Same,"[""a""]",,,,second\n'
    )
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    by_sql = read_by_sql(path)
    timeline = by_sql.timeline
    assert timeline.get("2025-01-10-exchange-offer").title == "Taken already"
    assert timeline.get("2025-01-10-exchange-offer-2").title == "Exchange offer"
    assert timeline.get("2025-01-12").tags == ("x;y", "z")  # `!!!` says nothing
    assert timeline.get("b").notes == "from extra" and timeline.get("b").extra == {"x-a": 1}
    assert timeline.get("c").place.lat == 50.0
    # one made in SQL, the next left to plain_event: their ids given in file order
    assert timeline.get("2025-01-15-same").notes == "first"
    assert timeline.get("2025-01-15-same-2").notes == "second"


def test_a_table_without_ids_is_given_them_as_python_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made in SQL, only the ids given in Python: no row is left to `plain_event`."""

    def no_row_left(*args: object) -> None:
        raise AssertionError("a row left to Python")

    monkeypatch.setattr(TableRead, "event", no_row_left)
    path = tmp_path / "table.csv"
    path.write_text("date,title\n2025-01-09,Capture\n2025-01-09,Capture\n2025-01-10,Offer\n")
    by_sql = read_by_sql(path)
    assert [e.id for e in by_sql.timeline] == [
        "2025-01-09-capture", "2025-01-09-capture-2", "2025-01-10-offer"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "id,date,title\na,2025-01-09,x\nb,2025-01-10\n",  # a short row
        "id,date,title\na,2025-01-09,x,y\n",  # a long row
        'id,date,title\na,2025-01-09,"x"y\n',  # a stray quote
        "id,date,title\na,2025-01-09,x\r\nb,2025-01-10,y\n",  # two line ends
        "id,date,title\na,2025-01-09,caf\xe9\n",  # Latin-1
        "id,date,title,titel\na,2025-01-09,x,y\n",  # a key like one of ours
        "id,date,title,id\na,2025-01-09,x,y\n",  # a column named twice
        "id,date,title\na,2025-02-30,x\nb,2025-01-09,y\n",  # errors
        "id,date,title,sources\na,2025-01-09,x,[{]\n",  # JSON that does not parse
        'id,date,title,extra\na,2025-01-09,x,"[1]"\n',  # `extra` not an object
        "id,date,title,history\na,2025-01-09,x,confirmed\n",  # history not JSON
        "id,date,title,place,lat\na,2025-01-09,x,K,95\n",  # out of range
        "id,date,summary\na,2025-01-09,x\n",  # no title
        "id,date,title\n",  # no rows
        '"id\n",date,title\na,2025-01-09,x\n',  # a header across two lines
        'id,date,title,record,extra\n,,T,title,"[2]"\na,2025-01-09,x,,\n',  # its record's problem
    ],
)
def test_what_sql_can_not_read_as_python_does_is_left_to_python(tmp_path: Path, text: str) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode())
    assert_left_to_python(path)


def test_a_problem_sql_leaves_to_the_builder_is_placed_at_its_row(tmp_path: Path) -> None:
    """A warning (a source ref the file does not name) on a row after a cell with line
    breaks, a blank row and the file's own rows: its line and column as Python says."""
    text = (
        "id,date,title,notes,record,sources\n"
        ",,Story,,title,\n"
        "wire,,Wire,,source,\n"
        'a,2025-01-09,A,"one\ntwo\nthree",,\n'
        ",,,,,\n"
        'b,2025-01-10,B,,,"[{""ref"": ""nowhere""}]"\n'
    )
    path = tmp_path / "table.csv"
    path.write_text(text, encoding="utf-8")
    by_sql = read_by_sql(path)
    assert [(w.line, w.column) for w in by_sql.warnings] == [(8, 6)]
    assert by_sql.timeline.title == "Story" and list(by_sql.timeline.sources) == ["wire"]


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_row_origins_streamed_are_the_lines_rows_gives(tmp_path: Path, bom: bytes) -> None:
    text = 'ID ;date;title;record\na;2025;"x\n\ny";\n;;;\n\ns;;S; source \nb;2025;z;other\n'
    path = tmp_path / "table.csv"
    path.write_bytes(bom + text.encode())
    origins = RowOrigins(str(path), {"id": "id", "date": "date"}, ("record", ("source",)))
    expected = [line for line, row, _ in rows(text) if row["record"].strip() != "source"]
    assert list(origins.lines) == expected == [2, 8]
    assert origins[1].columns == {"id": (1, "ID"), "date": (2, "date")}
    assert len(origins) == 2 and origins[-1].line == 8


def test_a_table_from_standard_input_is_read_by_sql_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loading, "SQL_AT_LEAST", 0)
    story = load_path(str(BUNDLED))
    data = exported(story.timeline, "csv")
    options = LoadOptions(thorough=True)
    with sql_route_watched() as taken:
        by_sql = load_bytes(data, "<stdin>", options=options)
    assert taken == [True]
    with python_route_only():
        by_rows = load_bytes(data, "<stdin>", options=options)
    assert_same(by_sql, by_rows)


def test_a_small_table_is_read_row_by_row_without_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_text(",".join(CSV_COLUMNS) + "\n" + "a,2025-01-09,,,A" + "," * 20 + "\n")
    assert not loading._for_sql(str(path), LoadOptions())
    assert load_path(str(path)).timeline.get("a") is not None
