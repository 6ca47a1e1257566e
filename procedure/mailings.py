"""The mailings of the procedure: forms pack, contracts bundle (support contract, osTicket
instructions and every other contract in one e-mail), licences, and form reminders."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procedure import document_context as dc
from procedure.conditions import Context, missing_forms
from procedure.delivery import OPEN, SENT, deliver, reconcile, record
from procedure.documents import generate, latest_documents
from procedure.licences import issue_licences
from procedure.mail_compose import compose, mail_text, recipients
from procedure.model import Customer, DocumentRecord, FormRecord, Mailing
from procedure.office import NotFound, Office, Refused
from procedure.steps import why_not_done
from store.repositories import Records

BUNDLES = {
    "forms": (("forms",), ("forms_sent",)),
    "contracts": (("contract", "osticket"), ("contract_sent", "osticket_instructions_sent")),
    "licences": (("licence",), ("licences_sent",)),
}


@dataclass(frozen=True)
class MailResult:
    mailing: Mailing
    documents: list[DocumentRecord]
    warning: str  # e.g. attachments as .docx because no PDF converter exists


def _attachment(record: DocumentRecord) -> Path:
    return Path(record.pdf) if record.pdf and Path(record.pdf).exists() else Path(record.file)


def _documents(
    office: Office, code: str, kinds: tuple[str, ...]
) -> tuple[list[DocumentRecord], str]:
    """The latest documents of each kind, generating (with PDF) those never generated."""
    records: list[DocumentRecord] = []
    warnings: list[str] = []
    for kind in kinds:
        if kind == "licence" and not office.customer(code).licences:
            issue_licences(office, code)
        latest = latest_documents(office.customer(code), kind)
        if not latest:
            result = generate(office, code, kind, pdf=True)
            latest = result.records
            if result.warning:
                warnings.append(result.warning)
        records += latest
    return records, " ".join(dict.fromkeys(warnings))


def _base(office: Office, customer: Customer) -> dict[str, Any]:
    return {"company": dc.company(office.settings), "customer": dc.customer(customer, office.defs)}


def send_bundle(office: Office, code: str, bundle: str) -> MailResult:
    """Generate what is missing, record the mailing, send it, then complete its steps.

    Refused when a step of the bundle cannot be done yet (the reason says why); a mailing
    that could not be delivered stays queued and is retried by ``retry_open``.
    """
    if bundle not in BUNDLES:
        raise NotFound(f"Invio {bundle!r} sconosciuto; ammessi: {', '.join(BUNDLES)}.")
    kinds, steps = BUNDLES[bundle]
    customer = office.customer(code)
    ctx = office.context(customer)
    for step_id in steps:
        state = customer.steps.get(step_id)
        reason = None if state and state.done else why_not_done(ctx, office.defs.step(step_id))
        if reason:
            raise Refused(reason)
    documents, warning = _documents(office, code, kinds)
    customer = office.customer(code)
    context = {**_base(office, customer), "documents": [d.title for d in documents]}
    attachments = [_attachment(d) for d in documents]
    mailing, data = compose(office.settings, customer, bundle, context, attachments,
                            office.clock(), office.user)  # fmt: skip
    record(office, code, mailing, data)
    sent = deliver(office, code, mailing.id)
    if sent.status == SENT:
        after_sent(office, code, sent, documents)
    return MailResult(sent, documents, warning)


def after_sent(
    office: Office, code: str, mailing: Mailing, documents: list[DocumentRecord]
) -> None:
    """What a delivered mailing means for the procedure: steps done, forms and contracts sent."""
    steps = BUNDLES.get(mailing.bundle, ((), ()))[1]
    now = office.clock()

    def change(ctx: Context, rec: Records) -> None:
        for step_id in steps:
            state = ctx.customer.steps.get(step_id)
            if not (state and state.done):
                office.apply_step(ctx, rec, step_id, True, f"inviato a {', '.join(mailing.to)}")
        for d in documents:
            if d.form and d.kind == "forms":
                form = ctx.customer.forms.setdefault(d.form, FormRecord())
                form.sent_at = form.sent_at or now
        if mailing.bundle == "contracts":
            for contract in ctx.customer.contracts:
                if contract.status == "draft":
                    contract.status, contract.sent_at = "sent", now.date()
        if mailing.bundle == "reminder":
            for missing in missing_forms(ctx):
                ctx.customer.forms.setdefault(missing.id, FormRecord()).chased_at.append(now)

    office.change(code, change)


def send_reminder(office: Office, code: str) -> MailResult:
    """E-mail the customer the list of forms still missing."""
    customer = office.customer(code)
    missing = missing_forms(office.context(customer))
    if not missing:
        raise Refused(f"{code}: tutti i moduli richiesti sono rientrati.")
    context = {**_base(office, customer), "missing": [f.title for f in missing]}
    mailing, data = compose(office.settings, customer, "reminder", context, [], office.clock(),
                            office.user)  # fmt: skip
    record(office, code, mailing, data)
    sent = deliver(office, code, mailing.id)
    if sent.status == SENT:
        after_sent(office, code, sent, [])
    return MailResult(sent, [], "")


def open_mailings(office: Office) -> list[tuple[str, Mailing]]:
    """Every mailing not yet settled (queued, sending, unknown), with its customer code."""
    out = []
    for summary in office.list_customers():
        if summary.open_mail:
            out += [(summary.code, m) for m in office.customer(summary.code).mailings
                    if m.status in OPEN]  # fmt: skip
    return out


def retry_open(office: Office) -> list[tuple[str, Mailing]]:
    """Flag crashed sends as unknown, retry every queued mailing; returns the outcomes."""
    results = []
    for code, m in open_mailings(office):
        reconcile(office, code)
        current = next(x for x in office.customer(code).mailings if x.id == m.id)
        if current.status == "queued":
            current = deliver(office, code, m.id)
            if current.status == SENT:
                attached = set(current.attachments)
                documents = [
                    d for d in office.customer(code).documents if {d.file, d.pdf} & attached
                ]
                after_sent(office, code, current, documents)
        results.append((code, current))
    return results


@dataclass(frozen=True)
class Preview:
    to: list[str]
    subject: str
    body: str
    documents: list[str]  # titles; "(da generare)" for those not generated yet


def preview(office: Office, code: str, bundle: str) -> Preview:
    """What ``bundle`` would send now, without generating or recording anything."""
    customer = office.customer(code)
    if bundle == "reminder":
        titles = [f.title for f in missing_forms(office.context(customer))]
        context = {**_base(office, customer), "missing": titles}
        titles = []
    else:
        if bundle not in BUNDLES:
            raise NotFound(f"Invio {bundle!r} sconosciuto.")
        titles = []
        for kind in BUNDLES[bundle][0]:
            latest = latest_documents(customer, kind)
            titles += [d.title for d in latest] or [f"{kind} (da generare)"]
        context = {**_base(office, customer), "documents": titles}
    subject, body = mail_text(office.settings, bundle, context)
    return Preview(recipients(customer, bundle), subject, body, titles)
