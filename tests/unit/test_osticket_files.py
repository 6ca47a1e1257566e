"""osTicket's import CSVs: names cut to 64 characters, one bad row refuses the lot."""

from decimal import Decimal

import pytest

from procedure.model import Contact, Contract, Customer
from procedure.osticket.api import ticket_request
from procedure.osticket.files import import_files


def customer(code: str, name: str, contacts: list[Contact]) -> Customer:
    contract = Contract(number=f"K-{code}", annual_fee=Decimal("1800.00"), type="software")
    return Customer(code=code, name=name, contacts=contacts, contracts=[contract])


def test_organisation_names_are_cut_to_64() -> None:
    long = "Società Cooperativa di Servizi Informatici e Consulenza Aziendale a r.l. Nord Est"
    files = import_files([customer("C1", long, [Contact("Ada", "it", "ada@x.example", "1", True)])])
    name = files.organizations.splitlines()[1].split(",")[0]
    assert len(name) <= 64 and long.startswith(name)
    assert "K-C1: canone annuo € 1.800,00" in files.users  # in the notes, and as its amount
    assert files.users.splitlines()[1].startswith('Ada,ada@x.example,1,"Organizzazione: ')


def test_one_bad_row_refuses_everything() -> None:
    good = customer("C1", "Alfa", [Contact("Ada", "it", "ada@x.example", "", True)])
    bad = customer("C2", "Beta", [Contact("", "it", "not-mail", "", True)])
    with pytest.raises(ValueError) as err:
        import_files([good, bad])
    lines = str(err.value).splitlines()
    assert lines == [
        "customers[1].contacts[0].name: C2: utente senza nome",
        "customers[1].contacts[0].email: C2: e-mail mancante o errata",
    ]


def test_contacts_without_osticket_flag_are_left_out() -> None:
    c = customer(
        "C1",
        "Alfa",
        [Contact("Ada", "it", "ada@x.example"), Contact("Bo", osticket=True, email="b@x.example")],
    )
    assert import_files([c]).users_by_customer["C1"].count("\n") == 2  # header + Bo


def test_ticket_carries_the_amount() -> None:
    c = customer("C1", "Alfa", [Contact("Ada", "it", "ada@x.example", "", True)])
    body = ticket_request(c, c.contracts[0], "helpdesk@x.example")
    assert body["email"] == "ada@x.example"
    assert "K-C1" in str(body["subject"])
    assert "€ 1.800,00" in str(body["message"])


USER_FORM = {  # osTicket's user form: built-in fields and the custom field the admin adds
    "name": "Name",
    "email": "Email Address",
    "phone": "Phone Number",
    "notes": "Internal Notes",
    "contract_amount": "Canone contratto",
}


def import_as_osticket(text: str) -> list[dict[str, str]]:
    """Parse users CSV as osTicket's CsvImporter does: each header cell matched to a form
    field by name or label (case-insensitive), every row with as many cells as the header."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    names = {}
    for i, cell in enumerate(header):
        wanted = cell.strip().lower()
        match = [n for n, label in USER_FORM.items() if wanted in (n.lower(), label.lower())]
        assert match, f"osTicket would refuse the column {cell!r}"
        names[i] = match[0]
    assert {"name", "email"} <= set(names.values())
    for row in body:
        assert len(row) == len(header), "osTicket refuses rows of another length"
    return [{names[i]: cell for i, cell in enumerate(row)} for row in body]


def test_contract_amount_reaches_the_users_custom_field() -> None:
    c = customer("C1", "Alfa", [Contact("Ada", "it", "ada@x.example", "1", True)])
    c.contracts.append(Contract(number="K-2", annual_fee=Decimal("600"), type="software"))
    files = import_files([c])
    for text in (files.users, files.users_by_customer["C1"]):
        (user,) = import_as_osticket(text)
        assert user["contract_amount"] == "€ 2.400,00"
        assert (user["name"], user["email"]) == ("Ada", "ada@x.example")
    # organisations: only the name, which osTicket's org import reads, and the name the
    # users' notes link them to
    assert files.organizations.splitlines() == ["name", "Alfa"]
    assert "Organizzazione: Alfa." in import_as_osticket(files.users)[0]["notes"]


def test_ticket_subject_fits_osticket_50_characters() -> None:
    long = "Società Cooperativa di Servizi Informatici e Consulenza Aziendale a r.l."
    c = customer("C1", long, [Contact("Ada", "it", "ada@x.example", "", True)])
    c.contracts[0].number = "CT-2025-001"
    subject = str(ticket_request(c, c.contracts[0], "h@x.example")["subject"])
    assert len(subject) <= 50 and subject.startswith("Contratto attivato CT-2025-001 - Soc")
