"""The name a person reads for a field a problem is about: ``orders[0].ordered_on`` is
"Ordine 1, data dell'ordine". Built from the same field declarations the forms use."""

import re
from dataclasses import dataclass, field, replace

from procedure.editing.fields import (
    CONTACT,
    CONTACTS,
    CONTRACTS,
    DIVISION,
    INVOICING,
    MASTER,
    ORDERS,
    PARTY,
    PRODUCT_FIELDS,
    SITES,
    TRAVEL_RATES,
    Field,
    ListSpec,
)
from procedure.problems import Problem

ITEM = re.compile(r"(\w+)\[(\d+)\](?:\.(.+))?")


@dataclass(frozen=True)
class Tree:
    """The labels of a record's fields, and the lists it holds (noun, the items' tree)."""

    labels: dict[str, str]
    lists: dict[str, tuple[str, "Tree"]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)  # a whole list: "Ordini"


HINT = re.compile(r" \([^()]*=[^()]*\)$")  # "(vuoto = del catalogo)": how to type, not a name


def _labels(*groups: tuple[Field, ...] | list[Field]) -> dict[str, str]:
    """The fields' names as messages give them: without the form's typing hints."""
    return {f.path: HINT.sub("", f.label) for group in groups for f in group}


def _list_tree(spec: ListSpec) -> tuple[str, Tree]:
    children = {c.path: _list_tree(c) for c in spec.children}
    return spec.noun, Tree(_labels(spec.fields), children)


CUSTOMER = Tree(
    {**_labels(MASTER, TRAVEL_RATES, DIVISION, INVOICING), "code": "Codice cliente"},
    {s.path: _list_tree(s) for s in (ORDERS, SITES, CONTRACTS, CONTACTS)},
    {s.path: s.title for s in (ORDERS, SITES, CONTRACTS, CONTACTS)},
)
PROSPECT = Tree(
    {**_labels(PARTY), "id": "Codice prospect"}, {"contacts": ("Contatto", Tree(_labels(CONTACT)))}
)
PRODUCT = Tree(_labels(PRODUCT_FIELDS))
TERM = Tree(
    {
        "code": "Codice",
        "description": "Descrizione",
        "mp": "Modalità di pagamento",
        "tp": "Condizioni di pagamento",
        "days": "Giorni delle rate",
        "end_of_month": "Fine mese",
        "fixed_day": "Giorno fisso",
    }
)
DOCUMENT = Tree(
    {},
    {
        "customers": ("Cliente", CUSTOMER),
        "prospects": ("Prospect", PROSPECT),
        "products": ("Prodotto", PRODUCT),
        "payment_terms": ("Condizione di pagamento", TERM),
    },
)


def describe(path: str, tree: Tree, leaf: str = "") -> str:
    """The field's name in Italian ("" when the path names no field of ``tree``); ``leaf``
    names a field the tree does not know (a step of the procedure)."""
    if not path:
        return ""
    if path in tree.labels:
        return tree.labels[path]
    if path in tree.titles:
        return tree.titles[path]
    item = ITEM.fullmatch(path)
    if item and item.group(1) in tree.labels and not item.group(3):  # an item of a list of values
        return f"{tree.labels[item.group(1)]}, n. {int(item.group(2)) + 1}"
    if item and item.group(1) in tree.lists:
        noun, inner = tree.lists[item.group(1)]
        head = f"{noun} {int(item.group(2)) + 1}"
        rest = item.group(3)
        if not rest:
            return head
        name = describe(rest, inner, leaf) or leaf or rest
        if not name[1:2].isupper():  # "Data dell'ordine" → "data dell'ordine"; "CAP" stays
            name = name[:1].lower() + name[1:]
        return f"{head}, {name}"
    # a group of fields (``address``) or a list item with its own label (``excluded_months[0]``)
    inside = (path + ".", path + "[")
    return next((label for p, label in tree.labels.items() if p.startswith(inside)), "")


def labelled(problems: list[Problem], tree: Tree, *, in_file: bool = False) -> list[Problem]:
    """The problems, each with the name of its field for people; ``in_file``: the path in
    the file follows the name, to find the place to correct."""
    out = []
    for p in problems:
        name = describe(p.path, tree, p.label) or p.label  # a label it came with stays
        out.append(replace(p, label=f"{name} ({p.path})" if name and in_file else name))
    return out
