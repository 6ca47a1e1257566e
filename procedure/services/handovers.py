"""Paper hand-overs: support contracts to management, order confirmations to administration."""

from procedure.enums import AuditAction, ContractStatus, HandoverKind
from procedure.folder import DataFolder
from procedure.italian import euro, it_date, it_datetime
from procedure.model import Customer, Handover
from procedure.problems import InvalidInput, Problem
from procedure.rules.commerce.orders import totals
from procedure.rules.step_parts import HANDOVER_ACT
from procedure.serial import to_data
from procedure.services.checklist import Checklist

KINDS = tuple(k.value for k in HandoverKind)  # a hand-over completes the steps of its act
TITLE_OF = {
    "contracts": "Consegna contratti di assistenza alla direzione",
    "orders": "Consegna conferme d'ordine all'amministrazione",
}


def items(customer: Customer, kind: str) -> list[str]:
    """What is handed over: each support contract, or each order with its total."""
    if kind == "contracts":
        return [
            f"Contratto {k.number} ({k.type}), canone annuo {euro(k.annual_fee)}"
            for k in customer.contracts
            if k.status != ContractStatus.CANCELLED
        ]
    return [
        f"Ordine {o.number} del {it_date(o.ordered_on)}, totale {euro(totals(o).total)}"
        if o.ordered_on
        else f"Ordine {o.number}, totale {euro(totals(o).total)}"
        for o in customer.orders
    ]


class Handovers:
    """Paper hand-overs, each recorded with the step it completes."""

    def __init__(self, folder: DataFolder, checklist: Checklist) -> None:
        self.folder = folder
        self.checklist = checklist

    def hand_over(
        self, code: str, kind: str, recipient: str, billing_timing: str = "", note: str = ""
    ) -> Handover:
        """Record a hand-over and complete its step in one commit; raises InvalidInput or
        Refused."""
        office, checklist = self.folder, self.checklist
        problems = []
        if kind not in KINDS:
            problems.append(Problem("kind", "contratti oppure ordini", "Tipo di consegna"))
        if not recipient.strip():
            problems.append(
                Problem("recipient", "indicare a chi sono stati consegnati", "Consegnato a")
            )
        if kind == "orders" and not billing_timing.strip():
            problems.append(
                Problem("billing_timing", "indicare i tempi concordati", "Tempi di fatturazione")
            )
        if problems:
            raise InvalidInput(problems)
        with office.dossiers.edit(code) as d:
            note_text = f"consegnato a {recipient.strip()}"
            evidence = f"handover:{len(d.customer.handovers) + 1}"
            for step_id in office.defs.acting(f"{HANDOVER_ACT}{kind}"):
                checklist.apply_step(d, step_id, True, note_text, evidence)
            handover = Handover(
                kind=HandoverKind(kind),
                recipient=recipient.strip(),
                at=office.clock(),
                by=office.user,
                items=items(d.customer, kind),
                billing_timing=billing_timing.strip(),
                note=note.strip(),
            )
            d.customer.handovers.append(handover)
            d.audit(AuditAction.HANDOVER, kind, None, to_data(handover))
        return handover


def sheet(customer: Customer, handover: Handover, company: str) -> str:
    """A printable sheet (plain text) with what was handed over, to whom, when, signatures."""
    at = f"{it_datetime(handover.at)}" if handover.at else ""
    lines = [
        company,
        TITLE_OF[handover.kind].upper(),
        "",
        f"Cliente: {customer.name} ({customer.code})",
        f"Consegnato da: {handover.by}    a: {handover.recipient}    il: {at}",
        "",
        "Documenti consegnati:",
        *[f"  - {item}" for item in handover.items],
    ]
    if handover.billing_timing:
        lines += ["", f"Tempi di fatturazione concordati: {handover.billing_timing}"]
    if handover.note:
        lines += ["", f"Note: {handover.note}"]
    lines += [
        "",
        "",
        "Firma di chi consegna: ____________________",
        "",
        "Firma di chi riceve:   ____________________",
    ]
    return "\n".join(lines) + "\n"
