"""Generating a customer's documents from the templates into the archive, with optional PDF."""

import hashlib
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.layout import CONTRACTS, CORRESPONDENCE, LICENCES, SENT, write_new
from archive.pdf.convert import INSTALL_HINT, PdfError, WarmLibreOffice, find_converter
from procedure.config.locations import TEMPLATES_DIR
from procedure.documents import context as dc
from procedure.editing.fields import form_values, returned_form_fields
from procedure.enums import AuditAction, ContractStatus, ContractType, HandoverKind
from procedure.errors import Backdated, NotFound, Refused
from procedure.folder import DataFolder
from procedure.italian import it_date
from procedure.model import Customer, DocumentRecord, Handover
from procedure.rules.commerce.schedule import ended_terms, term_end
from procedure.rules.conditions import SDD_METHODS, required_forms, scheme_mismatch
from procedure.rules.step_parts import DOCUMENT_KINDS
from procedure.rules.validation import check_creditor_id
from procedure.serial import to_data
from procedure.services.archiving.filing import Filing
from procedure.services.handovers import items
from procedure.services.licences import Licences
from procedure.services.money.billing import Billing
from safefiles import atomic_write, ensure_dir, file_digest

KINDS = DOCUMENT_KINDS
LICENCE_CONDITIONS = "Condizioni generali di licenza"
FORM_TEMPLATES = {
    "master_data": ("raccolta_dati_anagrafici", "Raccolta Dati Anagrafici"),
    "privacy": ("informativa_privacy", "Informativa privacy"),
    "dpa": ("nomina_responsabile", "Nomina Responsabile del trattamento"),
    "sepa_mandate": ("mandato_sepa", "Mandato SEPA SDD"),
}
WITH_CONTRACTS = ("dpa",)  # forms that go with the contracts they belong to
FILLABLE_FORM = "master_data"  # the form the customer fills in (Word or PDF) and returns
HANDOVER_TEMPLATES = {
    HandoverKind.CONTRACTS: ("consegna_direzione", "Consegna contratti alla direzione"),
    HandoverKind.ORDERS: ("consegna_amministrazione", "Consegna ordini all'amministrazione"),
}


@dataclass(frozen=True)
class Spec:
    """One document to produce: which template, where, under which title, with what data."""

    template: str
    folder: str
    title: str
    context: dict[str, Any]
    form: str = ""  # the form its QR code names
    fillable: bool = False  # its PDF gets form fields the customer fills on screen


@dataclass(frozen=True)
class Generated:
    records: list[DocumentRecord]
    warning: str  # e.g. why no PDF was produced


CUSTOM_TEMPLATES = "modelli"
EMPTY = {
    "forms": "nessun modulo richiesto.",
    "contract": "nessun contratto registrato.",
    "osticket": "",
    "order": "nessun ordine registrato.",
    "handover": "",
    "licence": "nessuna riga d'ordine con prodotti soggetti a licenza.",
}


def qr_payload(code: str, form: str) -> str:
    return f"ACQ1:{code}:{form}"


def latest_documents(c: Customer, kind: str) -> list[DocumentRecord]:
    """The most recent generation of each document title of ``kind``."""
    latest: dict[str, DocumentRecord] = {}
    for record in c.documents:
        if record.kind == kind:
            latest[record.title] = record
    return list(latest.values())


def fill_in(path: Path, blank_pdf: Path, blank_docx: bytes, values: dict[str, str]) -> Path:
    """The customer's form as a PDF with fields over the value cells, filled with
    ``values``, written beside its .docx."""
    from archive.docx_fields import form_layout  # python-docx and pypdf: when a form is made
    from archive.pdf.form import add_fields

    layout = form_layout(blank_docx)
    data = blank_pdf.read_bytes()
    if layout is not None:
        data = add_fields(data, returned_form_fields(), values, layout)
    target = path.with_suffix(".pdf")
    atomic_write(target, data)
    return target


class Documents:
    """The customer's documents, filled from the templates into the archive."""

    def __init__(
        self, folder: DataFolder, billing: Billing, licences: Licences, filing: Filing
    ) -> None:
        self.folder = folder
        self.billing = billing
        self.licences = licences
        self.filing = filing

    def template_path(self, name: str) -> Path:
        """The company's own copy in ``DATA/modelli/`` when there is one, else the default."""
        custom = self.folder.settings.data_dir / CUSTOM_TEMPLATES / f"{name}.docx"
        return custom if custom.exists() else TEMPLATES_DIR / "documents" / f"{name}.docx"

    def _forms(self, c: Customer, base: dict[str, Any]) -> list[Spec]:
        out = []
        for form in required_forms(self.folder.context(c)):
            if form.id in FORM_TEMPLATES and form.id not in WITH_CONTRACTS:
                template, title = FORM_TEMPLATES[form.id]
                mandate = self._mandate(c) if form.id == "sepa_mandate" else {}
                context = {**base, "mandate": mandate, "form": form_values(c)}
                fillable = form.id == FILLABLE_FORM
                out.append(Spec(template, SENT, title, context, form.id, fillable))
        return out

    def _mandate(self, c: Customer) -> dict[str, Any]:
        """The SEPA mandate's data; Refused when the creditor identifier is missing or wrong,
        or the customer's SDD terms debit sooner than the agreed pre-notification."""
        company = self.folder.settings.company
        if msg := check_creditor_id(company.sepa_creditor_id):
            raise Refused(
                f"Mandato SEPA non prodotto: {msg}. Indicare l'Identificativo del creditore "
                "SEPA in config.toml, sezione [company], chiave sepa_creditor_id."
            )
        days = company.sepa_prenotification_days
        term = self.folder.defs.terms.get(c.payment_terms)
        if term is not None and (mismatch := scheme_mismatch(term, c.sepa_mandate)):
            raise Refused(f"Mandato SEPA non prodotto: {mismatch}")
        if term is not None and term.mp in SDD_METHODS and min(term.days) < days:
            raise Refused(
                f"Mandato SEPA non prodotto: le condizioni {term.code} addebitano "
                f"{min(term.days)} giorni dopo la fattura, meno dei {days} giorni di preavviso "
                "della pre-notifica ([company] sepa_prenotification_days)."
            )
        m = c.sepa_mandate
        return {
            "umr": m.umr,
            "scheme": m.scheme,
            "creditor_id": company.sepa_creditor_id.replace(" ", "").upper(),
            "recurrent": m.recurrent,
            "prenotification_days": str(days),
            "signed_on": it_date(m.signed_on) if m.signed_on else "",
        }

    def _sdd_clause(self, c: Customer) -> str:
        """What the contract says of direct debits, when the customer pays by SDD."""
        term = self.folder.defs.terms.get(c.payment_terms)
        if term is None or term.mp not in SDD_METHODS:
            return ""
        days = self.folder.settings.company.sepa_prenotification_days
        return (
            f"Il pagamento avviene per addebito diretto SEPA {c.sepa_mandate.scheme} (mandato "
            f"{c.sepa_mandate.umr or 'da sottoscrivere'}); la pre-notifica di ogni addebito è "
            f"inviata con la fattura almeno {days} giorni di calendario prima della scadenza, "
            "termine concordato in luogo dei 14 giorni del rulebook EPC."
        )

    def _contracts(self, c: Customer, base: dict[str, Any]) -> list[Spec]:
        products = self.folder.products()
        out = []
        for k in c.contracts:
            if k.status == ContractStatus.CANCELLED:
                continue
            software = k.type == ContractType.SOFTWARE
            template = "contratto_assistenza_sw" if software else "contratto_hardware"
            label = "Contratto Assistenza SW su Modulo" if software else "Contratto"
            terms = (self.folder.settings.billing.day_count, self.billing.downwards(k))
            contract = {**dc.contract(k, products, c, *terms), "sdd": self._sdd_clause(c)}
            context = {**base, "contract": contract}
            form_id = "signed_contract" if software else ""
            out.append(Spec(template, CONTRACTS, f"{label} {k.number}", context, form_id))
        if any(k.type == ContractType.SOFTWARE for k in c.contracts):
            template, title = FORM_TEMPLATES["dpa"]  # the DPA the support contract names
            out.append(Spec(template, CONTRACTS, title, base, "dpa"))
        return out

    def _orders(self, c: Customer, base: dict[str, Any]) -> list[Spec]:
        defs, fine_mese = self.folder.defs, self.folder.settings.terms.fine_mese
        return [
            Spec(
                "conferma_ordine",
                SENT,
                f"Conferma d'ordine {o.number}",
                {**base, "order": dc.order(o, c, defs, fine_mese)},
            )
            for o in c.orders
        ]

    @staticmethod
    def _handovers(c: Customer, base: dict[str, Any]) -> list[Spec]:
        latest = {h.kind: h for h in c.handovers}
        out = []
        for what, (template, title) in HANDOVER_TEMPLATES.items():
            # not handed over yet: a sheet to fill in on paper at the hand-over
            h = latest.get(what) or Handover(kind=what, items=items(c, what))
            out.append(Spec(template, CORRESPONDENCE, title, {**base, "handover": dc.handover(h)}))
        return out

    @staticmethod
    def _licences(c: Customer, base: dict[str, Any]) -> list[Spec]:
        """A certificate per licence, and the general conditions they refer to (the
        company's own copy in DATA/modelli when it has one), sent with them."""
        certificates = [
            Spec(
                "licenza_software",
                LICENCES,
                f"Licenza {lic.number}",
                {**base, "licence": dc.licence(lic)},
            )
            for lic in c.licences
        ]
        if not certificates:
            return []
        conditions = Spec("condizioni_generali_licenza", LICENCES, LICENCE_CONDITIONS, base)
        return [*certificates, conditions]

    def specs(self, c: Customer, kind: str) -> list[Spec]:
        """The documents of ``kind`` for customer ``c``; raises NotFound or Refused."""
        s, defs = self.folder.settings, self.folder.defs
        base = {
            "company": dc.company(s),
            "customer": dc.customer(c, defs),
            "osticket": dc.osticket(c, s),
        }
        makers = {
            "forms": self._forms,
            "contract": self._contracts,
            "osticket": lambda c, b: [Spec("istruzioni_osticket", SENT, "Istruzioni Os-Ticket", b)],
            "order": self._orders,
            "handover": self._handovers,
            "licence": self._licences,
        }
        if kind not in makers:
            raise NotFound(f"Tipo di documento {kind!r} sconosciuto; ammessi: {', '.join(KINDS)}.")
        out = makers[kind](c, base)
        if not out:
            raise Refused(f"Nessun documento «{kind}» da produrre per {c.code}: {EMPTY[kind]}")
        return out

    def warm_up(self) -> None:
        """Start this process's LibreOffice ahead of the first PDF (the TUI does it once
        its first screen is up: a mailing then converts in a tenth of a second per page)."""
        self.folder.warm_pdf = True
        converter = find_converter(warm=True)
        if isinstance(converter, WarmLibreOffice):
            converter.warm_up()

    def _pdfs(
        self, paths: list[Path], blanks: dict[Path, tuple[bytes, dict[str, str]]]
    ) -> tuple[dict[Path, Path], str]:
        """The PDF of each document; a fillable form's PDF is made from its ``blanks`` copy
        (values left out of the page) with form fields holding the values."""
        converter = find_converter(warm=self.folder.warm_pdf)
        if converter is None:
            return {}, INSTALL_HINT
        with tempfile.TemporaryDirectory(prefix="acquisto-form-") as tmp:
            sources = {}
            for i, path in enumerate(paths):
                sources[path] = path
                if path in blanks:
                    sources[path] = Path(tmp) / f"{i}.docx"
                    sources[path].write_bytes(blanks[path][0])
            try:
                converted = converter.convert(list(sources.values()))
            except PdfError as exc:
                return {}, str(exc)
            out = dict(zip(paths, converted, strict=True))
            for path, (docx, values) in blanks.items():
                out[path] = fill_in(path, out[path], docx, values)
        return out, ""

    def _render(self, spec: Spec, code: str, today: str, blank: bool = False) -> bytes:
        """The filled template; ``blank`` leaves the form's values out (for its PDF form)."""
        context = {**spec.context, "today": today}
        if blank:
            context["form"] = {tag: " " for tag in spec.context["form"]}
        qr = qr_payload(code, spec.form) if spec.form else None
        from archive.render import render  # docxtpl: when a document is made, not at start

        return render(self.template_path(spec.template), context, qr)

    def past_terms(self, c: Customer, kinds: tuple[str, ...]) -> str:
        """Why documents of ``kinds`` would state terms already ended ("" when none would):
        the contracts whose term ended before today."""
        if "contract" not in kinds:
            return ""
        ended = ended_terms(c.contracts, self.folder.clock().date())
        if not ended:
            return ""
        which = ", ".join(f"{k.number} (scaduto il {it_date(term_end(k))})" for k in ended)
        return (
            f"Contratti per periodi già conclusi: {which}. Produrli lo stesso? (da riga di "
            "comando: --backdated)"
        )

    def generate(
        self, code: str, kind: str, pdf: bool = False, backdated: bool = False
    ) -> Generated:
        """Fill every template of ``kind`` for ``code`` into the customer's archive folders.

        All templates are filled in memory first, so a template problem (TemplateProblem)
        writes nothing. Files never replace older versions. Each document is recorded on the
        dossier and in the audit log. Contracts whose term has already ended are made only
        when ``backdated`` (a person confirmed it). Raises NotFound, Refused (Backdated) or
        TemplateProblem.
        """
        office = self.folder
        if kind == "licence" and not office.customer(code).licences:
            self.licences.issue(code)  # what the certificates certify comes first
        c = office.customer(code)
        if not backdated and (past := self.past_terms(c, (kind,))):
            raise Backdated(past)
        today = it_date(office.clock())
        specs = self.specs(c, kind)
        filled = [(spec, self._render(spec, code, today)) for spec in specs]
        blanks = {
            spec.title: (self._render(spec, code, today, blank=True), spec.context["form"])
            for spec in specs
            if spec.fillable and pdf
        }
        folder = self.filing.ensure_customer(c)  # its slots too, for the forms coming back
        stamp = office.clock().date().isoformat()
        paths = [
            write_new(ensure_dir(folder / spec.folder), f"{spec.title} - {stamp}", ".docx", data)
            for spec, data in filled
        ]
        by_title = {spec.title: path for (spec, _), path in zip(filled, paths, strict=True)}
        to_fill = {by_title[title]: blank for title, blank in blanks.items()}
        pdfs, warning = self._pdfs(paths, to_fill) if pdf else ({}, "")
        now = office.clock()
        records = [
            DocumentRecord(
                kind=kind,
                title=spec.title,
                file=str(path),
                pdf=str(pdfs[path]) if path in pdfs else "",
                sha256=hashlib.sha256(data).hexdigest(),
                pdf_sha256=file_digest(pdfs[path]) if path in pdfs else "",
                created_at=now,
                by=office.user,
                form=spec.form,
            )
            for (spec, data), path in zip(filled, paths, strict=True)
        ]
        with office.dossiers.edit(code) as d:
            d.customer.documents.extend(records)
            for r in records:
                d.audit(AuditAction.DOCUMENT, kind, None, to_data(r))
        return Generated(records, warning)
