"""Contract schedules with due dates, the invoices to issue in a window, notice deadlines."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from procedure.model import Contract, Customer
from procedure.office import NotFound, Office
from procedure.schedule import Period, notice_deadline, schedule, term_end
from procedure.terms import Instalment, due_dates


@dataclass(frozen=True)
class Invoice:
    customer: Customer
    contract: Contract
    period: Period
    due: list[Instalment]


@dataclass(frozen=True)
class Deadline:
    customer: Customer
    contract: Contract
    notice_by: date
    term_end: date
    renews: bool


def billable(contract: Contract) -> bool:
    return contract.status != "cancelled" and contract.start is not None and contract.annual_fee > 0


def invoices(office: Office, customer: Customer, contract: Contract) -> list[Invoice]:
    """The contract's schedule, each line with its due dates from the customer's terms."""
    term = office.defs.terms.get(customer.payment_terms)
    out = []
    for period in schedule(contract, office.settings.day_count):
        due = (
            due_dates(
                period.issue_date,
                period.amount,
                term,
                customer.excluded_months,
                office.settings.fine_mese,
            )
            if term
            else []
        )
        out.append(Invoice(customer, contract, period, due))
    return out


def find_contract(office: Office, number: str) -> tuple[Customer, Contract]:
    """The customer and contract numbered ``number``; raises NotFound."""
    for customer in office.all_customers():
        for contract in customer.contracts:
            if contract.number == number:
                return customer, contract
    raise NotFound(f"Contratto {number!r} inesistente.")


def invoices_between(office: Office, start: date | None, end: date | None) -> list[Invoice]:
    """Every scheduled invoice whose issue date falls in [start, end], by date and customer."""
    rows = []
    for customer in office.all_customers():
        for contract in customer.contracts:
            if not billable(contract):
                continue
            for inv in invoices(office, customer, contract):
                issue = inv.period.issue_date
                if (start is None or issue >= start) and (end is None or issue <= end):
                    rows.append(inv)
    return sorted(rows, key=lambda i: (i.period.issue_date, i.customer.code, i.contract.number))


def deadlines(office: Office, today: date, days: int = 120) -> list[Deadline]:
    """Contracts whose notice deadline falls within ``days`` from ``today`` (or has passed
    while the term is still running), soonest first."""
    out = []
    for customer in office.all_customers():
        for contract in customer.contracts:
            if not billable(contract):
                continue
            end = term_end(contract)
            by = notice_deadline(contract)
            if end >= today and (by - today).days <= days:
                out.append(Deadline(customer, contract, by, end, contract.auto_renewal))
    return sorted(out, key=lambda d: (d.notice_by, d.customer.code))


def it_date(d: date) -> str:
    return f"{d:%d/%m/%Y}"


def it_amount(value: object) -> str:
    return str(value).replace(".", ",")


def billing_csv(rows: list[Invoice]) -> str:
    """The invoices for administration: ';'-separated, Italian dates and decimal commas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["cliente", "ragione_sociale", "contratto", "periodo_dal", "periodo_al",
                     "data_fattura", "importo", "scadenze"])  # fmt: skip
    for inv in rows:
        due = " ".join(f"{it_date(i.date)}={it_amount(i.amount)}" for i in inv.due)
        p = inv.period
        writer.writerow([inv.customer.code, inv.customer.name, inv.contract.number,
                         it_date(p.period_from), it_date(p.period_to), it_date(p.issue_date),
                         it_amount(p.amount), due])  # fmt: skip
    return out.getvalue()
