from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import BUNDLED, ROOT


def timeline(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
    )


def test_print_shows_the_bundled_story_in_order() -> None:
    result = timeline("print", "--width", "120")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "North Korean soldiers captured in Kursk"
    assert lines[1] == "13 events · 24 Feb 2022 – 13 Jan 2025"
    text = result.stdout
    rows = [
        r"24 Feb 2022 +context +Russia begins its full-scale invasion",
        r"\n  Oct 2024 +claimed +Ukraine and its allies say North Korea sent over 10,000",
        r"\n   9 Jan 2025 +confirmed +Ukrainian forces capture two wounded",
        r"12 Jan 2025 +confirmed +South Korea's NIS confirms",
        r"12 Jan 2025 +reported +Zelenskyy offers to exchange",
    ]
    positions = [re.search(row, text).start() for row in rows]  # type: ignore[union-attr]
    assert positions == sorted(positions)
    assert "by Security Service of Ukraine, South Korea NIS · known 11 Jan 2025" in text
    assert "\x1b" not in text  # no escape codes into a pipe


def test_print_groups_by_year_and_month() -> None:
    lines = timeline("print").stdout.splitlines()
    assert "2022" in lines and "2024" in lines and "2025 January" in lines


def test_print_wraps_to_the_width() -> None:
    result = timeline("print", "--width", "50")
    assert max(len(line) for line in result.stdout.splitlines()) <= 50


def test_a_long_title_is_printed_whole_over_its_wrapped_lines(tmp_path: Path) -> None:
    words = [f"word{i}" for i in range(273)]
    path = tmp_path / "long.json"
    path.write_text(json.dumps({"events": [{"id": "a", "date": "2025", "title": " ".join(words)}]}))
    out = timeline("print", str(path), "--width", "60").stdout
    printed = [w for line in out.splitlines()[3:] for w in line.split() if w.startswith("word")]
    assert printed == words
    assert max(len(line) for line in out.splitlines()) <= 60


def test_reverse_prints_newest_first_in_every_format() -> None:
    forward = [e["id"] for e in json.loads(timeline("print", "--format", "json").stdout)["events"]]
    backward = timeline("print", "--format", "json", "--reverse").stdout
    assert [e["id"] for e in json.loads(backward)["events"]] == forward[::-1]

    def event_rows(*args: str) -> list[str]:
        lines = timeline("print", "--width", "200", *args).stdout.splitlines()
        return [line for line in lines if re.match(r"  (?: ?\d|c\. |[A-Z][a-z]{2} )", line)]

    rows = event_rows()
    assert len(rows) == len(forward)
    assert event_rows("--reverse") == rows[::-1]
    import csv
    import io

    reader = csv.DictReader(io.StringIO(timeline("print", "-f", "csv", "-r").stdout))
    assert [row["id"] for row in reader if not row["record"]] == forward[::-1]


def test_query_narrows_and_nothing_matched_exits_1() -> None:
    result = timeline("print", "by:nis after:2025-01-10")
    assert result.returncode == 0
    assert "South Korea's NIS confirms" in result.stdout
    assert "Zelenskyy offers" not in result.stdout
    assert "4 of 13 events" in result.stdout
    assert timeline("print", "on:1990").returncode == 1


def test_bad_query_exits_2_naming_the_column() -> None:
    result = timeline("print", "after:someday")
    assert result.returncode == 2
    assert 'unknown date "someday" at column 7' in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "query", ["", "tag:pow", "by:nis after:2025-01-10", "on:1990", "-status:context"]
)
def test_json_output_is_a_valid_event_file(query: str) -> None:
    printed = timeline("print", "--format", "json", "--", query)
    checked = timeline("validate", "-", stdin=printed.stdout)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_json_output_round_trips_the_bundled_file() -> None:
    printed = json.loads(timeline("print", "--format", "json").stdout)
    original = json.loads(BUNDLED.read_text(encoding="utf-8"))
    # The whole file, every key, the same but for the empty lists and nulls the export
    # leaves out.
    original["events"] = [
        {k: v for k, v in e.items() if v not in ([], None)} for e in original["events"]
    ]
    assert printed == original


def test_file_and_query_arguments_in_every_form(tmp_path: Path) -> None:
    copy = tmp_path / "my.json"
    copy.write_text(BUNDLED.read_text(encoding="utf-8"), encoding="utf-8")
    assert "6 of 13" in timeline("print", "tag:pow").stdout
    assert "13 events" in timeline("print", str(copy)).stdout
    assert "6 of 13" in timeline("print", str(copy), "tag:pow").stdout
    assert "6 of 13" in timeline("print", "-", "tag:pow", stdin=copy.read_text()).stdout
    assert "7 of 13" in timeline("print", str(copy), "--", "-tag:pow").stdout


def test_markdown_and_csv_formats() -> None:
    markdown = timeline("print", "--format", "markdown", "id:capture").stdout
    assert markdown.startswith("# North Korean soldiers captured in Kursk")
    assert "**9 Jan 2025** · confirmed · Ukrainian forces capture" in markdown
    title = "Zelenskyy Proposes Exchange of North Korean Soldiers for Ukrainian POWs"
    assert f'[^1]: {title}, c. 13 Jan 2025: "On January 9' in markdown
    csv_text = timeline("print", "--format", "csv", "id:capture").stdout
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(csv_text)))
    named = len(json.loads(BUNDLED.read_text())["sources"])
    assert [r["record"] for r in rows[:-1]] == ["title"] + ["source"] * named  # the file's
    row = rows[-1]
    assert row["record"] == "" and row["id"] == "capture"
    assert (
        row["date"] == "2025-01-09"
        and row["reported"] == "2025-01-11"
        and row["status"] == "confirmed"
    )


def test_color_only_when_asked_or_on_a_terminal() -> None:
    assert "\x1b[" in timeline("print", "--color", "always").stdout
    assert "\x1b[" not in timeline("print").stdout
    assert "\x1b[" not in timeline("print", "--color", "never").stdout


def test_validate_lists_every_problem_and_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"events": [\n'
        '  {"id": "a", "date": "2025-02-30", "title": "x"},\n'
        '  {"id": "b", "date": "2025", "title": 7},\n'
        '  {"id": "a", "date": "2025", "title": "y", "related": [{"id": "gone"}]}\n'
        "]}\n"
    )
    result = timeline("validate", str(bad), str(BUNDLED))
    assert result.returncode == 2
    out = result.stdout
    assert f"{bad}:2:" in out and "day 30 is out of range" in out
    assert f"{bad}:3:" in out and "$.events[1].title" in out
    assert f"{bad}:4:" in out and "duplicate id" in out
    assert 'related id "gone"' in out
    assert f"{bad}: 3 errors, 1 warning" in out
    assert f"{BUNDLED}: valid, 13 events" in out
    assert "Traceback" not in result.stderr


def test_syntax_error_in_validate_and_print(tmp_path: Path) -> None:
    bad = tmp_path / "syntax.json"
    bad.write_text('{"events": [\n  {"id": "a",}\n]}')
    result = timeline("validate", str(bad))
    assert (
        result.returncode == 2
        and f"{bad}:2:14: error: invalid JSON: trailing comma" in result.stdout
    )
    printed = timeline("print", str(bad))
    assert (
        printed.returncode == 2
        and "trailing comma" in printed.stderr
        and "Traceback" not in printed.stderr
    )


def test_missing_file_and_usage_errors_exit_2() -> None:
    assert timeline("validate", "/no/such/file.json").returncode == 2
    assert timeline("print", "--format", "nope").returncode == 2
    assert timeline("validate").returncode == 2


def test_help_and_version() -> None:
    assert timeline("--version").stdout.strip() == "timeline, version 0.1.0"
    for command in ([], ["print"], ["validate"], ["open"]):
        result = timeline(*command, "--help")
        assert result.returncode == 0 and "Usage:" in result.stdout


def test_a_command_that_ends_at_once_has_written_everything_and_left_no_scratch(
    tmp_path: Path,
) -> None:
    """The console script ends a reading command with os._exit (cli.done): what it
    wrote is flushed first, its exit status kept, and standard input's scratch copy
    (past MAP_AT_LEAST) removed as before."""
    events = [
        {
            "id": f"e{i}",
            "date": f"2025-01-{i % 28 + 1:02d}",
            "title": f"Event {i} " + "x" * 40,
            "summary": "s" * 400,
        }
        for i in range(10_000)
    ]
    data = json.dumps({"events": events})
    assert len(data) > 4 * 2**20  # reading.MAP_AT_LEAST: copied to a scratch file
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {"TMPDIR": str(scratch), "TIMELINE_CACHE_DIR": str(tmp_path / "cache")}
    result = timeline("print", "-", "--format", "json", stdin=data, env=env)
    assert result.returncode == 0, result.stderr
    written = json.loads(result.stdout)["events"]
    assert sorted(e["id"] for e in written) == sorted(e["id"] for e in events)
    assert list(scratch.iterdir()) == []
    nothing = timeline("print", "-", "no such words", stdin=data, env=env)
    assert (nothing.returncode, nothing.stdout) == (1, "Timeline\n0 of 10000 events\n")
    assert list(scratch.iterdir()) == []


def test_closed_pipe_exits_quietly() -> None:
    result = subprocess.run(
        f"{sys.executable} -m tui print | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.stdout.strip() == "North Korean soldiers captured in Kursk"
    assert result.stderr == ""


def test_an_unforeseen_error_is_a_sentence_not_a_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui import cli

    def broken() -> None:
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(cli, "main", broken)
    monkeypatch.delenv("TIMELINE_DEBUG", raising=False)
    with pytest.raises(SystemExit) as caught:
        cli.run()
    assert caught.value.code == 70
    err = capsys.readouterr().err
    assert (
        "internal error: RuntimeError: something nobody foresaw" in err and "Traceback" not in err
    )


def test_run_in_process_ends_by_system_exit_never_at_once(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the console script may end its process with os._exit: a test calling `run`
    (this one runs in pytest's own process) must get SystemExit back."""
    from tui import cli

    def ended(code: int) -> None:
        raise AssertionError(f"os._exit({code}) in pytest's process")

    monkeypatch.setattr(os, "_exit", ended)
    monkeypatch.setattr(sys, "argv", ["timeline", "print", str(BUNDLED), "kursk"])
    with pytest.raises(SystemExit) as caught:
        cli.run()
    assert caught.value.code == 0
    assert "Kursk" in capsys.readouterr().out


def test_a_deeply_nested_query_is_a_usage_error_with_its_column() -> None:
    result = timeline("print", "--", "(" * 500 + "kursk" + ")" * 500)
    assert result.returncode == 2, result.stderr
    assert "nested too deeply" in result.stderr
    assert "internal error" not in result.stderr
    caret_line = result.stderr.splitlines()[-1]
    assert caret_line.index("^") == 2 + 64  # two spaces of indent, then column 65


def test_a_crash_inside_a_reader_shows_its_traceback_with_timeline_debug(
    tmp_path: Path,
) -> None:
    """A bug in a reader is reported as one (exit 70), and TIMELINE_DEBUG=1 shows where."""
    (tmp_path / "sitecustomize.py").write_text(
        "from tui.formats import table\n"
        "def broken(text):\n"
        "    return 1 // 0\n"
        "table.from_plain = broken\n"
    )
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("date,title\n2025-01-09,x\n")
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    plain = timeline("print", str(sheet), env=env)
    assert plain.returncode == 70
    assert "internal error: ZeroDivisionError" in plain.stderr
    assert "Traceback" not in plain.stderr
    debug = timeline("print", str(sheet), env={**env, "TIMELINE_DEBUG": "1"})
    assert "Traceback" in debug.stderr and "ZeroDivisionError" in debug.stderr
    assert "table" in debug.stderr or "sitecustomize" in debug.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["print", "nordstrem.json", "tag:x"],
        ["print", "nordstrem.json"],
        ["print", "data/story.csv", "kursk"],
        ["print", "./notes"],
        ["stats", "missing.ics"],
    ],
)
def test_a_missing_file_is_an_error_naming_it_not_a_query_on_the_bundled_story(
    args: list[str],
) -> None:
    result = timeline(*args)
    assert result.returncode == 2
    assert f"{args[1]}: no such file" in result.stderr
    assert "North Korean" not in result.stdout


def test_a_second_file_is_read_and_a_missing_one_is_never_a_query(tmp_path: Path) -> None:
    other = tmp_path / "b.csv"
    other.write_text("date,title\n2025-01-09,Soldiers x\n")
    both = timeline("print", str(BUNDLED), str(other), "soldiers")
    assert both.returncode == 0 and "b.csv" in both.stdout.split()
    assert both.stdout.startswith("North Korean soldiers captured in Kursk + b.csv\n")
    missing = timeline("print", str(BUNDLED), "nothere.json")
    assert missing.returncode == 2 and missing.stdout == ""
    assert "nothere.json: no such file" in missing.stderr
    after = timeline("print", str(BUNDLED), "kursk", str(other))
    assert after.returncode == 2 and after.stdout == ""
    assert f"{other}: a file after the query; files come first" in after.stderr


def test_queries_that_only_look_like_files_still_work_after_dashes() -> None:
    assert timeline("print", "--", "nordstrem.json").returncode == 1  # a query: no match
    assert timeline("print", str(BUNDLED), "2025-01-09..2025-01-12").returncode == 0
    assert timeline("print", "source:article", "kursk").returncode == 0


def test_counts_read_as_english(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('{"events": [{"id": "a", "date": "2025", "title": "x", "tittle": "y"}]}')
    assert timeline("validate", str(one)).stdout.endswith(": valid, 1 event, 1 warning\n")
    printed = timeline("print", str(one)).stdout.splitlines()[1]
    assert printed == "1 event · 2025"
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [{"id": "a", "date": "2025-13", "title": "x"}]}')
    assert "bad.json: 1 error; nothing loaded" in timeline("print", str(bad)).stderr


def test_print_names_the_nearest_value_when_a_field_value_matches_nothing() -> None:
    result = timeline("print", "kind:statment")
    assert result.returncode == 1
    assert 'timeline: no event has kind "statment"; the nearest is "statement"' in result.stderr
    bad = timeline("print", "status:confimed")
    assert bad.returncode == 2 and 'did you mean "confirmed"?' in bad.stderr


def test_a_file_with_bad_rows_says_skip_bad_loads_the_rest(tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("Year,Month,Day,Headline\n2025,13,1,bad\n2025,1,9,good\n")
    result = timeline("print", str(sheet))
    assert result.returncode == 2
    assert "1 error; nothing loaded (--skip-bad loads the events that can be read" in result.stderr
    assert "(column Month)" in result.stderr
    broken = tmp_path / "broken.json"
    broken.write_text('{"events": [{"id": "a",}]}')
    assert "--skip-bad" not in timeline("print", str(broken)).stderr  # it would not help


def test_options_before_the_file_go_to_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from tui import app as app_package
    from tui import cli

    opened: list[object] = []

    class Recorder:
        load_error = None
        crash = None
        unreadable = None
        return_code = 0

        def __init__(self, paths: list[str], **kwargs: object) -> None:
            opened.append((*paths, kwargs["options"]))

        def run(self) -> None:
            pass

    monkeypatch.setattr(app_package, "TimelineApp", Recorder)
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("date,title\n2025-01-09,x\n")
    result = CliRunner().invoke(cli.main, ["--skip-bad", "--from", "csv", str(sheet)])
    assert result.exit_code == 0, result.output
    ((path, options),) = opened
    assert path == str(sheet) and options.skip_bad and options.format == "csv"
    missing = CliRunner().invoke(cli.main, ["--skip-bad", str(tmp_path / "nope.csv")])
    assert missing.exit_code == 2 and "nope.csv: no such file" in missing.output


@pytest.mark.parametrize("removed", [True, False])
def test_a_snapshot_lost_under_the_app_is_said_in_a_sentence_with_exit_code_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, removed: bool
) -> None:
    from click.testing import CliRunner

    from tui import app as app_package
    from tui import cli
    from tui.model.problems import Unreadable

    where = tmp_path / "story.snapshot"
    if not removed:
        where.write_bytes(b"")  # another snapshot written in its place meanwhile

    class LostSnapshot:
        load_error = None
        crash = None
        unreadable = Unreadable(where, "IO Error: Could not read enough bytes", None)
        return_code = 2

        def __init__(self, paths: list[str], **kwargs: object) -> None:
            pass

        def run(self) -> None:
            pass

    monkeypatch.setattr(app_package, "TimelineApp", LostSnapshot)
    result = CliRunner().invoke(cli.main, [str(BUNDLED)])
    assert result.exit_code == 2
    said = f"timeline: {where} can no longer be read: IO Error: Could not read enough bytes:"
    assert said in result.output and "Traceback" not in result.output
    assert "the snapshot was cut short or damaged while it was read" in result.output
    assert ("it is removed" in result.output) is removed


def test_a_snapshot_lost_while_a_command_reads_it_is_said_as_bad_input_not_a_bug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`print`, `stats`… read a large file's snapshot too: cut short meanwhile, it is bad
    input (2), removed, not an internal error (70)."""
    from tui import cli
    from tui.model.problems import Unreadable, file_identity

    where = tmp_path / "story.index"  # the word index saved beside a snapshot
    where.write_bytes(b"")

    def cut_short() -> None:
        raise Unreadable(where, "IO Error: Could not read enough bytes", file_identity(where))

    monkeypatch.setattr(cli, "main", cut_short)
    with pytest.raises(SystemExit) as ended:
        cli.run()
    assert ended.value.code == 2 and not where.exists()
    err = capsys.readouterr().err
    assert "can no longer be read" in err and "it is removed" in err and "internal" not in err
    assert "the saved word index was cut short" in err
