"""Contract schedules with due dates, the invoices to issue in a window, notice deadlines."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from procedure.enums import AuditAction, ContractStatus
from procedure.errors import NotFound, Refused
from procedure.folder import DataFolder
from procedure.italian import label_of
from procedure.model import Contract, Customer
from procedure.rules.commerce.billing_plan import (
    Rules,
    StoredPlan,
    billable,
    csv_fields,
    csv_text,
    make_plan,
    plan_key,
    read_plan,
    terms_until,
)
from procedure.rules.commerce.billing_plan import invoices as scheduled_invoices
from procedure.rules.commerce.billing_plan import invoices_between as scheduled_between
from procedure.rules.commerce.schedule import Period, renewed
from procedure.rules.commerce.terms import Instalment
from procedure.rules.list_line import stored_terms
from procedure.rules.progress import notices_of_terms
from procedure.serial import to_data

RENEWABLE = (ContractStatus.SENT, ContractStatus.SIGNED, ContractStatus.ACTIVE)


@dataclass(frozen=True)
class Invoice:
    customer: Customer
    contract: Contract
    period: Period
    due: list[Instalment]
    vat: Decimal = Decimal(0)
    collected: Decimal = Decimal(0)  # the total, or the taxable under split payment


class Deadline(NamedTuple):  # a tuple: an office-wide list makes one per customer
    code: str  # the customer's
    name: str
    number: str  # the contract's
    contract: Contract  # the term running on the day asked about (its dates)
    notice_by: date | None  # None: it does not renew, it just ends
    term_end: date
    renews: bool


CSV_HEADER = [
    "cliente",
    "ragione_sociale",
    "contratto",
    "periodo_dal",
    "periodo_al",
    "data_fattura",
    "importo",
    "iva",
    "totale",
    "scissione_pagamenti",
    "da_incassare",
    "scadenze",
]


def billing_csv(lines: list[str]) -> str:
    """The invoices for administration: ';'-separated, Italian dates and decimal commas."""
    return "\n".join([";".join(CSV_HEADER), *lines]) + "\n"


class Billing:
    """Contract schedules, the invoices to issue, notice deadlines and renewals."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def rules(self, payment_terms: str) -> Rules:
        """What invoices are worked out with for a customer on ``payment_terms``."""
        settings = self.folder.settings
        term = self.folder.defs.terms.get(payment_terms)
        return Rules(settings.billing.day_count, settings.terms.fine_mese, term)

    def invoices(self, customer: Customer, contract: Contract) -> list[Invoice]:
        """The contract's schedule, each line with its due dates from the customer's terms."""
        rules = self.rules(customer.payment_terms)
        return [
            Invoice(customer, s.contract, s.period, s.due, s.vat, s.collected)
            for s in scheduled_invoices(customer, contract, rules)
        ]

    def plan_key(self, customer: Customer, data: dict[str, Any]) -> str:
        """Identifies the billing plan ``customer`` (``data``: as stored) would get now."""
        today = self.folder.clock().date()
        return plan_key(data, self.rules(customer.payment_terms), today)

    def plan(self, customer: Customer) -> StoredPlan:
        """The customer's billing plan as stored beside the list (see rules.billing_plan)."""
        rules = self.rules(customer.payment_terms)
        return make_plan(customer, rules, self.folder.clock().date())

    def find_contract(self, number: str) -> tuple[Customer, Contract]:
        """The customer and contract numbered ``number``; raises NotFound."""
        office = self.folder
        for customer in office.all_customers():
            for contract in customer.contracts:
                if contract.number == number:
                    return customer, contract
        raise NotFound(f"Contratto {number!r} inesistente.")

    def invoices_between(self, start: date | None, end: date | None) -> list[str]:
        """Every scheduled invoice whose issue date falls in [start, end] as the billing CSV's
        lines, by date, customer and contract, renewal terms included for contracts that
        renew by themselves. Read from the customers' billing plans where they cover the
        dates with the rules in force; worked out from the dossier for any other customer."""
        office = self.folder
        plans = dict(office.billing_plans()) if start and end else {}
        lo, hi = (start.isoformat(), end.isoformat()) if start and end else ("", "")
        in_force: dict[str, str] = {}  # payment term -> fingerprint of the rules now
        by_date: dict[str, list[str]] = {}  # each customer's lines come in date order
        for code in office.customer_codes():  # by code
            plan = read_plan(plans[code]) if code in plans else None
            if plan is not None and plan.payment_terms not in in_force:
                in_force[plan.payment_terms] = self.rules(plan.payment_terms).fingerprint()
            if (
                plan is None
                or plan.rules != in_force[plan.payment_terms]
                or lo < plan.start
                or hi > plan.end
            ):
                for issue, line in self.worked_out(code, start, end):
                    by_date.setdefault(issue, []).append(line)
                continue
            prefix = csv_text([code, plan.name]) + ";"
            for row in plan.rows:
                if lo <= row[:10] <= hi:
                    by_date.setdefault(row[:10], []).append(prefix + row[11:])
        return [line for issue in sorted(by_date) for line in by_date[issue]]

    def worked_out(self, code: str, start: date | None, end: date | None) -> list[tuple[str, str]]:
        """The customer's invoices from the dossier: (issue date ISO, CSV line), by date and
        contract; none for a dossier that cannot be read (noted in ``skipped``)."""
        out = []
        for customer in self.folder.customers_of([code]):
            rules = self.rules(customer.payment_terms)
            for s in scheduled_between(customer, rules, start, end):
                line = csv_text([code, customer.name, *csv_fields(s)])
                out.append((s.period.issue_date.isoformat(), s.contract.number, line))
        return [(issue, line) for issue, _, line in sorted(out)]

    def downwards(self, contract: Contract) -> bool:
        """Whether a fall in prices lowers this contract's fee at renewal."""
        if contract.indexation_downwards is not None:
            return contract.indexation_downwards
        return self.folder.settings.billing.indexation_downwards

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
        with self.folder.dossiers.edit(customer.code) as d:
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
        for customer in self.folder.all_customers():
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

    def deadline_counts(self, today: date, days: int) -> list[tuple[date | None, date, bool, int]]:
        """(notice by, end of term, renews, how many customers) of the deadlines that
        ``deadlines`` would list one by one: counted per set of contract dates, no row read."""
        return [
            (by, end, term.auto_renewal, n)
            for terms, n in self.folder.terms_counts()
            for _, term, by, end in notices_of_terms(stored_terms(terms), today, days)
        ]

    def deadlines(self, today: date, days: int = 120) -> list[Deadline]:
        """Contracts whose notice deadline falls within ``days`` from ``today`` (or has passed
        while the term is still running), soonest first; renewing contracts count in the term
        running today. Each distinct set of contract dates is judged once, and only the
        customers whose dates have a deadline are read (from the list: no dossier)."""
        due = {t: notices_of_terms(stored_terms(t), today, days) for t in self.folder.list_terms()}
        out = [
            Deadline(code, name, number, term, by, end, term.auto_renewal)
            for code, name, terms in self.folder.with_notices(frozenset(t for t in due if due[t]))
            for number, term, by, end in due[terms]
        ]
        out.sort(key=lambda d: (d.notice_by or d.term_end, d.code))
        return out
