"""What a new item or a blank form starts with, taken from what the dossier already holds:
the practised hand's defaults, shown in the form and changed like any typed value.

Nothing here is saved by itself: the editor shows the proposal and saves only on request.
"""

import copy
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from procedure.editing.fields import contact_of
from procedure.enums import ContactRole, ContractType, ProductKind
from procedure.model import Contract, Customer, Order, OrderLine, Product, Site
from procedure.rules.commerce.orders import line_amount
from procedure.rules.commerce.terms import add_months

# Whose name the CRM's "software contact" takes, in order of preference.
SOFTWARE_CONTACT_ROLES = (ContactRole.SOFTWARE, ContactRole.IT, ContactRole.LEGAL_REP)


def _next_number(prefix: str, taken: list[str]) -> str:
    """``prefix-N`` with the least N from the count on that no item has yet."""
    n = len(taken) + 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def _lines(c: Customer, products: dict[str, Product], kind: ProductKind) -> list[OrderLine]:
    """The lines of every order whose product is of ``kind``, newest order first."""
    return [
        line
        for order in reversed(c.orders)
        for line in order.lines
        if (p := products.get(line.product_code)) is not None and p.kind == kind
    ]


def new_order(c: Customer, today: date) -> Order:
    return Order(
        number=_next_number(f"ORD-{c.code}", [o.number for o in c.orders]), ordered_on=today
    )


def new_site(c: Customer) -> Site:
    """The registered office, unless the customer says otherwise."""
    name = "Sede legale" if not c.sites else f"Sede {len(c.sites) + 1}"
    return Site(name=name, address=copy.deepcopy(c.address))


def new_contract(c: Customer, products: dict[str, Product], today: date) -> Contract:
    """A year of software support for what the orders bought: the software products, the
    order's support lines as the fee, from the newest order's date."""
    software = list(
        dict.fromkeys(line.product_code for line in _lines(c, products, ProductKind.SOFTWARE))
    )
    fee = sum((line_amount(line) for line in _lines(c, products, ProductKind.SUPPORT)), Decimal(0))
    dated = [o.ordered_on for o in c.orders if o.ordered_on is not None]
    start = max(dated) if dated else today
    return Contract(
        number=_next_number(f"CT-{c.code}", [k.number for k in c.contracts]),
        type=ContractType.SOFTWARE,
        products=software,
        annual_fee=fee,
        start=start,
        end=add_months(start, 12) - timedelta(days=1),
    )


def new_item(path: str, c: Customer, products: dict[str, Product], today: date) -> Any:
    """A new item of the list at ``path`` ("orders", "sites", "contracts", ...), proposed
    from the dossier; None when the list has no proposal of its own."""
    if path == "orders":
        return new_order(c, today)
    if path == "sites":
        return new_site(c)
    if path == "contracts":
        return new_contract(c, products, today)
    return None


def priced(path: str, item: Any, products: dict[str, Product]) -> Any:
    """An order line without a price takes the catalogue's price and VAT treatment (other
    items as they are)."""
    if not path.endswith(".lines") or not isinstance(item, OrderLine) or item.price:
        return item
    product = products.get(item.product_code)
    if product is None:
        return item
    out = copy.deepcopy(item)
    out.price, out.vat_rate, out.vat_nature = product.price, product.vat_rate, product.vat_nature
    return out


def with_division(c: Customer, products: dict[str, Product], today: date) -> Customer:
    """CRM tab 3 with its blanks filled from the orders and the contacts: the software
    products, the edition and the seats of the first licensed line, today's installation,
    the software contact's name."""
    out = copy.deepcopy(c)
    sw = out.software_division
    software = _lines(c, products, ProductKind.SOFTWARE)
    if not sw.products:
        sw.products = list(dict.fromkeys(line.product_code for line in software))
    seats = next((line for line in software if products[line.product_code].licensed), None)
    if seats is not None:
        sw.edition = sw.edition or seats.edition
        sw.workstations = sw.workstations or int(seats.quantity)
    sw.installed_on = sw.installed_on or today
    if not sw.software_contact:
        contact = next(filter(None, (contact_of(c, r) for r in SOFTWARE_CONTACT_ROLES)), None)
        sw.software_contact = contact.name if contact else ""
    return out


def with_usual_terms(c: Customer, usual: str, known: Iterable[str]) -> Customer:
    """The company's usual payment terms for a customer who has none yet (a code the
    payment-terms catalogue does not know is not proposed)."""
    if c.payment_terms or usual not in set(known):
        return c
    out = copy.deepcopy(c)
    out.payment_terms = usual
    return out


PROPOSED_FORMS = {"division": with_division}  # by the field set the step's form edits


def proposed(fields: str, c: Customer, products: dict[str, Product], today: date) -> Customer:
    """The dossier as a form of the field set ``fields`` first shows it."""
    fill = PROPOSED_FORMS.get(fields)
    return fill(c, products, today) if fill else copy.deepcopy(c)
