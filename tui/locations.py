"""Where files live: the bundled story and the user's own data."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def bundled_events() -> Path:
    """The bundled `events.json`: inside the package when installed from a wheel,
    at the top of the checkout when run from source."""
    packaged = PACKAGE / "data" / "events.json"
    if packaged.is_file():
        return packaged
    return PACKAGE.parent / "events.json"


def data_dir() -> Path:
    """Where the app keeps what the user made (bookmarks, settings): XDG on Linux."""
    override = os.environ.get("TIMELINE_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("timeline", appauthor=False))
