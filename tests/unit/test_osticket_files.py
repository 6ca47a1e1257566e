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
    assert "K-C1: canone annuo € 1.800,00" in files.organizations
    assert files.users.splitlines()[1].startswith("Ada,ada@x.example,1,Organizzazione: ")


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
