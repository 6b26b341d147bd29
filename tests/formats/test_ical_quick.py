"""The quick iCalendar reader gives what the `icalendar` library's route gives, for any
calendar; it takes the common shape itself and leaves the rest to the library."""

from __future__ import annotations

import json
from datetime import date, datetime

from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from tests.conftest import BUNDLED, ROOT
from tui.formats import ical, ical_quick
from tui.model.loading import load_path

SAMPLES = ROOT / "tests" / "data" / "samples"

TEXT = st.text(st.sampled_from(list('ab ,;:\\"\tn\n\rNé한😀')), max_size=12)


def escaped(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def text_value(draw: st.DrawFn) -> str:
    """As a writer escapes it, or (now and then) as a careless one leaves it."""
    text = draw(TEXT)
    return escaped(text) if draw(st.booleans()) else text.replace("\n", "").replace("\r", "")


ODD = {
    "a time zone": ["DTSTART;TZID=Europe/Kyiv:20230101T120000"],
    "a duration": ["DTSTART:20230101T120000Z", "DURATION:PT1H"],
    "a summary twice": ["SUMMARY:once", "SUMMARY:twice"],
    "a place twice": ["GEO:1;2", "GEO:3;4"],
    "a start twice": ["DTSTART:20200101", "DTSTART:20200102"],
    "a lower-case name": ["summary:lower"],
    "a line without a colon": ["BAD LINE"],
    "a quoted parameter": ['DESCRIPTION;ALTREP="cid:x":text'],
    "a parameter on a text": ["SUMMARY;LANGUAGE=en:text"],
    "an alarm": ["BEGIN:VALARM", "DESCRIPTION:alarm", "END:VALARM"],
    "a place that is no number": ["GEO:1;x"],
    "a place of one number": ["GEO:1.5"],
    "no such day": ["DTSTART:20230230"],
    "a year alone": ["DTSTART:2023"],
    "a time of day alone": ["DTEND;VALUE=DATE:230101"],
    "a time without seconds": ["DTSTART:20230101T2500"],
    "a record twice": ['X-TIMELINE-EVENT:{"id": "a"}', 'X-TIMELINE-EVENT:{"id": "b"}'],
}
"""What the quick reader leaves to the library, one kind to a calendar."""
ODD_OUTSIDE = {
    "a to-do": ["BEGIN:VTODO", "SUMMARY:a to-do", "END:VTODO"],
    "a start on the calendar": ["DTSTART:2023"],
    "a method": ["METHOD:PUBLISH"],
    "a refresh interval": ["NAME:A name", "REFRESH-INTERVAL;VALUE=DURATION:PT1440M"],
    "a refresh interval that is none": ["REFRESH-INTERVAL;VALUE=DURATION:soon"],
    "a time zone on the calendar": ["X-WR-TIMEZONE:Asia/Seoul"],
}


def name_of(line: str) -> str:
    return line.split(":")[0].split(";")[0].upper()


@st.composite
def calendars(draw: st.DrawFn) -> str:
    odd = draw(st.sampled_from([*[None] * 12, *ODD, *ODD_OUTSIDE]))
    event(f"odd: {odd}")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//test//EN"]
    if draw(st.booleans()):
        lines.append("X-WR-CALNAME:" + text_value(draw))
    if draw(st.integers(0, 4)) == 0:
        lines.append("X-TIMELINE-FILE:" + json.dumps({"title": draw(TEXT), "events": [1]}))
    lines.extend(ODD_OUTSIDE.get(odd or "", []))
    days = st.dates(min_value=date(1000, 1, 1)).map(lambda d: d.strftime("%Y%m%d"))
    times = st.datetimes(min_value=datetime(1000, 1, 1)).map(lambda d: d.strftime("%Y%m%dT%H%M%S"))
    for number in range(draw(st.integers(int(odd in ODD), 4))):
        lines.append("BEGIN:VEVENT")
        optional: list[str] = []
        if draw(st.booleans()):
            optional.append("UID:" + text_value(draw))
        for name in ("SUMMARY", "DESCRIPTION", "LOCATION", "URL"):
            if draw(st.booleans()):
                optional.append(f"{name}:" + text_value(draw))
        if draw(st.booleans()):
            lat = draw(st.floats(-90, 90, allow_nan=False))
            optional.append(f"GEO:{lat};{-lat}")
        for _ in range(draw(st.integers(0, 2))):
            optional.append("CATEGORIES:" + ",".join(text_value(draw) for _ in range(2)))
        for name in ("DTSTART", "DTEND"):
            form = draw(st.integers(0, 3))
            if form == 1:
                optional.append(f"{name};VALUE=DATE:{draw(days)}")
            elif form == 2:
                optional.append(f"{name}:{draw(days)}")
            elif form == 3:
                optional.append(f"{name}:{draw(times)}{draw(st.sampled_from(['', 'Z']))}")
        if draw(st.integers(0, 2)) == 0:
            record = draw(
                st.sampled_from(['{"id": "x", "date": "2024", "title": "t"}', "{not json", "NaN"])
            )
            optional.append("X-TIMELINE-EVENT:" + record)
        items = [[line] for line in optional]
        if number == 0 and odd in ODD:
            # Alone of its name, and with no record, which would be read instead.
            taken = {name_of(line) for line in ODD[odd]} | {"X-TIMELINE-EVENT", "DTEND"}
            items = [[line] for line in optional if name_of(line) not in taken]
            items.append(ODD[odd])
        lines.extend(line for item in draw(st.permutations(items)) for line in item)
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    text = newline.join(lines) + newline
    # Folded anywhere (a writer folds at 75 octets; a careless one, anywhere), with the
    # calendar's own line break, or with any.
    same = [newline + " ", newline + "\t"]
    folds = same if draw(st.booleans()) else ["\r\n ", "\n ", "\r\n\t"]
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(1, len(text) - 1))
        text = text[:at] + draw(st.sampled_from(folds)) + text[at:]
    if odd is None and draw(st.integers(0, 5)) == 0:  # an empty line (the library's fold)
        text = text.replace(newline + "BEGIN:VEVENT", newline + newline + "BEGIN:VEVENT")
    return text


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars())
def test_any_calendar_reads_as_through_the_library(text: str) -> None:
    event("quick" if ical_quick.read(text.encode()) is not None else "library")
    assert ical.from_ics(text.encode()) == ical._from_ics_library(text)


@given(
    st.lists(st.sampled_from(["\r", "\n", "\r\n", " ", "\t", "a", "é", "\r\n ", "\n\t"])).map(
        "".join
    )
)
@example("\r")  # a CR at the very end is no line end
@example("a\r\n b\r\n\tc\r\n")
@example("a\n b\n\n c")
@example("\r\r\n \n\t")  # a fold taken out makes one of a kind already taken out
def test_lines_are_unfolded_and_split_as_the_library_does(text: str) -> None:
    from icalendar.parser.content_line import NEWLINE, UFOLD

    library = [line.encode() for line in NEWLINE.split(UFOLD.sub("", text))]
    assert ical_quick._content_lines(text.encode()) == library


@given(st.text(st.sampled_from(list("\\,;:nNtaé\n "))))
@example("\\\\n")
@example("a\\\\,b\\,c")
def test_values_are_unescaped_and_split_as_the_library_does(raw: str) -> None:
    from icalendar.parser.property import split_on_unescaped_comma, unescape_backslash

    assert ical_quick.unescaped(raw) == unescape_backslash(raw)
    assert ical_quick.split_categories(raw) == split_on_unescaped_comma(raw)


LINE_PIECES = st.sampled_from(
    [
        "BEGIN:VEVENT", "begın:vevent", "Begin:VEvent", "BEGIN:VEV", "ENT", "BEGIN",
        " ", "\t", "\xa0", "\u3000", "\x1f", "x", "é", "😀",
        "\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x1e", "\x85", "\u2028", "\u2029",
    ]
)  # fmt: skip


@given(st.lists(LINE_PIECES).map("".join))
@example("x\rBEGIN:VEVENT\nBEGIN:VEVENT")
@example("x\u2028BEGIN:VEVENT")
@example("\u3000begın:vevent\r\n")
def test_the_lines_of_a_calendars_events_are_found_in_its_bytes_as_in_its_text(
    text: str,
) -> None:
    """What `str.splitlines`, `strip` and `upper` make a BEGIN:VEVENT line, found in the
    bytes (the quick route's way, a part at a time) or in the text (the library's)."""
    whole = ical_quick._PART
    try:
        for part in (whole, 9, 2):  # a line cut between parts, anywhere
            ical_quick._PART = part  # type: ignore[misc]
            found = ical_quick.begin_lines_of_bytes(text.encode())
            assert found == ical_quick.begin_lines_of_text(text)
    finally:
        ical_quick._PART = whole  # type: ignore[misc]


def test_our_own_export_and_a_plain_calendar_take_the_quick_route() -> None:
    loaded = load_path(str(BUNDLED))
    exported = ical.to_calendar(loaded.timeline, range(len(loaded.timeline)))[0].decode()
    holidays = (SAMPLES / "icalendar-holidays.ics").read_text(encoding="utf-8")
    # As spatie/icalendar-generator writes one (RFC 7986's NAME and REFRESH-INTERVAL).
    generated = "\n".join(
        [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:spatie/icalendar-generator",
            "NAME:Производственный календарь",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1440M",
            "X-PUBLISHED-TTL:PT1440M",
            "BEGIN:VEVENT",
            "UID:e2577e1f36fb0785f24f2a886dd25095",
            "DTSTAMP:20130101T000000Z",
            "SUMMARY:Новогодние каникулы (в ред. Федераль",
            " ного закона от 23.04.2012 № 35-ФЗ)",
            "DTSTART;VALUE=DATE:20130101",
            "DTEND;VALUE=DATE:20130107",
            "END:VEVENT",
            "END:VCALENDAR",
            "",
        ]
    )
    for text in (exported, holidays, exported.replace("\r\n", "\n"), generated):
        assert ical_quick.read(text.encode()) is not None
        assert ical.from_ics(text.encode()) == ical._from_ics_library(text)
    assert len(ical.from_ics(exported.encode()).document["events"]) == len(loaded.timeline)


def test_a_date_property_the_library_reads_as_no_date_is_an_error_not_a_crash() -> None:
    def calendar(*lines: str) -> str:
        return "\r\n".join(
            ["BEGIN:VCALENDAR", "BEGIN:VEVENT", *lines, "END:VEVENT", "END:VCALENDAR"]
        )

    cases = {
        # "230101" is a time of day to the library (a year 23 written without its zeros)
        calendar("DTSTART;VALUE=DATE:20000101", "DTEND;VALUE=DATE:230101"): 'DTEND "230101"',
        calendar("DTSTART:20000101T000000Z/PT1H"): 'DTSTART "20000101T000000Z/PT1H"',
    }
    twice = {
        calendar("DTSTART:20000101", "DTSTART:20000102"): 'DTSTART is given 2 times ("20000101"',
        calendar("DTSTART:20000101", "GEO:1;2", "GEO:3;4"): 'GEO is given 2 times ("1.0;2.0"',
    }
    for text, shown in [*cases.items(), *twice.items()]:
        imported = ical.from_ics(text.encode())
        assert imported.document["events"] == []
        [problem] = imported.problems
        said = f"event 1: {shown} is not a valid" if text in cases else f"event 1: {shown}"
        assert problem.message.startswith(said), problem.message
        assert problem.line == 2


def test_a_text_given_twice_is_read_once_with_a_warning() -> None:
    """The library holds a text given twice as a list of both: its repr was the title."""
    lines = ["BEGIN:VCALENDAR", "BEGIN:VEVENT", "UID:u1", "DTSTART:20250109", "SUMMARY:Captured"]
    lines += ["SUMMARY:Second", "URL:https://a.example", "URL:https://b.example", "END:VEVENT"]
    text = "\r\n".join([*lines, "END:VCALENDAR", ""])
    imported = ical.from_ics(text.encode())
    [event] = imported.document["events"]
    assert event["title"] == "Captured" and event["sources"] == [{"url": "https://a.example"}]
    assert [(p.severity.value, p.message, p.line) for p in imported.problems] == [
        (
            "warning",
            'event 1: SUMMARY is given 2 times ("Captured", "Second"); the first is used',
            2,
        ),
        (
            "warning",
            'event 1: URL is given 2 times ("https://a.example", "https://b.example");'
            " the first is used",
            2,
        ),
    ]
