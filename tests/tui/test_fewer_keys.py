"""Fewer keys for the common case: CRM tab 3 completes from the office's own values, the
master record opens on the company's usual payment terms, a step's empty list opens on its
first item and closes after it."""

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from procedure.model import Prospect
from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp, wait_for
from tui.forms.editor import EditorScreen
from tui.forms.list_editor import ListEditorScreen
from tui.screens.customer import CustomerScreen, open_customer


def with_technicians(data: Path, *names: str) -> Office:
    office = Office.open(data, clock=Clock(), user="anna")
    config = office.settings.config_path
    listed = ", ".join(f'"{n}"' for n in names)
    config.write_text(config.read_text().replace("technician = []", f"technician = [{listed}]"))
    return Office.open(data, clock=Clock(), user="anna")


def set_division(office: Office, code: str, **values: str) -> None:
    c = office.customer(code)
    for name, value in values.items():
        setattr(c.software_division, name, value)
    office.customers.save(c)


def new_customer(office: Office) -> str:
    pid = office.customers.add_prospect(
        Prospect(name="Delta Nuova S.r.l.", vat_number="22334450289")
    )
    return office.customers.convert(pid)


async def on_step(pilot: Pilot[None], code: str, step: str) -> CustomerScreen:
    """The customer screen of ``code`` with the cursor on ``step``."""
    app = pilot.app
    assert isinstance(app, RecordingApp)
    if isinstance(app.screen, CustomerScreen):
        app.screen.show_customer(code)
    else:
        open_customer(app, app.office, code)
    assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerScreen))
    screen = app.screen
    assert isinstance(screen, CustomerScreen)
    assert await wait_for(pilot, lambda: screen.view is not None and screen.code == code)
    index = [s.id for s in app.office.defs.steps].index(step)
    screen.query_one(OptionList).highlighted = index
    assert screen.selected is not None and screen.selected.id == step
    return screen


def field(screen: EditorScreen, path: str) -> Input:
    index = [f.path for f in screen.spec.fields].index(path)
    return screen.query_one(f"#field-{index}", Input)


def test_the_office_values_come_after_the_company_ones(data: Path) -> None:
    office = with_technicians(data, "Paolo Bianchi", "Marta Rossi")
    set_division(office, "C00001", technician="Carla Verdi", db_engine="Firebird 3")
    set_division(office, "C00002", technician="Paolo Bianchi")  # known already: not twice
    suggested = office.suggested()
    assert suggested["software_division.technician"] == [
        "Paolo Bianchi",
        "Marta Rossi",
        "Carla Verdi",
    ]
    assert suggested["software_division.db_engine"][0] == "SQL Server"
    assert "Firebird 3" in suggested["software_division.db_engine"]


async def test_crm_tab_3_completes_from_what_the_office_has(data: Path) -> None:
    office = with_technicians(data, "Paolo Bianchi")
    set_division(office, "C00001", technician="Carla Verdi", remote_tool="Supremo")
    app = RecordingApp(office)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_step(pilot, "C00003", "crm_software_division")
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        form = app.screen
        assert isinstance(form, EditorScreen)
        technician = field(form, "software_division.technician")
        technician.focus()
        await pilot.press("ctrl+u", "c", "a")  # another customer's technician
        assert await wait_for(pilot, lambda: technician._suggestion == "Carla Verdi")
        await pilot.press("right")
        assert technician.value == "Carla Verdi"
        remote = field(form, "software_division.remote_tool")
        remote.focus()
        await pilot.press("ctrl+u", "s", "u", "right")
        assert remote.value == "Supremo"
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, EditorScreen))
    division = office.customer("C00003").software_division
    assert (division.technician, division.remote_tool) == ("Carla Verdi", "Supremo")


async def test_the_master_record_opens_on_the_usual_terms(data: Path) -> None:
    office = Office.open(data, clock=Clock(), user="anna")
    code = new_customer(office)
    assert office.customer(code).payment_terms == ""
    app = RecordingApp(office)
    async with app.run_test(size=(100, 40)) as pilot:
        await on_step(pilot, code, "customer_created")
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        form = app.screen
        assert isinstance(form, EditorScreen)
        assert field(form, "payment_terms").value == "BB30FM"  # config.toml [terms] proposed
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: office.customer(code).payment_terms == "BB30FM")
        # a customer with terms of their own keeps them
        await on_step(pilot, "C00001", "customer_created")
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert field(app.screen, "payment_terms").value == "RB60FM"  # type: ignore[arg-type]


async def test_an_empty_list_opens_on_its_first_item_and_closes_after(data: Path) -> None:
    office = Office.open(data, clock=Clock(), user="anna")
    code = new_customer(office)
    app = RecordingApp(office)
    async with app.run_test(size=(100, 40)) as pilot:
        customer = await on_step(pilot, code, "travel_costs")
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        assert "Sede nuova" in app.screen.spec.title  # type: ignore[attr-defined]
        await pilot.press(*"35", "ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is customer)
        assert [s.km_one_way for s in office.customer(code).sites] == [35]
        # with a site there, the list opens as a list; Esc back on the customer
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ListEditorScreen))
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: app.screen is customer)
        # an empty list left without saving: back on the customer, nothing added
        await on_step(pilot, code, "contract_schedule")
        contracts_step = app.screen
        await pilot.press("e")
        assert await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        await pilot.press("escape")
        if app.screen is not contracts_step:  # a proposal counts as a change: say leave
            await pilot.press("s")
        assert await wait_for(pilot, lambda: app.screen is contracts_step)
        assert office.customer(code).contracts == []
