"""`print --format csv|ics|timelinejs` read back as the whole file: title, description,
named sources (cited or not, with their unknown keys), the file's unknown keys, and
every event with its own unknown keys; compared with the file itself, not with events."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, ROOT
from tui.formats.timeline import timeline_document
from tui.model.loading import load_path

FILE = {
    "title": "A story, with \"quotes\", commas; and ünïcode",
    "description": "Line one.\nLine two, with a comma.",
    "x-desk": {"editor": "Ana", "checked": True},
    "sources": {
        "wire": {"title": "Wire copy", "published": "2025-01-09", "publisher": "AP",
                 "url": "https://example.org/a", "x-paywall": False},
        "uncited": {"title": "Never cited", "published": "2024~", "publisher": None,
                    "url": None},
    },
    "events": [
        {"id": "a", "date": "2025-01-09", "title": "First, with a comma",
         "status": "confirmed", "sources": [{"ref": "wire", "quote": "it \"happened\""}],
         "x-score": 3, "x-tags": ["one", "two"], "x-raw": "a\u0085b\u202ec\u009bd"},
        {"id": "b", "date": "2025-01", "title": "No status given",
         "related": [{"id": "a", "rel": "follows"}], "notes": "multi\nline"},
        {"id": "c", "date": "2024-12-31T23:30+02:00", "title": "Timed", "status": "claimed",
         "claimed_by": ["X"], "place": {"name": "Kyiv", "lat": 50.45, "lon": 30.52}},
    ],
}  # fmt: skip


def cli(*args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "tui", *args], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("fmt", ["csv", "ics", "timelinejs"])
@pytest.mark.parametrize("which", ["made", "bundled"])
def test_the_whole_file_reads_back(tmp_path: Path, fmt: str, which: str) -> None:
    if which == "made":
        source = tmp_path / "story.json"
        source.write_text(json.dumps(FILE), encoding="utf-8")
    else:
        source = BUNDLED
    loaded = load_path(str(source))
    original = loaded.timeline
    out = tmp_path / f"story.{fmt}"
    out.write_bytes(cli("print", str(source), "--format", fmt).encode())
    back = load_path(str(out))
    # The file's own warnings, and no more ("source not among the file's sources").
    assert sorted(p.message for p in back.warnings) == sorted(p.message for p in loaded.warnings)
    everything = range(len(original))
    assert timeline_document(back.timeline, everything) == timeline_document(original, everything)


def test_a_filtered_export_keeps_the_file_record(tmp_path: Path) -> None:
    source = tmp_path / "story.json"
    source.write_text(json.dumps(FILE), encoding="utf-8")
    out = tmp_path / "some.csv"
    out.write_text(cli("print", str(source), "id:a", "--format", "csv"), encoding="utf-8")
    back = load_path(str(out)).timeline
    assert back.title == FILE["title"] and set(back.sources) == {"wire", "uncited"}
    assert [e.id for e in back] == ["a"]
