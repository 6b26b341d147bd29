"""The model layer never imports Textual, and `timeline print` doesn't either."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

MODEL_MODULES = [
    "model.dates",
    "model.events",
    "model.loading",
    "model.query",
    "output.render",
    "output.export",
    "model.text",
    "model.problems",
    "model.jsonpos",
]


def test_model_layer_imports_no_textual() -> None:
    imports = "; ".join(f"import tui.{name}" for name in MODEL_MODULES)
    code = f"import sys; {imports}; print([m for m in sys.modules if m.startswith('textual')])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


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
