"""A modal that asks for one line of text and returns it (None when cancelled)."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.widgets.italian import Input, ModalScreen


class NoteDialog(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Annulla")]

    def __init__(self, title: str, placeholder: str = "Scrivere la nota e premere Invio") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog"):
            yield Label(self.title_text, id="note-title")
            yield Input(placeholder=self.placeholder, id="note-text")
            yield Label("Invio conferma · Esc annulla", classes="hint")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
