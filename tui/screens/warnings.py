"""`w`: the file's warnings (and the events skipped with --skip-bad), each with its line
and column, as `timeline validate` lists them; where they are several files' (files
opened together, a Parquet dataset), under the name of each file."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..model.problems import Problem
from ..model.text import clean_text, plural

SHOWN_UP_TO = 1000
"""Warnings listed here; a file with a warning per event has a million, which took a
minute to lay out (at 200,000) while the app waited, and nobody reads one by one."""


class WarningsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,w,q", "dismiss", "Close", id="warnings.close")]

    def __init__(self, source: str, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.source = source
        self.problems = problems

    def compose(self) -> ComposeResult:
        heading = f"{plural(len(self.problems), 'warning')} in {self.source}"
        parts: list[Content | str | tuple[str, str]] = [(heading, "bold underline"), "\n\n"]
        file = None
        for problem in self.problems[:SHOWN_UP_TO]:
            if problem.file is not None and problem.file != file:
                file = problem.file
                parts += [(clean_text(file), "bold"), "\n"]
            where = f"{problem.line}:{problem.column}" if problem.line else problem.path
            parts += [(f"{where:>9}  ", "bold $accent"), clean_text(problem.message), "\n"]
        if len(self.problems) > SHOWN_UP_TO:
            more = f"… and {len(self.problems) - SHOWN_UP_TO:,} more"
            if self.source != "<stdin>":
                more += f"; `timeline validate {self.source}` lists every one"
            parts.append((clean_text(more) + ".\n", "$text-muted"))
        if not self.problems:
            parts.append(("This file has no warnings.", "$text-muted"))
        parts += ["\n", ("Esc or w closes this.", "$text-muted")]
        with VerticalScroll(id="warnings-box"):
            yield Static(Content.assemble(*parts))

    def on_click(self) -> None:
        self.dismiss(None)
