from __future__ import annotations

import inspect
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

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


UNDER_MUTATION = bool(os.environ.get("MUTANT_UNDER_TEST"))
"""`make mutate` runs, for each mutant, every test that reaches it; a surviving mutant
runs them all. What only makes that slow is left out there: the app's tests (the layers
measured are the model, formats and output), tests marked `scale` (a big file, for its
size), and running the command in a child process (next)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not UNDER_MUTATION:
        return
    keep = [
        item
        for item in items
        if not inspect.iscoroutinefunction(getattr(item, "obj", None))
        and item.get_closest_marker("scale") is None
    ]
    config.hook.pytest_deselected(items=[item for item in items if item not in keep])
    items[:] = keep


@pytest.fixture(autouse=True)
def no_command_in_a_child_under_mutation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under `make mutate`, a test that runs `python -m tui` in a child is skipped when it
    does: a second or more each, and what it checks of the model the in-process tests
    check too (which is what the mutation score measures)."""
    if not UNDER_MUTATION:
        return
    real = subprocess.run

    def run(args: Any, *rest: Any, **options: Any) -> Any:
        if list(args[:3]) == [sys.executable, "-m", "tui"]:
            pytest.skip("runs the command in a child process: left out under mutation")
        return real(args, *rest, **options)

    monkeypatch.setattr(subprocess, "run", run)


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


SEVERAL = ROOT / "tests" / "data" / "several"
"""A newsroom's chronology (JSON) and a wire's (CSV) that report two events alike."""


@pytest.fixture
def several_files(tmp_path: Path) -> list[str]:
    """Copies of SEVERAL's files in a folder of their own (their notes go beside them)."""
    for name in ("newsroom.json", "wire.csv"):
        (tmp_path / name).write_bytes((SEVERAL / name).read_bytes())
    return [str(tmp_path / "newsroom.json"), str(tmp_path / "wire.csv")]
