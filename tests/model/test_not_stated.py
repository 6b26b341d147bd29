"""A status the file does not give is shown as "not stated": never invented, by the
loader, any import, any export or the app (DESIGN.md §1)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT
from tui.model.events import Status
from tui.model.loading import LoadOptions, load_bytes, load_path

NO_STATUS = {"id": "vote", "date": "2023-03", "title": "A vote late in March"}
WITH_STATUS = {"id": "ok", "date": "2023-04-02", "title": "Checked", "status": "confirmed"}


def write(tmp_path: Path) -> Path:
    path = tmp_path / "story.json"
    path.write_text(json.dumps({"title": "T", "events": [NO_STATUS, WITH_STATUS]}))
    return path


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=ROOT
    )


def test_the_loader_keeps_a_missing_status_missing(tmp_path: Path) -> None:
    for options in (LoadOptions(), LoadOptions(skip_bad=True)):  # fast path and full path
        timeline = load_path(str(write(tmp_path)), options=options).timeline
        assert timeline.get("vote").status is None  # type: ignore[union-attr]
        assert timeline.get("ok").status is Status.CONFIRMED  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("csv", "date,title\n2025-01-09,x\n"),
        ("timelinejs-csv", "Year,Month,Day,Headline\n2025,1,9,x\n"),
        (
            "timelinejs",
            json.dumps({"events": [{"start_date": {"year": 2025}, "text": {"headline": "x"}}]}),
        ),
        (
            "ics",
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n"
            "DTSTART;VALUE=DATE:20250109\r\nSUMMARY:x\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ),
    ],
)
def test_no_import_invents_a_status(fmt: str, text: str) -> None:
    (event,) = load_bytes(text.encode(), "f", options=LoadOptions(format=fmt)).timeline
    assert event.status is None


def test_acled_rows_have_no_invented_status() -> None:
    timeline = load_path(str(DATA / "samples" / "acled-style.csv")).timeline
    assert {event.status for event in timeline} == {None}


def test_json_output_writes_no_status_the_file_did_not_have(tmp_path: Path) -> None:
    result = cli("print", str(write(tmp_path)), "--format", "json")
    events = {e["id"]: e for e in json.loads(result.stdout)["events"]}
    assert "status" not in events["vote"]
    assert events["ok"]["status"] == "confirmed"


def test_csv_output_leaves_the_status_empty_and_reads_back_as_not_stated(tmp_path: Path) -> None:
    out = cli("print", str(write(tmp_path)), "--format", "csv").stdout
    back = load_bytes(out.encode(), "x.csv").timeline
    assert back.get("vote").status is None  # type: ignore[union-attr]
    assert back.get("ok").status is Status.CONFIRMED  # type: ignore[union-attr]


def test_print_markdown_and_copy_say_not_stated(tmp_path: Path) -> None:
    from tui.model.describe import event_as_text

    path = write(tmp_path)
    text = cli("print", str(path), "--width", "100").stdout
    (line,) = [row for row in text.splitlines() if "A vote" in row]
    assert "not stated" in line and "reported" not in line
    markdown = cli("print", str(path), "--format", "markdown").stdout
    assert "· not stated · A vote late in March" in markdown
    timeline = load_path(str(path)).timeline
    copied = event_as_text(timeline, timeline.get("vote"))  # type: ignore[arg-type]
    assert "not stated (the file does not say how sure this is)" in copied


def test_not_stated_is_a_value_to_filter_and_count(tmp_path: Path) -> None:
    from tui.model.query import parse_query
    from tui.output.stats import facet_counts

    timeline = load_path(str(write(tmp_path))).timeline
    found = parse_query('status:"not stated"').filter(timeline)
    assert [timeline[i].id for i in found] == ["vote"]
    assert parse_query("status:reported").filter(timeline) == []
    assert facet_counts(timeline, range(len(timeline)))["status"] == {
        "not stated": 1,
        "confirmed": 1,
    }


async def test_the_app_shows_not_stated_in_the_detail_pane_and_the_help(tmp_path: Path) -> None:
    from textual.widgets import Static

    from tests.support.app import make_app, ready

    app = make_app(write(tmp_path))
    async with app.run_test(size=(120, 36)) as pilot:
        await ready(pilot)
        detail = str(app.query_one("#detail").query_one(Static).render())
        assert "– not stated" in detail and "reported" not in detail
        await pilot.press("question_mark")
        help_text = str(app.screen.query_one(Static).render())
        assert "not stated: the file does not say how sure this is" in help_text
