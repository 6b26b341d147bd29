"""Problems that do not stop the work (a snapshot not written, a leftover temporary
file not removed): on standard error when TIMELINE_DEBUG is set, else nowhere.

Plain writes, not the logging module: `timeline print` must start fast. In the
app, standard error is the terminal: `TIMELINE_DEBUG=1 timeline FILE 2>debug.log`.
"""

from __future__ import annotations

import os
import sys


def debug(message: str) -> None:
    if os.environ.get("TIMELINE_DEBUG"):
        stream = sys.__stderr__ or sys.stderr
        stream.write(f"timeline: debug: {message}\n")
        stream.flush()
