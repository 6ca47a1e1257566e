"""Generating a customer's documents from the templates into the archive, with optional PDF."""

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.layout import CONTRACTS, CORRESPONDENCE, LICENCES, SENT, Archive, write_new
from archive.pdf import INSTALL_HINT, PdfError, find_converter
from archive.render import render
from procedure import document_context as dc
from procedure.conditions import Context, required_forms
from procedure.filing import Filing
from procedure.handovers import items
from procedure.licences import issue_licences
from procedure.model import Customer, DocumentRecord, Handover
from procedure.office import NotFound, Office, Refused
from procedure.serial import to_data
from store.repositories import Records
from templates import TEMPLATES_DIR

KINDS = ("forms", "contract", "osticket", "order", "handover", "licence")
FORM_TEMPLATES = {
    "master_data": ("raccolta_dati_anagrafici", "Raccolta Dati Anagrafici"),
    "privacy": ("informativa_privacy", "Informativa privacy"),
    "dpa": ("nomina_responsabile", "Nomina Responsabile del trattamento"),
    "sepa_mandate": ("mandato_sepa", "Mandato SEPA SDD"),
}
HANDOVER_TEMPLATES = {
    "contracts": ("consegna_direzione", "Consegna contratti alla direzione"),
    "orders": ("consegna_amministrazione", "Consegna ordini all'amministrazione"),
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


def template_path(office: Office, name: str) -> Path:
    """The company's own copy in ``DATA/modelli/`` when there is one, else the default."""
    custom = office.settings.data_dir / CUSTOM_TEMPLATES / f"{name}.docx"
    return custom if custom.exists() else TEMPLATES_DIR / "documents" / f"{name}.docx"


def qr_payload(code: str, form: str) -> str:
    return f"ACQ1:{code}:{form}"


def specs(office: Office, c: Customer, kind: str) -> list[Spec]:
    """The documents of ``kind`` for customer ``c``; raises Refused when there are none."""
    s, defs = office.settings, office.defs
    base = {"company": dc.company(s), "customer": dc.customer(c, defs),
            "osticket": dc.osticket(c, s)}  # fmt: skip
    products = office.products()
    out: list[Spec] = []
    if kind == "forms":
        for form in required_forms(office.context(c)):
            if form.id in FORM_TEMPLATES:
                template, title = FORM_TEMPLATES[form.id]
                mandate = {"umr": c.sepa_mandate.umr, "scheme": c.sepa_mandate.scheme}
                out.append(Spec(template, SENT, title, {**base, "mandate": mandate}, form.id))
    elif kind == "contract":
        for k in c.contracts:
            if k.status == "cancelled":
                continue
            template = "contratto_assistenza_sw" if k.type == "software" else "contratto_hardware"
            label = "Contratto Assistenza SW" if k.type == "software" else "Contratto"
            form_id = "signed_contract" if k.type == "software" else ""
            context = {**base, "contract": dc.contract(k, products, c)}
            out.append(Spec(template, CONTRACTS, f"{label} {k.number}", context, form_id))
    elif kind == "osticket":
        out.append(Spec("istruzioni_osticket", SENT, "Istruzioni Os-Ticket", base))
    elif kind == "order":
        for o in c.orders:
            context = {**base, "order": dc.order(o, c, defs, s.fine_mese)}
            out.append(Spec("conferma_ordine", SENT, f"Conferma d'ordine {o.number}", context))
    elif kind == "handover":
        latest = {h.kind: h for h in c.handovers}
        for what, (template, title) in HANDOVER_TEMPLATES.items():
            # not handed over yet: a sheet to fill in on paper at the hand-over
            h = latest.get(what) or Handover(kind=what, items=items(c, what))
            out.append(Spec(template, CORRESPONDENCE, title,
                            {**base, "handover": dc.handover(h)}))  # fmt: skip
    elif kind == "licence":
        for lic in c.licences:
            context = {**base, "licence": dc.licence(lic)}
            out.append(Spec("licenza_software", LICENCES, f"Licenza {lic.number}", context))
    else:
        raise NotFound(f"Tipo di documento {kind!r} sconosciuto; ammessi: {', '.join(KINDS)}.")
    if not out:
        raise Refused(f"Nessun documento «{kind}» da produrre per {c.code}: {EMPTY[kind]}")
    return out


EMPTY = {
    "forms": "nessun modulo richiesto.",
    "contract": "nessun contratto registrato.",
    "osticket": "",
    "order": "nessun ordine registrato.",
    "handover": "",
    "licence": "nessuna riga d'ordine con prodotti soggetti a licenza.",
}


def generate(office: Office, code: str, kind: str, pdf: bool = False) -> Generated:
    """Fill every template of ``kind`` for ``code`` into the customer's archive folders.

    All templates are filled in memory first, so a template problem (TemplateProblem)
    writes nothing. Files never replace older versions. Each document is recorded on the
    dossier and in the audit log. Raises NotFound, Refused or TemplateProblem.
    """
    if kind == "licence" and not office.customer(code).licences:
        issue_licences(office, code)  # what the certificates certify comes first
    c = office.customer(code)
    today = office.clock().date().isoformat()
    filled = [
        (spec, render(template_path(office, spec.template),
                      {**spec.context, "today": dc.it_date(office.clock())},
                      qr_payload(code, spec.form) if spec.form else None))
        for spec in specs(office, c, kind)
    ]  # fmt: skip
    archive = Archive(office.settings.archive_root)
    Filing(office).ensure_customer(c)  # its slots too, ready for the forms coming back
    paths: list[Path] = []
    for spec, data in filled:
        folder = archive.folder(c.name, c.code, spec.folder)
        paths.append(write_new(folder, f"{spec.title} - {today}", ".docx", data))
    pdfs: dict[Path, Path] = {}
    warning = ""
    if pdf:
        converter = find_converter()
        if converter is None:
            warning = INSTALL_HINT
        else:
            try:
                pdfs = dict(zip(paths, converter.convert(paths), strict=True))
            except PdfError as exc:
                warning = str(exc)
    now = office.clock()
    records = [
        DocumentRecord(kind=kind, title=spec.title, file=str(path),
                       pdf=str(pdfs[path]) if path in pdfs else "", created_at=now,
                       by=office.user, form=spec.form)
        for (spec, _), path in zip(filled, paths, strict=True)
    ]  # fmt: skip

    def change(ctx: Context, rec: Records) -> None:
        ctx.customer.documents.extend(records)
        for r in records:
            rec.customer_audit(code, office.entry("document", kind, None, to_data(r)))

    office.change(code, change)
    return Generated(records, warning)


def latest_documents(c: Customer, kind: str) -> list[DocumentRecord]:
    """The most recent generation of each document title of ``kind``."""
    latest: dict[str, DocumentRecord] = {}
    for record in c.documents:
        if record.kind == kind:
            latest[record.title] = record
    return list(latest.values())
