"""A customer's generated documents, mailings and audit log, newest first."""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from procedure.office import Office
from tui.keys import BACK

ACTIONS = {
    "step.done": "passo completato",
    "step.undo": "passo riaperto",
    "step.note": "nota",
    "form.sent": "modulo inviato",
    "form.returned": "modulo rientrato",
    "customer.update": "anagrafica modificata",
    "customer.convert": "convertito da prospect",
    "document": "documento prodotto",
    "handover": "consegna",
    "licence.issue": "licenza emessa",
    "review.master_data": "revisione dati anagrafici",
    "contract.renew": "contratto rinnovato",
}
STATUS = {
    "queued": "in coda",
    "sending": "in invio",
    "sent": "inviata",
    "unknown": "esito sconosciuto",
    "cancelled": "annullata",
}


def history_text(office: Office, code: str) -> Text:
    c = office.customer(code)
    out = Text()
    out.append(f"{c.code}  {c.name}\n", style="bold")
    out.append("\nDocumenti prodotti\n", style="bold")
    for d in reversed(c.documents):
        when = f"{d.created_at:%d/%m/%Y %H:%M}" if d.created_at else ""
        out.append(f"{when} {d.by}: {d.title} ({'PDF' if d.pdf else 'docx'})\n")
    out.append("\nE-mail\n", style="bold")
    for m in reversed(c.mailings):
        when = f"{m.created_at:%d/%m/%Y %H:%M}" if m.created_at else ""
        out.append(f"{when} {m.bundle} a {', '.join(m.to)}: {STATUS.get(m.status, m.status)}\n")
    out.append("\nRegistro delle modifiche\n", style="bold")
    for e in reversed(office.audit(code)):
        action = ACTIONS.get(e["action"], e["action"])
        out.append(f"{e['at'][:16].replace('T', ' ')} {e['user']}: {action} {e['target']}\n")
    return out


class HistoryScreen(Screen[None]):
    BINDINGS = [BACK]

    def __init__(self, office: Office, code: str) -> None:
        super().__init__()
        self.office = office
        self.code = code

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history"):
            yield Static(history_text(self.office, self.code))
        yield Footer()
