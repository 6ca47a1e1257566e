"""A customer's generated documents, mailings and audit log, newest first."""

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from procedure.enums import AuditAction, MailingStatus
from procedure.italian import audit_target, it_datetime, label_of, mailing_fate, receipt_text
from procedure.office import Office
from procedure.rules.step_parts import bundle_title
from tui.keys import BACK
from tui.widgets.italian import Footer, Screen, VerticalScroll


def history_text(office: Office, code: str) -> Text:
    c = office.customer(code)
    out = Text()
    out.append(f"{c.code}  {c.name}\n", style="bold")
    out.append("\nDocumenti prodotti\n", style="bold")
    for d in reversed(c.documents):
        when = f"{it_datetime(d.created_at)}" if d.created_at else ""
        out.append(f"{when} {d.by}: {d.title} ({'PDF' if d.pdf else 'docx'})\n")
    out.append("\nE-mail\n", style="bold")
    for m in reversed(c.mailings):
        when = f"{it_datetime(m.created_at)}" if m.created_at else ""
        what = bundle_title(office.defs, m.bundle) + (" (PEC)" if m.channel == "pec" else "")
        failed = m.status == MailingStatus.BOUNCED
        out.append(
            f"{when} {what} a {', '.join(m.to)}: {mailing_fate(m)}\n",
            style="bold" if failed else "",
        )
        for r in m.receipts:
            out.append(f"    {receipt_text(r.kind, r.at, r.detail)}\n")
    out.append("\nRegistro delle modifiche\n", style="bold")
    titles = {s.id: s.title for s in office.defs.steps}
    titles.update({f.id: f.title for f in office.defs.forms})
    sent = {m.id: (m.bundle, m.created_at) for m in c.mailings}
    for e in reversed(office.audit(code)):
        action = label_of(AuditAction, e["action"])
        when = it_datetime(datetime.fromisoformat(e["at"]))
        target = audit_target(e, titles, sent)
        told = (AuditAction.STEP_REOPENED, AuditAction.MAIL_RECEIPT, AuditAction.MAIL_BOUNCED)
        reason = f" ({e['after']})" if e["action"] in told and e["after"] else ""
        out.append(f"{when} {e['user']}: {action} {target}{reason}\n")
    return out


class HistoryScreen(Screen[None]):
    BINDINGS = [BACK]

    def __init__(self, office: Office, code: str) -> None:
        super().__init__()
        self.office = office
        self.code = code

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="history"):
            yield Static(history_text(self.office, self.code), id="history-text")
        yield Footer()
