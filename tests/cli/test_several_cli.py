"""Several files from the command line (DESIGN.md §6): print, stats, validate and dupes
read them as one timeline; events marked the same print once."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import timeline
from tests.conftest import ROOT


def test_print_reads_several_files_as_one_and_file_selects(several_files: list[str]) -> None:
    both = timeline("print", *several_files, "-f", "json")
    assert both.returncode == 0
    ids = [e["id"] for e in json.loads(both.stdout)["events"]]
    assert ids == [
        "treaty",
        "newsroom.json:capture",
        "wire.csv:capture",
        "drones",
        "nis",
        "newsroom.json:offer",
        "wire.csv:offer",
    ]
    assert both.stderr.startswith(
        "timeline: 2 ids in more than one file: each kept, shown as file:id (timeline validate "
    )
    wire = timeline("print", *several_files, "file:wire.csv", "-w", "100")
    assert wire.stdout.splitlines()[:2] == [
        "Newsroom chronology + wire.csv",
        "3 of 7 events · 10 Jan 2025 – 12 Jan 2025",
    ]
    assert "wire.csv · by Zelenskyy" not in wire.stdout  # no claimed_by in the CSV
    assert [line.strip() for line in wire.stdout.splitlines()].count("wire.csv") == 3
    assert timeline("print", *several_files, "file:nothere").returncode == 1


def test_stats_count_by_file_and_validate_reports_the_clashes(several_files: list[str]) -> None:
    counted = timeline("stats", *several_files).stdout.splitlines()
    at = counted.index("By file")
    assert [line.split() for line in counted[at + 1 : at + 3]] == [
        ["newsroom.json", "4"],
        ["wire.csv", "3"],
    ]
    assert "By file" not in timeline("stats", several_files[0]).stdout  # one file: no such count
    checked = timeline("validate", *several_files)
    assert checked.returncode == 0
    lines = checked.stdout.splitlines()
    assert lines[-3:] == [
        'newsroom.json, wire.csv: warning: id "capture" is in newsroom.json and wire.csv: each'
        " kept, shown as newsroom.json:capture and wire.csv:capture",
        'newsroom.json, wire.csv: warning: id "offer" is in newsroom.json and wire.csv: each'
        " kept, shown as newsroom.json:offer and wire.csv:offer",
        "together: 7 events, 2 ids in more than one file",
    ]
    same = timeline(
        "validate", several_files[0], several_files[0].replace("newsroom", "./newsroom")
    )
    assert same.returncode == 2 and "the same file given twice" in same.stderr


def test_dupes_lists_the_planted_pairs(several_files: list[str]) -> None:
    found = timeline("dupes", *several_files)
    assert found.returncode == 0
    lines = found.stdout.splitlines()
    assert lines[0] == "2 possible duplicates among 7 events, best first"
    assert lines[2] == "0.84  titles 77% alike · same place · both name Ukraine, North Korea"
    assert lines[3].split() == [
        "9", "Jan", "2025", "newsroom.json", "newsroom.json:capture", "Ukrainian", "forces",
        "capture", "two", "wounded", "North", "Korean", "soldiers", "in", "Kursk", "(confirmed)",
    ]  # fmt: skip
    assert "wire.csv:capture" in lines[4]
    records = json.loads(timeline("dupes", *several_files, "-f", "json", "--limit", "1").stdout)
    assert records == [
        {
            "score": 0.84,
            "titles_alike": 0.772,
            "same_place": True,
            "different_places": False,
            "actors_in_both": ["Ukraine", "North Korea"],
            "events": [
                {
                    "file": "newsroom.json",
                    "id": "newsroom.json:capture",
                    "date": "2025-01-09",
                    "title": "Ukrainian forces capture two wounded North Korean soldiers in Kursk",
                },
                {
                    "file": "wire.csv",
                    "id": "wire.csv:capture",
                    "date": "2025-01-10",
                    "title": "Two North Korean soldiers captured by Ukraine in Kursk",
                },
            ],
        }
    ]
    limited = timeline("dupes", *several_files, "--limit", "1").stdout
    assert limited.splitlines()[0].endswith("best first (the best 1 shown)")
    none = timeline("dupes", several_files[0])
    assert none.returncode == 1
    assert none.stdout == "0 possible duplicates among 4 events, best first\n"


def test_events_marked_the_same_print_once_with_both_sources(several_files: list[str]) -> None:
    notes = Path(several_files[0]).with_name("newsroom.notes.json")
    notes.write_text(
        json.dumps({"events": {"capture": {"same_as": [{"file": "wire.csv", "id": "capture"}]}}})
    )
    printed = timeline("print", *several_files, "kursk", "-w", "200")
    assert printed.stdout.splitlines()[1].startswith("1 of 6 events")
    assert (
        "same as: Two North Korean soldiers captured by Ukraine in Kursk (wire.csv:"
        " wire.csv:capture)" in printed.stdout
    )
    record = json.loads(timeline("print", *several_files, "kursk", "-f", "json").stdout)["events"][
        0
    ]
    assert [s.get("title") or s.get("ref") for s in record["sources"]] == ["wire", "Agency report"]
    # Opened alone, the newsroom's file does not know the wire's event: all four print.
    alone = timeline("print", several_files[0], "-f", "json").stdout
    assert len(json.loads(alone)["events"]) == 4


def test_a_json_a_csv_and_a_calendar_print_count_and_validate_as_one(
    several_files: list[str],
) -> None:
    three = [*several_files, str(ROOT / "tests" / "data" / "samples" / "icalendar-holidays.ics")]
    printed = timeline("print", *three, "-f", "json")
    assert printed.returncode == 0
    events = json.loads(printed.stdout)["events"]
    assert len(events) == 10 and events[0]["title"] == "New Year's Day"
    assert json.loads(printed.stdout)["title"] == "Newsroom chronology + wire.csv + Holidays"
    counted = timeline("stats", *three).stdout.splitlines()
    at = counted.index("By file")
    assert [line.split() for line in counted[at + 1 : at + 4]] == [
        ["newsroom.json", "4"],
        ["icalendar-holidays.ics", "3"],
        ["wire.csv", "3"],
    ]
    assert (
        timeline("print", *three, "file:icalendar")
        .stdout.splitlines()[1]
        .startswith("3 of 10 events")
    )
    checked = timeline("validate", *three)
    assert checked.returncode == 0
    assert checked.stdout.splitlines()[-1] == "together: 10 events, 2 ids in more than one file"


def test_standard_input_is_one_of_the_files(several_files: list[str]) -> None:
    newsroom = Path(several_files[0]).read_text(encoding="utf-8")
    printed = timeline("print", "-", several_files[1], "file:stdin", "-f", "json", stdin=newsroom)
    assert printed.returncode == 0
    ids = [e["id"] for e in json.loads(printed.stdout)["events"]]
    assert ids == ["treaty", "<stdin>:capture", "nis", "<stdin>:offer"]
    # No `timeline validate -` to suggest: standard input is read once.
    assert printed.stderr == (
        "timeline: 2 ids in more than one file: each kept, shown as file:id\n"
    )
