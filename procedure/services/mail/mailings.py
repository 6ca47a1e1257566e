"""The mailings of the procedure: forms pack, contracts bundle (support contract, osTicket
instructions and every other contract in one e-mail), licences, and form reminders."""

import dataclasses
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procedure.documents import context as dc
from procedure.dossiers import DossierEdit
from procedure.enums import (
    FAILED_RECEIPTS,
    OPEN_MAILINGS,
    AuditAction,
    Bundle,
    ContractStatus,
    MailingStatus,
    mail_action,
)
from procedure.errors import NotFound, Refused
from procedure.folder import DataFolder
from procedure.italian import label, receipt_text
from procedure.mail.compose import by_pec, compose, mail_text, readdressed, recipients
from procedure.model import Customer, DocumentRecord, FormRecord, Mailing, MailReceipt
from procedure.rules.conditions import missing_forms
from procedure.rules.definitions import Definitions
from procedure.rules.progress import undelivered
from procedure.rules.step_parts import (
    DOCUMENT_TITLES,
    MAILING_ACT,
    bundle_title,
    mailings_declared,
)
from procedure.rules.steps import why_not_done
from procedure.rules.validation import is_email
from procedure.services.checklist import Checklist
from procedure.services.documents import FILLABLE_FORM, Documents, latest_documents
from procedure.services.licences import Licences
from procedure.services.mail.delivery import Delivery, find
from safefiles import read_as_made

BUNDLES = tuple(b.value for b in Bundle if b != Bundle.REMINDER)  # built-in, of documents


def bundle_parts(defs: Definitions, bundle: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(document kinds, step ids) of ``bundle``: the steps whose act is its mailing, and
    the documents those steps name, in the procedure's order."""
    steps = [s for s in defs.steps if s.act == f"{MAILING_ACT}{bundle}"]
    kinds = tuple(dict.fromkeys(kind for s in steps for kind in s.documents))
    return kinds, tuple(s.id for s in steps)


@dataclass(frozen=True)
class MailResult:
    mailing: Mailing
    documents: list[DocumentRecord]
    warning: str  # e.g. attachments as .docx because no PDF converter exists


@dataclass(frozen=True)
class Preview:
    to: list[str]
    subject: str
    body: str
    documents: list[str]  # titles; "(da generare)" for those not generated yet
    undelivered: str = ""  # why the last mailing of the bundle came back, if it did


def _attachments(record: DocumentRecord) -> list[tuple[Path, bytes]]:
    """The PDF when there is one, else the .docx; the form the customer fills in goes as both
    (fill it in Word, or in the PDF on screen, or print it). Each with the bytes that were
    made: refused when a file was replaced since (a link planted there included)."""
    docx = (Path(record.file), record.sha256)
    pdf = (
        (Path(record.pdf), record.pdf_sha256) if record.pdf and Path(record.pdf).exists() else None
    )
    chosen = [docx] if pdf is None else [docx, pdf] if record.form == FILLABLE_FORM else [pdf]
    out = []
    for path, digest in chosen:
        try:
            out.append((path, read_as_made(path, digest)))
        except (OSError, ValueError) as exc:
            raise Refused(
                f"Il documento «{record.title}» ({path.name}) non è più quello prodotto "
                f"({exc}): non si invia. Produrlo di nuovo (g) e ripetere l'invio."
            ) from None
    return out


def _bounced_of(customer: Customer, bundle: str) -> Mailing | None:
    """The last mailing of ``bundle`` that came back undelivered and was not sent again."""
    return next(
        (m for m in reversed(customer.mailings) if m.bundle == bundle and undelivered(m)), None
    )


def attached(customer: Customer, mailing: Mailing) -> list[DocumentRecord]:
    """The customer's documents that ``mailing`` carries."""
    files = set(mailing.attachments)
    return [d for d in customer.documents if {d.file, d.pdf} & files]


class Mailings:
    """Mail to the customer, each mailing recorded before it is sent."""

    def __init__(
        self, folder: DataFolder, checklist: Checklist, documents: Documents, licences: Licences
    ) -> None:
        self.folder = folder
        self.checklist = checklist
        self.documents = documents
        self.licences = licences
        self.delivery = Delivery(folder, self.delivered)

    def _base(self, customer: Customer) -> dict[str, Any]:
        return {
            "company": dc.company(self.folder.settings),
            "customer": dc.customer(customer, self.folder.defs),
        }

    def delivered(self, d: DossierEdit, mailing: Mailing) -> None:
        """Inside the unit of work that records the delivery: what it means for the
        procedure (steps done, forms and contracts sent, reminders counted)."""
        steps = bundle_parts(self.folder.defs, mailing.bundle)[1]
        now = self.folder.clock()
        note = f"inviato a {', '.join(mailing.to)}"
        self.checklist.complete_open(d, steps, note, f"mailing:{mailing.id}")
        for doc in attached(d.customer, mailing):
            if doc.form:  # a form that must come back (signed contract and DPA included)
                form = d.customer.forms.setdefault(doc.form, FormRecord())
                form.sent_at = form.sent_at or now
        if mailing.bundle == Bundle.CONTRACTS:
            for contract in d.customer.contracts:
                if contract.status == ContractStatus.DRAFT:
                    contract.status, contract.sent_at = ContractStatus.SENT, now.date()
        if mailing.bundle == Bundle.REMINDER:
            for missing in missing_forms(d.ctx):
                d.customer.forms.setdefault(missing.id, FormRecord()).chased_at.append(now)

    def _documents(
        self, code: str, kinds: tuple[str, ...], backdated: bool = False
    ) -> tuple[list[DocumentRecord], str]:
        """The latest documents of each kind, generating (with PDF) those never generated
        (contracts for an ended term only when ``backdated``)."""
        records: list[DocumentRecord] = []
        warnings: list[str] = []
        for kind in kinds:
            if kind == "licence" and not self.folder.customer(code).licences:
                self.licences.issue(code)
            latest = latest_documents(self.folder.customer(code), kind)
            if not latest:
                result = self.documents.generate(code, kind, True, backdated)
                latest = result.records
                if result.warning:
                    warnings.append(result.warning)
            records += latest
        return records, " ".join(dict.fromkeys(warnings))

    def _send(
        self, customer: Customer, bundle: str, context: dict[str, Any], docs: list[DocumentRecord]
    ) -> Mailing:
        settings, office = self.folder.settings, self.folder
        attachments = [found for d in docs for found in _attachments(d)]
        pec = by_pec(settings, customer, office.defs.pec_bundles, bundle)
        mailing, data = compose(
            settings, customer, bundle, context, attachments, office.clock(), office.user, pec
        )
        back = _bounced_of(customer, bundle)  # sent again: the one that came back is settled
        self.delivery.record(customer.code, mailing, data, back.id if back else "")
        return self.delivery.deliver(customer.code, mailing.id)

    def _parts(self, bundle: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(document kinds, step ids) of ``bundle``; NotFound when no step of the procedure
        in force sends it (the reminder is sent by ``send_reminder``)."""
        declared = mailings_declared(self.folder.defs)
        if bundle == Bundle.REMINDER or bundle not in declared:
            names = ", ".join(m for m in declared if m != Bundle.REMINDER)
            raise NotFound(f"Invio {bundle!r} sconosciuto; ammessi: {names}.")
        return bundle_parts(self.folder.defs, bundle)

    def send_bundle(self, code: str, bundle: str, backdated: bool = False) -> MailResult:
        """Generate what is missing, record the mailing, send it; its delivery completes its
        steps in the same commit. Contracts for an ended term are made only when
        ``backdated``.

        Refused when a step of the bundle cannot be done yet (the reason says why); a mailing
        that could not be delivered stays queued and is retried by ``retry_open``.
        """
        kinds, steps = self._parts(bundle)
        if not steps:
            raise Refused(f"Nessun passo della procedura si completa con l'invio {bundle!r}.")
        customer = self.folder.customer(code)
        pending = [m for m in customer.mailings if m.bundle == bundle and m.status in OPEN_MAILINGS]
        if pending:  # a retry by hand must never send the same mail twice
            m = pending[-1]
            raise Refused(
                f"C'è già un invio «{bundle_title(self.folder.defs, bundle)}» "
                f"{label(m.status)} ({m.id[:8]}): "
                "si ritenta da solo (acquisto outbox) oppure si conferma o si rimanda "
                "dalla schermata del cliente; non se ne crea un altro."
            )
        ctx = self.folder.context(customer)
        for step_id in steps:
            state = customer.steps.get(step_id)
            reason = None if state and state.done else why_not_done(ctx, ctx.defs.step(step_id))
            if reason:
                raise Refused(reason)
        documents, warning = self._documents(code, kinds, backdated)
        customer = self.folder.customer(code)
        context = {**self._base(customer), "documents": [d.title for d in documents]}
        return MailResult(self._send(customer, bundle, context, documents), documents, warning)

    def send_reminder(self, code: str) -> MailResult:
        """E-mail the customer the list of forms still missing."""
        customer = self.folder.customer(code)
        missing = missing_forms(self.folder.context(customer))
        if not missing:
            raise Refused(f"{code}: tutti i moduli richiesti sono rientrati.")
        context = {**self._base(customer), "missing": [f.title for f in missing]}
        return MailResult(self._send(customer, Bundle.REMINDER, context, []), [], "")

    def open_mailings(self) -> list[tuple[str, Mailing]]:
        """Every mailing not yet settled (queued, sending, unknown), with its customer code."""
        out = []
        for summary in self.folder.list_customers():
            if summary.open_mail:
                mailings = self.folder.customer(summary.code).mailings
                out += [(summary.code, m) for m in mailings if m.status in OPEN_MAILINGS]
        return out

    def retry_open(self) -> list[tuple[str, Mailing]]:
        """Flag crashed sends as unknown, retry every queued mailing; returns the outcomes."""
        results = []
        for code, m in self.open_mailings():
            self.delivery.reconcile(code)
            current = next(x for x in self.folder.customer(code).mailings if x.id == m.id)
            if current.status == MailingStatus.QUEUED:
                current = self.delivery.deliver(code, m.id)
            results.append((code, current))
        return results

    def reconcile(self, code: str) -> list[Mailing]:
        """Mark as "unknown" the mailings a crashed process left "sending"."""
        return self.delivery.reconcile(code)

    def confirm(self, code: str, mailing_id: str) -> Mailing:
        """A person checked that an "unknown" mailing did arrive: mark it sent."""
        return self.delivery.settle(code, mailing_id, MailingStatus.SENT)

    def resend(self, code: str, mailing_id: str) -> Mailing:
        """A person asks to send an "unknown" mailing again: same bytes, same Message-ID."""
        self.delivery.settle(code, mailing_id, MailingStatus.QUEUED)
        return self.delivery.deliver(code, mailing_id)

    def cancel(self, code: str, mailing_id: str) -> Mailing:
        return self.delivery.settle(code, mailing_id, MailingStatus.CANCELLED)

    def bounced(self) -> list[tuple[str, Mailing]]:
        """Every mailing that came back undelivered and was not sent again."""
        out = []
        for summary in self.folder.list_customers():
            if summary.open_mail:
                mailings = self.folder.customer(summary.code).mailings
                out += [(summary.code, m) for m in mailings if undelivered(m)]
        return out

    def resend_to(self, code: str, mailing_id: str, address: str) -> Mailing:
        """Send a mailing that bounced again, to ``address``: the same text and attachments
        (the bytes stored when it was made), as a new message."""
        address = address.strip()
        if not is_email(address):
            raise Refused(f"Indirizzo e-mail: «{address}» non è un indirizzo valido.")
        m = next((x for x in self.folder.customer(code).mailings if x.id == mailing_id), None)
        if m is None:
            raise NotFound(f"Invio {mailing_id!r} inesistente per {code}.")
        if not undelivered(m):
            raise Refused(
                f"L'invio {mailing_id[:8]} è «{label(m.status)}»: a un altro indirizzo si "
                "manda di nuovo solo un invio non consegnato."
            )
        now = self.folder.clock()
        data, message_id = readdressed(Path(m.eml).read_bytes(), address, now)
        again = dataclasses.replace(
            m,
            id=uuid.uuid4().hex,
            to=[address],
            message_id=message_id,
            status=MailingStatus.QUEUED,
            attempts=0,
            last_error="",
            created_at=now,
            sent_at=None,
            delivered_to="",
            by=self.folder.user,
            receipts=[],
            replaced_by="",
        )
        self.delivery.record(code, again, data, replaces=m.id)
        return self.delivery.deliver(code, again.id)

    def noticed(self, code: str, mailing_id: str, receipt: MailReceipt) -> Mailing:
        """Record what came back about a mailing (once per incoming message). A notice of
        non-delivery undoes the proof: the mailing becomes "non consegnata" and the steps
        it completed reopen with the reason in their notes."""
        with self.folder.dossiers.edit(code) as d:
            m = find(d, mailing_id)
            if any(r.key == receipt.key for r in m.receipts):
                return m
            m.receipts.append(receipt)
            what = receipt_text(receipt.kind, receipt.at, receipt.detail)
            d.audit(AuditAction.MAIL_RECEIPT, m.id, None, what)
            if receipt.kind in FAILED_RECEIPTS and m.status == MailingStatus.SENT:
                self._undelivered(d, m, what, receipt.detail or what)
        return m

    def _undelivered(self, d: DossierEdit, m: Mailing, what: str, why: str) -> None:
        m.status, m.last_error = MailingStatus.BOUNCED, why
        d.audit(mail_action(MailingStatus.BOUNCED), m.id, MailingStatus.SENT, why)
        note = f"E-mail «{m.subject}» non consegnata ({what})."
        for step_id, state in list(d.customer.steps.items()):
            if not state.done or state.evidence != f"mailing:{m.id}":
                continue
            try:
                self.checklist.apply_step(d, step_id, False, note)
            except Refused as exc:
                self.checklist.note_in(d, step_id, f"{note} Non riaperto: {exc}")
        for doc in attached(d.customer, m):
            form = d.customer.forms.get(doc.form) if doc.form else None
            if form is not None and form.sent_at == m.sent_at:
                form.sent_at = None  # never received: not chased as if it had been

    def preview(self, code: str, bundle: str) -> Preview:
        """What ``bundle`` would send now, without generating or recording anything."""
        customer = self.folder.customer(code)
        titles: list[str] = []
        if bundle == Bundle.REMINDER:
            missing = [f.title for f in missing_forms(self.folder.context(customer))]
            context = {**self._base(customer), "missing": missing}
        else:
            for kind in self._parts(bundle)[0]:
                latest = latest_documents(customer, kind)
                titles += [d.title for d in latest] or [f"{DOCUMENT_TITLES[kind]} (da generare)"]
            context = {**self._base(customer), "documents": titles}
        subject, body = mail_text(self.folder.settings, bundle, context)
        back = _bounced_of(customer, bundle)
        why = f"L'invio precedente non è stato consegnato: {back.last_error}" if back else ""
        pec = by_pec(self.folder.settings, customer, self.folder.defs.pec_bundles, bundle)
        to = [customer.pec] if pec else recipients(customer, bundle)
        return Preview(to, subject, body, titles, why)
