"""A yes/no question that returns a bool."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.widgets.italian import ModalScreen


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("s", "answer(True)", "Sì"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog"):
            yield Label(Text(self.question))
            yield Label("s = sì · n = no", classes="hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
