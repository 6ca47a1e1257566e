"""Due dates worked by hand (each comment shows the arithmetic), run through due_dates()."""

from datetime import date
from decimal import Decimal

import pytest

from procedure.italian import euro
from procedure.model import ExcludedMonth
from procedure.rules.commerce.money import split
from procedure.rules.commerce.terms import due_dates
from procedure.rules.definitions import PaymentTerm
from procedure.rules.procedure_file import load_definitions

TERMS = load_definitions().terms
AUG_DEC = [ExcludedMonth(8, 10), ExcludedMonth(12, 10)]


def d(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


CASES = [
    # (code, invoice, excluded, fine_mese, [due dates]) — amounts checked separately
    ("RD", "15/03/2025", [], "months", ["15/03/2025"]),  # at sight
    ("BB30DF", "31/01/2025", [], "months", ["02/03/2025"]),  # domain.md: 31/01 + 30 days
    ("BB30DF", "31/01/2024", [], "months", ["01/03/2024"]),  # leap: 29 Feb is day 29
    ("BB30DF", "30/01/2025", [], "months", ["01/03/2025"]),  # 1 day to 31/01, 28 in Feb, 1
    ("BB60DF", "15/11/2025", [], "months", ["14/01/2026"]),  # 15 + 31 + 14 = 60
    ("BB60DF", "31/12/2024", [], "months", ["01/03/2025"]),  # 31 + 28 + 1 = 60
    ("BB30FM", "15/01/2025", [], "months", ["28/02/2025"]),  # +1 month 15/02, end of month
    ("BB30FM", "15/01/2024", [], "months", ["29/02/2024"]),  # leap February
    ("BB30FM", "31/01/2025", [], "months", ["28/02/2025"]),  # 31/02 clamps to 28/02
    ("BB30FM", "31/01/2025", [], "days", ["31/03/2025"]),  # calendar days: 02/03 → 31/03
    ("BB30FM", "29/02/2024", [], "months", ["31/03/2024"]),  # 29/03 → end of March
    ("BB30FM", "30/11/2025", [], "months", ["31/12/2025"]),  # 30/12 → 31/12
    ("BB30FM", "15/12/2025", [], "months", ["31/01/2026"]),  # December → January
    ("BB60FM", "30/12/2025", [], "months", ["28/02/2026"]),  # 30/02 clamps, common year
    ("BB60FM", "15/12/2025", [], "days", ["28/02/2026"]),  # 15/12 + 60 d = 13/02 → 28/02
    ("BB3060FM", "10/10/2025", [], "months", ["30/11/2025", "31/12/2025"]),
    ("BB3060FM", "31/12/2025", [], "months", ["31/01/2026", "28/02/2026"]),
    ("BB306090FM", "20/01/2025", [], "months", ["28/02/2025", "31/03/2025", "30/04/2025"]),
    ("BB306090FM", "30/11/2023", [], "months", ["31/12/2023", "31/01/2024", "29/02/2024"]),
    ("RB30FM", "31/03/2025", [], "months", ["30/04/2025"]),
    ("RB60FM", "15/06/2025", AUG_DEC, "months", ["10/09/2025"]),  # domain.md: 31/08 → 10/09
    ("RB60FM", "15/10/2025", AUG_DEC, "months", ["10/01/2026"]),  # 31/12 excluded → 10/01
    ("RB60FM", "15/05/2025", AUG_DEC, "months", ["31/07/2025"]),  # July is not excluded
    ("RB306090FM", "05/06/2025", [ExcludedMonth(8, 10)], "months",
     ["31/07/2025", "10/09/2025", "30/09/2025"]),  # the second lands on 31/08 → 10/09
    ("RB60FM10", "15/06/2025", [], "months", ["10/09/2025"]),  # 31/08, then day 10 next month
    ("RB60FM10", "20/11/2025", [], "months", ["10/02/2026"]),  # 31/01 → 10/02
    ("RB60FM10", "10/10/2025", AUG_DEC, "months", ["10/01/2026"]),  # 31/12 → 10/01 (Jan ok)
    ("SDD-CORE", "25/12/2025", [], "months", ["04/01/2026"]),  # 6 days to 31/12, 4 more
    ("SDD-B2B", "20/02/2024", [], "months", ["01/03/2024"]),  # leap: 29/02 is +9
    ("SDD-CORE", "20/02/2025", [], "months", ["02/03/2025"]),  # common: 28/02 is +8
    ("BB30FM", "10/07/2025", [ExcludedMonth(8, 10)], "months", ["10/09/2025"]),
    ("BB30FM", "20/07/2025", [ExcludedMonth(8, 15), ExcludedMonth(9, 10)], "months",
     ["10/10/2025"]),  # 31/08 → 15/09, September excluded too → 10/10
    ("RD", "05/12/2025", AUG_DEC, "months", ["10/01/2026"]),  # even at sight
]  # fmt: skip


@pytest.mark.parametrize(("code", "invoice", "excluded", "mode", "expected"), CASES)
def test_due_dates_worked_by_hand(
    code: str, invoice: str, excluded: list[ExcludedMonth], mode: str, expected: list[str]
) -> None:
    got = due_dates(d(invoice), Decimal("100.00"), TERMS[code], excluded, mode)
    assert [f"{i.date:%d/%m/%Y}" for i in got] == expected


@pytest.mark.parametrize(
    ("total", "parts", "expected"),
    [
        ("1000.00", 2, ["500.00", "500.00"]),
        ("100.00", 3, ["33.33", "33.33", "33.34"]),  # residual on the last
        ("999.99", 3, ["333.33", "333.33", "333.33"]),
        ("100.01", 2, ["50.01", "50.00"]),  # 50.005 rounds half up; the last takes the rest
        ("1234.56", 3, ["411.52", "411.52", "411.52"]),
        ("10.00", 3, ["3.33", "3.33", "3.34"]),
    ],
)
def test_instalment_amounts(total: str, parts: int, expected: list[str]) -> None:
    assert [f"{a:.2f}" for a in split(Decimal(total), parts)] == expected


def test_instalments_carry_amounts() -> None:
    got = due_dates(d("20/01/2025"), Decimal("100.00"), TERMS["BB306090FM"])
    assert [str(i.amount) for i in got] == ["33.33", "33.33", "33.34"]


def test_fixed_day_past_month_length_clamps() -> None:
    term = PaymentTerm("X", "prova", "MP05", "TP02", days=(30,), end_of_month=True, fixed_day=31)
    # 15/01 + 1 month = 15/02 → 28/02 → day 31 of March exists
    assert due_dates(d("15/01/2025"), Decimal(1), term)[0].date == d("31/03/2025")
    # 15/02 → 31/03 → day 31 of April does not: 30/04
    assert due_dates(d("15/02/2025"), Decimal(1), term)[0].date == d("30/04/2025")


def test_every_catalogue_code_has_fatturapa_codes() -> None:
    for term in TERMS.values():
        assert term.mp.startswith("MP") and term.tp in ("TP01", "TP02", "TP03")
        assert (term.tp == "TP01") == (len(term.days) > 1)


def test_euro_format() -> None:
    assert euro(Decimal("1800")) == "€ 1.800,00"
    assert euro(Decimal("1234567.895")) == "€ 1.234.567,90"
