"""`w`: the file's warnings (and the events skipped with --skip-bad), each with its line
and column, as `timeline validate` lists them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..model.problems import Problem
from ..model.text import clean_text, plural


class WarningsScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,w,q", "dismiss", "Close", id="warnings.close")]

    def __init__(self, source: str, problems: list[Problem]) -> None:
        super().__init__()
        self.source = source
        self.problems = problems

    def compose(self) -> ComposeResult:
        heading = f"{plural(len(self.problems), 'warning')} in {self.source}"
        parts: list[Content | str | tuple[str, str]] = [(heading, "bold underline"), "\n\n"]
        for problem in self.problems:
            where = f"{problem.line}:{problem.column}" if problem.line else problem.path
            parts += [(f"{where:>9}  ", "bold $accent"), clean_text(problem.message), "\n"]
        if not self.problems:
            parts.append(("This file has no warnings.", "$text-muted"))
        parts += ["\n", ("Esc or w closes this.", "$text-muted")]
        with VerticalScroll(id="warnings-box"):
            yield Static(Content.assemble(*parts))

    def on_click(self) -> None:
        self.dismiss(None)
