"""VAT and split payment worked by hand from the rules (art. 17-ter DPR 633/72; the closed set
of Italian rates and the FatturaPA Natura codes): what is shown, what is collected."""

from datetime import date
from decimal import Decimal

import pytest

from procedure.enums import VatNature
from procedure.model import Contract, Customer, Invoicing, Order, OrderLine, Product
from procedure.rules.commerce.billing_plan import Rules, invoices
from procedure.rules.commerce.money import vat_problem
from procedure.rules.commerce.orders import instalments, totals
from procedure.rules.procedure_file import load_definitions
from procedure.rules.validation import validate_product

D = Decimal


def mixed_order() -> Order:
    """22%: 2 × 100,00 = 200,00 → IVA 44,00; 10%: 34,40 → IVA 3,44; N4 (exempt): 258,12.
    Taxable 492,52, VAT 47,44, total 539,96."""
    return Order(
        number="O-1",
        ordered_on=date(2025, 6, 16),
        payment_terms="RD",
        lines=[
            OrderLine("A", "", D(2), D("100.00"), D(0), D(22)),
            OrderLine("B", "", D(1), D("34.40"), D(0), D(10)),
            OrderLine("C", "", D(1), D("258.12"), D(0), D(0), vat_nature=VatNature.N4),
        ],
    )


def customer(split: bool) -> Customer:
    return Customer(code="C1", payment_terms="RD", invoicing=Invoicing(split_payment=split))


def test_vat_is_summed_per_rate_and_per_natura() -> None:
    t = totals(mixed_order())
    assert list(t.by_rate.items()) == [
        ("22", (D("200.00"), D("44.00"))),
        ("10", (D("34.40"), D("3.44"))),
        ("N4", (D("258.12"), D("0.00"))),
    ]
    assert (t.taxable, t.vat, t.total) == (D("492.52"), D("47.44"), D("539.96"))


def test_split_payment_instalments_collect_the_taxable() -> None:
    defs = load_definitions()
    (whole,) = instalments(mixed_order(), customer(False), defs, "months")
    (split,) = instalments(mixed_order(), customer(True), defs, "months")
    assert (whole.date, whole.amount) == (date(2025, 6, 16), D("539.96"))
    assert (split.date, split.amount) == (date(2025, 6, 16), D("492.52"))  # VAT to the Erario


def test_contract_invoices_show_vat_and_collect_per_split_payment() -> None:
    # 1.800,00 a year, yearly in advance, from 15/03/2025: one invoice of 1.800,00 + 22%
    # VAT 396,00 = 2.196,00; under split payment the customer pays 1.800,00.
    contract = Contract(number="K", annual_fee=D("1800.00"), start=date(2025, 3, 15),
                        end=date(2026, 3, 14), status="active")  # fmt: skip
    rules = Rules("actual/365", "months", load_definitions().terms["RD"])
    (normal,) = invoices(customer(False), contract, rules)
    (split,) = invoices(customer(True), contract, rules)
    assert (normal.period.amount, normal.vat, normal.total) == (
        D("1800.00"),
        D("396.00"),
        D("2196.00"),
    )
    assert [i.amount for i in normal.due] == [D("2196.00")]
    assert (split.vat, split.collected) == (D("396.00"), D("1800.00"))
    assert [i.amount for i in split.due] == [D("1800.00")]


@pytest.mark.parametrize(
    ("rate", "nature", "field", "said"),
    [
        ("23", "", "vat_rate", "aliquota IVA 23% non ammessa; ammesse: 22, 10, 5, 4, 0"),
        ("21", "", "vat_rate", "aliquota IVA 21% non ammessa"),
        ("0", "", "vat_nature", "un'aliquota 0% richiede la natura (N1-N7)"),
        ("22", "N4", "vat_nature", "la natura N4 vale solo per l'aliquota 0%"),
    ],
)
def test_vat_outside_the_italian_set_is_refused(
    rate: str, nature: str, field: str, said: str
) -> None:
    found = vat_problem(D(rate), VatNature(nature))
    assert found is not None and found[0] == field and found[1].startswith(said)
    product = Product("P1", "Prodotto", price=D(10), vat_rate=D(rate), vat_nature=VatNature(nature))
    assert [(p.path, p.message) for p in validate_product(product)] == [(field, found[1])]


@pytest.mark.parametrize(
    ("rate", "nature"), [("22", ""), ("10", ""), ("5", ""), ("4", ""), ("0", "N4"), ("0", "N2.2")]
)
def test_italian_vat_treatments_pass(rate: str, nature: str) -> None:
    assert vat_problem(D(rate), VatNature(nature)) is None
