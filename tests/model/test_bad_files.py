"""The corpus of bad files: each gives its exact error, with where, and exit 2;
none gives a traceback. Expected outputs sit beside the files (NAME.expected:
what `timeline validate` prints, then its exit status). Files too big to keep
in git are made here."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

BAD = DATA / "bad"
TIMELINE = [sys.executable, "-m", "tui"]


def run(*args: str, cwd: Path = ROOT, user: int | None = None) -> subprocess.CompletedProcess[str]:
    command = [*TIMELINE, *args]
    if user is not None:
        command = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *command]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if cwd != ROOT:
        # Under `make mutate` a child outside the project cannot find mutmut's settings:
        # it runs the code as written, and decides nothing about a mutant.
        env.pop("MUTANT_UNDER_TEST", None)
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env)


@pytest.mark.parametrize("path", sorted(BAD.glob("*.json")), ids=lambda p: p.name)
def test_each_bad_file_gives_its_exact_error(path: Path) -> None:
    relative = path.relative_to(ROOT)
    result = run("validate", str(relative))
    assert f"{result.stdout}exit {result.returncode}\n" == path.with_suffix(".expected").read_text()
    assert result.stderr == ""
    printed = run("print", str(relative))
    assert "Traceback" not in printed.stderr
    assert printed.returncode in ((2,) if result.returncode == 2 else (0, 1))
    if result.returncode == 2:
        # print reports the same problems on stderr, then says nothing was loaded.
        problems = [line for line in result.stdout.splitlines() if ": error: " in line]
        assert all(line in printed.stderr for line in problems)
        assert "nothing loaded" in printed.stderr


@pytest.mark.parametrize("path", sorted(BAD.glob("*.json")), ids=lambda p: p.name)
def test_each_bad_file_gives_its_exact_problems_in_process(path: Path) -> None:
    """The same corpus through the loader itself (what `make mutate` can see into)."""
    from tui.model.loading import LoadOptions, load_path
    from tui.model.problems import LoadError

    relative = str(path.relative_to(ROOT))
    try:
        problems = load_path(str(path), options=LoadOptions(thorough=True)).warnings
    except LoadError as exc:
        problems = exc.problems
    expected = path.with_suffix(".expected").read_text().splitlines()[:-2]  # less the summary
    assert [p.format(relative) for p in problems] == expected


def test_a_50_megabyte_string(tmp_path: Path) -> None:
    path = tmp_path / "string.json"
    path.write_bytes(b'"' + b"x" * 50_000_000 + b'"')
    result = run("validate", "string.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == (
        "string.json:1:1: error: expected an object with an `events` list, found a string"
    )


def test_arrays_nested_100000_deep(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    result = run("validate", "deep.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == (
        "deep.json: error: invalid JSON: nested too deeply to read (over about 1,000 levels)"
    )
    assert "Traceback" not in result.stderr


@pytest.mark.scale
def test_100000_events_sharing_one_id(tmp_path: Path) -> None:
    path = tmp_path / "same-id.json"
    event = b'{"id": "same", "date": "2025-01-09", "title": "t"}'
    path.write_bytes(b'{"events": [\n' + b",\n".join([event] * 100_000) + b"\n]}\n")
    result = run("validate", "same-id.json", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stdout.splitlines()
    assert len(lines) == 100_000  # 99,999 duplicates and the summary
    # Every one, not the first and last: each names the first use, and its own place.
    assert lines[:-1] == [
        f'same-id.json:{k + 2}:8: error: event "same": duplicate id, first used at $.events[0]'
        f" (at $.events[{k}].id)"
        for k in range(1, 100_000)
    ]
    assert lines[-1] == "same-id.json: 99999 errors, 0 warnings"


def test_a_directory_a_missing_file_and_an_unreadable_file(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    result = run("validate", "folder", "missing.json", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "folder: error: cannot read: is a directory with no Parquet file under it (a folder"
        " is read as a Parquet dataset: its .parquet files, and its files with no suffix that"
        " are Parquet)",
        "folder: 1 error, 0 warnings",
        "missing.json: error: cannot read: no such file",
        "missing.json: 1 error, 0 warnings",
    ]
    locked = tmp_path / "locked.json"
    shutil.copy(ROOT / "events.json", locked)
    locked.chmod(0)
    tmp_path.chmod(0o755)
    user = None
    if os.geteuid() == 0:  # root reads anything: try as nobody instead
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        user = 65534
    result = run("validate", str(locked), cwd=tmp_path, user=user)
    assert result.returncode == 2
    assert result.stdout.splitlines()[0] == f"{locked}: error: cannot read: permission denied"
