"""Recording a paper hand-over: to whom, and (for orders) the billing timing agreed."""

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label

from tui.widgets.italian import Input, ModalScreen


class HandoverDialog(ModalScreen[tuple[str, str] | None]):
    BINDINGS = [Binding("escape", "cancel", "Annulla")]

    def __init__(self, title: str, billing: bool) -> None:
        super().__init__()
        self.title_text = title
        self.billing = billing

    def compose(self) -> ComposeResult:
        with Vertical(id="handover-dialog"):
            yield Label(self.title_text, classes="bold")
            yield Label("Consegnato a:")
            yield Input(id="recipient")
            if self.billing:
                yield Label("Tempi di fatturazione concordati:")
                yield Input(id="billing")
            yield Label("Invio conferma · Esc annulla", classes="hint")

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if self.billing and event.input.id == "recipient":
            self.query_one("#billing", Input).focus()
            return
        billing = self.query_one("#billing", Input).value if self.billing else ""
        self.dismiss((self.query_one("#recipient", Input).value, billing))

    def action_cancel(self) -> None:
        self.dismiss(None)
