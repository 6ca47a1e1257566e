"""A new customer from prospect to licences sent, with the keyboard alone (only the paper
scans come from outside: they are dropped into the archive as a scanner would)."""

from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedure.demo import DEMO
from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import wait_for
from tui.app import AcquistoApp
from tui.screens.customer import CustomerScreen
from tui.screens.editor import EditorScreen

pytestmark = pytest.mark.slow


async def fill(pilot: Pilot[None], *values: str) -> None:
    """Type into the form's fields in order; "" leaves a field as it is."""
    for value in values:
        if value:
            await pilot.press(*value)
        await pilot.press("tab")


async def save(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    saved = await wait_for(pilot, lambda: not isinstance(pilot.app.screen, EditorScreen))
    assert saved, "the form did not save"


async def add(pilot: Pilot[None], *values: str) -> None:
    """In a list: a new item, its fields typed in order, saved."""
    await pilot.press("a")
    await fill(pilot, *values)
    await save(pilot)


async def complete(pilot: Pilot[None], office: Office, step: str) -> None:
    await pilot.press("space")
    assert await wait_for(pilot, lambda: done(office, step)), f"{step} not completed"


def done(office: Office, step: str) -> bool:
    state = office.customer("C00001").steps.get(step)
    return bool(state and state.done)


async def test_prospect_to_licences_by_keys(tmp_path: Path) -> None:
    data = tmp_path / "data"
    office = Office.open(data, clock=Clock(), user="mario")
    office.exchange.import_document({"products": DEMO["products"]})
    config = office.settings.config_path
    config.write_text(
        config.read_text().replace("stability_seconds = 3.0", "stability_seconds = 0.2")
    )
    office = Office.open(data, clock=Clock(), user="mario")
    app = AcquistoApp(office, watch=True)
    async with app.run_test(size=(100, 40)) as pilot:
        # the prospect, then its conversion
        await pilot.press("p", "a")
        await fill(pilot, "Nuova Prova S.r.l.", "22334450289", "22334450289", "Via Nuova 1",
                   "35010", "Vigonza", "PD", "nuova@pec.example", "Mario Nuovo",
                   "legale rappresentante", "mario@nuova.example")  # fmt: skip
        await save(pilot)
        await pilot.press("c", "escape", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.code == "C00001"

        # 1 forms sent: preview the mailing, send it
        await pilot.press("m", "enter")
        assert await wait_for(pilot, lambda: done(office, "forms_sent"), 60)
        # 2 master record
        await pilot.press("down", "e")
        await fill(pilot, "", "", "", "", "", "", "", "", "", "TSTNUO1", "", "", "", "BB30FM")
        await save(pilot)
        await complete(pilot, office, "customer_created")
        # 3 order: the list of orders, a new order, then its lines
        await pilot.press("down", "e")
        await add(pilot, "ORD-1", "01/03/2025")
        await pilot.press("r")
        await add(pilot, "GEST-BASE", "", "1", "3500")
        await pilot.press("escape", "escape")
        await complete(pilot, office, "order_entered")
        # 4 travel: the list of sites, a new one
        await pilot.press("down", "e")
        await add(pilot, "Sede", "", "", "35")
        await pilot.press("escape")
        await complete(pilot, office, "travel_costs")
        # 5 contract and its schedule
        await pilot.press("down", "e")
        await add(pilot, "CT-1", "", "GEST-BASE", "1800", "", "", "15/03/2025", "14/03/2026")
        await pilot.press("escape")
        await complete(pilot, office, "contract_schedule")
        # 6 osTicket profile: the contact becomes an osTicket user
        await pilot.press("down", "e", "enter")
        await fill(pilot, "", "", "", "", "si")
        await save(pilot)
        await pilot.press("escape")
        await pilot.press("space", *"profilo creato a mano", "enter")  # no export: a reason
        assert await wait_for(pilot, lambda: done(office, "osticket_profile"))
        # 7 CRM tab 2: the contract already has its fields
        await pilot.press("down")
        await complete(pilot, office, "crm_software_contracts")
        # 8 + 9 contract and osTicket instructions, one mailing
        await pilot.press("down", "m", "enter")
        assert await wait_for(pilot, lambda: done(office, "osticket_instructions_sent"), 60)
        assert done(office, "contract_sent")
        # 10 CRM tab 3
        await pilot.press("down", "down", "e")
        await fill(pilot, "GEST-BASE", "", "12.4", "3", "SRV", "", "SQL Server", "", "10/04/2025",
                   "Paolo Tecnico", "", "", "", "Mario Nuovo")  # fmt: skip
        await save(pilot)
        await complete(pilot, office, "crm_software_division")
        # 11 the customer's forms come back on paper: scanned into their slots
        filing = office.filing
        for form in ("master_data", "privacy", "dpa", "signed_contract"):
            slot = filing.slot_dir(office.customer("C00001"), form)
            (slot / "scansione.pdf").write_bytes(b"%PDF scan")
        assert await wait_for(pilot, lambda: done(office, "forms_archived"), 30)
        # 12 invoicing tab
        await pilot.press("down", "down", "e")
        await fill(pilot, "fatture@nuova.example")
        await save(pilot)
        await complete(pilot, office, "master_data_completed")
        # 13 + 14 hand-overs
        await pilot.press("down", "e", *"Direzione", "enter")
        assert await wait_for(pilot, lambda: done(office, "contracts_to_management"))
        await pilot.press("down", "e", *"Marta", "enter", *"alla consegna", "enter")
        assert await wait_for(pilot, lambda: done(office, "order_to_administration"))
        # 15 licences
        await pilot.press("down", "m", "enter")
        assert await wait_for(pilot, lambda: done(office, "licences_sent"), 60)

        views = office.view("C00001").steps
        assert [s.id for s in views if s.status != "done"] == []
        customer = office.customer("C00001")
        assert customer.prospect_id == "P0001"
        assert customer.licences[0].number.startswith("LIC-")
        assert [m.bundle for m in customer.mailings] == ["forms", "contracts", "licences"]
