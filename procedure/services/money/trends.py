"""Andamento: what the months ahead hold (invoices to issue, notices and renewals) and how
long the forms still missing have been waiting."""

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from procedure.bounds import parse_number
from procedure.folder import DataFolder
from procedure.italian import MONTHS
from procedure.rules.commerce.billing_plan import plan_fields
from procedure.services.money.billing import Billing

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
    def __init__(self, folder: DataFolder, billing: Billing) -> None:
        self.folder = folder
        self.billing = billing

    def compute(self, today: date) -> Trend:
        starts = month_starts(today)
        index = {(d.year, d.month): i for i, d in enumerate(starts)}
        labels = [f"{MONTHS[d.month - 1][:3]} {d.year % 100:02d}" for d in starts]
        trend = Trend(labels, [0] * 12, [Decimal(0)] * 12, [0] * 12, [0] * 12)
        last = date(starts[-1].year + (starts[-1].month == 12), starts[-1].month % 12 + 1, 1)
        for month, invoices, amount in self.invoices(starts[0], last - timedelta(days=1)):
            i = index[(int(month[:4]), int(month[5:7]))]
            trend.invoices[i] += invoices
            trend.amounts[i] += amount
        for by, end, renews, n in self.billing.deadline_counts(today, (last - today).days):
            if by and (by.year, by.month) in index:
                trend.notices[index[(by.year, by.month)]] += n
            if renews and (end.year, end.month) in index:
                trend.renewals[index[(end.year, end.month)]] += n
        trend.ages = self.missing_by_age(today)
        return trend

    def invoices(self, start: date, end: date) -> list[tuple[str, int, Decimal]]:
        """(YYYY-MM, invoices, taxable amount) of the invoices issued in [start, end] (whole
        months): summed by the store over the plans that answer for these dates with the
        rules in force, the other customers' worked out from their dossiers."""
        office = self.folder
        in_force: dict[str, str] = {}  # payment term -> fingerprint of the rules now
        answering, heads = [], office.plan_heads()
        for head, _ in heads:
            terms, rules, first, last = plan_fields(head)
            if terms not in in_force:
                in_force[terms] = self.billing.rules(terms).fingerprint()
            if rules == in_force[terms] and first <= start.isoformat() and end.isoformat() <= last:
                answering.append(head)
        out = [
            (month, invoices, Decimal(cents) / 100)
            for head, month, invoices, cents in office.plan_totals(
                start.isoformat()[:7], end.isoformat()[:7]
            )
            if head in answering
        ]
        summed = sum(n for head, n in heads if head in answering)
        outside = office.codes_outside(answering) if summed < office.count_customers() else []
        for code in outside:
            lines = [line for _, line in self.billing.worked_out(code, start, end)]
            for row in csv.reader(lines, delimiter=";"):
                issued = f"{row[5][6:10]}-{row[5][3:5]}"
                out.append((issued, 1, parse_number(row[6].replace(".", "").replace(",", "."))))
        return out

    def missing_by_age(self, today: date) -> dict[str, int]:
        """Forms sent and not back, by days since they went out (counted by the store per
        day sent: no dossier is read)."""
        ages = dict.fromkeys((label for label, _ in AGES), 0)
        for day, count in self.folder.waiting_days():
            days = (today - date.fromisoformat(day)).days
            label = next(label for label, limit in AGES if days <= limit)
            ages[label] += count
        return ages
