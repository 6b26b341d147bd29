"""The layers, one way: import-linter's contracts (pyproject.toml) hold, and would catch a
model module importing Textual; no module imports itself through others; `timeline
print` imports nothing from Textual."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "tui"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache"], capture_output=True, text=True, cwd=cwd
    )


def test_the_import_contracts_hold() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout
    assert "4 kept, 0 broken" in result.stdout


def test_a_model_module_importing_textual_breaks_a_contract(tmp_path: Path) -> None:
    shutil.copytree(PACKAGE, tmp_path / "tui", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    planted = tmp_path / "tui" / "model" / "dates.py"
    planted.write_text(planted.read_text() + "\n\ndef _planted() -> None:\n    import textual\n")
    result = lint_imports(tmp_path)
    assert result.returncode != 0
    assert "tui.model.dates -> textual" in result.stdout


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """The package's modules `path` imports, at any depth of its code (inside functions
    and `if TYPE_CHECKING:` too)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in modules}
    return found - {name}


def test_no_module_imports_itself_through_others() -> None:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {name: imported_modules(path, set(paths)) for name, path in paths.items()}
    assert graph["tui.model.loading"] >= {"tui.model.reading", "tui.formats"}  # it sees imports
    cycles = []
    for start in graph:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert cycles == []


def test_print_imports_nothing_from_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", "print"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0
    imported = [
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    ]
    assert "tui.output.render" in imported  # the measurement saw the command's imports
    assert not [name for name in imported if name.split(".")[0] == "textual"]


_APP_ON_THE_BUNDLED_STORY = """
import asyncio, sys
from tui.app import TimelineApp

async def main():
    app = TimelineApp("events.json")
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press("/", "k", "u", "r", "s", "k", "enter")
        await pilot.pause()
    print(" ".join(sorted(sys.modules)))

asyncio.run(main())
"""


@pytest.mark.parametrize(
    "command",
    [
        ["-m", "tui", "print", "kursk"],
        ["-m", "tui", "stats"],
        ["-m", "tui", "validate", "events.json"],
        ["-c", _APP_ON_THE_BUNDLED_STORY],
    ],
    ids=["print", "stats", "validate", "app"],
)
def test_small_files_never_load_duckdb_nor_numpy(command: list[str]) -> None:
    """DESIGN.md §5: a small file is held in memory, and start-up pays for neither."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", *command], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "tui.model.events" in imported  # the measurement saw the command's imports
    assert not {name.split(".")[0] for name in imported} & {"duckdb", "numpy", "_duckdb"}


def test_print_of_a_file_imports_nothing_a_dataset_needs() -> None:
    """Whether a path names a Parquet dataset is asked of every file: glob, hashlib and
    pathlib (6 ms of `print`'s 60 on the bundled story) wait until one is read."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", "print", "events.json", "kursk"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "tui.model.datasets" in imported
    assert not imported & {"glob", "hashlib", "pathlib"}


def test_print_of_a_large_file_without_a_snapshot_loads_no_numpy(tmp_path: Path) -> None:
    """A file large enough for a snapshot is looked up in the cache before it is read;
    with none there, `print` needs neither numpy (37 ms to import) nor DuckDB."""
    import json

    from tui.model.loading import SNAPSHOT_AT_LEAST

    padding = "x" * 500
    count = SNAPSHOT_AT_LEAST // 500 + 10
    events = [
        {"id": f"e{i}", "date": "2025-01-09", "title": f"T{i} {padding}"} for i in range(count)
    ]
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"events": events}))
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "tui", "print", str(big), "T7"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TIMELINE_CACHE_DIR": str(tmp_path / "cache")},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line
    }
    assert "tui.model.cache" in imported  # it looked for a snapshot
    assert not {name.split(".")[0] for name in imported} & {"duckdb", "numpy", "_duckdb"}
