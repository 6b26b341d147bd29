"""Provenance from the command line (DESIGN.md §7): `timeline diff`, `print --history`,
and the status as known on an `asof:` day."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_cli import timeline


def test_diff_on_the_bundled_story() -> None:
    result = timeline("diff", "2025-01-10", "2025-01-12")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        "North Korean soldiers captured in Kursk",
        "What changed after 10 Jan 2025, up to the end of 12 Jan 2025",
    ]
    known = lines[lines.index("Became known (7)") + 1 :][:7]
    assert any("Zelenskyy announces the capture" in line for line in known)
    assert any(
        "South Korea's NIS confirms the two prisoners are North Korean" in line for line in known
    )
    moved = lines[lines.index("Changed status (1)") + 1]
    assert moved == (
        "   9 Jan 2025  Ukrainian forces capture two wounded North Korean soldiers in Kursk:"
        " reported → confirmed on 12 Jan 2025, by South Korea NIS"
    )
    assert "Revised" not in result.stdout  # the casualty figure is revised on the 13th


def test_diff_says_a_revised_figure_and_the_one_before() -> None:
    result = timeline("diff", "2025-01-12", "2025-01-13", "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert [e["id"] for e in data["known"]] == ["casualties", "article"]
    assert data["status_changes"] == []
    [revision] = data["revisions"]
    assert revision["id"] == "casualties" and revision["on"] == "2025-01-13"
    assert revision["note"] == "about 300 killed and 2,700 wounded"
    assert revision["before"] == "about 100 killed and 1,000 wounded"
    markdown = timeline("diff", "2025-01-12", "2025-01-13", "--format", "markdown").stdout
    assert "## Revised" in markdown and "before: about 100 killed and 1,000 wounded" in markdown


def test_diff_exits_1_when_nothing_changed_and_2_for_bad_days(tmp_path: Path) -> None:
    quiet = timeline("diff", "2025-02-01", "2025-03-01")
    assert quiet.returncode == 1
    assert "Nothing became known, changed status or was revised." in quiet.stdout
    backwards = timeline("diff", "2025-01-12", "2025-01-10")
    assert backwards.returncode == 2
    assert backwards.stderr == "timeline: DAY2 (10 Jan 2025) is before DAY1 (12 Jan 2025)\n"
    bad = timeline("diff", "2025-01-10", "someday")
    assert bad.returncode == 2 and bad.stderr == 'timeline: DAY2: unknown date "someday"\n'
    assert timeline("diff", "2025-01-10").returncode == 2
    story = tmp_path / "s.json"
    story.write_text('[{"id": "a", "date": "2025-01-11", "title": "A"}]', encoding="utf-8")
    assert timeline("diff", str(story), "2025-01-10", "2025-01-11").returncode == 0


def test_print_history_and_the_status_as_known_on_a_day() -> None:
    printed = timeline("print", "id:=capture", "--history", "--width", "100").stdout
    out = " ".join(line.strip() for line in printed.splitlines())  # the wrapped lines, joined
    assert (
        "history: 11 Jan 2025 reported by Zelenskyy, Security Service of Ukraine (announced;"
        " the soldiers' nationality not yet independently confirmed) → 12 Jan 2025 confirmed"
        " by South Korea NIS" in out
    )
    assert "history:" not in timeline("print", "id:=capture").stdout
    then = timeline("print", "id:=capture asof:2025-01-11").stdout
    assert "9 Jan 2025   reported" in then
    assert timeline("print", "id:=capture asof:2025-01-11 status:confirmed").returncode == 1
    assert "9 Jan 2025   confirmed" in timeline("print", "id:=capture").stdout
