from __future__ import annotations

import inspect
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, settings

from tui.model.events import Timeline
from tui.model.loading import load_path

# The machine is shared and noisy: no per-example deadline. `make fuzz` picks the
# long profile; FUZZ_EXAMPLES sets its size.
settings.register_profile("default", deadline=None, max_examples=200)
settings.register_profile(
    "fuzz",
    deadline=None,
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "20000")),
    suppress_health_check=[HealthCheck.too_slow],
)
# `make mutate` runs the tests once per mutant: few examples, always the same ones.
settings.register_profile(
    "mutate",
    deadline=None,
    max_examples=10,
    derandomize=True,
    database=None,
    phases=(Phase.explicit, Phase.generate),  # a failure found is enough: no shrinking
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
BUNDLED = ROOT / "events.json"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under `make mutate` (mutmut sets MUTANT_UNDER_TEST), leave out the app's tests:
    the layers it measures are the model and output, and each mutant runs every test
    that reaches it."""
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    keep = [item for item in items if not inspect.iscoroutinefunction(getattr(item, "obj", None))]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


@pytest.fixture(scope="session")
def story() -> Timeline:
    return load_path(str(BUNDLED)).timeline


def ids(timeline: Timeline, positions: list[int]) -> list[str]:
    return [timeline[i].id for i in positions]


@pytest.fixture(autouse=True)
def private_state(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own data and cache folders: no bookmarks, theme or
    snapshot leaks between tests or from the person running them."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("TIMELINE_DATA_DIR", str(folder))
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(folder / "cache"))
    monkeypatch.delenv("TMUX", raising=False)  # the same screens inside tmux or not
    return folder
