"""Billing schedules, pro rata and renewal, worked by hand."""

from datetime import date
from decimal import Decimal

import pytest

from procedure.model import Contract
from procedure.rules.commerce.schedule import days_360, notice_deadline, renewed, schedule


def rows(contract: Contract, day_count: str = "actual/365") -> list[tuple[str, str, str, str]]:
    return [
        (f"{p.period_from:%d/%m/%Y}", f"{p.period_to:%d/%m/%Y}", f"{p.issue_date:%d/%m/%Y}",
         f"{p.amount:.2f}")
        for p in schedule(contract, day_count)
    ]  # fmt: skip


def test_domain_example_pro_rata_first_period() -> None:
    # €1,800/year in advance from 15/03/2025, aligned to calendar years, not renewing:
    # 15/03–31/12 = 17 + 275 = 292 days → 1800 × 292/365 = 1440.00; 01/01–14/03/2026 =
    # 31 + 28 + 14 = 73 days → 1800 × 73/365 = 360.00: both stubs by the same day count
    c = Contract(annual_fee=Decimal(1800), start=date(2025, 3, 15), end=date(2026, 3, 14),
                 aligned=True, auto_renewal=False)  # fmt: skip
    assert rows(c) == [
        ("15/03/2025", "31/12/2025", "15/03/2025", "1440.00"),
        ("01/01/2026", "14/03/2026", "01/01/2026", "360.00"),
    ]


def test_aligned_renewing_contract_runs_on_the_calendar() -> None:
    # Renewing by itself, once aligned it runs on calendar years: the term ends with the
    # year holding 14/03/2026, so after the first stub there is one invoice a year, on 01/01
    c = Contract(annual_fee=Decimal(1800), start=date(2025, 3, 15), end=date(2026, 3, 14),
                 aligned=True)  # fmt: skip
    assert rows(c) == [
        ("15/03/2025", "31/12/2025", "15/03/2025", "1440.00"),
        ("01/01/2026", "31/12/2026", "01/01/2026", "1800.00"),
    ]
    nxt = renewed(c, Decimal(0))
    assert (nxt.start, nxt.end) == (date(2027, 1, 1), date(2027, 12, 31))
    assert rows(nxt) == [("01/01/2027", "31/12/2027", "01/01/2027", "1800.00")]


def test_equal_stubs_cost_the_same() -> None:
    # €960 monthly from 15/02/2026 to 14/02/2027, aligned: 15–28/02 = 14 days and
    # 01–14/02/2027 = 14 days → 960 × 14/365 = 36.8219… → 36.82 each; 11 months of 80.00;
    # exact total 953.6438… → 953.64 = 36.82 + 880.00 + 36.82: no residual
    c = Contract(annual_fee=Decimal(960), frequency="monthly", start=date(2026, 2, 15),
                 end=date(2027, 2, 14), aligned=True, auto_renewal=False)  # fmt: skip
    got = rows(c)
    assert (got[0][3], got[-1][3]) == ("36.82", "36.82")
    assert [r[3] for r in got[1:-1]] == ["80.00"] * 11


def test_last_stub_by_day_count_takes_only_the_rounding_residual() -> None:
    # €1,200 quarterly in advance from 15/02/2026 to 14/02/2027, aligned: both stubs are
    # 45 days → 1200 × 45/365 = 147.9452… → 147.95; three quarters of 300.00; exact total
    # 2 × 147.9452… + 900 = 1195.8904… → 1195.89, so the last takes −0.01: 147.94
    c = Contract(annual_fee=Decimal(1200), frequency="quarterly", start=date(2026, 2, 15),
                 end=date(2027, 2, 14), aligned=True, auto_renewal=False)  # fmt: skip
    assert [r[3] for r in rows(c)] == ["147.95", "300.00", "300.00", "300.00", "147.94"]
    # €1,000 quarterly in arrears from 10/05/2026 to 09/05/2027: 10/05–30/06 = 52 days →
    # 142.4657… → 142.47; 01/04–09/05/2027 = 39 days → 106.8493… → 106.85; exact total
    # 999.3150… → 999.32 = 142.47 + 750.00 + 106.85
    c = Contract(annual_fee=Decimal(1000), frequency="quarterly", in_advance=False,
                 start=date(2026, 5, 10), end=date(2027, 5, 9), aligned=True,
                 auto_renewal=False)  # fmt: skip
    assert rows(c)[-1] == ("01/04/2027", "09/05/2027", "09/05/2027", "106.85")
    assert [r[3] for r in rows(c)] == ["142.47", "250.00", "250.00", "250.00", "106.85"]


def test_thirty_360_pro_rata() -> None:
    # 30/360: 15/03/2025 → 01/01/2026 = 360 − 60 − 14 = 286 days → 1800 × 286/360 = 1430.00
    assert days_360(date(2025, 3, 15), date(2026, 1, 1)) == 286
    c = Contract(annual_fee=Decimal(1800), start=date(2025, 3, 15), end=date(2025, 12, 31),
                 aligned=True, auto_renewal=False)  # fmt: skip
    assert rows(c, "30/360") == [("15/03/2025", "31/12/2025", "15/03/2025", "1430.00")]


def test_quarterly_in_arrears() -> None:
    # Gamma: €4,200/year quarterly in arrears → 4 × 1050.00 issued on each quarter's last day
    c = Contract(annual_fee=Decimal(4200), frequency="quarterly", in_advance=False,
                 start=date(2025, 4, 1), end=date(2026, 3, 31))  # fmt: skip
    assert rows(c) == [
        ("01/04/2025", "30/06/2025", "30/06/2025", "1050.00"),
        ("01/07/2025", "30/09/2025", "30/09/2025", "1050.00"),
        ("01/10/2025", "31/12/2025", "31/12/2025", "1050.00"),
        ("01/01/2026", "31/03/2026", "31/03/2026", "1050.00"),
    ]


def test_monthly_in_advance() -> None:
    # Studio: €80/month from 01/07/2025 → twelve 80.00 issued on the 1st
    c = Contract(annual_fee=Decimal(960), frequency="monthly", start=date(2025, 7, 1))
    got = rows(c)
    assert len(got) == 12
    assert {r[3] for r in got} == {"80.00"}
    assert got[7] == ("01/02/2026", "28/02/2026", "01/02/2026", "80.00")


def test_residual_on_the_last_period() -> None:
    # €1,000 monthly: 83.33 × 11 = 916.63, last 83.37
    c = Contract(annual_fee=Decimal(1000), frequency="monthly", start=date(2025, 1, 1))
    amounts = [r[3] for r in rows(c)]
    assert amounts == ["83.33"] * 11 + ["83.37"]


def test_month_end_start_keeps_its_anchor() -> None:
    # from 31/01: periods 31/01–27/02, 28/02–30/03, 31/03–29/04 …
    c = Contract(annual_fee=Decimal(1200), frequency="monthly", start=date(2025, 1, 31))
    assert rows(c)[:3] == [
        ("31/01/2025", "27/02/2025", "31/01/2025", "100.00"),
        ("28/02/2025", "30/03/2025", "28/02/2025", "100.00"),
        ("31/03/2025", "29/04/2025", "31/03/2025", "100.00"),
    ]


def test_aligned_quarters_with_partial_ends() -> None:
    # €1,200/year quarterly from 10/02/2025 to 09/02/2026: 10/02–31/03 = 19 + 31 = 50 days
    # → 164.3835… → 164.38; three full quarters at 300.00; 01/01–09/02/2026 = 40 days →
    # 131.5068… → 131.51 (by its own days, not the rest of the year's fee)
    c = Contract(annual_fee=Decimal(1200), frequency="quarterly", start=date(2025, 2, 10),
                 end=date(2026, 2, 9), aligned=True, auto_renewal=False)  # fmt: skip
    assert rows(c) == [
        ("10/02/2025", "31/03/2025", "10/02/2025", "164.38"),
        ("01/04/2025", "30/06/2025", "01/04/2025", "300.00"),
        ("01/07/2025", "30/09/2025", "01/07/2025", "300.00"),
        ("01/10/2025", "31/12/2025", "01/10/2025", "300.00"),
        ("01/01/2026", "09/02/2026", "01/01/2026", "131.51"),
    ]


def test_term_cut_short_is_pro_rata() -> None:
    # quarterly €1,000 to 15/08/2025: two quarters of 250.00, then 01/07–15/08 = 46 days
    # → 1000 × 46/365 = 126.03
    c = Contract(annual_fee=Decimal(1000), frequency="quarterly", start=date(2025, 1, 1),
                 end=date(2025, 8, 15))  # fmt: skip
    assert [r[3] for r in rows(c)] == ["250.00", "250.00", "126.03"]


def test_half_yearly_leap_year() -> None:
    c = Contract(annual_fee=Decimal("1999.99"), frequency="half_yearly", start=date(2024, 3, 1))
    assert rows(c) == [
        ("01/03/2024", "31/08/2024", "01/03/2024", "1000.00"),  # 999.995 rounds half up
        ("01/09/2024", "28/02/2025", "01/09/2024", "999.99"),
    ]


def test_notice_deadline() -> None:
    # 14/03/2026 − 90 days: back 13 to 01/03, 28 to 01/02, 31 to 01/01, 18 more → 14/12/2025
    c = Contract(start=date(2025, 3, 15), end=date(2026, 3, 14), notice_days=90)
    assert notice_deadline(c) == date(2025, 12, 14)
    # missing end: twelve months from the start
    assert notice_deadline(Contract(start=date(2025, 7, 1), notice_days=60)) == date(2026, 5, 1)


@pytest.mark.parametrize(
    ("share", "foi", "fee"),
    [
        ("100", "1.7", "1830.60"),  # 1800 × 1.017
        ("75", "1.7", "1822.95"),  # 1800 × (1 + 0.017 × 0.75) = 1800 × 1.01275
        ("75", "-0.4", "1800.00"),  # upwards only: a fall in prices leaves the fee
        ("0", "5", "1800.00"),
    ],
)
def test_renewal_with_istat_indexation(share: str, foi: str, fee: str) -> None:
    c = Contract(annual_fee=Decimal(1800), start=date(2025, 3, 15), end=date(2026, 3, 14),
                 indexation_share=Decimal(share), status="signed")  # fmt: skip
    nxt = renewed(c, Decimal(foi))
    assert (nxt.start, nxt.end) == (date(2026, 3, 15), date(2027, 3, 14))
    assert f"{nxt.annual_fee:.2f}" == fee
    assert nxt.status == "active"


def test_indexation_downwards_only_when_the_contract_says_so() -> None:
    # 1800 × (1 − 0.004 × 0.75) = 1800 × 0.997 = 1794.60
    c = Contract(annual_fee=Decimal(1800), start=date(2025, 3, 15), end=date(2026, 3, 14),
                 indexation_share=Decimal(75))  # fmt: skip
    assert renewed(c, Decimal("-0.4")).annual_fee == Decimal("1800.00")
    assert renewed(c, Decimal("-0.4"), downwards=True).annual_fee == Decimal("1794.60")


def test_renewing_contract_rolls_to_the_running_term() -> None:
    from procedure.rules.commerce.schedule import current_term

    c = Contract(start=date(2025, 3, 15), end=date(2026, 3, 14), auto_renewal=True)
    term = current_term(c, date(2026, 11, 27))
    assert (term.start, term.end) == (date(2026, 3, 15), date(2027, 3, 14))
    c.auto_renewal = False
    assert current_term(c, date(2026, 11, 27)).end == date(2026, 3, 14)


def test_list_lines_count_notice_deadlines_without_dossiers() -> None:
    from procedure.rules.progress import Summary, notices_of_terms

    s = Summary("C1", "X", 0, 15, 0, 3, "", "", False,
                terms=(("2025-03-15", "2026-03-14", 90, True, "CA-2025-001"),))  # fmt: skip
    # renewed to 15/03/2026–14/03/2027: notice by 14/12/2026
    assert len(notices_of_terms(s.terms, date(2026, 11, 27), 30)) == 1
    assert len(notices_of_terms(s.terms, date(2026, 10, 1), 30)) == 0
