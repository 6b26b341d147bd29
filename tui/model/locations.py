"""Where files live: the bundled story and the user's own data."""

from __future__ import annotations

import os
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
