"""osTicket's import CSVs for organisations and users (``manage.php org import`` and
``manage.php user import -O ORG_ID``).

Read in osTicket's source: the organisation import takes only the first column of each row
(the name); the user import matches each header cell to a field of the user form by name
or label, custom fields included, and needs the same number of cells on every row. So the
contract amount travels as the ``contract_amount`` column of the users' CSV, taken by a
custom field of that name that the osTicket administrator adds once to the user form.
"""

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from procedure.enums import ContractType
from procedure.italian import euro
from procedure.model import Contract, Customer
from procedure.problems import Problem, join
from procedure.rules.commerce.schedule import in_force
from procedure.rules.validation import is_email

ORG_NAME_MAX = 64
ORG_COLUMNS = ("name",)
AMOUNT_FIELD = "contract_amount"  # the custom field of osTicket's user form (see README)
USER_COLUMNS = ("name", "email", "phone", "notes", AMOUNT_FIELD)


@dataclass(frozen=True)
class ImportFiles:
    organizations: str
    users: str  # every user; notes name the organisation
    users_by_customer: dict[str, str]  # per organisation, for `manage.php user import -O`


def organization_name(customer: Customer) -> str:
    return customer.name[:ORG_NAME_MAX].rstrip()


def support_contracts(customer: Customer, day: date) -> list[Contract]:
    """The customer's software support contracts in force on ``day`` (an expired one is
    no support osTicket should promise)."""
    return [k for k in customer.contracts if k.type == ContractType.SOFTWARE and in_force(k, day)]


PHONE_PUNCTUATION = re.compile(r"[()\-.+ \u00a0]+")


def osticket_phone(phone: str) -> bool:
    """Whether osTicket takes the phone number (``Validator::is_phone``: brackets, dashes,
    dots, plus signs and spaces aside, 7 to 16 digits); one it refuses makes it refuse
    the whole users file."""
    digits = PHONE_PUNCTUATION.sub("", phone)
    return digits.isascii() and digits.isdigit() and 7 <= len(digits) <= 16


def _contract_note(customer: Customer, day: date) -> str:
    parts = [
        f"{k.number}: canone annuo {euro(k.annual_fee)}" for k in support_contracts(customer, day)
    ]
    return f"Cliente {customer.code}. " + ("; ".join(parts) or "nessun contratto di assistenza")


def _csv(columns: tuple[str, ...], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def import_files(customers: list[Customer], day: date) -> ImportFiles:
    """The CSVs to import; raises ValueError listing every bad row before anything is written.

    osTicket rolls back a whole import on one bad row, so rows are checked here first.
    """
    problems: list[Problem] = []
    orgs, users, per_customer = [], [], {}
    for i, c in enumerate(customers):
        orgs.append({"name": organization_name(c)})
        amount = euro(sum((k.annual_fee for k in support_contracts(c, day)), start=Decimal(0)))
        rows = []
        for j, k in enumerate(c.contacts):
            if not k.osticket:
                continue
            path = join(join(join("customers", i), "contacts"), j)
            if not k.name.strip():
                problems.append(Problem(join(path, "name"), f"{c.code}: utente senza nome"))
            if not is_email(k.email):
                problems.append(Problem(join(path, "email"), f"{c.code}: e-mail mancante o errata"))
            if k.phone.strip() and not osticket_phone(k.phone):
                said = f"{c.code}: telefono «{k.phone}» rifiutato da osTicket (da 7 a 16 cifre)"
                problems.append(Problem(join(path, "phone"), said))
            rows.append(
                {
                    "name": k.name,
                    "email": k.email,
                    "phone": k.phone,
                    "notes": f"Organizzazione: {organization_name(c)}. {_contract_note(c, day)}",
                    AMOUNT_FIELD: amount,
                }
            )
        users.extend(rows)
        per_customer[c.code] = _csv(USER_COLUMNS, rows)
    if problems:
        raise ValueError("\n".join(str(p) for p in problems))
    return ImportFiles(_csv(ORG_COLUMNS, orgs), _csv(USER_COLUMNS, users), per_customer)
