"""osTicket's REST API: it creates tickets only (``POST /api/tickets.json``, ``X-API-Key``)."""

import json
import unicodedata
import urllib.error
import urllib.request
from dataclasses import dataclass

from procedure.italian import euro, it_date
from procedure.model import Contract, Customer


@dataclass(frozen=True)
class TicketOutcome:
    customer: str
    contract: str
    ticket: str  # the number, when opened
    error: str  # why not, when it failed (the ticket stays queued)


SUBJECT_MAX = 50  # the subject field of osTicket's default ticket form


def subject(customer: Customer, contract: Contract) -> str:
    """``Contratto attivato NUMBER - name``, the name cut so that it fits 50 characters."""
    head = f"Contratto attivato {contract.number}"[:SUBJECT_MAX]
    room = SUBJECT_MAX - len(head) - 3
    return f"{head} - {customer.name[:room].rstrip()}" if room > 3 else head


def ticket_request(customer: Customer, contract: Contract, sender: str) -> dict[str, object]:
    """The body of ``POST /api/tickets.json`` announcing an activated contract."""
    contact = next((k for k in customer.contacts if k.osticket and k.email), None)
    return {
        "name": contact.name if contact else customer.name,
        "email": contact.email if contact else sender,
        "subject": subject(customer, contract),
        "message": "data:text/plain;charset=utf-8,"
        + f"Contratto di assistenza {contract.number} attivato per {customer.name} "
        + f"({customer.code}). Canone annuo {euro(contract.annual_fee)}"
        + (f", decorrenza {it_date(contract.start)}." if contract.start else "."),
        "alert": False,
        "autorespond": False,
        "source": "API",
    }


MAX_DETAIL = 4096  # bytes of osTicket's error page read


def printable(text: str) -> str:
    """osTicket's answer on one line that can be stored and shown: line breaks and other
    control or format characters as spaces."""
    kept = "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text)
    return " ".join(kept.split())


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
        detail = printable(exc.read(MAX_DETAIL).decode("utf-8", "replace"))[:200]
        raise TicketError(f"osTicket ha risposto {exc.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as exc:
        raise TicketError(f"osTicket non raggiungibile: {exc}") from None
    if not number:
        raise TicketError("osTicket non ha restituito il numero del ticket")
    return number
