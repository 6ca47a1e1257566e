"""osTicket: import CSVs for organisations and users, and the "contratto attivato" ticket."""

import csv
import io
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from procedure.model import Contract, Customer
from procedure.money import euro
from procedure.problems import Problem, join
from procedure.validation import is_email

ORG_NAME_MAX = 64
ORG_COLUMNS = ("name", "address", "phone", "website", "notes")
USER_COLUMNS = ("name", "email", "phone", "notes")


@dataclass(frozen=True)
class ImportFiles:
    organizations: str
    users: str  # every user; notes name the organisation
    users_by_customer: dict[str, str]  # per organisation, for `manage.php user import -O`


def organization_name(customer: Customer) -> str:
    return customer.name[:ORG_NAME_MAX].rstrip()


def support_contracts(customer: Customer) -> list[Contract]:
    return [k for k in customer.contracts if k.type == "software" and k.status != "cancelled"]


def _contract_note(customer: Customer) -> str:
    parts = [f"{k.number}: canone annuo {euro(k.annual_fee)}" for k in support_contracts(customer)]
    return f"Cliente {customer.code}. " + ("; ".join(parts) or "nessun contratto di assistenza")


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def import_files(customers: list[Customer]) -> ImportFiles:
    """The CSVs to import; raises ValueError listing every bad row before anything is written.

    osTicket rolls back a whole import on one bad row, so rows are checked here first.
    """
    problems: list[Problem] = []
    orgs, users, per_customer = [], [], {}
    for i, c in enumerate(customers):
        a = c.address
        orgs.append({
            "name": organization_name(c),
            "address": f"{a.street}, {a.zip} {a.city} ({a.province})" if a.street else "",
            "phone": next((k.phone for k in c.contacts if k.phone), ""),
            "website": "",
            "notes": _contract_note(c),
        })  # fmt: skip
        rows = []
        for j, k in enumerate(c.contacts):
            if not k.osticket:
                continue
            path = join(join(join("customers", i), "contacts"), j)
            if not k.name.strip():
                problems.append(Problem(join(path, "name"), f"{c.code}: utente senza nome"))
            if not is_email(k.email):
                problems.append(Problem(join(path, "email"), f"{c.code}: e-mail mancante o errata"))
            rows.append({"name": k.name, "email": k.email, "phone": k.phone,
                         "notes": f"Organizzazione: {organization_name(c)}"})  # fmt: skip
        users.extend(rows)
        per_customer[c.code] = _csv(USER_COLUMNS, rows)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    return ImportFiles(_csv(ORG_COLUMNS, orgs), _csv(USER_COLUMNS, users), per_customer)


def ticket_request(customer: Customer, contract: Contract, sender: str) -> dict[str, object]:
    """The body of ``POST /api/tickets.json`` announcing an activated contract."""
    contact = next((k for k in customer.contacts if k.osticket and k.email), None)
    return {
        "name": contact.name if contact else customer.name,
        "email": contact.email if contact else sender,
        "subject": f"Contratto attivato {contract.number} - {customer.name}",
        "message": "data:text/plain;charset=utf-8,"
        + f"Contratto di assistenza {contract.number} attivato per {customer.name} "
        + f"({customer.code}). Canone annuo {euro(contract.annual_fee)}"
        + (f", decorrenza {contract.start:%d/%m/%Y}." if contract.start else "."),
        "alert": False,
        "autorespond": False,
        "source": "API",
    }


class TicketError(Exception):
    """osTicket did not open the ticket; the message says why (Italian)."""


def open_ticket(url: str, api_key: str, body: dict[str, object], timeout: float = 10) -> str:
    """Open a ticket through osTicket's API and return its number; raises TicketError."""
    request = urllib.request.Request(
        f"{url}/api/tickets.json",
        data=json.dumps(body).encode("utf-8"),
        headers={"X-API-Key": api_key, "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            number = str(response.read().decode("utf-8", "replace")).strip()
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace").strip()[:200]
        raise TicketError(f"osTicket ha risposto {exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TicketError(f"osTicket non raggiungibile: {exc}") from None
    if not number:
        raise TicketError("osTicket non ha restituito il numero del ticket")
    return number
