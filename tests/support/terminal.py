"""Running the command in a pseudo-terminal, as a person's terminal would."""

from __future__ import annotations

import os
import pty
import re
import select
import subprocess

from tests.conftest import ROOT

SGR = re.compile(r"\x1b\[[0-9;]*m")


def run_in_pty(args: list[str], width: int = 100, extra_env: dict[str, str] | None = None) -> str:
    """Run a command with its output on a pseudo-terminal; return what it wrote."""
    main_fd, child_fd = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child_fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, width, 0, 0))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    env = {**env, "TERM": "xterm-256color", **(extra_env or {})}
    process = subprocess.Popen(args, stdout=child_fd, stderr=child_fd, cwd=ROOT, env=env)
    os.close(child_fd)
    output = b""
    while True:
        ready_fds, _, _ = select.select([main_fd], [], [], 10)
        if not ready_fds:
            break
        try:
            chunk = os.read(main_fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    process.wait(10)
    os.close(main_fd)
    assert process.returncode == 0, output
    return output.decode("utf-8")
