"""Order arithmetic: line amounts, VAT summary by rate, totals and instalments."""

from dataclasses import dataclass
from decimal import Decimal

from procedure.model import Customer, Order, OrderLine
from procedure.rules.commerce.money import cents, collected
from procedure.rules.commerce.terms import Instalment, due_dates
from procedure.rules.definitions import Definitions


@dataclass(frozen=True)
class Totals:
    taxable: Decimal
    vat: Decimal
    total: Decimal
    by_rate: dict[str, tuple[Decimal, Decimal]]  # rate or Natura → (taxable, VAT)


def line_amount(line: OrderLine) -> Decimal:
    """Quantity x price less the discount percent, rounded half-up to cents."""
    return cents(line.quantity * line.price * (100 - line.discount) / 100)


def vat_key(rate: Decimal, nature: str) -> str:
    """How the VAT summary names a treatment: the rate ("22"), or for 0% its *Natura*."""
    return format(rate.normalize(), "f") if rate else nature or "0"


def _highest_first(item: tuple[tuple[Decimal, str], Decimal]) -> tuple[Decimal, str]:
    (rate, nature), _ = item
    return -rate, nature


def totals(order: Order) -> Totals:
    """Taxable, VAT (computed per rate on the rate's taxable, as on an invoice) and total;
    0% lines are summed per *Natura* code."""
    taxable_by_rate: dict[tuple[Decimal, str], Decimal] = {}
    for line in order.lines:
        key = (line.vat_rate.normalize(), "" if line.vat_rate else line.vat_nature)
        taxable_by_rate[key] = taxable_by_rate.get(key, Decimal(0)) + line_amount(line)
    by_rate = {
        vat_key(rate, nature): (taxable, cents(taxable * rate / 100))
        for (rate, nature), taxable in sorted(taxable_by_rate.items(), key=_highest_first)
    }
    taxable = sum((t for t, _ in by_rate.values()), Decimal(0))
    vat = sum((v for _, v in by_rate.values()), Decimal(0))
    return Totals(cents(taxable), cents(vat), cents(taxable + vat), by_rate)


def order_terms(order: Order, customer: Customer) -> str:
    """The order's payment terms: its own, else the customer's."""
    return order.payment_terms or customer.payment_terms


def instalments(
    order: Order, customer: Customer, defs: Definitions, fine_mese: str
) -> list[Instalment]:
    """The order's instalments from its payment terms, dated from the order date: the
    total, or under split payment the taxable.

    Raises ValueError when the order has no date or no known payment terms.
    """
    code = order_terms(order, customer)
    if order.ordered_on is None or code not in defs.terms:
        raise ValueError(f"ordine {order.number}: data o condizioni di pagamento mancanti")
    term = defs.terms[code]
    t = totals(order)
    amount = collected(t.taxable, t.vat, customer.invoicing.split_payment)
    return due_dates(order.ordered_on, amount, term, customer.excluded_months, fine_mese)
