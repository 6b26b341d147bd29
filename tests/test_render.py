"""The text format of `timeline print` (DESIGN.md §4), in process: the whole output for
a timeline that has every kind of line, checked line by line."""

from __future__ import annotations

import json

import pytest

from tui.events import Timeline
from tui.loading import load_bytes
from tui.render import cell_width, pad, plain, text_lines, wrap

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
