"""`timeline dupes` output: each pair's score and why, then its two events' date, file,
id, title and status; and the same as JSON."""

from __future__ import annotations

import json

from tests.conftest import SEVERAL
from tui.model.combining import combine, file_names
from tui.model.dupes import Pair, possible_duplicates
from tui.model.loading import load_bytes, load_path
from tui.output.dupes import dupes_json, dupes_lines


def test_text_lines_align_dates_files_and_ids() -> None:
    paths = [str(SEVERAL / "newsroom.json"), str(SEVERAL / "wire.csv")]
    timeline = combine(file_names(paths), [load_path(p) for p in paths]).timeline
    pairs = possible_duplicates(timeline)
    lines = list(dupes_lines(timeline, pairs[:1], 7, len(pairs)))
    assert lines == [
        "2 possible duplicates among 7 events, best first (the best 1 shown)",
        "",
        "0.84  titles 77% alike · same place · both name Ukraine, North Korea",
        "      9 Jan 2025   newsroom.json  newsroom.json:capture  Ukrainian forces capture two"
        " wounded North Korean soldiers in Kursk (confirmed)",
        "      10 Jan 2025  wire.csv       wire.csv:capture       Two North Korean soldiers"
        " captured by Ukraine in Kursk (reported)",
    ]


def test_one_file_has_no_file_column_and_json_no_file_key() -> None:
    timeline = load_bytes(
        json.dumps(
            {
                "events": [
                    {"id": "a", "date": "2025-01-09", "title": "Drone strike on Kharkiv"},
                    {"id": "bb", "date": "2025-01", "title": "Drone strike on Kharkiv"},
                ]
            }
        ).encode(),
        "x.json",
    ).timeline
    pair = Pair(0, 1, 0.7, 1.0, False, (), True)
    assert pair.reasons() == "titles 100% alike · different places"
    assert list(dupes_lines(timeline, [pair], 2)) == [
        "1 possible duplicate among 2 events, best first",
        "",
        "0.70  titles 100% alike · different places",
        "      Jan 2025    bb  Drone strike on Kharkiv (not stated)",
        "      9 Jan 2025  a   Drone strike on Kharkiv (not stated)",
    ]
    assert json.loads(dupes_json(timeline, [pair])) == [
        {
            "score": 0.7,
            "titles_alike": 1.0,
            "same_place": False,
            "different_places": True,
            "actors_in_both": [],
            "events": [
                {"id": "bb", "date": "2025-01", "title": "Drone strike on Kharkiv"},
                {"id": "a", "date": "2025-01-09", "title": "Drone strike on Kharkiv"},
            ],
        }
    ]


def test_json_names_each_events_file_keeps_text_as_written_and_is_indented() -> None:
    paths = [str(SEVERAL / "newsroom.json"), str(SEVERAL / "wire.csv")]
    timeline = combine(file_names(paths), [load_path(p) for p in paths]).timeline
    pair = possible_duplicates(timeline)[0]
    text = dupes_json(timeline, [pair])
    assert text.startswith('[\n  {\n    "score": 0.84,\n')
    assert '        "file": "newsroom.json",\n        "id": "newsroom.json:capture",' in text
    assert '"file": "wire.csv"' in text
    one = load_bytes(
        json.dumps(
            {"events": [{"id": "a", "date": "2025", "title": "Удар по Харкову"}] * 1}
        ).encode(),
        "x.json",
    ).timeline
    assert '"title": "Удар по Харкову"' in dupes_json(one, [Pair(0, 0, 1.0, 1.0, False, ())])
