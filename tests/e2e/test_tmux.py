"""The real `timeline` command in a real terminal: tmux types as a person would
and reads the screen back."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

TIMELINE = Path(sys.executable).parent / "timeline"


class Terminal:
    """A tmux server of its own, one window of 120x36 running a plain shell."""

    def __init__(self, socket: str, data_dir: Path) -> None:
        self.socket = socket
        self.tmux(
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "120",
            "-y",
            "36",
            "bash",
            "--norc",
            "--noprofile",
        )
        self.tmux("set-option", "-t", "e2e", "status", "off")
        self.run(f"cd {ROOT} && export TIMELINE_DATA_DIR={data_dir} PS1='$ ' && clear")
        self.wait_for("$")

    def tmux(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def run(self, command_line: str) -> None:
        """Type a command at the shell prompt and press Enter."""
        self.type(command_line)
        self.keys("Enter")

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "e2e")

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "e2e", *keys)

    def type(self, text: str) -> None:
        """Type like a (fast) person: one key at a time."""
        for char in text:
            # A lone ";" would end the tmux command; escaped, it is a key.
            self.tmux("send-keys", "-t", "e2e", "-l", "\\;" if char == ";" else char)
            time.sleep(0.02)

    def alternate_screen(self) -> bool:
        return self.tmux("display", "-p", "-t", "e2e", "#{alternate_on}").strip() == "1"

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        """Wait until every text is on the screen at once."""
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts!r} never appeared; the screen:\n{screen}")
            time.sleep(0.1)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    socket = f"timeline-e2e-{uuid.uuid4().hex[:8]}"
    term = Terminal(socket, tmp_path)
    try:
        yield term
    finally:
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_a_person_filters_opens_an_event_and_quits(terminal: Terminal) -> None:
    terminal.run("echo shell before the app")
    terminal.run(f"{TIMELINE}; echo EXIT=$?")
    screen = terminal.wait_for("13 of 13 events")
    assert "North Korean soldiers captured in Kursk" in screen
    assert terminal.alternate_screen()
    time.sleep(0.5)  # a person reads the screen before typing

    terminal.keys("/")
    terminal.type("on:2024-06-19")
    screen = terminal.wait_for("1 of 13 events")
    assert "Russia and North Korea sign a strategic" in screen
    assert "Ukrainian forces capture" not in screen

    terminal.keys("C-u")
    time.sleep(0.2)
    terminal.type("id:capture")
    terminal.wait_for("▊  id:capture ", "1 of 13 events", "Ukrainian forces capture")
    terminal.keys("Enter")
    time.sleep(0.3)
    terminal.keys("Enter")
    screen = terminal.wait_for("On January 9, Ukrainian forces apprehended these soldiers")
    assert "Related events" in screen
    terminal.keys("Escape")
    terminal.wait_for("1 of 13 events")

    terminal.keys("q")
    screen = terminal.wait_for("EXIT=0")
    # The terminal is as the app found it: main screen back, the shell's text still there.
    assert not terminal.alternate_screen()
    assert "shell before the app" in screen
    assert "of 13 events" not in screen


def test_a_bad_file_prints_its_problems_and_exits_2(terminal: Terminal, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"events": [\n {"id": "a", "date": "2025-02-30", "title": "x"}\n]}')
    terminal.run(f"cd {tmp_path} && {TIMELINE} bad.json; echo EXIT=$?")
    screen = terminal.wait_for("EXIT=2")
    assert "bad.json:2:" in screen and "day 30 is out of range for February 2025" in screen
    assert "Traceback" not in screen
    assert not terminal.alternate_screen()


def test_hostile_data_leaves_the_pane_title_and_clipboard_alone(
    terminal: Terminal, tmp_path: Path
) -> None:
    from tests.support.hostile import PAYLOADS, hostile_file

    terminal.tmux("set-option", "-g", "set-clipboard", "on")  # so an OSC 52 would land in a buffer
    terminal.tmux("set-option", "-g", "allow-rename", "on")
    title_before = terminal.tmux("display", "-p", "-t", "e2e", "#{pane_title}")
    payload = PAYLOADS["osc-window-title"] + PAYLOADS["osc-52-clipboard"] + PAYLOADS["c1-controls"]
    path = hostile_file(tmp_path / "evil.json", payload)
    terminal.run(f"{TIMELINE} print --color always {path}; echo PRINTED=$?")
    terminal.wait_for("PRINTED=0")
    terminal.run(f"{TIMELINE} {path}; echo EXIT=$?")
    terminal.wait_for("of 2 events")
    time.sleep(0.5)
    terminal.keys("Enter")  # open the event: every field on screen
    terminal.wait_for("Notes")
    terminal.keys("Escape")
    time.sleep(0.3)
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    assert terminal.tmux("display", "-p", "-t", "e2e", "#{pane_title}") == title_before
    assert "pwned" not in terminal.tmux("display", "-p", "-t", "e2e", "#{pane_title}#{window_name}")
    assert terminal.tmux("list-buffers") == ""


@pytest.mark.parametrize(
    ("variable", "value"),
    [("TERM", "dumb"), ("NO_COLOR", "1"), ("LANG", "C")],
    ids=["TERM=dumb", "NO_COLOR", "LANG=C"],
)
def test_odd_terminal_settings(terminal: Terminal, variable: str, value: str) -> None:
    prefix = f"env {variable}={value}" + (" LC_ALL=C" if variable == "LANG" else "")
    terminal.run(f"{prefix} {TIMELINE} print | head -3; echo PRINTED=$?")
    screen = terminal.wait_for("PRINTED=0")
    assert "13 events · 24 Feb 2022 – 13 Jan 2025" in screen
    terminal.run(f"clear; {prefix} {TIMELINE}; echo EXIT=$?")
    terminal.wait_for("13 of 13 events")
    time.sleep(0.5)
    terminal.keys("j")
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    assert not terminal.alternate_screen()


def test_events_piped_in_and_keys_from_the_terminal(terminal: Terminal) -> None:
    terminal.run(f"cat events.json | {TIMELINE} -; echo EXIT=$?")
    terminal.wait_for("13 of 13 events")
    time.sleep(0.5)
    terminal.keys("j")  # the keys reach the app although standard input was the pipe
    terminal.wait_for("place Pyongyang")  # the detail pane of the second event
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    assert not terminal.alternate_screen()


def test_events_still_on_their_way_through_a_pipe_are_waited_for_on_screen(
    terminal: Terminal, tmp_path: Path
) -> None:
    """The app reads standard input itself, in its thread: the screen says it is loading
    while the writer has not yet written, and the keys still come from the terminal."""
    release = tmp_path / "release"
    terminal.run(
        f"(while [ ! -e {release} ]; do sleep 0.1; done; cat events.json) | {TIMELINE} -;"
        " echo EXIT=$?"
    )
    terminal.wait_for("loading standard input")
    release.touch()
    terminal.wait_for("13 of 13 events")
    time.sleep(0.5)
    terminal.keys("j")
    terminal.wait_for("place Pyongyang")
    terminal.keys("q")
    terminal.wait_for("EXIT=0")


def test_a_note_and_a_star_last_and_print(terminal: Terminal, tmp_path: Path) -> None:
    """DESIGN.md §6: written in the app, kept beside the file, found again, printed."""
    story = tmp_path / "story.json"
    story.write_bytes((ROOT / "events.json").read_bytes())
    terminal.run(f"cd {tmp_path} && {TIMELINE} story.json; echo EXIT=$?")
    terminal.wait_for("13 of 13 events")
    time.sleep(0.5)
    terminal.keys("/")
    terminal.type("id:=capture")
    terminal.wait_for("1 of 13 events")
    terminal.keys("Enter")
    time.sleep(0.3)
    terminal.keys("*")
    terminal.wait_for("Starred.")
    terminal.keys("n")
    terminal.wait_for("ctrl+s saves and closes")
    terminal.type("Ask the SBU for the full video")
    terminal.keys("C-s")
    terminal.wait_for("Note saved.", "your note Ask the SBU for the full video")
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    assert (tmp_path / "story.notes.json").exists()

    terminal.run(f"clear; {TIMELINE} story.json; echo EXIT=$?")
    terminal.wait_for("13 of 13 events")
    time.sleep(0.5)
    terminal.keys("/")
    terminal.type("is:starred")
    screen = terminal.wait_for("1 of 13 events", "your note Ask the SBU for the full video")
    assert "★✎" in screen  # the row's marks: starred, noted
    terminal.keys("Enter")
    time.sleep(0.3)
    terminal.keys("q")
    terminal.wait_for("EXIT=0")

    terminal.run(f"clear; {TIMELINE} print story.json 'is:starred' --notes; echo PRINTED=$?")
    screen = terminal.wait_for("PRINTED=0")
    assert "Ukrainian forces capture two wounded North Korean" in screen
    assert "★ starred" in screen
    assert "your note: Ask the SBU for the full video" in screen


def test_two_files_open_as_one_and_a_pair_is_marked_the_same(
    terminal: Terminal, tmp_path: Path
) -> None:
    """DESIGN.md §6: a JSON and a CSV as one timeline, a mark each, `file:`, and the pair
    they both report found with D and marked the same, which `print` then shows once."""
    for name in ("newsroom.json", "wire.csv"):
        (tmp_path / name).write_bytes((ROOT / "tests" / "data" / "several" / name).read_bytes())
    terminal.run(f"cd {tmp_path} && {TIMELINE} newsroom.json wire.csv; echo EXIT=$?")
    screen = terminal.wait_for("7 of 7 events", "1 newsroom.json  2 wire.csv")
    assert "2   10 Jan 2025" in screen  # the wire's capture, with its file's mark
    time.sleep(0.5)
    terminal.keys("/")
    terminal.type("file:wire.csv")
    screen = terminal.wait_for("3 of 7 events")
    assert "Drone attack on Kharkiv overnight" in screen
    assert "Ukrainian forces capture two wounded" not in screen
    terminal.keys("C-u")
    terminal.wait_for("7 of 7 events")
    terminal.keys("Enter")  # back to the list
    time.sleep(0.3)
    terminal.keys("D")
    terminal.wait_for("2 possible duplicates among 7 events", "titles 77% alike")
    terminal.keys("s")
    terminal.wait_for("Marked the same: saved in")
    terminal.wait_for("6 of 6 events")
    terminal.keys("Escape")
    time.sleep(0.3)
    terminal.keys("q")
    terminal.wait_for("EXIT=0")
    terminal.run(f"clear; {TIMELINE} print newsroom.json wire.csv kursk; echo PRINTED=$?")
    screen = terminal.wait_for("PRINTED=0")
    assert "1 of 6 events" in screen
    assert "same as: Two North Korean soldiers captured by Ukraine in Kursk" in screen
