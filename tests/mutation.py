"""`make mutate`: mutation testing of the model and output layers with mutmut.

    python tests/mutation.py [MODULE ...]      (default: DEFAULT below)

Runs mutmut on the named modules of `tui/` (configured in pyproject.toml), then prints
per module the mutants killed, survived and not reached by any test, and the score:
killed over every mutant that is not listed as equivalent in tests/MUTANTS.md (a
mutant no test reaches counts against the score). Then each survivor not listed
there, with the lines it changes, to be killed by a test or listed with why it is
equivalent. mutmut keeps its results in `mutants/`: a second run tests only the mutants
with no verdict yet (new, or in a function that changed) and the survivors, which a new
test may now kill; a killed mutant stays killed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = (
    "model.dates",
    "model.query",
    "model.validation",
    "model.sidecar",
    "model.provenance",
    "model.changes",
    "model.lints",
    "model.combining",
    "model.dupes",
    "model.sidecars",
    "output.dupes",
    "output.render",
    "output.markdown",
    "formats.table",
    "formats.timeline",
)
TARGET = 90.0
REVIEWED = ROOT / "tests" / "MUTANTS.md"
MUTMUT = [sys.executable, "-m", "mutmut"]
KILLED = ("killed", "timeout", "caught by type check")
RETEST = (None, 0, 33)
"""mutmut's exit codes worth running again: no verdict, survived, no test reached it."""


def equivalent() -> set[str]:
    """The mutants tests/MUTANTS.md names (each in backquotes, with why)."""
    if not REVIEWED.exists():
        return set()
    return set(re.findall(r"`(tui\.[^`\s]+__mutmut_\d+)`", REVIEWED.read_text(encoding="utf-8")))


def module_of(mutant: str) -> str:
    """`tui.model.dates.xǁWhenǁknown_by__mutmut_3` → `model.dates`."""
    path = mutant.split(".x")[0] if ".x" in mutant else mutant.rsplit(".", 1)[0]
    return path.removeprefix("tui.")


def verdicts(modules: list[str]) -> dict[str, int | None]:
    """mutmut's last verdict on each mutant of `modules`, from its files in `mutants/`."""
    found: dict[str, int | None] = {}
    for name in modules:
        meta = ROOT / "mutants" / "tui" / (name.replace(".", "/") + ".py.meta")
        if meta.exists():
            found |= json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return found


def mutmut_run(names: list[str], out: object) -> int:
    children = str(os.cpu_count() or 2)
    command = [*MUTMUT, "run", "--max-children", children, *names]
    return subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT).returncode


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
    print(f"mutmut on {', '.join(modules)}, {os.cpu_count()} workers (progress in {log})")
    os.environ["HYPOTHESIS_PROFILE"] = "mutate"  # see tests/conftest.py
    # mutmut maps tests to the functions they reach once, and keeps the map: a function
    # added since, or a test that reaches another one now, would be missed. Map again.
    (ROOT / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    with log.open("w") as out:
        before = verdicts(modules)
        killed = [m for m, code in before.items() if code not in RETEST]
        if not before:
            returncode = mutmut_run([f"tui.{m}.*" for m in modules], out)
        else:
            # Running one killed mutant makes mutmut bring its mutants up to date with the
            # code (a changed function's verdicts are dropped); then only what is worth it.
            returncode = mutmut_run(killed[:1], out) if killed else 1
            if returncode != 0:  # that mutant is gone with its function: test them all
                returncode = mutmut_run([f"tui.{m}.*" for m in modules], out)
            again = [m for m, code in verdicts(modules).items() if code in RETEST]
            print(f"{len(again)} mutants to test (new, changed or surviving)", flush=True)
            if returncode == 0 and again:
                returncode = mutmut_run(again, out)
    if returncode != 0:
        print(f"mutmut failed (exit {returncode}); the end of {log}:")
        print("\n".join(log.read_text(errors="replace").replace("\r", "\n").splitlines()[-15:]))
        return returncode
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
        # Listed as equivalent but killed since (a new test found a way): not equivalent.
        equivalents = sum(1 for m, status in mine.items() if m in skip and status not in KILLED)
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
