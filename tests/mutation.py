"""`make mutate`: mutation testing of the model and output layers with mutmut.

    python tests/mutation.py [MODULE ...]      (default: dates query loading render export)

Runs mutmut on the named modules of `tui/` (configured in pyproject.toml), then prints
per module the mutants killed, survived and not reached by any test, and the score:
killed over every mutant that is not listed as equivalent in tests/MUTANTS.md (a
mutant no test reaches counts against the score). Then each survivor not listed
there, with the lines it changes, to be killed by a test or listed with why it is
equivalent. mutmut keeps its results in `mutants/`: a second run retests only what
changed.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ("dates", "query", "loading", "render", "export")
TARGET = 90.0
REVIEWED = ROOT / "tests" / "MUTANTS.md"
MUTMUT = [sys.executable, "-m", "mutmut"]
KILLED = ("killed", "timeout", "caught by type check")


def equivalent() -> set[str]:
    """The mutants tests/MUTANTS.md names (each in backquotes, with why)."""
    if not REVIEWED.exists():
        return set()
    return set(re.findall(r"`(tui\.[^`\s]+__mutmut_\d+)`", REVIEWED.read_text(encoding="utf-8")))


def module_of(mutant: str) -> str:
    """`tui.dates.xǁWhenǁknown_by__mutmut_3` → `dates`; `tui.formats.ical.x_…` → `formats.ical`."""
    path = mutant.split(".x")[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]
    return path.removeprefix("tui.")


def changed_lines(mutant: str) -> str:
    """The lines the mutant changes, from `mutmut show`."""
    shown = subprocess.run(
        [*MUTMUT, "show", mutant], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.splitlines()
    changed = [line for line in shown if line[:1] in "+-" and line[:3] not in ("+++", "---")]
    return "  ".join(changed)


def main(modules: list[str]) -> int:
    log = ROOT / "mutants" / "run.log"
    log.parent.mkdir(exist_ok=True)
    children = str(os.cpu_count() or 2)
    print(f"mutmut on {', '.join(modules)}, {children} workers (progress in {log})", flush=True)
    os.environ["HYPOTHESIS_PROFILE"] = "mutate"  # see tests/conftest.py
    with log.open("w") as out:
        command = [*MUTMUT, "run", "--max-children", children, *(f"tui.{m}.*" for m in modules)]
        ran = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, check=False)
    if ran.returncode != 0:
        print(f"mutmut failed (exit {ran.returncode}); the end of {log}:")
        print("\n".join(log.read_text(errors="replace").replace("\r", "\n").splitlines()[-15:]))
        return ran.returncode
    listed = subprocess.run(
        [*MUTMUT, "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    results = dict(re.findall(r"^\s+(\S+): (.+)$", listed, re.M))
    wanted = {m: s for m, s in results.items() if module_of(m) in modules}
    if not wanted:
        print(f"no mutants found: see {log}")
        return 1
    skip = equivalent()
    header = ("module", "mutants", "killed", "survived", "no test", "equiv.", "score")
    print("\n" + f"{header[0]:<16}" + "".join(f"{h:>9}" for h in header[1:]))
    survivors: list[str] = []
    met = True
    for name in modules:
        mine = {m: s for m, s in wanted.items() if module_of(m) == name}
        counts = Counter(mine.values())
        equivalents = sum(1 for m in mine if m in skip)
        killed = sum(counts[status] for status in KILLED)
        judged = len(mine) - equivalents
        score = 100.0 * killed / judged if judged else 100.0
        met &= score >= TARGET
        survivors += [m for m, s in mine.items() if s not in KILLED and m not in skip]
        cells = (len(mine), killed, counts["survived"], counts["no tests"], equivalents)
        print(f"{name:<16}" + "".join(f"{c:>9}" for c in cells) + f"{score:>8.1f}%")
    verdict = "met" if met else "NOT met"
    print(f"\ntarget: {TARGET:.0f}% of non-equivalent mutants killed in each module: {verdict}")
    if survivors:
        print(f"\n{len(survivors)} survivors: kill each with a test, or list it in MUTANTS.md")
        for mutant in sorted(survivors):
            print(f"  {mutant} ({wanted[mutant]}):  {changed_lines(mutant)[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(DEFAULT)))
