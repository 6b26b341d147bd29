"""Nothing is known before its whole date has passed (DESIGN.md §1): `asof:` and replay
count an event as public once the whole interval of its `reported` (else its `date`)
is over."""

from __future__ import annotations

import pytest

from tui.model.dates import DAY, civil_from_seconds
from tui.model.events import Event, Timeline
from tui.model.loading import load_bytes
from tui.model.query import parse_query


def one(date: str, reported: str | None = None) -> Timeline:
    extra = f', "reported": "{reported}"' if reported else ""
    data = f'{{"events": [{{"id": "e", "date": "{date}", "title": "x"{extra}}}]}}'
    return load_bytes(data.encode(), "f").timeline


def known_on(timeline: Timeline, day: str) -> bool:
    return bool(parse_query(f"asof:{day}").filter(timeline))


@pytest.mark.parametrize(
    ("date", "reported", "last_unknown", "first_known"),
    [
        ("2023-03", None, "2023-03-30", "2023-03-31"),  # a vote late in March
        ("2024-12~", None, "2024-12-30", "2024-12-31"),
        ("2024-12?", None, "2024-12-30", "2024-12-31"),
        ("2024", None, "2024-12-30", "2024-12-31"),
        ("2025-01-09/2025-01-12", None, "2025-01-11", "2025-01-12"),
        ("2025-01-09/2025-01", None, "2025-01-30", "2025-01-31"),
        ("2025-01-09", None, "2025-01-08", "2025-01-09"),
        ("2025-01-09T23:30+00:00", None, "2025-01-08", "2025-01-09"),
        ("2025-01-09", "2025-01-11", "2025-01-10", "2025-01-11"),
        ("2025-01-09", "2025-02", "2025-02-27", "2025-02-28"),  # reported: its whole month
        ("2022-02-24/..", None, "2022-02-23", "2022-02-24"),  # going on: known it began
        ("../2022-02-24", None, "2022-02-23", "2022-02-24"),
        ("-0044-03", None, "-0044-03-30", "-0044-03-31"),
    ],
)
def test_asof_counts_an_event_once_its_whole_date_has_passed(
    date: str, reported: str | None, last_unknown: str, first_known: str
) -> None:
    timeline = one(date, reported)
    assert not known_on(timeline, last_unknown)
    assert known_on(timeline, first_known)


def test_replay_steps_to_the_last_day_of_a_month_precision_event() -> None:
    timeline = one("2023-03")
    (day,) = timeline.known_days
    assert civil_from_seconds(day * DAY) == (2023, 3, 31)


def test_a_timed_event_is_known_at_the_end_of_its_minute() -> None:
    (event,) = one("2025-01-09T14:30+00:00").events
    assert isinstance(event, Event)
    assert event.known_from % DAY == (14 * 60 + 31) * 60 - 1
