"""Opening the queued "contratto attivato" tickets in osTicket, retrying until it takes them."""

from dataclasses import dataclass

from procedure.conditions import Context
from procedure.office import Office
from procedure.osticket import TicketError, open_ticket, ticket_request
from store.repositories import Records


@dataclass(frozen=True)
class TicketOutcome:
    customer: str
    contract: str
    ticket: str  # the number, when opened
    error: str  # why not, when it failed (the ticket stays queued)


def flush_tickets(office: Office, code: str | None = None) -> list[TicketOutcome]:
    """Try every queued ticket (of ``code``, or of everyone); record numbers and failures.

    Does nothing when osTicket's URL or API key is not configured.
    """
    s = office.settings
    if not (s.osticket_url and s.osticket_key):
        return []
    customers = [office.customer(code)] if code else list(office.all_customers())
    outcomes = []
    for customer in customers:
        for contract in customer.contracts:
            if not contract.osticket_pending or contract.osticket_ticket:
                continue
            body = ticket_request(customer, contract, s.osticket_email)
            try:
                number, error = open_ticket(s.osticket_url, s.osticket_key, body), ""
            except TicketError as exc:
                number, error = "", str(exc)
            _record(office, customer.code, contract.number, number, error)
            outcomes.append(TicketOutcome(customer.code, contract.number, number, error))
    return outcomes


def _record(office: Office, code: str, contract_no: str, number: str, error: str) -> None:
    def change(ctx: Context, rec: Records) -> None:
        for contract in ctx.customer.contracts:
            if contract.number == contract_no:
                contract.osticket_error = error
                if number:
                    contract.osticket_ticket = number
                    contract.osticket_pending = False
        action = "osticket.ticket" if number else "osticket.error"
        rec.customer_audit(code, office.entry(action, contract_no, None, number or error))

    office.change(code, change)


def queue_ticket(office: Office, code: str, contract_no: str) -> None:
    """Queue (again) the ticket of one contract, e.g. after fixing osTicket's settings."""

    def change(ctx: Context, rec: Records) -> None:
        for contract in ctx.customer.contracts:
            if contract.number == contract_no:
                contract.osticket_pending = not contract.osticket_ticket
        rec.customer_audit(code, office.entry("osticket.queue", contract_no, None, None))

    office.change(code, change)
