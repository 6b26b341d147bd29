"""The analyst's layer from the command line: views, notes, stars and labels in `print`
and `stats`, `is:new`, `print --notes`, and `timeline new`."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import timeline
from tests.conftest import BUNDLED
from tui.model.loading import load_path
from tui.model.seen import fingerprints, write_seen
from tui.model.sidecar import Sidecar


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.json"
    path.write_bytes(BUNDLED.read_bytes())
    sidecar = Sidecar.for_file(str(path))
    sidecar.set_note("capture", "Ask the SBU\nfor the video")
    sidecar.set_starred("capture", True)
    sidecar.set_starred("treaty", True)
    sidecar.toggle_label("announce", "verify")
    sidecar.save_view("pow", "tag:pow -status:context")
    sidecar.save_view("mine", "@pow is:starred")
    return path


def ids_of(json_text: str) -> list[str]:
    return [event["id"] for event in json.loads(json_text)["events"]]


def test_print_uses_the_files_views_and_layer(story: Path) -> None:
    pow_ids = ids_of(timeline("print", str(story), "tag:pow -status:context", "-f", "json").stdout)
    assert ids_of(timeline("print", str(story), "@pow", "-f", "json").stdout) == pow_ids
    assert ids_of(timeline("print", str(story), "@mine", "-f", "json").stdout) == ["capture"]
    assert ids_of(timeline("print", str(story), "is:starred", "-f", "json").stdout) == [
        "treaty",
        "capture",
    ]
    assert ids_of(timeline("print", str(story), "label:verify", "-f", "json").stdout) == [
        "announce"
    ]
    assert ids_of(timeline("print", str(story), "note:video", "-f", "json").stdout) == ["capture"]
    unknown = timeline("print", str(story), "@nope")
    assert unknown.returncode == 2
    assert 'unknown view "@nope" (saved views: @mine, @pow) at column 1' in unknown.stderr


def test_print_notes_adds_them_to_text_markdown_and_data(story: Path) -> None:
    text = timeline("print", str(story), "is:starred OR label:verify", "--notes", "-w", "100")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    capture = next(i for i, line in enumerate(lines) if "capture two wounded" in line)
    below = lines[capture + 1 : capture + 4]
    assert any(line.strip() == "★ starred" for line in below)
    assert any(line.strip() == "your note: Ask the SBU for the video" for line in below)
    assert any(line.strip() == "labels: verify" for line in lines)
    plain = timeline("print", str(story), "is:starred")
    assert "your note" not in plain.stdout and "★" not in plain.stdout  # only with --notes
    markdown = timeline("print", str(story), "id:capture", "--notes", "-f", "markdown").stdout
    assert "*★ starred*" in markdown and "*your note: Ask the SBU for the video*" in markdown
    data = json.loads(timeline("print", str(story), "--notes", "-f", "json").stdout)
    notes = {e["id"]: e.get("x-notes") for e in data["events"]}
    assert notes["capture"] == {"note": "Ask the SBU\nfor the video", "starred": True}
    assert notes["announce"] == {"labels": ["verify"]}
    assert notes["invasion"] is None
    published = json.loads(timeline("print", str(story), "-f", "json").stdout)
    assert all("x-notes" not in e for e in published["events"])  # the record only
    rows = csv.DictReader(io.StringIO(timeline("print", str(story), "--notes", "-f", "csv").stdout))
    extra = {row["id"]: row.get("extra", "") for row in rows if not row.get("record")}
    assert json.loads(extra["announce"]) == {"x-notes": {"labels": ["verify"]}}


def test_print_never_writes_the_sidecar(story: Path) -> None:
    sidecar = story.with_name("story.notes.json")
    before = sidecar.read_bytes()
    timeline("print", str(story), "is:starred", "--notes")
    timeline("stats", str(story), "label:verify")
    assert sidecar.read_bytes() == before


def test_is_new_in_print_compares_with_the_apps_last_open(story: Path, private_state: Path) -> None:
    env = {"TIMELINE_DATA_DIR": str(private_state)}
    assert timeline("print", str(story), "is:new", env=env).returncode == 1  # never opened
    loaded = load_path(str(story)).timeline
    write_seen(str(story.resolve()), 0.0, fingerprints(loaded))
    text = story.read_text(encoding="utf-8").replace(
        "Zelenskyy offers to exchange", "Zelenskyy proposes to exchange"
    )
    story.write_text(text, encoding="utf-8")
    found = timeline("print", str(story), "is:new", "-f", "json", env=env)
    assert ids_of(found.stdout) == ["exchange-offer"]


def test_stats_counts_what_the_layer_selects(story: Path) -> None:
    out = timeline("stats", str(story), "is:starred").stdout
    assert out.splitlines()[1].startswith("2 of 13 events")


def test_new_writes_a_starter_file_and_never_over_one(tmp_path: Path) -> None:
    path = tmp_path / "mine.json"
    made = timeline("new", str(path))
    assert made.returncode == 0, made.stderr
    assert timeline("validate", str(path)).stdout.strip() == f"{path}: valid, 11 events"
    before = path.read_bytes()
    again = timeline("new", str(path))
    assert again.returncode == 2
    assert again.stderr == f"timeline: {path}: already exists; new writes only a new file\n"
    assert path.read_bytes() == before


def test_notes_on_standard_input_say_there_are_none() -> None:
    piped = timeline("print", "-", "--notes", stdin=BUNDLED.read_text(encoding="utf-8"))
    assert piped.returncode == 0
    assert "timeline: standard input has no notes file: --notes adds nothing\n" in piped.stderr
