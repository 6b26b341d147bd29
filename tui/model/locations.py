"""Where files live: the bundled story and the user's own data."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

# os.path, not pathlib, on the way to `timeline print`: it starts faster.
PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
"""The `tui` package's folder."""


def bundled_events() -> str:
    """The bundled `events.json`: inside the package when installed from a wheel,
    at the top of the checkout when run from source."""
    packaged = os.path.join(PACKAGE, "data", "events.json")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(PACKAGE), "events.json")


def data_dir() -> Path:
    """Where the app keeps what the user made (settings, filter history, what each file held,
    the bundled story's notes): XDG on Linux."""
    from pathlib import Path

    override = os.environ.get("TIMELINE_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("timeline", appauthor=False))


SIDECAR_SUFFIX = ".notes.json"


def sidecar_file(event_path: str) -> str:
    """`story.json` → `story.notes.json` beside it. The bundled story's is in the user's
    data folder (its own folder may be a read-only install). A Parquet dataset's
    (datasets.py) is beside its folder, `lake.notes.json`, whatever glob of it is open:
    notes are kept by event id."""
    if any(c in event_path for c in "*?[") and not os.path.exists(event_path):
        from .datasets import dataset_root, is_glob  # not on `print`'s way: pathlib

        if is_glob(event_path):
            event_path = dataset_root(event_path)
    if os.path.isdir(event_path):
        event_path = os.path.abspath(event_path)  # `lake/` and `.` have names too
        return event_path + SIDECAR_SUFFIX
    stem, _ = os.path.splitext(os.path.basename(event_path))
    if os.path.abspath(event_path) == os.path.abspath(bundled_events()):
        return os.path.join(_data_dir_text(), f"bundled-{stem}{SIDECAR_SUFFIX}")
    return os.path.join(os.path.dirname(event_path), stem + SIDECAR_SUFFIX)


def sidecar_exists(event_path: str) -> bool:
    return event_path != "-" and os.path.exists(sidecar_file(event_path))


def _data_dir_text() -> str:
    """data_dir() as text, without importing platformdirs (and pathlib) on Linux: what
    `timeline print` needs to see whether the bundled story has notes."""
    override = os.environ.get("TIMELINE_DATA_DIR")
    if override:
        return override
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_DATA_HOME", "").strip()
        return os.path.join(base or os.path.expanduser("~/.local/share"), "timeline")
    return str(data_dir())
