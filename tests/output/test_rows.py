"""The list's rows are laid out the same by the Python walk (small results) and by numpy
(results of VECTORISED_FROM events or more): headings, gaps, where each event's row is."""

from __future__ import annotations

import json
from array import array

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.support.dates import whens
from tui.model.events import Timeline
from tui.model.loading import load_bytes
from tui.output import rows
from tui.output.rows import EVENT, GAP, HEADING, RowLayout

CLUSTERED = [
    "2024", "2024~", "2024-06", "2024-06-15", "2024-06-16", "2024-06-18", "2024-06-20",
    "2024-07-02", "2024-07-02T10:00Z", "2024-12~", "2025-01-09", "2025-01", "2024-11/2025-01",
    "-0044-03-15",
]  # fmt: skip
"""Dates that fall together, so that a year holds enough events for month headings."""


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    dates = st.sampled_from(CLUSTERED) | whens().map(lambda when: when.to_text())
    events = [
        {"id": f"e{i}", "date": draw(dates), "title": "t"} for i in range(draw(st.integers(0, 40)))
    ]
    return load_bytes(json.dumps({"events": events}).encode(), "drawn.json").timeline


def _layouts(timeline: Timeline, positions: list[int]) -> tuple[RowLayout, RowLayout]:
    walked = RowLayout(timeline, positions)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rows, "VECTORISED_FROM", 1)
        vectorised = RowLayout(timeline, array("q", positions))
    return walked, vectorised


@given(st.data())
def test_numpy_lays_out_the_rows_the_python_walk_does(data: st.DataObject) -> None:
    timeline = data.draw(timelines())
    every = range(len(timeline))
    positions = sorted(data.draw(st.sets(st.sampled_from(every)))) if every else []
    walked, vectorised = _layouts(timeline, positions)
    assert list(vectorised.kinds) == list(walked.kinds)
    assert list(vectorised.values) == list(walked.values)
    assert list(vectorised.event_rows) == list(walked.event_rows)
    assert list(vectorised.starts) == list(walked.starts)


def test_the_vectorised_layout_has_headings_gaps_and_events_in_order() -> None:
    """A fixed case read as a person would: the rows say what the property test compares."""
    dates = ["2024-06-01", "2024-06-02", "2024-06-20", "2024-06-21", "2024-07-01", "2024-07-02"]
    events = [{"id": f"e{i}", "date": d, "title": "t"} for i, d in enumerate(dates)]
    timeline = load_bytes(json.dumps({"events": events}).encode(), "six.json").timeline
    _, layout = _layouts(timeline, [0, 1, 2, 3, 4, 5])
    texts = []
    for row, kind in enumerate(layout.kinds):
        if kind == HEADING:
            texts.append(layout.heading_text(row))
        elif kind == GAP:
            texts.append(layout.gap_text(row))
        else:
            assert kind == EVENT
            texts.append(timeline[layout.values[row]].id)
    assert texts == [
        "2024 June", "e0", "e1", "2 weeks later", "e2", "e3",
        "10 days later", "2024 July", "e4", "e5",
    ]  # fmt: skip
    assert list(layout.event_rows) == [1, 2, 4, 5, 8, 9]
