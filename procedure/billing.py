"""Contract schedules with due dates, the invoices to issue in a window, notice deadlines."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from procedure.conditions import Context
from procedure.model import Contract, Customer
from procedure.office import NotFound, Office
from procedure.schedule import (
    MAX_RENEWALS,
    Period,
    current_term,
    notice_deadline,
    renewed,
    schedule,
    term_end,
)
from procedure.serial import to_data
from procedure.terms import Instalment, due_dates
from store.repositories import Records


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


def invoices_between(office: Office, start: date | None, end: date | None) -> list[Invoice]:
    """Every scheduled invoice whose issue date falls in [start, end], by date and customer,
    renewal terms included for contracts that renew by themselves."""
    rows = []
    for customer in office.all_customers():
        for contract in customer.contracts:
            if not billable(contract):
                continue
            for term in terms_until(contract, end):
                for inv in invoices(office, customer, term):
                    issue = inv.period.issue_date
                    if (start is None or issue >= start) and (end is None or issue <= end):
                        rows.append(inv)
    return sorted(rows, key=lambda i: (i.period.issue_date, i.customer.code, i.contract.number))


def apply_renewal(office: Office, number: str, foi_change: Decimal) -> Contract:
    """Move contract ``number`` to its next term with the indexed fee; returns it."""
    customer, _ = find_contract(office, number)
    result: list[Contract] = []

    def change(ctx: Context, rec: Records) -> None:
        for i, contract in enumerate(ctx.customer.contracts):
            if contract.number == number:
                nxt = renewed(contract, foi_change)
                ctx.customer.contracts[i] = nxt
                keys = ("start", "end", "annual_fee")
                before = {k: to_data(getattr(contract, k)) for k in keys}
                after = {k: to_data(getattr(nxt, k)) for k in keys}
                after["foi_change"] = to_data(foi_change)
                entry = office.entry("contract.renew", number, before, after)
                rec.customer_audit(ctx.customer.code, entry)
                result.append(nxt)

    office.change(customer.code, change)
    return result[0]


def deadlines(office: Office, today: date, days: int = 120) -> list[Deadline]:
    """Contracts whose notice deadline falls within ``days`` from ``today`` (or has passed
    while the term is still running), soonest first; renewing contracts count in the term
    running today."""
    out = []
    for customer in office.all_customers():
        for contract in customer.contracts:
            if not billable(contract):
                continue
            term = current_term(contract, today)
            end = term_end(term)
            by = notice_deadline(term)
            if end >= today and (by - today).days <= days:
                out.append(Deadline(customer, term, by, end, term.auto_renewal))
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
