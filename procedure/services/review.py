"""Offering the fields of a returned "Raccolta Dati Anagrafici" .docx as master-record
changes, validated; a person accepts or rejects each one, nothing is applied unseen."""

import copy
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archive.docx_fields import read_fields
from procedure.enums import AuditAction, ContactRole
from procedure.errors import Refused
from procedure.fields import CONTACT_ROLES_ASKED, returned_form_fields
from procedure.model import Contact, Customer
from procedure.rules.validation import normalize_customer, validate_customer

if TYPE_CHECKING:
    from procedure.office import Office

LABELS = dict(returned_form_fields())
CONTACT_FIELDS = {"name", "email", "phone"}
ROLES = {str(role) for role in CONTACT_ROLES_ASKED}


@dataclass(frozen=True)
class Proposal:
    tag: str
    label: str
    current: str
    proposed: str
    problem: str  # why it cannot be accepted as it is ("" when valid)


def label(tag: str) -> str:
    return LABELS.get(tag, tag)


def get(c: Customer, tag: str) -> str:
    if tag.startswith("contact."):
        _, role, field = tag.split(".")
        contact = next((k for k in c.contacts if k.role == role), None)
        return str(getattr(contact, field)) if contact else ""
    target: object = c
    for part in tag.split("."):
        target = getattr(target, part)
    return str(target)


def put(c: Customer, tag: str, value: str) -> None:
    if tag.startswith("contact."):
        _, role, field = tag.split(".")
        contact = next((k for k in c.contacts if k.role == role), None)
        if contact is None:
            contact = Contact(role=ContactRole(role))
            c.contacts.append(contact)
        setattr(contact, field, value)
        return
    *path, last = tag.split(".")
    target: object = c
    for part in path:
        target = getattr(target, part)
    setattr(target, last, value)


def known(tag: str) -> bool:
    if tag.startswith("contact."):
        parts = tag.split(".")
        return len(parts) == 3 and parts[1] in ROLES and parts[2] in CONTACT_FIELDS
    return tag in LABELS


def returned_docx(c: Customer) -> Path | None:
    rec = c.forms.get("master_data")
    if rec is None or not rec.file or not rec.file.lower().endswith(".docx"):
        return None
    return Path(rec.file)


def has_review(c: Customer) -> bool:
    """Whether a returned .docx waits for a person to review its fields."""
    path = returned_docx(c)
    record = c.forms.get("master_data")
    return path is not None and record is not None and record.reviewed != record.file


class Review:
    """Reviewing the fields of a returned master-data form before they enter the record."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def proposals(self, code: str) -> list[Proposal]:
        """Every field of the returned .docx that differs from the master record, validated."""
        office = self.office
        c = office.customer(code)
        path = returned_docx(c)
        if path is None or not path.exists():
            return []
        products = set(office.products())
        out = []
        for tag, value in read_fields(path).items():
            if not known(tag) or not value or value == get(c, tag):
                continue
            trial = copy.deepcopy(c)
            put(trial, tag, value)
            normalize_customer(trial)
            if get(trial, tag) == get(c, tag):
                continue  # differs only in spacing or letter case
            already = {q.path for q in validate_customer(c, office.defs, products)}
            problems = [
                p.message
                for p in validate_customer(trial, office.defs, products)
                if p.path not in already
            ]
            out.append(Proposal(tag, label(tag), get(c, tag), get(trial, tag), "; ".join(problems)))
        return out

    def apply(self, code: str, accepted: list[str], rejected: list[str]) -> list[str]:
        """Apply the accepted fields (valid ones only), record every decision; returns the
        fields applied. Raises Refused when an accepted field is not valid."""
        office = self.office
        offered = {p.tag: p for p in self.proposals(code)}
        bad = [offered[t] for t in accepted if t in offered and offered[t].problem]
        if bad:
            raise Refused("; ".join(f"{p.label}: {p.problem}" for p in bad))
        applied = [t for t in accepted if t in offered]
        with office.dossiers.edit(code) as d:
            before = {t: get(d.customer, t) for t in applied}
            for tag in applied:
                put(d.customer, tag, offered[tag].proposed)
            normalize_customer(d.customer)
            decisions = {
                "accepted": {t: offered[t].proposed for t in applied},
                "rejected": {t: offered[t].proposed for t in rejected if t in offered},
            }
            form = d.customer.forms.get("master_data")
            if form is not None:
                form.reviewed = form.file
            d.audit(AuditAction.REVIEW, "master_data", before, decisions)
        return applied
