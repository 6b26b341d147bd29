from __future__ import annotations

from pathlib import Path

import pytest

from tui.events import Timeline
from tui.loading import load_path

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUNDLED = ROOT / "events.json"


@pytest.fixture(scope="session")
def story() -> Timeline:
    return load_path(str(BUNDLED)).timeline


def ids(timeline: Timeline, positions: list[int]) -> list[str]:
    return [timeline[i].id for i in positions]


@pytest.fixture(autouse=True)
def private_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own data folder: no bookmarks or theme leak between tests
    or from the person running them."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("TIMELINE_DATA_DIR", str(folder))
    return folder
