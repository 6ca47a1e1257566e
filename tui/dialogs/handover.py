"""Recording a paper hand-over: to whom, and (for orders) the billing timing agreed."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.widgets.italian import Input, ModalScreen


class HandoverDialog(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Annulla")]

    def __init__(self, title: str, recipient: str, billing: str | None = None) -> None:
        """``recipient``, ``billing``: the values proposed (None: no billing timing asked)."""
        super().__init__()
        self.title_text = title
        self.recipient = recipient
        self.billing = billing

    def compose(self) -> ComposeResult:
        with Vertical(id="handover-dialog"):
            yield Label(self.title_text, classes="bold")
            yield Label("Consegnato a:")
            yield Input(self.recipient, id="recipient")
            if self.billing is not None:
                yield Label("Tempi di fatturazione concordati:")
                yield Input(self.billing, id="billing")
            yield Label("Invio conferma · Tab campo successivo · Esc annulla", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        asked = self.billing is not None
        if asked and not self.query_one("#billing", Input).value.strip():
            self.query_one("#billing", Input).focus()  # Invio confirms once both are filled
            return
        billing = self.query_one("#billing", Input).value if asked else ""
        self.dismiss((self.query_one("#recipient", Input).value, billing))

    def action_cancel(self) -> None:
        self.dismiss(None)
