"""The billing schedule of a periodic contract: periods, issue dates, amounts, renewal."""

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from procedure.enums import ContractStatus, Frequency
from procedure.model import Contract
from procedure.rules.commerce.money import cents
from procedure.rules.commerce.terms import add_months

PERIOD_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}
ACTUAL_365, DAYS_360 = "actual/365", "30/360"
ONE_DAY = timedelta(days=1)
MAX_RENEWALS = 50  # terms a renewing contract may roll through in one computation


@dataclass(frozen=True)
class Period:
    period_from: date
    period_to: date
    issue_date: date
    amount: Decimal


def period_end(day: date, months: int) -> date:
    """The last day of the calendar period (of ``months`` months) holding ``day``."""
    first = date(day.year, ((day.month - 1) // months) * months + 1, 1)
    return add_months(first, months) - ONE_DAY


def in_force(contract: Contract, day: date) -> bool:
    """Whether the contract binds on ``day``: not cancelled, begun, and not past its end; a
    contract that renews by itself goes on after its end (until a notice stops it)."""
    if contract.status == ContractStatus.CANCELLED:
        return False
    if contract.start is None or contract.start > day:
        return False
    return contract.auto_renewal or term_end(contract) >= day


def term_end(contract: Contract) -> date:
    """The last day covered: ``end``, or twelve months from ``start`` when it is missing.

    Once aligned, a contract runs on the calendar: when an aligned contract renews by
    itself its term ends with the calendar period holding that day, so no stub recurs and
    every renewal is whole calendar periods (a yearly one: one invoice on 01/01).
    """
    if contract.start is None:
        raise ValueError("contract without start date")
    end = contract.end or add_months(contract.start, 12) - ONE_DAY
    if contract.aligned and contract.auto_renewal:
        return period_end(end, PERIOD_MONTHS[contract.frequency])
    return end


def days_360(start: date, end_exclusive: date) -> int:
    """Days between two dates on the European 30/360 convention."""
    d1, d2 = min(start.day, 30), min(end_exclusive.day, 30)
    return (
        360 * (end_exclusive.year - start.year)
        + 30 * (end_exclusive.month - start.month)
        + (d2 - d1)
    )


def year_fraction(start: date, end: date, day_count: str) -> Decimal:
    """The share of a year from ``start`` to ``end`` inclusive."""
    if day_count == DAYS_360:
        return Decimal(days_360(start, end + ONE_DAY)) / 360
    return Decimal((end - start).days + 1) / 365


def _whole_months(start: date, end: date) -> int | None:
    """How many whole months ``start``..``end`` spans, or None when it is not whole."""
    for n in range(1, 1201):
        stop = add_months(start, n) - ONE_DAY
        if stop == end:
            return n
        if stop > end:
            return None
    return None


def _boundaries(contract: Contract, months: int, end: date) -> list[date]:
    """First days of each period, from the start up to the end."""
    start = contract.start
    assert start is not None
    out = [start]
    if contract.aligned:
        nxt = date(start.year, ((start.month - 1) // months) * months + 1, 1)
        while True:
            nxt = add_months(nxt, months)
            if nxt > end:
                return out
            out.append(nxt)
    k = 1
    while (nxt := add_months(start, k * months)) <= end:
        out.append(nxt)
        k += 1
    return out


def schedule(contract: Contract, day_count: str = ACTUAL_365) -> list[Period]:
    """Every invoice of the contract's current term, in order.

    Full periods cost fee / periods a year; every partial period, first or last (calendar
    alignment, or a term that is not a whole number of periods), costs fee x its share of a
    year by ``day_count``, so two stubs of the same length cost the same. Amounts are
    rounded half-up to cents; the last takes the rounding residual (cents, no more) so the
    term adds up to the sum of its exact amounts. Raises ValueError when the contract has no
    start date or an unknown frequency.
    """
    months = PERIOD_MONTHS[contract.frequency]
    end = term_end(contract)
    starts = _boundaries(contract, months, end)
    per_period = contract.annual_fee * months / 12
    pieces = []
    exact_total = Decimal(0)
    for i, first in enumerate(starts):
        last = starts[i + 1] - ONE_DAY if i + 1 < len(starts) else end
        if contract.aligned:
            full = first.day == 1 and add_months(first, months) - ONE_DAY == last
        else:  # periods run from the start date, so only a cut-short last one is partial
            full = add_months(starts[0], (i + 1) * months) - ONE_DAY == last
        exact = per_period if full else contract.annual_fee * year_fraction(first, last, day_count)
        exact_total += exact
        pieces.append((first, last, cents(exact)))
    total = cents(exact_total)
    amounts = [a for _, _, a in pieces]
    amounts[-1] = total - sum(amounts[:-1])
    return [
        Period(first, last, first if contract.in_advance else last, amount)
        for (first, last, _), amount in zip(pieces, amounts, strict=True)
    ]


def ended_terms(contracts: list[Contract], day: date) -> list[Contract]:
    """The contracts (not cancelled) whose term ended before ``day``: a document made now
    for them would state a past term."""
    return [
        k
        for k in contracts
        if k.status != ContractStatus.CANCELLED and k.start is not None and term_end(k) < day
    ]


def notice_deadline(contract: Contract) -> date | None:
    """The last day the customer may give notice (disdetta) before the term renews; None
    for a contract that does not renew (it ends by itself: no notice to give)."""
    if not contract.auto_renewal:
        return None
    return term_end(contract) - timedelta(days=contract.notice_days)


def renewal_months(contract: Contract) -> int:
    """How long each renewal runs: twelve calendar months once aligned, else as long as the
    first term when that is whole months (twelve when it is not)."""
    if contract.aligned or contract.start is None:
        return 12
    return _whole_months(contract.start, term_end(contract)) or 12


def renewed(contract: Contract, foi_change: Decimal, downwards: bool = False) -> Contract:
    """The contract for the next term: same length, fee indexed by the ISTAT FOI change.

    ``foi_change`` is the yearly change in percent (e.g. ``Decimal("1.7")``); the share of
    it applied is ``contract.indexation_share`` percent. A fall in prices lowers the fee
    only when ``downwards`` (the contract's own choice, else the company's default). An
    aligned contract's renewals are twelve calendar months.
    """
    end = term_end(contract)
    assert contract.start is not None
    length = renewal_months(contract)
    start = end + ONE_DAY
    change = foi_change if downwards or foi_change > 0 else Decimal(0)
    factor = 1 + change / 100 * contract.indexation_share / 100
    return dataclasses.replace(
        contract,
        start=start,
        end=add_months(start, length) - ONE_DAY,
        annual_fee=cents(contract.annual_fee * factor),
        status=ContractStatus.ACTIVE,
        sent_at=None,
        returned_at=None,
    )


def current_term(contract: Contract, today: date) -> Contract:
    """The term running on ``today``: a contract that renews by itself rolls forward."""
    rolled = 0
    while contract.auto_renewal and term_end(contract) < today and rolled < MAX_RENEWALS:
        contract = renewed(contract, Decimal(0))
        rolled += 1
    return contract
