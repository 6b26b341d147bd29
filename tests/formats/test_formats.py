"""Reading and writing other tools' formats."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import BUNDLED, DATA, ROOT
from tests.support.app import make_app, ready, shown_ids
from tests.support.timelinejs_checks import check as timelinejs_check
from tests.support.timelines import assert_same_timeline
from tui.model.dates import DatePoint, When
from tui.model.events import Timeline
from tui.model.loading import LoadOptions, load_bytes, load_path
from tui.model.problems import LoadError

SAMPLES = DATA / "samples"
TIMELINEJS_JSON = SAMPLES / "timelinejs-women-in-computing.json"
TIMELINEJS_CSV = SAMPLES / "timelinejs-women-in-computing.csv"
ACLED = SAMPLES / "acled-style.csv"
ICS = SAMPLES / "icalendar-holidays.ics"


def timeline_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=ROOT, input=stdin
    )


def dates(path: Path, **options: Any) -> dict[str, str]:
    timeline = load_path(str(path), options=LoadOptions(**options)).timeline
    return {event.id: event.date.to_text() for event in timeline}


@pytest.mark.parametrize("path", [TIMELINEJS_JSON, TIMELINEJS_CSV], ids=["json", "csv"])
def test_timelinejs_json_and_spreadsheet_read_the_same(path: Path) -> None:
    loaded = load_path(str(path))
    timeline = loaded.timeline
    assert timeline.title == "Women in Computing"
    assert len(timeline) == 10 and not loaded.warnings
    found = {event.id: event for event in timeline}
    ada = found["1815-12-10-ada-lovelace"]
    assert ada.date.to_text() == "1815-12-10/1852-11-27"
    assert ada.title == "Ada Lovelace"
    assert (
        ada.summary is not None
        and "Ada Lovelace (https://en.wikipedia.org/wiki/Ada_Lovelace)" in ada.summary
    )
    assert "<" not in ada.summary  # HTML became text
    assert (
        found["1943-07-and-the-women-who-made-it-work"].date.to_text() == "1943-07/1946"
    )  # month to a year
    assert (
        found["1951-rózsa-péter-writes-recursion"].date.to_text() == "1951"
    )  # "month": "" is no month
    assert (
        found["1943-06-05-the-first-computer"].date.to_text() == "1943-06-05"
    )  # "month": "6" as well as "06"
    edith = found["1948-03-14-edith-clarke-bucking-the-trend"]
    assert (
        edith.sources
        and edith.sources[0].quote is not None
        and edith.sources[0].quote.startswith("There is no")
    )


def test_the_sample_json_and_csv_agree() -> None:
    assert dates(TIMELINEJS_JSON) == dates(TIMELINEJS_CSV)


def test_acled_time_precision_maps_to_our_precision() -> None:
    found = dates(ACLED)
    assert found["RUS90001"] == "2025-01-09"  # 1: the day
    assert found["RUS90005"] == "2024-11-03/2024-11-09"  # 2: the week around the date
    assert found["RUS90004"] == "2024-12"  # 3: only the month
    event = load_path(str(ACLED)).timeline.get("UKR90002")
    assert event is not None
    assert event.place is not None and event.place.name == "Yantarne, Donetsk, Ukraine"
    assert (event.place.lat, event.place.lon) == (47.803, 37.269)
    assert event.claimed_by == ("Ministry of Defence of Russia",)
    assert event.kind == "Battles" and "Non-state actor overtakes territory" in event.tags
    assert event.extra["fatalities"] == 0 and event.extra["iso"] == "804"


def test_icalendar_events_are_days() -> None:
    loaded = load_path(str(ICS))
    assert loaded.timeline.title == "Holidays"
    assert [(e.date.to_text(), e.title) for e in loaded.timeline] == [
        ("2022-01-01", "New Year's Day"),
        ("2022-01-07", "Orthodox Christmas"),
        ("2022-03-08", "International Women's Day"),
    ]
    christmas = loaded.timeline.get("636a0cc1dbfd91667894465@icalendar")
    assert (
        christmas is not None and christmas.place is not None and christmas.place.name == "Russia"
    )


@pytest.mark.parametrize(
    "path", [TIMELINEJS_JSON, TIMELINEJS_CSV, ACLED, ICS], ids=lambda p: p.name
)
def test_each_sample_prints_and_validates(path: Path) -> None:
    assert timeline_cli("validate", str(path)).returncode == 0
    printed = timeline_cli("print", str(path), "--width", "100")
    assert printed.returncode == 0 and "events" in printed.stdout.splitlines()[1]


@pytest.mark.parametrize(
    "path", [TIMELINEJS_JSON, TIMELINEJS_CSV, ACLED, ICS], ids=lambda p: p.name
)
async def test_each_sample_opens_in_the_app(path: Path) -> None:
    app = make_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert len(shown_ids(app)) == len(load_path(str(path)).timeline)


def test_from_forces_the_format(tmp_path: Path) -> None:
    odd = tmp_path / "export.txt"
    odd.write_text(ACLED.read_text())
    assert timeline_cli("print", str(odd), "--from", "acled").returncode == 0
    wrong = timeline_cli("validate", str(ACLED), "--from", "ics")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr


SHEET_HEADER = (
    "Year,Month,Day,Time,End Year,End Month,End Day,End Time,Display Date,Headline,Text,"
    "Media,Media Credit,Media Caption,Media Thumbnail,Type,Group,Background"
)
BAD_SHEET = (
    SHEET_HEADER
    + """
1948,3,14,,,,,,,Good row,,,,,,,,
1950,13,1,,,,,,,Bad month,,,,,,,,
19x1,,,,,,,,,Bad year,,,,,,,,
1952,,,,,,,,,Good too,,,,,,,,
"""
)


def test_a_bad_row_names_its_row_and_column_and_skip_bad_loads_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(BAD_SHEET)
    with pytest.raises(LoadError) as caught:
        load_path(str(path))
    errors = [(p.line, p.column, p.message) for p in caught.value.errors]
    assert (
        errors[0][:2] == (3, 2)
        and "month 13 is out of range" in errors[0][2]
        and "(column Month)" in errors[0][2]
    )
    assert errors[1][:2] == (4, 1) and "expected a year" in errors[1][2]
    result = timeline_cli("print", str(path), "--skip-bad", "--width", "100")
    assert result.returncode == 0
    assert (
        "Good row" in result.stdout and "Good too" in result.stdout and "Bad" not in result.stdout
    )
    assert "skipped 2 events with errors" in result.stderr
    assert f"{path}:3:2: warning: skipped:" in result.stderr


def test_csv_rows_and_acled_rows_with_problems(tmp_path: Path) -> None:
    path = tmp_path / "acled.csv"
    lines = ACLED.read_text().splitlines()
    lines[2] = lines[2].replace("2025-01-12", "2025-02-30")
    path.write_text("\n".join(lines) + "\n")
    result = timeline_cli("validate", str(path))
    assert result.returncode == 2
    assert (
        f'{path}:3:2: error: event "UKR90002": `date` "2025-02-30": day 30 is out of range'
        in result.stdout
    )
    assert "(column event_date)" in result.stdout


def test_ics_export_opens_in_a_calendar_parser_with_the_right_dates() -> None:
    import icalendar

    printed = subprocess.run(
        [sys.executable, "-m", "tui", "print", "--format", "ics"],
        capture_output=True,
        cwd=ROOT,
        check=True,
    ).stdout
    calendar = icalendar.Calendar.from_ical(printed)
    by_uid = {str(c["UID"]): c for c in calendar.walk("VEVENT")}
    capture = by_uid["capture@timeline"]
    assert capture["DTSTART"].dt == date(2025, 1, 9) and capture["DTEND"].dt == date(2025, 1, 10)
    troops = by_uid["troops-10k@timeline"]  # month precision: the whole month
    assert troops["DTSTART"].dt == date(2024, 10, 1) and troops["DTEND"].dt == date(2024, 11, 1)
    more = by_uid["more-troops@timeline"]  # approximate: said in the description
    assert "c. Dec 2024" in str(more["DESCRIPTION"])
    assert len(by_uid) == 13


def test_timelinejs_export_passes_the_checks_timelinejs_applies() -> None:
    printed = json.loads(timeline_cli("print", "--format", "timelinejs").stdout)
    assert timelinejs_check(printed) == []
    slides = {s["unique_id"]: s for s in printed["events"]}
    assert slides["troops-10k"]["start_date"] == {"year": 2024, "month": 10}
    assert slides["more-troops"]["display_date"] == "c. Dec 2024"
    assert slides["capture"]["group"] == "military"
    assert printed["title"]["text"]["headline"] == "North Korean soldiers captured in Kursk"


def test_the_checks_catch_what_timelinejs_rejects() -> None:
    assert timelinejs_check({"events": []})
    assert timelinejs_check({"events": [{"start_date": {"year": "19x5"}}]})
    assert timelinejs_check({"events": [{"text": {"headline": "no date"}}]})


# Round trips


def test_the_bundled_story_survives_every_format() -> None:
    original = BUNDLED.read_bytes()
    for fmt in ("json", "csv", "ics", "timelinejs"):
        printed = subprocess.run(
            [sys.executable, "-m", "tui", "print", "--format", fmt],
            capture_output=True,
            cwd=ROOT,
            check=True,
        ).stdout
        back = load_bytes(printed, f"story.{fmt}").timeline
        assert_same_timeline(load_bytes(original, "story.json").timeline, back)


def test_ics_time_zones_and_durations(tmp_path: Path) -> None:
    path = tmp_path / "tz.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"
        "BEGIN:VEVENT\r\nUID:m\r\nSUMMARY:Meeting\r\n"
        "DTSTART;TZID=Europe/Kyiv:20250109T143000\r\nDURATION:PT1H\r\nEND:VEVENT\r\n"
        "BEGIN:VEVENT\r\nUID:d\r\nSUMMARY:Three days\r\n"
        "DTSTART;VALUE=DATE:20250109\r\nDURATION:P3D\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    assert dates(path) == {
        "m": "2025-01-09T14:30+02:00/2025-01-09T15:30+02:00",
        "d": "2025-01-09/2025-01-11",
    }


def test_a_csv_without_date_and_title_columns_says_what_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("When,Event\n2025-01-09,Something\n")
    result = timeline_cli("validate", str(path))
    assert result.returncode == 2
    assert "a CSV needs columns named `date` and `title` (found: When, Event)" in result.stdout


CELL = st.text(alphabet=st.sampled_from('ab ,"\n\r;é'), max_size=6)


@given(CELL.filter(lambda t: t.strip()), CELL, CELL, CELL)
def test_csv_rows_read_back_to_their_fields_in_a_csv_reader(
    title: str, summary: str, notes: str, kind: str
) -> None:
    """What `write_csv` writes (fast join or quoted), a CSV reader reads as the same cells."""
    import csv
    import io

    from tui.formats.table import CSV_COLUMNS, write_csv
    from tui.model.events import Event

    event = Event(
        id="a,b", date=When.of(DatePoint(2025)), title=title, summary=summary or None,
        notes=notes or None, kind=kind or None,
    )  # fmt: skip
    out = io.StringIO()
    write_csv(Timeline([event]), [0], out)
    (row,) = csv.DictReader(io.StringIO(out.getvalue(), newline=""))
    assert list(row) == list(CSV_COLUMNS)
    assert (row["id"], row["title"], row["summary"], row["notes"], row["kind"]) == (
        "a,b", title, summary, notes, kind,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("row", "column", "number"),
    [
        ("2025,13,1,x", "Month", 2),
        ("2025,2,30,x", "Day", 3),
        ("20x5,1,1,x", "Year", 1),
        ("2025,1,9,x,2025,1,40", "End Day", 7),
    ],
)
def test_a_bad_part_of_a_sheet_date_names_its_own_column(
    tmp_path: Path, row: str, column: str, number: int
) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"Year,Month,Day,Headline,End Year,End Month,End Day\n{row}\n")
    result = timeline_cli("validate", str(sheet))
    assert result.returncode == 2
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"{sheet}:2:{number}: error:") and first.endswith(f"(column {column})")


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("date;title;tags\n2025-01-09;Capture, in Kursk;pow|capture\n", "csv"),
        ("date\ttitle\ttags\n2025-01-09\tCapture, in Kursk\tpow; capture\n", "csv"),
        ('"date";"title";"tags"\n"2025-01-09";"Capture, in Kursk";"pow|capture"\n', "csv"),
        ("Year;Month;Day;Headline\n2025;1;9;Capture, in Kursk\n", "timelinejs-csv"),
    ],
)
def test_semicolon_and_tab_separated_files_are_read(text: str, fmt: str) -> None:
    from tui.formats import detect
    from tui.model.loading import load_bytes

    assert detect(text.encode()) == fmt
    (event,) = load_bytes(text.encode(), "f").timeline
    assert event.title == "Capture, in Kursk" and event.date.to_text() == "2025-01-09"
    if fmt == "csv":
        assert event.tags == ("pow", "capture")


def test_text_that_is_no_format_says_what_was_expected(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("just some words\nand more\n")
    result = timeline_cli("print", str(path))
    assert result.returncode == 2
    assert "not an event file: expected JSON (starting with { or [), a CSV" in result.stderr


def test_ics_times_are_utc_and_every_tzid_has_its_vtimezone(tmp_path: Path) -> None:
    import icalendar

    source = tmp_path / "times.json"
    source.write_text(
        json.dumps(
            {
                "events": [
                    {"id": "a", "date": "2025-01-09T14:30+02:00", "title": "x"},
                    {"id": "b", "date": "2025-01-09T14:30", "title": "y"},
                    {
                        "id": "c",
                        "date": "2025-01-09T14:30-05:00/2025-01-09T16:00-05:00",
                        "title": "z",
                    },
                ]
            }
        )
    )
    data = timeline_cli("print", str(source), "--format", "ics").stdout
    assert "TZID" not in data
    calendar = icalendar.Calendar.from_ical(data)
    defined = {str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")}
    starts = {}
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            if name in event:
                assert event[name].params.get("TZID") in (None, *defined)
        starts[str(event["UID"]).split("@")[0]] = event["DTSTART"].dt
    from datetime import datetime

    assert starts["a"] == datetime(2025, 1, 9, 12, 30, tzinfo=UTC)
    assert starts["c"] == datetime(2025, 1, 9, 19, 30, tzinfo=UTC)
    assert starts["b"] == datetime(2025, 1, 9, 14, 30)  # floating, as written
    # A calendar without our record reads the same instants.
    plain = "\r\n".join(
        line for line in data.split("\r\n") if not line.startswith(("X-TIMELINE", " "))
    )
    back = load_bytes(plain.encode(), "plain.ics").timeline
    assert {e.id: e.date.earliest for e in back}["a"] == load_path(str(source)).timeline.get(
        "a"
    ).date.earliest  # type: ignore[union-attr]


def test_a_european_sheet_from_standard_input_with_decimal_commas() -> None:
    """Semicolons between columns, commas in numbers, a BOM and CRLF, piped in."""
    text = "\ufeffdate;title;lat;lon;place\r\n2025-01-09;Capture in Kursk;51,73;-36,19;Kursk\r\n"
    result = timeline_cli("print", "-", "--format", "json", stdin=text)
    assert result.returncode == 0, result.stderr
    (event,) = json.loads(result.stdout)["events"]
    assert event["place"] == {"name": "Kursk", "lat": 51.73, "lon": -36.19}


def _slide(year: int, headline: str) -> dict[str, Any]:
    return {"start_date": {"year": str(year)}, "text": {"headline": headline}}


def test_timelinejs_slides_keep_their_ids_when_slides_are_added_around_them() -> None:
    """An id comes from the slide's date and headline (a note on it stays with it): two
    slides with one headline on two dates need no suffix, so adding a third moves none."""

    def ids(slides: list[dict[str, Any]]) -> list[str]:
        data = json.dumps({"events": slides}).encode()
        return [e.id for e in load_bytes(data, "t.json").timeline]

    before = ids([_slide(2020, "Protest"), _slide(2022, "Protest")])
    assert before == ["2020-protest", "2022-protest"]
    assert ids([_slide(2019, "Protest"), _slide(2020, "Protest"), _slide(2022, "Protest")]) == [
        "2019-protest",
        *before,
    ]
    sheet = "Year,Month,Day,Headline\n2020,,,Protest\n2022,,,Protest\n"
    earlier = "Year,Month,Day,Headline\n2019,,,Protest\n2020,,,Protest\n2022,,,Protest\n"
    assert [e.id for e in load_bytes(sheet.encode(), "s.csv").timeline] == before
    assert [e.id for e in load_bytes(earlier.encode(), "s.csv").timeline][1:] == before


def test_a_csv_problem_names_the_other_event_by_its_line() -> None:
    """`first used at` says the line of the CSV row (past a cell with a line break), not
    the place in the document the importer made (`$.events[0]`)."""
    data = (
        b'event_id_cnty,event_date,notes\nA,2025-01-09,x\nB,2025-01-10,"two\nlines"\n'
        b"A,2025-01-11,z\n"
    )
    with pytest.raises(LoadError) as caught:
        load_bytes(data, "dup.csv")
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (
        5,
        'event "A": duplicate id, first used at line 2 (column event_id_cnty)',
    )


def test_a_parquet_problem_names_the_other_event_by_its_row(tmp_path: Path) -> None:
    import duckdb

    path = tmp_path / "dup.parquet"
    with duckdb.connect() as connection:
        connection.execute(
            f"COPY (SELECT * FROM (VALUES ('a', '2025', 't'), ('b', '2025', 't'),"
            f" ('a', '2024', 't')) v(id, date, title)) TO '{path}' (FORMAT parquet)"
        )
    with pytest.raises(LoadError) as caught:
        load_path(str(path))
    [problem] = caught.value.problems
    assert (problem.line, problem.message) == (
        3,
        'event "a": duplicate id, first used at row 1 (column id)',
    )


@given(
    st.lists(
        st.tuples(st.booleans(), st.sampled_from(["a", "a-2", "a-3", "a-2-2", "b", "b-2", ""]))
    )
)
def test_made_ids_are_the_first_free_suffix_however_often_a_base_repeats(
    steps: list[tuple[bool, str]],
) -> None:
    """unique remembers where each base's suffixes stand: the same ids as trying -2, -3,
    … from the start each time, with ids given as written (`a-3`) in between."""
    from tui.formats.timelinejs import UsedIds, unique

    used, plain = UsedIds(), set[str]()
    for made, base in steps:
        if not made:  # an id the file gives, taken as it is
            used.add(base)
            plain.add(base)
            continue
        expected, n = base, 2
        while expected in plain:
            expected, n = f"{base}-{n}", n + 1
        plain.add(expected)
        assert unique(base, used) == expected
