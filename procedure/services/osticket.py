"""osTicket: the import CSVs for its admin panel, and the "contratto attivato" tickets
opened through its API, retried until it takes them."""

from dataclasses import dataclass
from pathlib import Path

from procedure.enums import AuditAction
from procedure.folder import DataFolder
from procedure.osticket.api import TicketError, TicketOutcome, open_ticket, ticket_request
from procedure.osticket.files import import_files
from procedure.problems import InvalidInput, Problem
from procedure.rules.step_parts import EXPORT_ACT
from procedure.services.checklist import Checklist
from safefiles import atomic_write, ensure_dir


@dataclass(frozen=True)
class Exported:
    files: list[Path]
    tickets: list[TicketOutcome]  # the tickets the completed step sent


NO_USER = (
    "nessun utente osTicket per il cliente: indicare un contatto con osTicket "
    "o [osticket] ticket_email"
)


class OsTicket:
    """What reaches osTicket."""

    def __init__(self, folder: DataFolder, checklist: Checklist) -> None:
        self.folder = folder
        self.checklist = checklist

    def flush_tickets(self, code: str | None = None) -> list[TicketOutcome]:
        """Try every queued ticket (of ``code``, or of everyone); record numbers and failures.

        Does nothing when osTicket's URL or API key is not configured.
        """
        s = self.folder.settings
        if not (s.osticket.url and s.osticket_key):
            return []
        customers = [self.folder.customer(code)] if code else list(self.folder.all_customers())
        outcomes = []
        for customer in customers:
            for contract in customer.contracts:
                if not contract.osticket_pending or contract.osticket_ticket:
                    continue
                body = ticket_request(customer, contract, s.osticket.ticket_email)
                try:
                    if not body["email"]:  # osTicket would answer 500: said before asking
                        raise TicketError(NO_USER)
                    number, error = open_ticket(s.osticket.url, s.osticket_key, body), ""
                except TicketError as exc:
                    number, error = "", str(exc)
                self._record(customer.code, contract.number, number, error)
                outcomes.append(TicketOutcome(customer.code, contract.number, number, error))
        return outcomes

    def _record(self, code: str, contract_no: str, number: str, error: str) -> None:
        with self.folder.dossiers.edit(code) as d:
            for contract in d.customer.contracts:
                if contract.number == contract_no:
                    contract.osticket_error = error
                    if number:
                        contract.osticket_ticket = number
                        contract.osticket_pending = False
            action = AuditAction.OSTICKET_TICKET if number else AuditAction.OSTICKET_ERROR
            d.audit(action, contract_no, None, number or error)

    def queue_ticket(self, code: str, contract_no: str) -> None:
        """Queue (again) the ticket of one contract, e.g. after fixing osTicket's settings."""
        with self.folder.dossiers.edit(code) as d:
            for contract in d.customer.contracts:
                if contract.number == contract_no:
                    contract.osticket_pending = not contract.osticket_ticket
            d.audit(AuditAction.OSTICKET_QUEUE, contract_no)

    def write_files(self, folder: Path) -> "Exported":
        """Write organizations.csv, users.csv and users-CODE.csv; nothing if any row is bad.
        The step the export completes queues each customer's "contratto attivato" tickets:
        they are opened now (and retried by ``watch`` and ``osticket retry``)."""
        customers = [c for c in self.folder.all_customers() if any(k.osticket for k in c.contacts)]
        try:
            files = import_files(customers, self.folder.clock().date())
        except ValueError as exc:
            raise InvalidInput([Problem("", line) for line in str(exc).splitlines()]) from None
        ensure_dir(folder)
        written = [folder / "organizations.csv", folder / "users.csv"]
        atomic_write(written[0], files.organizations.encode("utf-8"))
        atomic_write(written[1], files.users.encode("utf-8"))
        for code, text in files.users_by_customer.items():
            path = folder / f"users-{code}.csv"
            atomic_write(path, text.encode("utf-8"))
            written.append(path)
        for code in files.users_by_customer:
            self._profile_exported(code)
        return Exported(
            written, [t for code in files.users_by_customer for t in self.flush_tickets(code)]
        )

    def _profile_exported(self, code: str) -> None:
        """The customer's users are in the files osTicket imports: the act of the step
        "Profilo cliente in osTicket" (completed when it can be; nothing written otherwise)."""
        with self.folder.dossiers.edit(code) as d:
            note = "profilo esportato nei CSV di osTicket"
            steps = self.folder.defs.acting(EXPORT_ACT)
            self.checklist.complete_open(d, steps, note, "osticket:export")
