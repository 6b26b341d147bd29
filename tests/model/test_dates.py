from __future__ import annotations

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from tests.support.dates import whens
from tui.model.dates import (
    DAY,
    DateError,
    Precision,
    When,
    days_from_civil,
    days_in_month,
    month_start,
    parse_when,
)


def test_day_spans_the_whole_day() -> None:
    when = parse_when("2025-01-09")
    assert when.precision == Precision.DAY
    assert when.latest - when.earliest == DAY - 1
    assert when.display() == "9 Jan 2025"


def test_month_spans_every_day_of_the_month_and_never_gains_a_day() -> None:
    when = parse_when("2025-01")
    assert when.precision == Precision.MONTH
    assert when.earliest == parse_when("2025-01-01").earliest
    assert when.latest == parse_when("2025-01-31").latest
    assert when.display() == "Jan 2025"


def test_year_displays_as_a_year_only() -> None:
    assert parse_when("2025").display() == "2025"
    assert parse_when("2024").latest == parse_when("2024-12-31").latest


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2025-01-09~", "c. 9 Jan 2025"),
        ("2025-01-09?", "9 Jan 2025?"),
        ("2025-01-09%", "c. 9 Jan 2025?"),
        ("2024-12~", "c. Dec 2024"),
        ("2025-01-09/2025-01-12", "9–12 Jan 2025"),
        ("2025-01-30/2025-02-02", "30 Jan – 2 Feb 2025"),
        ("2024-12-30/2025-01-02", "30 Dec 2024 – 2 Jan 2025"),
        ("2024-11/2025-01", "Nov 2024 – Jan 2025"),
        ("2025-01-09/..", "from 9 Jan 2025"),
        ("../2025-01", "until Jan 2025"),
        ("2025-01-09T14:30", "9 Jan 2025 14:30"),
        ("2025-01-09T14:30+02:00", "9 Jan 2025 14:30 +02:00"),
        ("-0044-03-15", "15 Mar 45 BCE"),
        ("0000", "1 BCE"),
        ("2025-01-09T14:30Z", "9 Jan 2025 14:30 UTC"),
        ("2025-01-09T14:30+00:00", "9 Jan 2025 14:30 UTC"),
        ("1990/1995", "1990–1995"),
        ("1990/1990-06", "1990 – Jun 1990"),
        ("2025-01-09/2025-01", "9 Jan 2025 – Jan 2025"),
        ("2025-01/2025-01-20", "Jan 2025 – 20 Jan 2025"),
        ("-0044/0010", "45 BCE–10"),
    ],
)
def test_display_follows_precision_and_qualifiers(text: str, shown: str) -> None:
    assert parse_when(text).display() == shown


def test_time_zone_offset_moves_the_instant() -> None:
    assert parse_when("2025-01-09T14:30+02:00").earliest == parse_when("2025-01-09T12:30Z").earliest


def test_bce_dates_sort_before_ce_dates() -> None:
    assert parse_when("-0044-03-15").earliest < parse_when("0001-01-01").earliest


def test_leap_days() -> None:
    for year in (2024, 2000, 1600, -4):  # -4 is 5 BCE: astronomical years leap alike
        day = parse_when(f"{year:05d}-02-29" if year < 0 else f"{year:04d}-02-29")
        assert day.earliest == days_from_civil(year, 2, 29) * DAY
        assert day.latest == days_from_civil(year, 3, 1) * DAY - 1
        february = parse_when(f"{year:05d}-02" if year < 0 else f"{year:04d}-02")
        assert february.latest == day.latest
    for year in (1900, 2023, 2100):
        with pytest.raises(DateError) as caught:
            parse_when(f"{year}-02-29")
        assert caught.value.column == 9
        assert parse_when(f"{year}-02").latest == days_from_civil(year, 3, 1) * DAY - 1


def test_an_interval_may_end_in_the_month_it_starts_in() -> None:
    """`2025-01-09/2025-01`: from the 9th to some day in January, not "ends before it starts"."""
    when = parse_when("2025-01-09/2025-01")
    assert when.earliest == parse_when("2025-01-09").earliest
    assert when.latest == parse_when("2025-01-31").latest
    assert parse_when("2025-01/2025-01-09").latest == parse_when("2025-01-09").latest
    with pytest.raises(DateError):
        parse_when("2025-01-09/2024-12")


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("2025-02-30", "day 30 is out of range for February 2025", 9),
        ("2025-13-01", "month 13 is out of range", 6),
        ("0000-00-00", "month 00 is out of range", 6),
        ("2025-01-09/2024-01-01", "ends (1 Jan 2024) before it starts", 12),
        ("25-01-09", "expected a year", 1),
        ("2025-1-9", "expected a month", 6),
        ("2025-01-09 ", "unexpected space", 1),
        ("2025-01-09T25:00", "hour 25", 12),
        ("2025-01-09x", "unexpected 'x'", 11),
        ("", "empty date", 1),
        ("../..", "at least one known end", 1),
        ("2025/", "interval end is empty", 6),
    ],
)
def test_bad_dates_name_the_problem_and_column(text: str, message: str, column: int) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert message in caught.value.message
    assert caught.value.column == column


@given(whens())
def test_every_date_round_trips_through_its_text(when: When) -> None:
    assert parse_when(when.to_text()) == when


@given(whens())
def test_bounds_are_ordered_and_display_never_fails(when: When) -> None:
    assert when.earliest <= when.latest
    assert when.display()


DATE_ALPHABET = "0123456789-/~?%.T:+Z "


@given(
    st.text(max_size=30)
    | st.text(alphabet=DATE_ALPHABET, max_size=25)
    | whens().map(When.to_text)
    | whens().map(lambda w: w.to_text() + draw_noise(w.to_text()))
)
def test_any_text_parses_or_fails_with_a_column(text: str) -> None:
    try:
        when = parse_when(text)
    except DateError as exc:
        assert 1 <= exc.column <= max(len(text), 1) + 1
    else:
        event("parsed")
        assert parse_when(when.to_text()) == when  # what parses, means what it says
        assert when.earliest <= when.latest


def draw_noise(text: str) -> str:
    """A character that makes a valid date text invalid, or nothing."""
    return "" if len(text) % 3 else "x"


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("26/09/2022", "write 2022-09-26"),
        ("09/26/2022", "write 2022-09-26"),
        ("26.09.2022", "write 2022-09-26"),
        ("2022/09/26", "write 2022-09-26"),
        ("3/4/2022", "either way round); write 2022-03-04 or 2022-04-03"),
    ],
)
def test_a_day_written_by_hand_gets_the_form_to_write(text: str, advice: str) -> None:
    with pytest.raises(DateError) as raised:
        parse_when(text)
    assert advice in str(raised.value) and "dates are written year-month-day" in str(raised.value)
    assert raised.value.column == 1


def test_a_file_with_a_hand_written_day_says_where_and_what_to_write() -> None:
    from tui.model.loading import load_bytes
    from tui.model.problems import LoadError

    with pytest.raises(LoadError) as raised:
        load_bytes(b'{"events": [\n {"id": "a", "date": "26/09/2022", "title": "x"}]}', "f")
    (problem,) = raised.value.problems
    assert "write 2022-09-26" in problem.message and problem.line == 2


@pytest.mark.parametrize(
    "text",
    ["2025", "2025-01", "2025-01-09", "2025-12-31", "2024-02-29", "0001-01-01", "2025-01-09~",
     "2025-01?", "2025%", "2025-01-09/2025-01-12", "9999-12-31"],
)  # fmt: skip
def test_plain_dates_are_read_without_the_scanner(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Most dates in a file are plain: they take the quick path (a million of them load
    in a second), and mean exactly what the scanner would make of them."""
    from tui.model import dates

    expected = parse_when(text)
    monkeypatch.setattr(dates, "_Scanner", None)  # the slow path would fail now
    assert parse_when(text) == expected and parse_when(text).to_text() == text


@pytest.mark.parametrize("text", ["2025-13", "2025-00", "2025-02-30", "2025-01-00", "2023-02-29"])
def test_plain_looking_dates_out_of_range_go_to_the_scanner(text: str) -> None:
    """The quick path takes only valid dates; the scanner says what is wrong."""
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert "out of range" in caught.value.message


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2025-01/2025-03", "Jan–Mar 2025"),
        ("2025-11/2025-12", "Nov–Dec 2025"),
        ("2025-01~/2025-03~", "c. Jan–Mar 2025"),
        ("2025-01-09?/2025-01-12?", "9–12 Jan 2025?"),
        ("2025-01-09~/2025-02-12~", "c. 9 Jan – 12 Feb 2025"),
        ("2025-01-09%/2025-02-12%", "c. 9 Jan – 12 Feb 2025?"),
        ("2025-01-09T10:00/2025-01-09T12:00", "9 Jan 2025 10:00 – 9 Jan 2025 12:00"),
        ("2025-01-09/2025-01-12T12:00", "9 Jan 2025 – 12 Jan 2025 12:00"),
        ("2025-01-09~/2025-01-12", "c. 9 Jan 2025 – 12 Jan 2025"),
    ],
)
def test_ranges_share_what_their_ends_share(text: str, shown: str) -> None:
    assert parse_when(text).display() == shown


@pytest.mark.parametrize("month", range(1, 13))
def test_the_days_of_each_month(month: int) -> None:
    days = {2: 28, 4: 30, 6: 30, 9: 30, 11: 30}.get(month, 31)
    assert days_in_month(2025, month) == days
    parse_when(f"2025-{month:02d}-{days:02d}")
    with pytest.raises(DateError):
        parse_when(f"2025-{month:02d}-{days + 1:02d}")


@given(st.integers(-9999, 9999), st.integers(1, 12), st.integers(1, 31))
@example(0, 3, 1)
@example(100, 3, 1)
@example(400, 2, 29)
@example(1600, 12, 31)
@example(1700, 3, 1)
@example(2000, 2, 29)
@example(2100, 3, 1)
@example(-400, 1, 1)
@example(-401, 12, 31)
def test_days_and_civil_dates_convert_both_ways(year: int, month: int, day: int) -> None:
    from tui.model.dates import civil_from_seconds

    day = min(day, days_in_month(year, month))
    days = days_from_civil(year, month, day)
    assert civil_from_seconds(days * DAY) == (year, month, day)
    assert civil_from_seconds(days * DAY + DAY - 1) == (year, month, day)  # the last second
    assert days_from_civil(*civil_from_seconds((days + 1) * DAY)) == days + 1


def test_decoded_dates_are_parsed_once_and_shared() -> None:
    from tui.model.dates import decode_hook

    first = decode_hook(When, "2031-07-04~")
    assert isinstance(first, When) and first == parse_when("2031-07-04~")
    assert decode_hook(When, "2031-07-04~") is first  # one object for each distinct text
    with pytest.raises(ValueError, match="expected a date string, found int"):
        decode_hook(When, 2031)
    with pytest.raises(ValueError, match="month 13 is out of range"):
        decode_hook(When, "2031-13")
    with pytest.raises(NotImplementedError):
        decode_hook(int, "2031")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025-01-09T", "the end"),
        ("2025-01-09xyzxyzxyzxyzxyz", "unexpected 'xyzxyzxyzxyz…'"),
        ("2025-01-09xyzxyzxyzxyz", "unexpected 'xyzxyzxyzxyz'"),
    ],
)
def test_an_error_quotes_what_follows_up_to_twelve_characters(text: str, message: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert message in caught.value.message


@pytest.mark.parametrize(
    ("text", "advice"),
    [
        ("12/31/2022", "write 2022-12-31"),  # only month/day/year makes a date
        ("31/12/2022", "write 2022-12-31"),
        ("1/1/2022", "write 2022-01-01"),  # both readings the same day: no "either way"
        ("10/11/2022", "either way round); write 2022-10-11 or 2022-11-10"),
        ("01/12/2022", "either way round); write 2022-01-12 or 2022-12-01"),
    ],
)
def test_a_hand_written_day_offers_each_reading_that_is_a_date(text: str, advice: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert caught.value.message.endswith(advice)
    assert ("either way round" in caught.value.message) == ("either" in advice)


@pytest.mark.parametrize("text", ["13/13/2022", "31/04/2022", "00/01/2022", "2022/13/01"])
def test_a_hand_written_shape_that_is_no_date_gets_no_advice(text: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert "write" not in caught.value.message


@pytest.mark.parametrize(
    ("text", "message", "column"),
    [
        ("", "empty date", 1),
        (" 2025", "unexpected space around the date", 1),
        ("2025-01/2025-02/2025-03", "an interval has one '/'", 16),
        ("../..", "an interval needs at least one known end", 1),
        ("2025/", "an interval end is empty (write '..' for an open end)", 6),
        ("/2025", "an interval end is empty (write '..' for an open end)", 1),
        ("20250", "years have four digits", 1),
        ("-20250", "years have four digits", 2),
        ("2025/-20250", "years have four digits", 7),
        ("25-01", "expected a year (4 digits), found '25-01'", 1),
        ("2025-01-1", "expected a day (2 digits), found '1'", 9),
        ("2025-13", "month 13 is out of range (01-12)", 6),
        ("2025-02-30", "day 30 is out of range for February 2025 (01-28)", 9),
        ("2025-01-09T1", "expected an hour (2 digits), found '1'", 12),
        ("2025-01-09Tab", "expected an hour (2 digits), found 'ab'", 12),
        ("2025-01-09T10", "expected ':' after the hour, found the end", 14),
        ("2025-01-09T10:6", "expected minutes (2 digits), found '6'", 15),
        ("2025-01-09T10:60", "minute 60 is out of range (00-59)", 15),
        ("2025-01-09T10:59:6", "expected seconds (2 digits), found '6'", 18),
        ("2025-01-09T10:59:60", "second 60 is out of range (00-59)", 18),
        ("2025-01-09T24:00", "hour 24 is out of range (00-23)", 12),
        ("2025-01-09T10:00+1", "expected an offset's hours (2 digits), found '1'", 18),
        ("2025-01-09T10:00+14", "expected ':' in the time zone offset", 20),
        ("2025-01-09T10:00+14:3", "expected an offset's minutes (2 digits), found '3'", 21),
        ("2025-01-09T10:00+15:00", "time zone offset is out of range (-14:00 to +14:00)", 18),
        ("2025-01-09T10:00+14:01", "time zone offset is out of range (-14:00 to +14:00)", 18),
        ("2025-01-09T10:00-14:01", "time zone offset is out of range (-14:00 to +14:00)", 18),
        ("2025-01-09T10:00+10:60", "time zone offset is out of range (-14:00 to +14:00)", 18),
        ("2025-01-09T10:00Q", "unexpected 'Q' after the date", 17),
        ("2025-01-09T10:00ZQ", "unexpected 'Q' after the date", 18),
        ("2025~Q", "unexpected 'Q' after the date", 6),
        ("2025-01~Q", "unexpected 'Q' after the date", 9),
        ("2025-01-09T10-", "expected ':' after the hour, found '-'", 14),
        ("2025-13/2026", "month 13 is out of range (01-12)", 6),
        ("2025/2026/2027/2028", "an interval has one '/'", 10),
        ("29/02/2023", "an interval has one '/'", 6),  # no reading is a real day
        ("29/02/2024", '"29/02/2024": dates are written year-month-day; write 2024-02-29', 1),
        ("25/12/2024", '"25/12/2024": dates are written year-month-day; write 2024-12-25', 1),
        ("2025-02/2025-01", "the interval ends (Jan 2025) before it starts (Feb 2025)", 9),
        ("abcdefghijklmnopqrstuvwxyz", "expected a year (4 digits), found 'abcdefghijkl…'", 1),
        ("abcdefghijklm", "expected a year (4 digits), found 'abcdefghijkl…'", 1),
        ("abcdefghijkl", "expected a year (4 digits), found 'abcdefghijkl'", 1),
    ],
)
def test_each_date_error_says_exactly_what_and_where(text: str, message: str, column: int) -> None:
    with pytest.raises(DateError) as caught:
        parse_when(text)
    assert (caught.value.message, caught.value.column) == (message, column)


def test_a_date_that_is_not_a_string_says_what_it_is() -> None:
    with pytest.raises(DateError) as caught:
        parse_when(2025)  # type: ignore[arg-type]
    assert (caught.value.message, caught.value.column) == ("expected a date string, found int", 1)


@pytest.mark.parametrize(
    ("text", "written", "shown"),
    [
        ("2025-01-09T10:00+10:59", "2025-01-09T10:00+10:59", "9 Jan 2025 10:00 +10:59"),
        ("2025-01-09T10:00-14:00", "2025-01-09T10:00-14:00", "9 Jan 2025 10:00 -14:00"),
        ("2025-01-09T10:00+00:01", "2025-01-09T10:00+00:01", "9 Jan 2025 10:00 +00:01"),
        ("2025-01-09T10:00-00:30", "2025-01-09T10:00-00:30", "9 Jan 2025 10:00 -00:30"),
        ("2025-01-09T10:00+00:00", "2025-01-09T10:00Z", "9 Jan 2025 10:00 UTC"),
        ("2025-01-09T10:59:59Z", "2025-01-09T10:59:59Z", "9 Jan 2025 10:59:59 UTC"),
        ("2025-01-09T10:00:05", "2025-01-09T10:00:05", "9 Jan 2025 10:00:05"),
        ("2025-01-09T10:00", "2025-01-09T10:00", "9 Jan 2025 10:00"),
        ("0000", "0000", "1 BCE"),
        ("0001", "0001", "1"),
        ("-0001", "-0001", "2 BCE"),
        (
            "2025-01-09T10:00:00Z/2025-01-09T10:00:00Z",  # ends as it starts: allowed
            "2025-01-09T10:00:00Z/2025-01-09T10:00:00Z",
            "9 Jan 2025 10:00:00 UTC – 9 Jan 2025 10:00:00 UTC",
        ),
    ],
)
def test_times_offsets_and_early_years_are_written_and_shown_as_given(
    text: str, written: str, shown: str
) -> None:
    when = parse_when(text)
    assert (when.to_text(), when.display()) == (written, shown)


def test_an_open_start_is_filed_under_its_end() -> None:
    for text in ("../2025-03", "2025-03/.."):
        when = parse_when(text)
        assert (when.year(), when.month(), when.filed) == (2025, 3, 202503)
    year = parse_when("2025")
    assert (year.month(), year.filed, year.span) == (None, 202500, 365 * 86400 - 1)
    assert hash(parse_when("2025")) == hash(parse_when("2025"))
    assert hash(parse_when("2025")) != hash(parse_when("2024"))


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("2025-01-09~/2025-01-12~", "c. 9–12 Jan 2025"),
        ("2025-01-09?/2025-01-12?", "9–12 Jan 2025?"),
        ("2025-01-09%/2025-01-12%", "c. 9–12 Jan 2025?"),
        ("2025-01~/2025-03~", "c. Jan–Mar 2025"),
        ("2025-01?/2025-03?", "Jan–Mar 2025?"),
        ("2024~/2025~", "c. 2024–2025"),
        ("2024?/2025?", "2024–2025?"),
        ("2024-12/2025-02", "Dec 2024 – Feb 2025"),
    ],
)
def test_a_shared_range_keeps_its_qualifiers(text: str, shown: str) -> None:
    assert parse_when(text).display() == shown


def test_month_start_carries_months_past_december_into_years() -> None:
    assert month_start(2024, 14) == parse_when("2025-02").earliest
    assert month_start(0, 2025 * 12 + 1) == parse_when("2025-01").earliest
    assert month_start(2025, 1) == parse_when("2025-01-01").earliest


def test_an_interval_sorts_by_its_start_and_a_finer_date_first() -> None:
    interval = parse_when("2024/2025")
    assert interval.sort_start == parse_when("2024").earliest
    assert interval.filed == 202400
    day, month = parse_when("2025-01-01"), parse_when("2025-01")
    assert day.sort_key < month.sort_key
    assert month.span == 31 * 86400 - 1
