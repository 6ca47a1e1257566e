"""Generating a customer's documents from the templates into the archive, with optional PDF."""

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from archive.layout import CONTRACTS, CORRESPONDENCE, LICENCES, SENT, write_new
from archive.pdf import INSTALL_HINT, PdfError, find_converter
from archive.render import render
from procedure.config.locations import TEMPLATES_DIR
from procedure.documents import context as dc
from procedure.enums import AuditAction, ContractStatus, ContractType, HandoverKind
from procedure.errors import NotFound, Refused
from procedure.italian import it_date
from procedure.model import Customer, DocumentRecord, Handover
from procedure.rules.conditions import required_forms
from procedure.serial import to_data
from procedure.services.handovers import items
from safefiles import ensure_dir

if TYPE_CHECKING:
    from procedure.office import Office

KINDS = ("forms", "contract", "osticket", "order", "handover", "licence")
FORM_TEMPLATES = {
    "master_data": ("raccolta_dati_anagrafici", "Raccolta Dati Anagrafici"),
    "privacy": ("informativa_privacy", "Informativa privacy"),
    "dpa": ("nomina_responsabile", "Nomina Responsabile del trattamento"),
    "sepa_mandate": ("mandato_sepa", "Mandato SEPA SDD"),
}
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


class Documents:
    """The customer's documents, filled from the templates into the archive."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def template_path(self, name: str) -> Path:
        """The company's own copy in ``DATA/modelli/`` when there is one, else the default."""
        custom = self.office.settings.data_dir / CUSTOM_TEMPLATES / f"{name}.docx"
        return custom if custom.exists() else TEMPLATES_DIR / "documents" / f"{name}.docx"

    def _forms(self, c: Customer, base: dict[str, Any]) -> list[Spec]:
        out = []
        for form in required_forms(self.office.context(c)):
            if form.id in FORM_TEMPLATES:
                template, title = FORM_TEMPLATES[form.id]
                mandate = {"umr": c.sepa_mandate.umr, "scheme": c.sepa_mandate.scheme}
                out.append(Spec(template, SENT, title, {**base, "mandate": mandate}, form.id))
        return out

    def _contracts(self, c: Customer, base: dict[str, Any]) -> list[Spec]:
        products = self.office.products()
        out = []
        for k in c.contracts:
            if k.status == ContractStatus.CANCELLED:
                continue
            software = k.type == ContractType.SOFTWARE
            template = "contratto_assistenza_sw" if software else "contratto_hardware"
            label = "Contratto Assistenza SW" if software else "Contratto"
            terms = (self.office.settings.billing.day_count, self.office.billing.downwards(k))
            context = {**base, "contract": dc.contract(k, products, c, *terms)}
            form_id = "signed_contract" if software else ""
            out.append(Spec(template, CONTRACTS, f"{label} {k.number}", context, form_id))
        return out

    def _orders(self, c: Customer, base: dict[str, Any]) -> list[Spec]:
        defs, fine_mese = self.office.defs, self.office.settings.terms.fine_mese
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
        return [
            Spec(
                "licenza_software",
                LICENCES,
                f"Licenza {lic.number}",
                {**base, "licence": dc.licence(lic)},
            )
            for lic in c.licences
        ]

    def specs(self, c: Customer, kind: str) -> list[Spec]:
        """The documents of ``kind`` for customer ``c``; raises NotFound or Refused."""
        s, defs = self.office.settings, self.office.defs
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

    def _pdfs(self, paths: list[Path]) -> tuple[dict[Path, Path], str]:
        converter = find_converter()
        if converter is None:
            return {}, INSTALL_HINT
        try:
            return dict(zip(paths, converter.convert(paths), strict=True)), ""
        except PdfError as exc:
            return {}, str(exc)

    def generate(self, code: str, kind: str, pdf: bool = False) -> Generated:
        """Fill every template of ``kind`` for ``code`` into the customer's archive folders.

        All templates are filled in memory first, so a template problem (TemplateProblem)
        writes nothing. Files never replace older versions. Each document is recorded on the
        dossier and in the audit log. Raises NotFound, Refused or TemplateProblem.
        """
        office = self.office
        if kind == "licence" and not office.customer(code).licences:
            office.licences.issue(code)  # what the certificates certify comes first
        c = office.customer(code)
        today = it_date(office.clock())
        filled = [
            (
                spec,
                render(
                    self.template_path(spec.template),
                    {**spec.context, "today": today},
                    qr_payload(code, spec.form) if spec.form else None,
                ),
            )
            for spec in self.specs(c, kind)
        ]
        folder = office.filing.ensure_customer(c)  # its slots too, for the forms coming back
        stamp = office.clock().date().isoformat()
        paths = [
            write_new(ensure_dir(folder / spec.folder), f"{spec.title} - {stamp}", ".docx", data)
            for spec, data in filled
        ]
        pdfs, warning = self._pdfs(paths) if pdf else ({}, "")
        now = office.clock()
        records = [
            DocumentRecord(
                kind=kind,
                title=spec.title,
                file=str(path),
                pdf=str(pdfs[path]) if path in pdfs else "",
                created_at=now,
                by=office.user,
                form=spec.form,
            )
            for (spec, _), path in zip(filled, paths, strict=True)
        ]
        with office.dossiers.edit(code) as d:
            d.customer.documents.extend(records)
            for r in records:
                d.audit(AuditAction.DOCUMENT, kind, None, to_data(r))
        return Generated(records, warning)
