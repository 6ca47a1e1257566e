"""osTicket's import CSVs: names cut to 64 characters, one bad row refuses the lot."""

from datetime import date
from decimal import Decimal

import pytest

from procedure.model import Contact, Contract, Customer
from procedure.osticket.api import ticket_request
from procedure.osticket.files import import_files

TODAY = date(2026, 5, 4)


def customer(code: str, name: str, contacts: list[Contact]) -> Customer:
    contract = Contract(
        number=f"K-{code}", annual_fee=Decimal("1800.00"), type="software",
        start=date(2026, 1, 1), end=date(2026, 12, 31),
    )  # fmt: skip
    return Customer(code=code, name=name, contacts=contacts, contracts=[contract])


def test_organisation_names_are_cut_to_64() -> None:
    long = "Società Cooperativa di Servizi Informatici e Consulenza Aziendale a r.l. Nord Est"
    ada = Contact("Ada", "it", "ada@x.example", "049 1234567", True)
    files = import_files([customer("C1", long, [ada])], TODAY)
    name = files.organizations.splitlines()[1].split(",")[0]
    assert len(name) <= 64 and long.startswith(name)
    assert "K-C1: canone annuo € 1.800,00" in files.users  # in the notes, and as its amount
    assert files.users.splitlines()[1].startswith('Ada,ada@x.example,049 1234567,"Organizzazione: ')


def test_one_bad_row_refuses_everything() -> None:
    good = customer("C1", "Alfa", [Contact("Ada", "it", "ada@x.example", "", True)])
    bad = customer("C2", "Beta", [Contact("", "it", "not-mail", "", True)])
    with pytest.raises(ValueError) as err:
        import_files([good, bad], TODAY)
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
    assert import_files([c], TODAY).users_by_customer["C1"].count("\n") == 2  # header + Bo


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
    c = customer("C1", "Alfa", [Contact("Ada", "it", "ada@x.example", "049 1234567", True)])
    c.contracts.append(
        Contract(number="K-2", annual_fee=Decimal("600"), type="software", start=date(2026, 3, 1))
    )
    files = import_files([c], TODAY)
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


def test_phones_osticket_refuses_are_refused_first() -> None:
    ok = ["049 1234567", "+39 (049) 123-45.67", ""]
    c = customer(
        "C1", "Alfa", [Contact(f"U{n}", "it", f"u{n}@x.example", p, True) for n, p in enumerate(ok)]
    )
    assert import_files([c], TODAY).users.count("\n") == 4  # header and the three
    wrong = ["049 123", "12", "049 123456 int. 2"]
    bad = customer(
        "C2",
        "Beta",
        [Contact(f"V{n}", "it", f"v{n}@x.example", p, True) for n, p in enumerate(wrong)],
    )
    with pytest.raises(ValueError) as err:
        import_files([c, bad], TODAY)
    said = "rifiutato da osTicket (da 7 a 16 cifre)"
    assert str(err.value).splitlines() == [
        f"customers[1].contacts[{n}].phone: C2: telefono «{p}» {said}" for n, p in enumerate(wrong)
    ]


def test_only_contracts_in_force_on_the_day_reach_osticket() -> None:
    c = customer("C1", "Alfa", [Contact("Ada", "it", "ada@x.example", "", True)])
    c.contracts += [
        Contract(number="K-OLD", annual_fee=Decimal("2000"), type="software",
                 start=date(2024, 1, 1), end=date(2024, 12, 31), auto_renewal=False),
        Contract(number="K-NEXT", annual_fee=Decimal("500"), type="software",
                 start=date(2027, 1, 1)),
        Contract(number="K-RENEWS", annual_fee=Decimal("300"), type="software",
                 start=date(2024, 1, 1), end=date(2024, 12, 31), auto_renewal=True),
    ]  # fmt: skip
    (user,) = import_as_osticket(import_files([c], TODAY).users)
    assert user["contract_amount"] == "€ 2.100,00"  # 1.800 + 300 that renewed by itself
    assert "K-OLD" not in user["notes"] and "K-NEXT" not in user["notes"]
