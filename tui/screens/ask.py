"""Small dialogs: a note's editor, a one-line question, a yes-or-no."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static, TextArea

from ..widgets.text_boxes import NoteBox, TextBox


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Content(self.question))
            yield Static(Content.styled("y yes · n no", "$text-muted"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the note to save, or None when closed without saving."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "close", "Close", id="note.close"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.event_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-box"):
            yield Static(Content.assemble(("Note on ", "$text-muted"), (self.event_title, "bold")))
            yield NoteBox(self.note, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(
                Content.styled("ctrl+s saves and closes · Esc closes", "$text-muted"),
                id="note-keys",
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_close(self) -> None:
        if self.query_one(TextArea).text == self.note:
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmScreen("Discard the changes to this note?"), answered)


class AskScreen(ModalScreen[str | None]):
    """One line of text. `check` says what is wrong with an answer (None: nothing)."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="ask.cancel")]

    def __init__(
        self,
        prompt: str,
        value: str = "",
        *,
        suggestions: Sequence[str] = (),
        placeholder: str = "",
        check: Callable[[str], str | None] = lambda answer: None,
    ) -> None:
        super().__init__()
        self.prompt = prompt
        self.value = value
        self.suggestions = list(suggestions)
        self.placeholder = placeholder
        self.check = check

    def compose(self) -> ComposeResult:
        suggester = SuggestFromList(self.suggestions) if self.suggestions else None
        with Vertical(classes="dialog"):
            yield Static(Content(self.prompt))
            yield TextBox(
                self.value, placeholder=self.placeholder, suggester=suggester, id="answer"
            )
            yield Static(id="ask-error")
            yield Static(
                Content.styled(
                    "Enter accepts (→ takes the suggestion) · Esc cancels", "$text-muted"
                )
            )

    def on_mount(self) -> None:
        self.query_one("#ask-error").display = False

    @on(Input.Submitted)
    def _submitted(self, message: Input.Submitted) -> None:
        answer = message.value.strip()
        if not answer:
            self.dismiss(None)
            return
        problem = self.check(answer)
        error = self.query_one("#ask-error", Static)
        if problem:
            error.update(Content.styled(problem, "$error"))
            error.display = True
            return
        self.dismiss(answer)
