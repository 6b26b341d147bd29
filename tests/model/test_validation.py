"""What a file may say that is accepted yet wrong: each is an error or a warning, with
its line and column, from either loader (issue: the first hour of a new user)."""

from __future__ import annotations

import pytest

from tui.model.loading import LoadOptions, load_bytes
from tui.model.problems import LoadError, Problem, Severity


def problems(text: str, **options: bool) -> list[Problem]:
    try:
        return load_bytes(text.encode(), "f.json", options=LoadOptions(**options)).warnings
    except LoadError as exc:
        return exc.problems


def one(text: str) -> Problem:
    """The one warning the text has, the same whichever loader reads it (the fast one
    hands such a file to the full one, which `skip_bad` always takes)."""
    (problem,) = problems(text)
    (again,) = problems(text, skip_bad=True)
    assert (problem.message, problem.line, problem.column) == (
        again.message,
        again.line,
        again.column,
    )
    return problem


def column_of(text: str, value: str) -> int:
    return text.index(value) + 1


def test_a_key_given_twice_is_a_warning_at_the_second_and_the_last_is_used() -> None:
    text = (
        '{"events": [\n {"id": "a", "date": "2025-01-09",\n  "date": "2025-01-10", "title": "x"}]}'
    )
    problem = one(text)
    assert problem.severity == Severity.WARNING
    assert problem.message == "`date` is given twice in this object; the last one is used"
    assert (problem.line, problem.column) == (3, 3)
    timeline = load_bytes(text.encode(), "f").timeline
    assert timeline[0].date.to_text() == "2025-01-10"


def test_a_top_level_key_given_twice_is_found_too() -> None:
    text = '{"title": "A", "events": [], "title": "B"}'
    (problem,) = problems(text)
    assert "`title` is given twice" in problem.message and problem.column == 30


@pytest.mark.parametrize("title", ['""', '"   "'])
def test_an_empty_title_is_an_error(title: str) -> None:
    text = '{"events": [{"id": "a", "date": "2025", "title": ' + title + "}]}"
    (problem,) = problems(text)
    assert problem.severity == Severity.ERROR and problem.message.endswith("`title` is empty")
    assert problem.column == column_of(text, title + "}")


def test_an_event_related_to_itself_is_a_warning() -> None:
    text = '{"events": [{"id": "a", "date": "2025", "title": "x", "related": [{"id": "a"}]}]}'
    problem = one(text)
    assert problem.severity == Severity.WARNING
    assert problem.message == 'event "a": related id "a" is the event itself'
    assert problem.path == "$.events[0].related[0].id"
    assert problem.column == column_of(text, '"a"}]')


@pytest.mark.parametrize(
    ("date", "reported", "warned"),
    [
        ("2025-01-09", "2025-01-02", True),
        ("2025-01-09", "2024-12", True),
        ("2025-01-09", "2025-01", False),  # the month holds the day: it may be after
        ("2025-01-09", "2025-01-09", False),
        ("2025-01-09", "2025-01-11", False),
    ],
)
def test_reported_before_the_date_is_a_warning(date: str, reported: str, warned: bool) -> None:
    text = (
        '{"events": [{"id": "a", "date": "' + date + '", "title": "x", '
        '"reported": "' + reported + '"}]}'
    )
    found = problems(text)
    assert bool(found) is warned
    if warned:
        assert (
            "`reported` (" in found[0].message
            and "is before the event's `date`" in found[0].message
        )
        assert found[0].line == 1 and found[0].column == column_of(text, f'"{reported}"')


def test_a_list_written_as_one_string_is_an_error_that_shows_the_list() -> None:
    text = '{"events": [{"id": "a", "date": "2025", "title": "x", "tags": "a, b"}]}'
    (problem,) = problems(text)
    assert problem.severity == Severity.ERROR
    assert problem.message.endswith(
        '`tags`: expected a list of strings, found one string; write ["a","b"]'
    )
    assert problem.column == column_of(text, '"a, b"')


def test_a_single_name_as_a_string_is_read_as_a_list_with_a_warning() -> None:
    text = '{"events": [{"id": "a", "date": "2025", "title": "x", "actors": "Ukraine"}]}'
    loaded = load_bytes(text.encode(), "f")
    assert loaded.timeline[0].actors == ("Ukraine",)
    (problem,) = loaded.warnings
    assert problem.message.endswith("`actors`: expected a list, found one string")
