"""Every export read back is the same file, compared field by field on the model (not
export against export): events, their every field and unknown keys, and the file's
title, description, named sources and unknown keys. Over generated files that reach
times, time zones, BCE years, open ends, days 29-31, intervals inside one month,
qualifiers, unknown keys, non-ASCII text and characters CSV must quote."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.timelines import assert_same_timeline, exported, files
from tui.model.loading import load_bytes


@pytest.mark.parametrize("fmt", ["json", "csv", "ics", "timelinejs", "parquet"])
@settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ]
)
@given(data=st.data())
def test_every_export_reads_back_as_the_same_file(fmt: str, data: st.DataObject) -> None:
    document = data.draw(files(fmt))
    original = load_bytes(json.dumps(document).encode(), "story.json")
    back = load_bytes(exported(original.timeline, fmt), f"story.{fmt}")
    assert_same_timeline(original.timeline, back.timeline)
    assert sorted(map(_said, back.warnings)) == sorted(map(_said, original.warnings))


def _said(problem: Any) -> str:
    """A problem's message without the column a CSV reader names (`(column reported)`)."""
    return re.sub(r" \(column [^)]*\)$", "", problem.message)
