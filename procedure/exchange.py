"""Import and export of the whole store as one JSON document with English keys."""

import dataclasses
import re
from typing import Any

from procedure.conditions import Context
from procedure.model import Customer, Product, Prospect
from procedure.office import Office
from procedure.problems import InvalidInput, Problem, join
from procedure.serial import from_data, to_data
from procedure.validation import (
    normalize_customer,
    validate_customer,
    validate_product,
    validate_prospect,
)
from store.repositories import Records

FORMAT = "acquisto-export"
VERSION = 1
SECTIONS = ("products", "prospects", "customers")


def export_document(office: Office) -> dict[str, Any]:
    """The whole store (audit entries aside), sorted so that equal stores export equally."""
    customers = [office.customer(code) for code in office.reader.customer_codes()]
    return {
        "format": FORMAT,
        "version": VERSION,
        "products": [to_data(p) for _, p in sorted(office.products().items())],
        "prospects": [to_data(p) for p in office.prospects()],
        "customers": [to_data(c) for c in customers],
    }


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


def import_document(office: Office, doc: Any) -> dict[str, int]:
    """Merge ``doc`` into the store (upsert by code or id), all or nothing.

    Returns how many records of each kind were written; raises InvalidInput listing every
    problem with its path, in which case nothing was changed.
    """
    problems: list[Problem] = []
    if not isinstance(doc, dict):
        raise InvalidInput([Problem("", "il file deve contenere un oggetto JSON")])
    for key in doc:
        if key not in (*SECTIONS, "format", "version"):
            problems.append(Problem(key, "sezione sconosciuta"))
    if doc.get("format", FORMAT) != FORMAT or doc.get("version", VERSION) != VERSION:
        problems.append(Problem("format", f"atteso {FORMAT} versione {VERSION}"))
    products = [
        from_data(Product, d, join("products", i), problems)
        for i, d in enumerate(_section(doc, "products", problems))
    ]
    prospects = [
        from_data(Prospect, d, join("prospects", i), problems)
        for i, d in enumerate(_section(doc, "prospects", problems))
    ]
    customers = [
        from_data(Customer, d, join("customers", i), problems)
        for i, d in enumerate(_section(doc, "customers", problems))
    ]
    if problems:  # shapes first: rules on half-built records would only add noise
        raise InvalidInput(problems)
    for i, p in enumerate(products):
        problems += validate_product(p, join("products", i))
    for i, pr in enumerate(prospects):
        problems += validate_prospect(pr, join("prospects", i))
    _duplicates([p.code for p in products], "products", "code", problems)
    _duplicates([p.id for p in prospects], "prospects", "id", problems)
    _duplicates([c.code for c in customers], "customers", "code", problems)
    catalogue = {**office.products(), **{p.code: p for p in products}}
    for i, c in enumerate(customers):
        normalize_customer(c)
        probe = c if c.code else dataclasses.replace(c, code="C0")  # a code comes on write
        problems += validate_customer(probe, office.defs, set(catalogue), join("customers", i))
    if problems:
        raise InvalidInput(problems)
    _write(office, products, prospects, customers, catalogue)
    return {"products": len(products), "prospects": len(prospects), "customers": len(customers)}


def _write(
    office: Office,
    products: list[Product],
    prospects: list[Prospect],
    customers: list[Customer],
    catalogue: dict[str, Product],
) -> None:
    with office.store.transaction() as tx:
        rec = Records(tx)
        for p in products:
            rec.put_product(to_data(p))
        for pr in prospects:
            rec.bump_counter("prospect", _number(pr.id, "P"))
            rec.put_prospect(to_data(pr))
        for c in customers:
            rec.bump_counter("customer", _number(c.code, "C"))
        for c in customers:
            if not c.code:
                c.code = f"C{rec.next_number('customer'):05d}"
            current = rec.customer(c.code)
            rev = current["rev"] + 1 if current else 1
            office.write_customer(rec, Context(c, office.defs, catalogue), rev)
        rec.office_audit(
            office.entry(
                "import",
                "",
                None,
                {"products": len(products), "prospects": len(prospects),
                 "customers": [c.code for c in customers]},
            )
        )  # fmt: skip
