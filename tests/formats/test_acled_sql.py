"""A large ACLED export is read by DuckDB (acled_sql.py), a small one row by row
(acled.py). The row-by-row reader is the reference: on any file, the SQL route builds
the same timeline and says the same problems at the same lines and columns, or leaves
the file to it. Here the threshold is lowered so that small files take the SQL route."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.support.routes import assert_left_to_python, assert_same, both_routes, read_by_sql
from tui.model import loading
from tui.model.loading import Loaded, LoadOptions, load_path

SAMPLES = Path(__file__).parent.parent / "data" / "samples"

CELLS = st.sampled_from(
    ["", " ", "Kursk", " Kursk\t", "a\x00b", "a\u202eb", "x;y", "x | y", " ; a;", "nan", "inf",
     "1e400", "91", "-0", "-0,0", "51.", "٣,٥", "2025-02-30", "2025-13", "2025~", "09/01/2025",
     "[1]", '{"a": 1}', "é\u0301", "line\nbreak", "Ｋ", "\u3000wide\u3000", "\xa0", "0999-01-01"]
)  # fmt: skip
PLAIN = st.sampled_from(
    ["", " ", "Kursk", " Kursk\t", "x;y", "x | y", " ; a;", "é\u0301", "line\nbreak", "Ｋ",
     "\u3000wide\u3000", "\xa0", "Military Forces of Russia (2000-)", "[1]"]
)  # fmt: skip
"""Cells with nothing the loader reports: the SQL route takes most such files."""
DAYS = st.sampled_from(["2025-01-09", "2024-02-29", "1001-01-02", "2025-01", " 2025-01-09"])


def acled_rows(
    cells: st.SearchStrategy[str], days: st.SearchStrategy[str], numbers: st.SearchStrategy[str]
) -> st.SearchStrategy[list[dict[str, str]]]:
    return st.lists(
        st.fixed_dictionaries(
            {
                "event_id_cnty": st.sampled_from(["UKR1", "UKR2", "", " UKR3 ", "UKR4"]),
                "event_date": days,
                "time_precision": st.sampled_from(["1", "2", "3", " 2", "", "x"]),
                "event_type": cells,
                "sub_event_type": cells,
                "actor1": cells,
                "assoc_actor_1": cells,
                "actor2": cells,
                "location": cells,
                "admin1": cells,
                "latitude": numbers | st.sampled_from(["51.5", "51,25", "-3", "٣,٥", "-0"]),
                "longitude": numbers | st.sampled_from(["36,2", "007.5", "51.", ""]),
                "source": cells,
                "notes": cells,
                "fatalities": cells | st.sampled_from(["3", "0012", "99999999999999999999", "²"]),
                "tags": cells,
                "iso": cells,
                "Region ": cells,
            }
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda row: row["event_id_cnty"],
    )


def acled_csv(rows: list[dict[str, str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@settings(
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    deadline=None,
)
@given(
    acled_rows(CELLS, CELLS | DAYS, CELLS) | acled_rows(PLAIN, DAYS, st.just("")),
    st.sampled_from([",", ";", "\t"]),
    st.booleans(),
)
def test_any_acled_file_is_read_the_same_by_sql(
    tmp_path: Path, rows: list[dict[str, str]], delimiter: str, thorough: bool
) -> None:
    path = tmp_path / "acled.csv"
    path.write_text(acled_csv(rows, delimiter), encoding="utf-8")
    by_sql, by_rows, taken = both_routes(path, thorough)
    event("read by SQL" if taken else "left to Python")
    assert_same(by_sql, by_rows)


def test_a_clean_file_read_by_several_threads_keeps_the_file_order(tmp_path: Path) -> None:
    """Rows on one day stay in the file's order (the timeline's sort is stable): DuckDB
    must hand them over in that order, whatever its threads do."""
    rows = [
        {"event_id_cnty": f"UKR{(i * 7919) % 40_000:05d}", "event_date": "2025-01-09",
         "time_precision": "2" if i % 3 else "1", "event_type": "Battles",
         "actor1": f"Unit {i % 13}", "assoc_actor_1": "a; b" if i % 5 else "",
         "location": f"Place {i}", "latitude": f"{(i % 90)}.5", "longitude": "36,2",
         "source": "TASS; Suspilne", "notes": f"Note {i}\nsecond line", "fatalities": str(i % 4),
         "iso": "804"}
        for i in range(40_000)
    ]  # fmt: skip
    path = tmp_path / "acled.csv"
    path.write_text(acled_csv(rows), encoding="utf-8")
    by_sql, by_rows, taken = both_routes(path)
    assert taken
    assert isinstance(by_sql, Loaded)
    for day in ("2025-01-09", "2025-01-06/2025-01-12"):  # the day, and the week around it
        on_day = [e.id for e in by_sql.timeline if e.date.to_text() == day]
        assert on_day == [
            r["event_id_cnty"] for r in rows if (r["time_precision"] == "2") == ("/" in day)
        ]
    assert_same(by_sql, by_rows)
    first = by_sql.timeline.get("UKR00000")
    assert first is not None and first.extra == {"iso": "804", "fatalities": 0}
    assert first.date.to_text() == "2025-01-09"
    assert by_sql.timeline.get("UKR07919").date.to_text() == "2025-01-06/2025-01-12"


def test_rows_sql_leaves_to_python_are_made_by_python_in_their_places(tmp_path: Path) -> None:
    """No id (its id names its line, past a cell with a line break), a week around a
    month, a coordinate in other digits: each made by acled_event, in its place."""
    rows = [
        {"event_id_cnty": "A1", "event_date": "2025-01-09", "time_precision": "1",
         "location": "Kursk", "latitude": "51.5", "longitude": "36.2", "notes": "one\ntwo"},
        {"event_id_cnty": "", "event_date": "2025-01-10", "time_precision": "1",
         "location": "Sumy", "latitude": "", "longitude": "", "notes": ""},
        {"event_id_cnty": "A3", "event_date": "2025-01", "time_precision": "2",
         "location": "", "latitude": "", "longitude": "", "notes": ""},
        {"event_id_cnty": "A4", "event_date": "2025-01-11", "time_precision": "1",
         "location": "Kyiv", "latitude": "٥٠,٥", "longitude": "30.5", "notes": ""},
    ]  # fmt: skip
    path = tmp_path / "acled.csv"
    path.write_text(acled_csv(rows), encoding="utf-8")
    by_sql, by_rows, taken = both_routes(path)
    assert taken
    assert_same(by_sql, by_rows)
    assert isinstance(by_sql, Loaded)
    assert by_sql.timeline.get("row-4") is not None  # the header, then two lines of row one
    assert by_sql.timeline.get("A3").date.to_text() == "2024-12-29/2025-01-04"
    assert by_sql.timeline.get("A4").place.lat == 50.5


@pytest.mark.parametrize(
    "text",
    [
        "event_id_cnty,event_date,notes\nA,2025-01-09,x\nB,2025-01-10\n",  # a short row
        "event_id_cnty,event_date,notes\nA,2025-01-09,x,y\n",  # a long row
        'event_id_cnty,event_date,notes\nA,2025-01-09,"x"y\n',  # a stray quote
        "event_id_cnty,event_date,notes\nA,2025-01-09,x\r\nB,2025-01-10,y\n",  # two line ends
        "event_id_cnty,event_date,notes\nA,2025-01-09,caf\xe9\n",  # Latin-1
        "event_id_cnty,event_date,titel\nA,2025-01-09,x\n",  # a key like one of ours
        "event_id_cnty,event_date,title\nA,2025-01-09,x\n",  # a column named as our field
        "event_id_cnty,event_date,notes\nA,2025-02-30,x\nA,2025-01-09,y\n",  # errors
        "event_id_cnty,event_date,latitude,location\nA,2025-01-09,95,K\n",  # out of range
        "event_id_cnty,event_date,notes\n",  # no rows
        '"event_id_cnty\n",event_date\nA,2025-01-09\n',  # a header across two lines
    ],
)
def test_what_sql_can_not_read_as_python_does_is_left_to_python(tmp_path: Path, text: str) -> None:
    path = tmp_path / "acled.csv"
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode())
    assert_left_to_python(path)


def test_text_to_clean_is_cleaned_by_the_sql_route_as_by_python(tmp_path: Path) -> None:
    """A terminal escape, marks of direction (an Arabic text's), a title of marks alone."""
    path = tmp_path / "acled.csv"
    path.write_text(
        "event_id_cnty,event_date,notes,actor1\n"
        "A,2025-01-09,a\x1bb,\u200fالجيش\u061c\n"
        "B,2025-01-10,\u200b,\u200f\n"
    )
    loaded = read_by_sql(path)
    a = loaded.timeline.get("A")
    assert a is not None and a.summary == "ab" and a.actors == ("الجيش",)


def test_the_acled_sample_is_read_the_same_by_sql(tmp_path: Path) -> None:
    by_sql, by_rows, taken = both_routes(SAMPLES / "acled-style.csv", thorough=True)
    assert taken
    assert_same(by_sql, by_rows)


def test_a_small_file_is_read_row_by_row_without_duckdb(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    path.write_text(acled_csv([{"event_id_cnty": "A", "event_date": "2025-01-09"}]))
    assert not loading._for_sql(str(path), LoadOptions())
    assert load_path(str(path)).timeline.get("A") is not None


def test_an_acled_export_from_standard_input_is_read_by_sql_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through a scratch file, as Parquet is: the same timeline as the row-by-row
    reader's."""
    from tests.support.routes import python_route_only, sql_route_watched
    from tui.model.loading import load_bytes

    monkeypatch.setattr(loading, "SQL_AT_LEAST", 0)
    data = (SAMPLES / "acled-style.csv").read_bytes()
    options = LoadOptions(thorough=True)
    with sql_route_watched() as taken:
        by_sql = load_bytes(data, "<stdin>", options=options)
    assert taken == [True]
    with python_route_only():
        by_rows = load_bytes(data, "<stdin>", options=options)
    assert_same(by_sql, by_rows)
