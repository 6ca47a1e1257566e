"""Offering the fields of a returned "Raccolta Dati Anagrafici" (the .docx filled in Word, or
the PDF filled on screen) as master-record changes, validated as a whole record; a person
accepts or rejects each one, nothing is applied unseen, and the review can be opened again
until every field is settled."""

import copy
from dataclasses import dataclass
from pathlib import Path

from procedure.editing.field_paths import set_text
from procedure.editing.fields import (
    CONTACT_ROLES_ASKED,
    contact_of,
    form_value,
    returned_form_fields,
)
from procedure.enums import AuditAction, ContactRole
from procedure.errors import Refused
from procedure.folder import DataFolder
from procedure.model import Contact, Customer
from procedure.rules.validation import normalize_customer, validate_customer

LABELS = dict(returned_form_fields())
ROLES = {str(role) for role in CONTACT_ROLES_ASKED}
READERS = (".docx", ".pdf")  # the returned forms whose fields are read back


def read_returned(path: Path) -> dict[str, str]:
    """The fields of a returned .docx or fillable PDF (python-docx and pypdf are loaded the
    first time one is read, not at start)."""
    from archive.docx_fields import read_fields
    from archive.pdf.form import read_pdf_fields

    return (read_fields if path.suffix.lower() == ".docx" else read_pdf_fields)(path)


@dataclass(frozen=True)
class Proposal:
    tag: str
    label: str
    current: str
    proposed: str
    problem: str  # why it cannot be accepted as it is ("" when valid)


def label(tag: str) -> str:
    return LABELS.get(tag, tag)


def record_path(c: Customer, tag: str) -> str:
    """Where ``tag`` lives in the record: the path validation problems are reported on."""
    if tag.startswith("contact."):
        _, role, name = tag.split(".")
        contact = contact_of(c, role)
        index = c.contacts.index(contact) if contact else len(c.contacts)
        return f"contacts[{index}].{name}"
    return tag


def put(c: Customer, tag: str, value: str) -> None:
    """Set ``tag`` from the text the form holds; raises ValueError (Italian) if it does not
    parse."""
    if tag.startswith("contact."):
        _, role, name = tag.split(".")
        contact = contact_of(c, role)
        if contact is None:
            contact = Contact(role=ContactRole(role))
            c.contacts.append(contact)
        set_text(contact, name, value)
        return
    set_text(c, tag, value)


def returned_form(c: Customer) -> Path | None:
    """The returned master-data form when it is a file whose fields can be read."""
    rec = c.forms.get("master_data")
    if rec is None or not rec.file:
        return None
    path = Path(rec.file)
    return path if path.suffix.lower() in READERS else None


def has_review(c: Customer) -> bool:
    """Whether a returned form may still hold fields nobody has settled."""
    record = c.forms.get("master_data")
    return returned_form(c) is not None and record is not None and record.reviewed != record.file


def _problems_by_tag(
    c: Customer, trial: Customer, tags: list[str], office: DataFolder
) -> dict[str, list[str]]:
    """The problems the trial record has and ``c`` had not, each given to the proposed field
    it is about, or to the proposals of the same contact, else to all of them."""
    products = set(office.products())
    before = {(p.path, p.message) for p in validate_customer(c, office.defs, products)}
    paths = {tag: record_path(trial, tag) for tag in tags}
    out: dict[str, list[str]] = {tag: [] for tag in tags}
    for p in validate_customer(trial, office.defs, products):
        if (p.path, p.message) in before:
            continue
        owners = [t for t, path in paths.items() if path == p.path]
        owners = owners or [
            t for t, path in paths.items() if path.rsplit(".", 1)[0] == p.path.rsplit(".", 1)[0]
        ]
        for tag in owners or tags:
            out[tag].append(p.message)
    return out


class Review:
    """Reviewing the fields of a returned master-data form before they enter the record."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def _offered(self, c: Customer) -> dict[str, str]:
        """Every known field of the returned form that differs from the record and was not
        rejected already: tag → text."""
        path = returned_form(c)
        if path is None or not path.is_file():
            return {}
        record = c.forms["master_data"]
        out = {}
        for tag, value in read_returned(path).items():
            if tag not in LABELS or not value or record.rejected.get(tag) == value:
                continue
            trial = copy.deepcopy(c)
            try:
                put(trial, tag, value)
            except ValueError:
                out[tag] = value  # offered with its problem
                continue
            normalize_customer(trial)
            if form_value(trial, tag) != form_value(c, tag):  # not just spacing or case
                out[tag] = value
        return out

    def _judge(self, c: Customer, offered: dict[str, str]) -> list[Proposal]:
        """The proposals, validated together: the record as it would be with all of them."""
        trial = copy.deepcopy(c)
        unparsed: dict[str, str] = {}
        for tag, value in offered.items():
            try:
                put(trial, tag, value)
            except ValueError as exc:
                unparsed[tag] = str(exc)
        normalize_customer(trial)
        problems = _problems_by_tag(c, trial, list(offered), self.folder)
        return [
            Proposal(
                tag,
                label(tag),
                form_value(c, tag),
                offered[tag] if tag in unparsed else form_value(trial, tag),
                unparsed.get(tag) or "; ".join(dict.fromkeys(problems[tag])),
            )
            for tag in offered
        ]

    def proposals(self, code: str) -> list[Proposal]:
        """Every field of the returned form still to settle, each with its problem."""
        c = self.folder.customer(code)
        return self._judge(c, self._offered(c))

    def apply(self, code: str, accepted: list[str], rejected: list[str]) -> list[str]:
        """Apply the accepted fields, judged together; record every decision; returns the
        fields applied. Raises Refused when an accepted field is not valid with the others
        accepted. Fields neither accepted nor rejected stay to settle."""
        c = self.folder.customer(code)
        offered = self._offered(c)
        chosen = {t: offered[t] for t in accepted if t in offered}
        bad = [p for p in self._judge(c, chosen) if p.problem]
        if bad:
            raise Refused("; ".join(f"{p.label}: {p.problem}" for p in bad))
        with self.folder.dossiers.edit(code) as d:
            before = {t: form_value(d.customer, t) for t in chosen}
            for tag, value in chosen.items():
                put(d.customer, tag, value)
            normalize_customer(d.customer)
            form = d.customer.forms["master_data"]
            dropped = {t: offered[t] for t in rejected if t in offered and t not in chosen}
            form.rejected = {**form.rejected, **dropped}
            if set(offered) <= set(chosen) | set(dropped):
                form.reviewed = form.file  # every field settled
            decisions = {"accepted": chosen, "rejected": dropped}
            d.audit(AuditAction.REVIEW, "master_data", before, decisions)
        return list(chosen)

    def accept_all(self, code: str) -> tuple[list[str], list[Proposal]]:
        """Apply every field that is valid together with the others valid; returns the fields
        applied and the proposals left with their problems (still to settle)."""
        c = self.folder.customer(code)
        offered = self._offered(c)
        good = [p.tag for p in self._judge(c, offered) if not p.problem]
        while True:
            bad = {p.tag for p in self._judge(c, {t: offered[t] for t in good}) if p.problem}
            if not bad:
                break
            good = [t for t in good if t not in bad]
        applied = self.apply(code, good, []) if good else []
        return applied, self.proposals(code)
