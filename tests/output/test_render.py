"""The text format of `timeline print` (DESIGN.md §4), in process: the whole output for
a timeline that has every kind of line, checked line by line."""

from __future__ import annotations

import json

import pytest

from tui.model.events import Timeline
from tui.model.loading import load_bytes
from tui.output.render import cell_width, pad, plain, text_lines, wrap

DOCUMENT = {
    "title": "A test story with a title long enough to wrap at forty",
    "events": [
        {"id": "a", "date": "2024-06", "title": "Month event", "status": "claimed",
         "claimed_by": ["Kyiv", "Seoul"]},
        {"id": "b", "date": "2024-06-05~", "title": "About a day", "reported": "2024-06-07"},
        {"id": "c", "date": "2024-06-05/2024-07-20", "status": "confirmed",
         "title": "A long interval whose title wraps over two lines at least"},
        {"id": "d", "date": "2025-01-09", "title": "서울 wide title", "status": "denied"},
        {"id": "e", "date": "2025", "title": "Year only", "status": "context"},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def story() -> Timeline:
    return load_bytes(json.dumps(DOCUMENT).encode(), "f").timeline


def lines(timeline: Timeline, positions: list[int], width: int, reverse: bool = False) -> list[str]:
    return [plain(line) for line in text_lines(timeline, positions, width, reverse)]


def test_the_whole_text_of_a_timeline(story: Timeline) -> None:
    assert lines(story, list(range(5)), 60) == [
        "A test story with a title long enough to wrap at forty",
        "5 events · Jun 2024 – 2025",
        "",
        "2024",
        "  Jun 2024           claimed     Month event",
        "                                 by Kyiv, Seoul",
        "  c. 5 Jun 2024      not stated  About a day",
        "                                 known 7 Jun 2024",
        "   5 Jun – 20 Jul 2024",  # wider than the date column: a line of its own
        "                     confirmed   A long interval whose title",
        "                                 wraps over two lines at",
        "                                 least",
        "",
        "2025",
        "  2025               context     Year only",
        "   9 Jan 2025        denied      서울 wide title",
    ]


def test_a_filtered_and_reversed_timeline(story: Timeline) -> None:
    assert lines(story, [0, 4], 40, reverse=True) == [
        "A test story with a title long enough to",
        "wrap at forty",
        "2 of 5 events · Jun 2024 – 9 Jan 2025",
        "",
        "2025",
        "   9 Jan 2025   denied     서울 wide title",
        "",
        "2024",
        "  Jun 2024      claimed    Month event",
        "                           by Kyiv, Seoul",
    ]


def test_no_events_is_the_title_and_the_count(story: Timeline) -> None:
    assert lines(story, [], 60) == [DOCUMENT["title"], "0 of 5 events"]
    one = load_bytes(b'{"events": [{"id": "a", "date": "2025", "title": "x"}]}', "f").timeline
    assert lines(one, [0], 60)[:2] == ["Timeline", "1 event · 2025"]


def test_styles_follow_the_status(story: Timeline) -> None:
    rows = list(text_lines(story, [0], 60))
    (status_span,) = [span for span in rows[4] if span[0].strip() == "claimed"]
    assert status_span[1] == "bold yellow"


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("one two three", 7, ["one two", "three"]),
        ("one two three", 13, ["one two three"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),  # a word wider than the line is broken
        ("서울 서울", 4, ["서울", "서울"]),  # by cells, not characters
        ("", 10, [""]),
        ("  spaced   out  ", 20, ["spaced out"]),
    ],
)
def test_wrap_by_cells(text: str, width: int, expected: list[str]) -> None:
    assert wrap(text, width) == expected


def test_widths_in_cells() -> None:
    assert cell_width("abc") == 3 and cell_width("서울") == 4 and cell_width("e\u0301") == 1
    assert pad("서", 4) == "서  " and pad("abcdef", 3) == "abcdef"


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("aa bb", 5, ["aa bb"]),  # an exact fit stays on one line
        ("aa bb cc", 5, ["aa bb", "cc"]),
        ("aaaaa bbbbb", 5, ["aaaaa", "bbbbb"]),  # a word as wide as the line is not broken
        ("aaaa b", 6, ["aaaa b"]),
        ("abcdefgh", 4, ["abcd", "efgh"]),  # broken exactly: no empty line after
        ("ab", 1, ["a", "b"]),
        ("서울", 1, ["서", "울"]),  # a character wider than the line still moves on
        ("a abcdefgh", 4, ["a", "abcd", "efgh"]),
        ("abcdef g", 4, ["abcd", "ef g"]),
    ],
)
def test_wrap_at_the_edges(text: str, width: int, expected: list[str]) -> None:
    assert wrap(text, width) == expected


def test_the_spans_carry_the_styles(story: Timeline) -> None:
    """On a terminal the styles become colour: each kind of span has its own."""
    rows = list(text_lines(story, list(range(5)), 60))
    assert rows[0] == [(DOCUMENT["title"], "bold")]
    assert rows[1] == [("5 events · Jun 2024 – 2025", "dim")]
    assert rows[2] == [] and rows[3] == [("2024", "bold underline")]
    assert rows[4] == [
        ("  Jun 2024           ", "bold"),
        ("claimed   ", "bold yellow"),
        ("  ", ""),
        ("Month event", ""),
    ]
    assert rows[5] == [(" " * 33 + "by Kyiv, Seoul", "dim")]
    assert rows[8] == [("   5 Jun – 20 Jul 2024", "bold")]
    assert rows[10] == [(" " * 33 + "wraps over two lines at", "")]


def test_the_second_line_says_who_claims_it_and_when_it_became_known() -> None:
    both = {"id": "a", "date": "2025-01-09", "title": "x", "claimed_by": ["NIS"],
            "reported": "2025-01-11"}  # fmt: skip
    same = {"id": "b", "date": "2025-01-10", "title": "y", "reported": "2025-01-10"}
    timeline = load_bytes(json.dumps({"events": [both, same]}).encode(), "f").timeline
    text = [plain(line) for line in text_lines(timeline, [0, 1], 60)]  # reverse left out
    assert text[5].strip() == "by NIS · known 11 Jan 2025"
    assert text[6].strip().endswith("y") and len(text) == 7  # reported as the date: no line


def test_months_of_one_year_get_month_headings_and_a_narrow_title_keeps_20_cells() -> None:
    events = [  # more than MONTH_HEADINGS_AFTER events in a year: headings by month
        {"id": "a", "date": "2025-01-09", "title": "one two three four aaaaaaaaaa bbbbbbbbbb"},
        *({"id": f"b{i}", "date": "2025-01-12", "title": "x"} for i in range(4)),
        {"id": "c", "date": "2025-02-01", "title": "y"},
    ]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "f").timeline
    text = [plain(line) for line in text_lines(timeline, range(6), 30)]
    assert "2025 January" in text and "2025 February" in text
    title = [line.strip() for line in text if line.startswith(" " * 28)]
    # The title's column is 20 cells even where the width leaves it less: 21 would not
    # break "aaaaaaaaaa bbbbbbbbbb".
    assert title == ["aaaaaaaaaa", "bbbbbbbbbb"]


def test_notes_history_and_the_status_known_on_a_day_under_each_event() -> None:
    from tui.model.dates import DAY, days_from_civil
    from tui.model.sidecar import Annotation

    document = {
        "events": [
            {
                "id": "a",
                "date": "2025-01-09",
                "title": "Capture",
                "status": "confirmed",
                "history": [
                    {"date": "2025-01-11", "status": "reported", "by": ["Kyiv"]},
                    {"date": "2025-01-12", "status": "confirmed", "note": "by  NIS\nnow"},
                ],
            },
            {"id": "b", "date": "2025-01-10", "title": "Other", "status": "claimed"},
        ]
    }
    timeline = load_bytes(json.dumps(document).encode(), "f").timeline
    mine = {"a": Annotation("Ask\x1b[31m the SBU\nagain", True, ("verify", "x\x07y"))}
    rows = list(text_lines(timeline, [0, 1], 60, annotations=mine, history=True))
    assert [plain(row) for row in rows][2:] == [
        "",
        "2025",
        "   9 Jan 2025   confirmed  Capture",
        "                           history: 11 Jan 2025 reported by",
        "                           Kyiv → 12 Jan 2025 confirmed (by",
        "                           NIS now)",
        "                           ★ starred · labels: verify, xy",
        "                           your note: Ask the SBU again",
        "  10 Jan 2025   claimed    Other",
    ]
    assert [style for _, style in rows[8]] == ["yellow"] and rows[5][0][1] == "dim"
    end_of_11 = (days_from_civil(2025, 1, 11) + 1) * DAY
    then = [plain(row) for row in text_lines(timeline, [0], 60, as_of=end_of_11)]
    assert then[-1] == "   9 Jan 2025   reported   Capture"
    assert "history" not in "".join(then)
