"""`print --format csv|ics|timelinejs` read back as the whole file: title, description,
named sources (cited or not, with their unknown keys), the file's unknown keys, and
every event with its own unknown keys and those of its citations, relations and status
changes; compared with the file itself, not with events."""

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
         "status": "confirmed",
         "sources": [{"ref": "wire", "quote": "it \"happened\"", "x-page": 4}],
         "history": [{"date": "2025-01-10", "status": "confirmed", "by": ["NIS"],
                      "x-link": {"url": "https://example.org/b"}}],
         "x-score": 3, "x-tags": ["one", "two"], "x-raw": "a\u0085b\u202ec\u009bd"},
        {"id": "b", "date": "2025-01", "title": "No status given",
         "related": [{"id": "a", "rel": "follows", "x-why": "per the wire"}],
         "notes": "multi\nline"},
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
    if which == "made":  # what the file says, its unknown keys at every depth included
        written = timeline_document(original, range(len(original)))["events"]
        by_id = {event["id"]: event for event in written}
        assert by_id["a"]["sources"][0]["x-page"] == 4
        assert by_id["a"]["history"][0]["x-link"] == {"url": "https://example.org/b"}
        assert by_id["b"]["related"] == FILE["events"][1]["related"]  # type: ignore[index]
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


def test_a_places_unknown_keys_read_back_from_json_and_csv_and_parquet_say_they_left_them(
    tmp_path: Path,
) -> None:
    """JSON holds every key at every depth; the CSV's and Parquet's fixed columns hold
    none of a place's own, and the writer says so rather than dropping them unsaid."""
    event = {"id": "a", "date": "2025-01-09", "title": "Capture",
             "place": {"name": "Kursk", "lat": 51.7, "lng": 36.2},
             "sources": [{"url": "https://bbc.co.uk", "publisher": "BBC"}]}  # fmt: skip
    source = tmp_path / "story.json"
    source.write_text(json.dumps([event, {"id": "b", "date": "2026", "title": "t"}]))
    run = [sys.executable, "-m", "tui", "print", str(source), "--format"]
    printed = json.loads(cli("print", str(source), "--format", "json"))
    assert printed["events"][0] == event
    for fmt, what in (("csv", "of 1 place (the CSV"), ("parquet", "of 1 event (their")):
        result = subprocess.run([*run, fmt], capture_output=True, cwd=ROOT)
        assert result.returncode == 0
        said = result.stderr.decode()
        assert "\ntimeline: left out the unknown keys" in said and what in said
        if fmt == "csv":  # the citation's are in its JSON cell, and read back
            (tmp_path / "back.csv").write_bytes(result.stdout)
            back = load_path(str(tmp_path / "back.csv")).timeline
            assert back[0].sources[0].extra == {"publisher": "BBC"}
            assert back[0].place is not None and back[0].place.extra is None
    said = subprocess.run([*run, "csv", "id:b"], capture_output=True, cwd=ROOT).stderr
    assert b"left out" not in said  # only for what is written
