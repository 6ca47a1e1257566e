"""Import and export of the whole store as one JSON document with English keys."""

import dataclasses
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from procedure.dossiers import stored_customer
from procedure.editing.field_labels import DOCUMENT, labelled
from procedure.enums import AuditAction
from procedure.folder import DataFolder
from procedure.italian import plural
from procedure.model import Customer, Product, Prospect
from procedure.problems import InvalidInput, Problem, join
from procedure.rules.conditions import Context
from procedure.rules.definitions import Definitions, PaymentTerm
from procedure.rules.evidence import imported_history_problems
from procedure.rules.procedure_file import terms_from_data, terms_to_data
from procedure.rules.validation import (
    normalize_customer,
    validate_customer,
    validate_product,
    validate_prospect,
)
from procedure.serial import from_data, to_data
from procedure.services.catalogue import RULE, Catalogue, TermForm, validate_term

FORMAT = "acquisto-export"
VERSION = 1
SECTIONS = ("payment_terms", "products", "prospects", "customers")


@dataclass
class Parsed:
    """An import document read and checked, ready to be written in one unit of work."""

    terms: list[PaymentTerm]
    products: list[Product]
    prospects: list[Prospect]
    customers: list[Customer]
    defs: Definitions
    catalogue: dict[str, Product]


def _section(doc: dict[str, Any], name: str, problems: list[Problem]) -> list[Any]:
    value = doc.get(name, [])
    if not isinstance(value, list):
        problems.append(Problem(name, "deve essere un elenco"))
        return []
    return value


def _duplicates(keys: list[str], section: str, field: str, problems: list[Problem]) -> None:
    seen: set[str] = set()
    for i, key in enumerate(keys):
        if key and key in seen:
            problems.append(Problem(join(join(section, i), field), f"{key!r} ripetuto nel file"))
        seen.add(key)


def _number(code: str, prefix: str) -> int:
    match = re.fullmatch(rf"{prefix}(\d+)", code)
    return int(match.group(1)) if match else 0


def _shapes(doc: Any, problems: list[Problem]) -> tuple[list[Any], ...]:
    """Every record of the document built from its data (problems by path)."""
    if not isinstance(doc, dict):
        raise InvalidInput([Problem("", "il file deve contenere un oggetto JSON")])
    for key in doc:
        if key not in (*SECTIONS, "format", "version"):
            problems.append(Problem(key, "sezione sconosciuta"))
    if doc.get("format", FORMAT) != FORMAT or doc.get("version", VERSION) != VERSION:
        problems.append(Problem("format", f"atteso {FORMAT} versione {VERSION}"))
    kinds = (TermForm, Product, Prospect, Customer)
    return tuple(
        [
            from_data(kind, d, join(name, i), problems)
            for i, d in enumerate(_section(doc, name, problems))
        ]
        for name, kind in zip(SECTIONS, kinds, strict=True)
    )


def _drop_internal(c: Customer, root: Path) -> None:
    """What the program records of its own acts is never taken from a file: mailings
    (their stored messages), generated documents and paths outside the archive would make
    it send or attach whatever file an import names; licences are issued and signed here.
    A form counts as returned only with its file, a regular file in this archive."""
    c.mailings = []
    c.documents = []
    c.licences = []  # issued and signed here, never brought in
    for form_id, form in c.forms.items():
        claims = form.returned_at is not None or form.file
        if claims and not _in_archive(form.file, root):
            c.forms[form_id] = dataclasses.replace(
                form,
                returned_at=None,
                returned_by="",
                file="",
                signature=None,
                reviewed="",
                rejected={},
            )


def _in_archive(name: str, root: Path) -> bool:
    """Whether ``name`` is a regular file (not a link) inside the archive ``root``."""
    if not name:
        return False
    path = Path(name)
    try:
        return path.resolve().is_relative_to(root) and stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _rules(office: DataFolder, shapes: tuple[list[Any], ...], problems: list[Problem]) -> Parsed:
    """The records checked against the rules, each other and the store."""
    forms, products, prospects, customers = shapes
    for i, form in enumerate(forms):
        problems += [
            dataclasses.replace(p, path=join(join("payment_terms", i), p.path))
            for p in validate_term(form)
        ]
    for i, p in enumerate(products):
        problems += validate_product(p, join("products", i))
    for i, pr in enumerate(prospects):
        problems += validate_prospect(pr, join("prospects", i))
    _duplicates([f.code for f in forms], "payment_terms", "code", problems)
    _duplicates([p.code for p in products], "products", "code", problems)
    _duplicates([p.id for p in prospects], "prospects", "id", problems)
    _duplicates([c.code for c in customers], "customers", "code", problems)
    terms = [f.term() for f in forms] if not problems else []
    defs = dataclasses.replace(
        office.defs, terms={**office.defs.terms, **{t.code: t for t in terms}}
    )
    catalogue = {**office.products(), **{p.code: p for p in products}}
    root = office.settings.archive_root.resolve()
    recorded = set(office.customer_codes()) if customers else set()
    now = office.clock()
    for i, c in enumerate(customers):
        _drop_internal(c, root)
        normalize_customer(c)
        probe = c if c.code else dataclasses.replace(c, code="C0")  # a code comes on write
        problems += validate_customer(probe, defs, set(catalogue), join("customers", i))
        if c.code not in recorded:  # a recorded customer keeps the history recorded here
            problems += [
                dataclasses.replace(p, path=join(join("customers", i), p.path))
                for p in imported_history_problems(c, defs, now)
            ]
    return Parsed(terms, products, prospects, customers, defs, catalogue)


class Exchange:
    """The whole store as one JSON document, out and in."""

    def __init__(self, folder: DataFolder, catalogue: Catalogue) -> None:
        self.folder = folder
        self.catalogue = catalogue

    def export_document(self) -> dict[str, Any]:
        """The whole store (audit entries aside), sorted so that equal stores export equally."""
        office = self.folder
        customers = [office.customer(code) for code in office.customer_codes()]
        return {
            "format": FORMAT,
            "version": VERSION,
            "payment_terms": terms_to_data(office.defs.terms),
            "products": [to_data(p) for _, p in sorted(office.products().items())],
            "prospects": [to_data(p) for p in office.prospects()],
            "customers": [to_data(c) for c in customers],
        }

    def import_document(self, doc: Any) -> dict[str, int]:
        """Merge ``doc`` into the store (upsert by code or id), all or nothing.

        Returns how many records of each kind were written; raises InvalidInput listing
        every problem with its path, in which case nothing was changed.
        """
        problems: list[Problem] = []
        shapes = _shapes(doc, problems)
        if problems:  # shapes first: rules on half-built records would only add noise
            raise InvalidInput(labelled(problems, DOCUMENT, in_file=True))
        parsed = _rules(self.folder, shapes, problems)
        if problems:
            raise InvalidInput(labelled(problems, DOCUMENT, in_file=True))
        _write(self.folder, self.catalogue, parsed)
        return {
            "payment_terms": len(parsed.terms),
            "products": len(parsed.products),
            "prospects": len(parsed.prospects),
            "customers": len(parsed.customers),
        }


def _merged_terms(
    catalogue: Catalogue,
    current: dict[str, PaymentTerm],
    imported: list[PaymentTerm],
    problems: list[Problem],
) -> dict[str, PaymentTerm]:
    """The catalogue with the imported terms; a code in use keeps its rule."""
    merged = dict(current)
    for i, new in enumerate(imported):
        old = current.get(new.code)
        changed = old is not None and any(getattr(old, k) != getattr(new, k) for k in RULE)
        if changed and (n := catalogue.term_users(new.code)):
            problems.append(
                Problem(
                    join(join("payment_terms", i), "code"),
                    f"usata da {plural(n, 'cliente', 'clienti')}: le sue regole non cambiano",
                )
            )
        merged[new.code] = new
    return merged


SPILL_EVERY = 1000  # customers held in memory before they are staged on disk


def _write(office: DataFolder, catalogue: Catalogue, doc: Parsed) -> None:
    dossiers = office.dossiers
    with dossiers.unit() as unit:
        if doc.terms:
            stored = unit.payment_terms()
            current = terms_from_data(stored, "catalogo") if stored else dict(office.defs.terms)
            problems: list[Problem] = []
            merged = _merged_terms(catalogue, current, doc.terms, problems)
            if problems:
                raise InvalidInput(problems)
            unit.put_payment_terms(terms_to_data(merged))
        for p in doc.products:
            unit.put_product(to_data(p))
        for pr in doc.prospects:
            unit.bump_counter("prospect", _number(pr.id, "P"))
            unit.put_prospect(to_data(pr))
        for c in doc.customers:
            unit.bump_counter("customer", _number(c.code, "C"))
        today = office.clock().date()
        for n, c in enumerate(doc.customers, 1):
            if n % SPILL_EVERY == 0:
                unit.spill()
            if not c.code:
                c.code = f"C{unit.next_number('customer'):05d}"
            current_data = unit.customer(c.code)
            if current_data:  # its history stays what the program recorded: an import
                recorded = stored_customer(current_data["customer"])  # brings data only
                c.mailings, c.documents = recorded.mailings, recorded.documents
                c.licences, c.steps, c.forms = recorded.licences, recorded.steps, recorded.forms
            rev = current_data["rev"] + 1 if current_data else 1
            dossiers.write(unit, Context(c, doc.defs, doc.catalogue, today), rev, [], checked=True)
        summary = {
            "products": len(doc.products),
            "prospects": len(doc.prospects),
            "customers": [c.code for c in doc.customers],
            "payment_terms": [t.code for t in doc.terms],
        }
        unit.office_audit(dossiers.stamp(AuditAction.IMPORT, "", None, summary))
