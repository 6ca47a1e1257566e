"""Paper hand-overs: support contracts to management, order confirmations to administration."""

from procedure.conditions import Context
from procedure.model import Customer, Handover
from procedure.money import euro
from procedure.office import Office
from procedure.orders import totals
from procedure.problems import InvalidInput, Problem
from procedure.serial import to_data
from store.repositories import Records

STEP_OF = {"contracts": "contracts_to_management", "orders": "order_to_administration"}
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
            if k.status != "cancelled"
        ]
    return [
        f"Ordine {o.number} del {o.ordered_on:%d/%m/%Y}, totale {euro(totals(o).total)}"
        if o.ordered_on
        else f"Ordine {o.number}, totale {euro(totals(o).total)}"
        for o in customer.orders
    ]


def hand_over(
    office: Office, code: str, kind: str, recipient: str, billing_timing: str = "", note: str = ""
) -> Handover:
    """Record a hand-over and complete its step; raises InvalidInput or Refused."""
    problems = []
    if kind not in STEP_OF:
        problems.append(Problem("kind", "tipo di consegna: contracts oppure orders"))
    if not recipient.strip():
        problems.append(Problem("recipient", "indicare a chi sono stati consegnati"))
    if kind == "orders" and not billing_timing.strip():
        problems.append(Problem("billing_timing", "indicare i tempi di fatturazione concordati"))
    if problems:
        raise InvalidInput(problems)
    made: list[Handover] = []

    def change(ctx: Context, rec: Records) -> None:
        office.apply_step(ctx, rec, STEP_OF[kind], True, f"consegnato a {recipient.strip()}")
        handover = Handover(
            kind=kind,
            recipient=recipient.strip(),
            at=office.clock(),
            by=office.user,
            items=items(ctx.customer, kind),
            billing_timing=billing_timing.strip(),
            note=note.strip(),
        )
        ctx.customer.handovers.append(handover)
        rec.customer_audit(code, office.entry("handover", kind, None, to_data(handover)))
        made.append(handover)

    office.change(code, change)
    return made[0]


def sheet(customer: Customer, handover: Handover, company: str) -> str:
    """A printable sheet (plain text) with what was handed over, to whom, when, signatures."""
    at = f"{handover.at:%d/%m/%Y %H:%M}" if handover.at else ""
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
    lines += ["", "", "Firma di chi consegna: ____________________",
              "", "Firma di chi riceve:   ____________________"]  # fmt: skip
    return "\n".join(lines) + "\n"
