"""Each customer's billing plan, worked out when the dossier is written.

A year's invoices for the whole office is a report of hundreds of thousands of lines at
100,000 customers: too many schedules to compute at every request. So the invoices of a
customer's billable contracts whose issue date falls in a horizon (the year before the
write to two years after it) are worked out with the dossier and kept as the CSV's own
fields. A plan is used only for dates inside its horizon and while the rules it was made
with (day count, "fine mese" convention, the customer's payment term) are those in force;
otherwise the customer's invoices are worked out from the dossier, as before plans.
"""

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from procedure.enums import ContractStatus
from procedure.italian import it_date, it_fixed
from procedure.model import Contract, Customer
from procedure.rules.commerce.money import CONTRACT_VAT_RATE, collected, vat_of
from procedure.rules.commerce.schedule import MAX_RENEWALS, Period, renewed, schedule
from procedure.rules.commerce.terms import Instalment, due_dates
from procedure.rules.definitions import PaymentTerm

PLAN_VERSION = "P3"
SEP = "\x7f"  # as in list lines: no single-line field may hold it
HEADER = 6  # version, payment term, its rules, horizon from, horizon to, name
# then one entry per invoice: its issue date (ISO, to select), ";" and the CSV's columns
# after customer code and name, already quoted: a year's report is joined, not rebuilt


def billable(contract: Contract) -> bool:
    return (
        contract.status != ContractStatus.CANCELLED
        and contract.start is not None
        and contract.annual_fee > 0
    )


def terms_until(contract: Contract, end: date | None) -> list[Contract]:
    """The contract's current term and, when it renews by itself, the following terms that
    start by ``end`` (at the current fee: indexation is applied when the renewal is)."""
    out = [contract]
    while end is not None and contract.auto_renewal and len(out) < MAX_RENEWALS:
        contract = renewed(contract, Decimal(0))
        if contract.start is None or contract.start > end:
            break
        out.append(contract)
    return out


@dataclass(frozen=True)
class Rules:
    """What a customer's invoices are worked out with, besides the dossier."""

    day_count: str
    fine_mese: str
    term: PaymentTerm | None

    def fingerprint(self) -> str:
        text = repr((PLAN_VERSION, self.day_count, self.fine_mese, self.term))
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


@dataclass(frozen=True)
class Scheduled:
    """One invoice of a contract's schedule with its VAT and due dates."""

    contract: Contract
    period: Period
    due: list[Instalment]
    vat: Decimal = Decimal(0)
    split_payment: bool = False  # the customer pays the taxable, the VAT to the Erario

    @property
    def total(self) -> Decimal:
        return self.period.amount + self.vat

    @property
    def collected(self) -> Decimal:
        return collected(self.period.amount, self.vat, self.split_payment)


def invoices(customer: Customer, contract: Contract, rules: Rules) -> list[Scheduled]:
    """The contract term's schedule, each invoice with its VAT and the due dates of what
    the customer pays (the total; the taxable under split payment) from the customer's
    payment term."""
    out = []
    split_payment = customer.invoicing.split_payment
    for period in schedule(contract, rules.day_count):
        vat = vat_of(period.amount, CONTRACT_VAT_RATE)
        amount = collected(period.amount, vat, split_payment)
        due = (
            due_dates(
                period.issue_date, amount, rules.term, customer.excluded_months, rules.fine_mese
            )
            if rules.term
            else []
        )
        out.append(Scheduled(contract, period, due, vat, split_payment))
    return out


def invoices_between(
    customer: Customer, rules: Rules, start: date | None, end: date | None
) -> list[Scheduled]:
    """The customer's invoices issued in [start, end], renewal terms included."""
    out = []
    for contract in customer.contracts:
        if billable(contract):
            for term in terms_until(contract, end):
                for inv in invoices(customer, term, rules):
                    issue = inv.period.issue_date
                    if (start is None or issue >= start) and (end is None or issue <= end):
                        out.append(inv)
    return out


def csv_fields(inv: Scheduled) -> list[str]:
    """The billing CSV's columns after customer code and name."""
    p = inv.period
    return [
        inv.contract.number,
        it_date(p.period_from),
        it_date(p.period_to),
        it_date(p.issue_date),
        it_fixed(p.amount),
        it_fixed(inv.vat),
        it_fixed(inv.total),
        "sì" if inv.split_payment else "no",
        it_fixed(inv.collected),
        " ".join(f"{it_date(i.date)}={it_fixed(i.amount)}" for i in inv.due),
    ]


def csv_text(fields: list[str]) -> str:
    """``fields`` as one line of the billing CSV (';'-separated, quoted where needed)."""
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="").writerow(fields)
    return out.getvalue()


def horizon(today: date) -> tuple[date, date]:
    return date(today.year - 1, 1, 1), date(today.year + 2, 12, 31)


def plan_key(customer_data: dict[str, Any], rules: Rules, today: date) -> str:
    """Changes whenever the plan would: the contracts, payment term, excluded months,
    invoicing (split payment) or name change, the rules change, or the year does."""
    inputs = [
        customer_data.get(k)
        for k in ("name", "contracts", "payment_terms", "excluded_months", "invoicing")
    ]
    text = json.dumps([inputs, rules.fingerprint(), today.year], sort_keys=True, default=str)
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


@dataclass(frozen=True)
class StoredPlan:
    """A plan as stored: its text, what it was made with (``head``: payment term, rules,
    horizon) and its invoices per month of issue (YYYY-MM, how many, taxable cents)."""

    text: str
    head: str
    months: list[tuple[str, int, int]]


def plan_head(payment_terms: str, rules: str, start: str, end: str) -> str:
    return SEP.join((payment_terms, rules, start, end))


def plan_fields(head: str) -> tuple[str, str, str, str]:
    """(payment term, rules' fingerprint, horizon from, horizon to) of a plan's head; a
    head of no plan (schema 3's) answers for no date."""
    v = head.split(SEP)
    return (v[0], v[1], v[2], v[3]) if len(v) == 4 else ("", "", "9999-12-31", "")


def make_plan(customer: Customer, rules: Rules, today: date) -> StoredPlan:
    """The stored plan: header, then one row per invoice in the horizon."""
    start, end = horizon(today)
    values = [
        PLAN_VERSION,
        customer.payment_terms,
        rules.fingerprint(),
        start.isoformat(),
        end.isoformat(),
        customer.name,
    ]
    scheduled = invoices_between(customer, rules, start, end)
    rows = sorted(
        (inv.period.issue_date.isoformat(), inv.contract.number, csv_text(csv_fields(inv)))
        for inv in scheduled
    )
    values += [f"{issue};{text}" for issue, _, text in rows]
    months: dict[str, list[int]] = {}
    for inv in scheduled:
        month = months.setdefault(inv.period.issue_date.isoformat()[:7], [0, 0])
        month[0] += 1
        month[1] += cents(inv.period.amount)
    return StoredPlan(
        SEP.join(values),
        plan_head(*values[1:5]),
        [(m, n, c) for m, (n, c) in sorted(months.items())],
    )


def cents(amount: Decimal) -> int:
    """``amount`` in whole cents (rounded half up, as an invoice's amount is)."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Plan:
    payment_terms: str
    rules: str
    start: str
    end: str
    name: str
    rows: list[str]  # "YYYY-MM-DD;" and the CSV's columns after code and name, by date


def read_plan(text: str) -> Plan | None:
    """A stored plan, or None for one of another format."""
    v = text.split(SEP)
    if v[0] != PLAN_VERSION or len(v) < HEADER:
        return None
    return Plan(v[1], v[2], v[3], v[4], v[5], v[HEADER:])
