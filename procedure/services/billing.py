"""Contract schedules with due dates, the invoices to issue in a window, notice deadlines."""

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from procedure.enums import AuditAction, ContractStatus
from procedure.errors import NotFound, Refused
from procedure.italian import it_date, it_fixed, label_of
from procedure.model import Contract, Customer
from procedure.rules.schedule import (
    MAX_RENEWALS,
    Period,
    current_term,
    notice_deadline,
    renewed,
    schedule,
    term_end,
)
from procedure.rules.terms import Instalment, due_dates
from procedure.serial import to_data

if TYPE_CHECKING:
    from procedure.office import Office


RENEWABLE = (ContractStatus.SENT, ContractStatus.SIGNED, ContractStatus.ACTIVE)


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


def billing_csv(rows: list[Invoice]) -> str:
    """The invoices for administration: ';'-separated, Italian dates and decimal commas."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(
        [
            "cliente",
            "ragione_sociale",
            "contratto",
            "periodo_dal",
            "periodo_al",
            "data_fattura",
            "importo",
            "scadenze",
        ]
    )
    for inv in rows:
        due = " ".join(f"{it_date(i.date)}={it_fixed(i.amount)}" for i in inv.due)
        p = inv.period
        writer.writerow(
            [
                inv.customer.code,
                inv.customer.name,
                inv.contract.number,
                it_date(p.period_from),
                it_date(p.period_to),
                it_date(p.issue_date),
                it_fixed(p.amount),
                due,
            ]
        )
    return out.getvalue()


class Billing:
    """Contract schedules, the invoices to issue, notice deadlines and renewals."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def invoices(self, customer: Customer, contract: Contract) -> list[Invoice]:
        """The contract's schedule, each line with its due dates from the customer's terms."""
        office = self.office
        term = office.defs.terms.get(customer.payment_terms)
        out = []
        for period in schedule(contract, office.settings.billing.day_count):
            due = (
                due_dates(
                    period.issue_date,
                    period.amount,
                    term,
                    customer.excluded_months,
                    office.settings.terms.fine_mese,
                )
                if term
                else []
            )
            out.append(Invoice(customer, contract, period, due))
        return out

    def find_contract(self, number: str) -> tuple[Customer, Contract]:
        """The customer and contract numbered ``number``; raises NotFound."""
        office = self.office
        for customer in office.all_customers():
            for contract in customer.contracts:
                if contract.number == number:
                    return customer, contract
        raise NotFound(f"Contratto {number!r} inesistente.")

    def invoices_between(self, start: date | None, end: date | None) -> list[Invoice]:
        """Every scheduled invoice whose issue date falls in [start, end], by date and customer,
        renewal terms included for contracts that renew by themselves."""
        office = self.office
        rows = []
        for customer in office.all_customers():
            for contract in customer.contracts:
                if not billable(contract):
                    continue
                for term in terms_until(contract, end):
                    for inv in self.invoices(customer, term):
                        issue = inv.period.issue_date
                        if (start is None or issue >= start) and (end is None or issue <= end):
                            rows.append(inv)
        return sorted(rows, key=lambda i: (i.period.issue_date, i.customer.code, i.contract.number))

    def downwards(self, contract: Contract) -> bool:
        """Whether a fall in prices lowers this contract's fee at renewal."""
        if contract.indexation_downwards is not None:
            return contract.indexation_downwards
        return self.office.settings.billing.indexation_downwards

    def next_term(self, contract: Contract, foi_change: Decimal) -> Contract:
        """The contract's next term with its indexed fee (nothing is recorded)."""
        return renewed(contract, foi_change, self.downwards(contract))

    def apply_renewal(self, number: str, foi_change: Decimal) -> Contract:
        """Move contract ``number`` to its next term with the indexed fee; returns it.

        Raises NotFound, or Refused for a contract that is not sent, signed or active.
        """
        customer, current = self.find_contract(number)
        if current.status not in RENEWABLE:
            raise Refused(
                f"Il contratto {number} è «{label_of(ContractStatus, current.status)}»: si "
                "rinnova solo un contratto inviato, firmato o attivo."
            )
        with self.office.dossiers.edit(customer.code) as d:
            i, contract = next(
                (i, k) for i, k in enumerate(d.customer.contracts) if k.number == number
            )
            nxt = renewed(contract, foi_change, self.downwards(contract))
            d.customer.contracts[i] = nxt
            keys = ("start", "end", "annual_fee")
            before = {k: to_data(getattr(contract, k)) for k in keys}
            after = {k: to_data(getattr(nxt, k)) for k in keys}
            after["foi_change"] = to_data(foi_change)
            d.audit(AuditAction.CONTRACT_RENEW, number, before, after)
        return nxt

    def next_invoices(self, today: date) -> list[Invoice]:
        """The next invoice (issued today or later) of every billable contract, by customer
        and contract; renewal terms count for contracts that renew by themselves."""
        horizon = today.replace(year=today.year + 2)
        rows = []
        for customer in self.office.all_customers():
            for contract in customer.contracts:
                if not billable(contract):
                    continue
                upcoming = [
                    inv
                    for term in terms_until(contract, horizon)
                    for inv in self.invoices(customer, term)
                    if inv.period.issue_date >= today
                ]
                if upcoming:
                    rows.append(min(upcoming, key=lambda i: i.period.issue_date))
        return rows

    def deadlines(self, today: date, days: int = 120) -> list[Deadline]:
        """Contracts whose notice deadline falls within ``days`` from ``today`` (or has passed
        while the term is still running), soonest first; renewing contracts count in the term
        running today."""
        office = self.office
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
