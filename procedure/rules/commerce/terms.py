"""Due dates of an invoice from its payment terms (FatturaPA-style catalogue, Italian rules)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from procedure.model import ExcludedMonth
from procedure.rules.commerce.money import split
from procedure.rules.definitions import PaymentTerm

MONTHS, DAYS = "months", "days"


@dataclass(frozen=True)
class Instalment:
    date: date
    amount: Decimal


def end_of_month(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def add_months(d: date, months: int) -> date:
    """``d`` moved by whole months, the day clamped to the month's length (31/01 + 1 → 28/02)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def day_of_next_month(d: date, day: int) -> date:
    """``day`` of the month after ``d``'s (clamped: day 31 of a 30-day month is the 30th)."""
    first = add_months(d.replace(day=1), 1)
    return first.replace(day=min(day, calendar.monthrange(first.year, first.month)[1]))


def due_date(
    invoice: date,
    days: int,
    term: PaymentTerm,
    excluded: list[ExcludedMonth],
    fine_mese: str = MONTHS,
) -> date:
    """The due date ``days`` after ``invoice`` under ``term``.

    1. End-of-month terms whose days are a multiple of 30 add days/30 commercial months
       (``fine_mese="months"``, the default) or calendar days (``"days"``); others add days.
    2. End-of-month terms move to the last day of that month.
    3. A fixed day moves to that day of the following month.
    4. A date in an excluded month moves to the given day of the next month.
    """
    if term.end_of_month and days % 30 == 0 and fine_mese == MONTHS:
        due = add_months(invoice, days // 30)
    else:
        due = invoice + timedelta(days=days)
    if term.end_of_month:
        due = end_of_month(due)
    if term.fixed_day:
        due = day_of_next_month(due, term.fixed_day)
    rules = {m.month: m.day for m in excluded}
    for _ in range(12):  # several excluded months in a row keep moving it on
        if due.month not in rules:
            break
        due = day_of_next_month(due, rules[due.month])
    return due


def due_dates(
    invoice: date,
    amount: Decimal,
    term: PaymentTerm,
    excluded: list[ExcludedMonth] | None = None,
    fine_mese: str = MONTHS,
) -> list[Instalment]:
    """The instalments of an invoice of ``amount`` dated ``invoice``, in date order.

    Amounts are equal shares rounded half-up to cents; the last takes the residual.
    """
    amounts = split(amount, len(term.days))
    return [
        Instalment(due_date(invoice, d, term, excluded or [], fine_mese), a)
        for d, a in zip(term.days, amounts, strict=True)
    ]
