"""Field rules: each bad value is reported with its path and an Italian message."""

from decimal import Decimal

import pytest
from stdnum import iban as stdnum_iban

from procedure.model import Address, Contact, Contract, Customer, ExcludedMonth, Order, OrderLine
from procedure.rules.procedure_file import load_definitions
from procedure.rules.validation import (
    check_iban,
    check_sdi_code,
    check_tax_code,
    check_vat_number,
    validate_customer,
)

DEFS = load_definitions()
PRODUCTS = {"GEST-BASE"}


def customer(**fields: object) -> Customer:
    base = Customer(
        code="C00001",
        name="Alfa Test Meccanica S.r.l.",
        vat_number="12345670249",
        tax_code="12345670249",
        address=Address("Via dell'Esempio 12", "36100", "Vicenza", "VI"),
        pec="alfatest@pec.example",
        sdi_code="TSTALF1",
        payment_terms="RB60FM",
    )
    for key, value in fields.items():
        setattr(base, key, value)
    return base


def paths(c: Customer) -> dict[str, str]:
    return {p.path: p.message for p in validate_customer(c, DEFS, PRODUCTS)}


def test_sample_customer_is_valid() -> None:
    assert paths(customer()) == {}


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("12345670249", True),  # worked by hand in domain.md
        ("12345670248", False),  # wrong check digit
        ("1234567024", False),  # 10 digits
        ("76543210280", True),
        ("02468130238", True),  # leading zero kept
        ("1234567024A", False),
    ],
)
def test_vat_number(value: str, ok: bool) -> None:
    assert (check_vat_number(value) is None) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("SMPGLI75C55A944U", True),
        ("SMPGLI75C55A944X", False),
        ("12345670249", True),
        ("12345670248", False),
        ("SMPGLI75C55", False),
    ],
)
def test_tax_code(value: str, ok: bool) -> None:
    assert (check_tax_code(value) is None) is ok


def test_iban_checks_the_italian_cin() -> None:
    assert check_iban("IT78O0200802457000000100025") is None
    assert check_iban("IT50U0832703200000000900001") is None
    # The vendor's IBAN with CIN "A" instead of "U" and ISO check digits recomputed:
    # the mod-97 check passes, so only the CIN can catch it.
    wrong_cin = "IT67A0832703200000000900001"
    assert stdnum_iban.is_valid(wrong_cin)
    assert "CIN" in (check_iban(wrong_cin) or "")


def test_sdi_code_rules() -> None:
    assert check_sdi_code("TSTALF1", "IT") is None
    assert check_sdi_code("0000000", "IT") is None
    assert check_sdi_code("UFABCD", "IT") is None  # public administration
    assert check_sdi_code("XXXXXXX", "DE") is None
    assert "esteri" in (check_sdi_code("XXXXXXX", "IT") or "")
    assert "7 caratteri" in (check_sdi_code("tst", "IT") or "")
    assert check_sdi_code("TSTALF1", "FR") is not None


def test_each_bad_field_is_named() -> None:
    bad = customer(
        vat_number="12345670248",
        pec="not-an-address",
        iban="IT00X000",
        invoice_email="a@b",
        payment_terms="BB45XX",
        address=Address("Via X", "3610", "Vicenza", "XX"),
        excluded_months=[ExcludedMonth(8, 10), ExcludedMonth(8, 10), ExcludedMonth(12, 10)],
        contacts=[Contact(name="", role="boss", email="x", osticket=True)],
    )
    found = paths(bad)
    assert "Partita IVA" in found["vat_number"]
    assert "PEC" in found["pec"]
    assert "IBAN" in found["iban"]
    assert found["invoice_email"] == "indirizzo e-mail non valido"
    assert "BB45XX" in found["payment_terms"]
    assert "CAP" in found["address.zip"]
    assert "XX" in found["address.province"]
    assert "due" in found["excluded_months"]
    assert found["excluded_months[1].month"] == "mese ripetuto"
    assert "nome" in found["contacts[0].name"]
    assert "ruolo" in found["contacts[0].role"]
    assert found["contacts[0].email"] == "indirizzo e-mail non valido"


def test_name_length_and_code_shape() -> None:
    found = paths(customer(name="A" * 81, code="../etc"))
    assert "81" in found["name"]
    assert "codice" in found["code"]


def test_unknown_product_codes_are_named() -> None:
    order = Order(number="O1", lines=[OrderLine(product_code="NOPE", quantity=Decimal(0))])
    contract = Contract(number="K1", products=["GHOST"], frequency="weekly")
    found = paths(customer(orders=[order], contracts=[contract]))
    assert "NOPE" in found["orders[0].lines[0].product_code"]
    assert "quantità" in found["orders[0].lines[0].quantity"]
    assert "GHOST" in found["contracts[0].products[0]"]
    assert "weekly" in found["contracts[0].frequency"]


def test_foreign_customer_skips_italian_checks() -> None:
    foreign = customer(
        vat_number="DE123456789",
        tax_code="",
        sdi_code="XXXXXXX",
        address=Address("Hauptstr. 1", "80331", "München", "", "DE"),
    )
    assert paths(foreign) == {}


def test_creditor_identifier_is_checked_with_its_iso_7064_digits() -> None:
    from procedure.rules.validation import check_creditor_id

    assert check_creditor_id("IT44ZZZ0000013579130280") is None
    assert check_creditor_id("it44 zzz 00000 13579130280") is None  # spaces and case as printed
    assert check_creditor_id("IT22ZZZRSSMRA80A01H501U") is None  # a codice fiscale
    assert "non valido" in (check_creditor_id("IT45ZZZ0000013579130280") or "")
    assert "mancante" in (check_creditor_id("") or "")
    # the check digits hold, but the Italian form has 23 characters: the Partita IVA after
    # five zeros (circolare ABI serie tecnica n. 42/2009)
    short = check_creditor_id("IT44ZZZ13579130280") or ""
    assert "non valido" in short and "23 caratteri" in short
    assert check_creditor_id("DE98ZZZ09999999999") is None  # other countries: their own form


def test_evidence_is_told_in_italian() -> None:
    from procedure.rules.steps import describe_evidence

    assert describe_evidence("mailing:M-1") == "e-mail M-1 consegnata"
    assert describe_evidence("handover:2") == "consegna n. 2 registrata"
    assert describe_evidence("manual").startswith("completato a mano")
