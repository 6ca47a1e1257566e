"""Andamento: what the months ahead hold (invoices to issue, notices and renewals) and how
long the forms still missing have been waiting."""

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from procedure.bounds import parse_number
from procedure.italian import MONTHS

if TYPE_CHECKING:
    from procedure.office import Office

AGES = (("0–7 giorni", 7), ("8–30 giorni", 30), ("31–90 giorni", 90), ("oltre 90", 10**6))


@dataclass
class Trend:
    months: list[str]  # "dic 26", twelve from this month
    invoices: list[int]
    amounts: list[Decimal]  # taxable amount of the invoices of each month
    notices: list[int]  # contracts whose notice must be given (disdetta) in the month
    renewals: list[int]  # contracts that renew by themselves at the month's end of term
    ages: dict[str, int] = field(default_factory=dict)  # forms missing, by how long


def month_starts(today: date, count: int = 12) -> list[date]:
    out, year, month = [], today.year, today.month
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


class Trends:
    def __init__(self, office: "Office") -> None:
        self.office = office

    def compute(self, today: date) -> Trend:
        starts = month_starts(today)
        index = {(d.year, d.month): i for i, d in enumerate(starts)}
        labels = [f"{MONTHS[d.month - 1][:3]} {d.year % 100:02d}" for d in starts]
        trend = Trend(labels, [0] * 12, [Decimal(0)] * 12, [0] * 12, [0] * 12)
        last = date(starts[-1].year + (starts[-1].month == 12), starts[-1].month % 12 + 1, 1)
        lines = self.office.billing.invoices_between(starts[0], last - timedelta(days=1))
        for row in csv.reader(lines, delimiter=";"):
            issued = date(int(row[5][6:10]), int(row[5][3:5]), int(row[5][:2]))
            i = index[(issued.year, issued.month)]
            trend.invoices[i] += 1
            trend.amounts[i] += parse_number(row[6].replace(".", "").replace(",", "."))
        for d in self.office.billing.deadlines(today, (last - today).days):
            if d.notice_by and (d.notice_by.year, d.notice_by.month) in index:
                trend.notices[index[(d.notice_by.year, d.notice_by.month)]] += 1
            if d.renews and (d.term_end.year, d.term_end.month) in index:
                trend.renewals[index[(d.term_end.year, d.term_end.month)]] += 1
        trend.ages = self.missing_by_age(today)
        return trend

    def missing_by_age(self, today: date) -> dict[str, int]:
        """Forms sent and not back, by days since they went out (from the list and the forms
        ledgers alone: no dossier is read whole)."""
        ages = dict.fromkeys((label for label, _ in AGES), 0)
        for forms in self.office.missing_forms().values():
            for form in forms.values():
                if form.returned_at or not form.sent_at:
                    continue
                days = (today - form.sent_at.date()).days
                label = next(label for label, limit in AGES if days <= limit)
                ages[label] += 1
        return ages
