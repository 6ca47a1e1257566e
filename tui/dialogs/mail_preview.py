"""Preview of a mailing before it is sent: recipients, subject, attachments, text."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label, Static

from procedure.services.mail.mailings import Preview
from tui.widgets.italian import ModalScreen, VerticalScroll


class MailPreviewDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter", "send", "Invia"),
        Binding("escape", "cancel", "Annulla"),
    ]

    def __init__(self, preview: Preview) -> None:
        super().__init__()
        self.preview = preview

    def compose(self) -> ComposeResult:
        p = self.preview
        with Vertical(id="mail-dialog"):
            if p.undelivered:
                yield Label(Text(f"(!) {p.undelivered}"), classes="bold")
            yield Label(Text(f"A: {', '.join(p.to)}"))
            yield Label(Text(f"Oggetto: {p.subject}"), classes="bold")
            if p.documents:
                yield Label(Text("Allegati: " + "; ".join(p.documents)))
            with VerticalScroll(id="mail-body"):
                yield Static(Text(p.body))
            yield Label("Invio invia · Esc annulla", classes="hint")

    def action_send(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
