"""Another tool's file, once read into our document, is checked by the fast path (the
document written as JSON and decoded into the model) unless it holds what only the
builder handles. Both must build the same timeline and say the same problems at the
same rows, lines and columns: the builder is the reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.routes import assert_same
from tests.support.timelines import exported, files
from tui.model import loading
from tui.model.loading import Loaded, LoadOptions, load_bytes
from tui.model.problems import LoadError

SAMPLES = Path(__file__).parent.parent / "data" / "samples"


def _both(data: bytes, name: str, thorough: bool = False) -> tuple[Any, Any]:
    """What the fast route and the builder make of a file: a Loaded or the problems of
    its LoadError."""
    options = LoadOptions(thorough=thorough)

    def outcome() -> Loaded | list[tuple[str, str, int | None, int | None]]:
        try:
            return load_bytes(data, name, options=options)
        except LoadError as exc:
            return [(p.severity.value, p.message, p.line, p.column) for p in exc.problems]

    fast = outcome()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(loading, "_fast_imported", lambda imported, thorough: None)
        full = outcome()
    return fast, full


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs", "parquet"])
# filter_too_much: iCalendar's dates are drawn by filtering (years 1 to 9998, in UTC),
# and a run once drew 50 out of range to 6 in it.
@settings(
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ]
)
@given(data=st.data())
def test_an_imported_file_builds_the_same_on_both_routes(fmt: str, data: st.DataObject) -> None:
    document = data.draw(files(fmt))
    original = load_bytes(json.dumps(document).encode(), "story.json")
    raw = exported(original.timeline, fmt)
    imported = loading._imported(loading.formats()[fmt].read, _content(fmt, raw), "x")
    # The exports are clean files: the fast route takes every one whose named sources
    # hold only known keys (else this test would compare the builder with itself).
    if all(source.extra is None for source in original.timeline.sources.values()):
        assert loading._fast_imported(imported, False) is not None
    assert_same(*_both(raw, f"story.{fmt}"))
    assert_same(*_both(raw, f"story.{fmt}", thorough=True))


def _content(fmt: str, raw: bytes) -> Any:
    """What the format's reader takes: the bytes, the decoded JSON or the text."""
    reader = loading.formats()[fmt]
    if reader.binary or reader.utf8:
        return raw
    if fmt == "timelinejs":
        return json.loads(raw)
    return raw.decode()


CELLS = st.sampled_from(
    ["", " ", "Kursk", " Kursk\t", "a\x00b", "a\u202eb", "x;y", "x | y", "nan", "inf", "1e400",
     "91", "-0", "2025-02-30", "2025-13", "2025~", "09/01/2025", "[1]", '{"a": 1}', "é\u0301",
     "line\nbreak", "Ｋ"]
)  # fmt: skip


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "event_id_cnty": st.sampled_from(["UKR1", "UKR2", "", " UKR1"]),
                "event_date": CELLS | st.sampled_from(["2025-01-09", "2024-02-29"]),
                "time_precision": st.sampled_from(["1", "2", "3", "", "x"]),
                "event_type": CELLS,
                "actor1": CELLS,
                "assoc_actor_1": CELLS,
                "location": CELLS,
                "latitude": CELLS | st.just("51.5"),
                "longitude": CELLS | st.just("36,2"),
                "source": CELLS,
                "notes": CELLS,
                "fatalities": CELLS | st.just("3"),
                "iso": CELLS,
            }
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_acled_file_builds_the_same_on_both_routes(rows: list[dict[str, str]]) -> None:
    """Cells a demanding file holds (text to clean, numbers that are not, dates of every
    kind, a column the format doesn't know): the same events or the same problems."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    assert_same(*_both(out.getvalue().encode(), "acled.csv"))


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.iterdir() if p.suffix != ".md"))
def test_the_samples_build_the_same_on_both_routes(sample: str) -> None:
    raw = (SAMPLES / sample).read_bytes()
    assert_same(*_both(raw, sample))
    assert_same(*_both(raw, sample, thorough=True))
