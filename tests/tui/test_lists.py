"""Lists inside the dossier are edited as lists: a second order, contract and site are
added and changed by keys; an untouched form saves nothing."""

from textual.pilot import Pilot

from tests.tui.conftest import RecordingApp, wait_for
from tui.forms.editor import EditorScreen
from tui.forms.list_editor import ListEditorScreen
from tui.screens.customer import CustomerScreen


async def open_step(pilot: Pilot[None], name: str, step: int) -> None:
    """Open customer ``name`` from the dashboard and the form of its step number ``step``."""
    await pilot.press("slash", *name, "enter", "enter")
    assert isinstance(pilot.app.screen, CustomerScreen)
    await pilot.press(*["down"] * (step - 1), "e")


async def typed(pilot: Pilot[None], *values: str) -> None:
    for value in values:
        if value:
            await pilot.press("home", "ctrl+k", *value)  # replaces what the field holds
        await pilot.press("tab")


def focused(pilot: Pilot[None]) -> str:
    """The label of the form's field that has the focus."""
    screen, widget = pilot.app.screen, pilot.app.focused
    assert isinstance(screen, EditorScreen) and widget is not None and widget.id is not None
    return screen.spec.fields[int(widget.id.split("-")[1])].label


async def saved(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+s")
    closed = await wait_for(pilot, lambda: not isinstance(pilot.app.screen, EditorScreen))
    assert closed, [n.message for n in pilot.app.notes]  # type: ignore[attr-defined]


async def test_second_order_with_its_lines_added_and_changed(app: RecordingApp) -> None:
    office = app.office
    async with app.run_test(size=(100, 40)) as pilot:
        await open_step(pilot, "alfa", 3)
        assert isinstance(app.screen, ListEditorScreen)
        await pilot.press("a")
        await typed(pilot, "ORD-2", "02/04/2025")
        await pilot.press("ctrl+s")
        # a new order goes on to its lines: the form of the first one opens by itself
        assert await wait_for(pilot, lambda: len(office.customer("C00001").orders) == 2)
        orders = office.customer("C00001").orders
        assert [o.number for o in orders][-1] == "ORD-2"
        assert await wait_for(pilot, lambda: isinstance(app.screen, EditorScreen))
        for code, price in (("GEST-BASE", "1000"), ("GEST-BASE", "250")):
            await typed(pilot, code, "", "2", price)
            await saved(pilot)
            screen = app.screen
            assert isinstance(screen, ListEditorScreen) and screen.path == "orders[1].lines"
            await pilot.press("a")
        await pilot.press("escape")
        lines = office.customer("C00001").orders[1].lines
        assert [(str(line.quantity), str(line.price)) for line in lines] == [
            ("2", "1000"),
            ("2", "250"),
        ]
        # change the second line, then remove the first
        await pilot.press("enter")
        await typed(pilot, "", "", "3", "0")  # a line already saved keeps a price of 0
        await saved(pilot)
        await pilot.press("up", "delete", "s")
        assert await wait_for(pilot, lambda: len(office.customer("C00001").orders[1].lines) == 1)
        (line,) = office.customer("C00001").orders[1].lines
        assert (str(line.quantity), str(line.price)) == ("3", "0")
        # the first order is as it was
        assert office.customer("C00001").orders[0] == orders[0]


async def test_another_contract_added_and_edited(app: RecordingApp) -> None:
    office = app.office
    before = office.customer("C00001").contracts
    async with app.run_test(size=(100, 40)) as pilot:
        await open_step(pilot, "alfa", 5)
        assert isinstance(app.screen, ListEditorScreen)
        await pilot.press("a")  # proposed from the order: the form opens on the fee
        assert focused(pilot) == "Canone annuo"
        await pilot.press(*["shift+tab"] * 3)
        await typed(pilot, "CT-HW-1", "hardware", "", "600", "trimestrale", "", "01/05/2025")
        await saved(pilot)
        await pilot.press("enter")
        await typed(pilot, "", "", "", "720")
        await saved(pilot)
    contracts = office.customer("C00001").contracts
    assert contracts[: len(before)] == before and len(contracts) == len(before) + 1
    second = contracts[-1]
    assert (second.number, second.type, second.frequency) == ("CT-HW-1", "hardware", "quarterly")
    assert str(second.annual_fee) == "720"


async def test_second_site_added_and_edited(app: RecordingApp) -> None:
    office = app.office
    async with app.run_test(size=(100, 40)) as pilot:
        await open_step(pilot, "alfa", 4)
        assert isinstance(app.screen, ListEditorScreen)
        await pilot.press("a")  # the form opens on the distance, the one value the step needs
        assert focused(pilot) == "Km dall'ufficio (sola andata)"
        await pilot.press(*["shift+tab"] * 3)
        await typed(pilot, "Magazzino", "Via del Deposito 4", "Vicenza", "42")
        await saved(pilot)
        await pilot.press("enter")
        await typed(pilot, "", "", "", "44")
        await saved(pilot)
    sites = office.customer("C00001").sites
    assert [s.name for s in sites][-1] == "Magazzino"
    assert str(sites[-1].km_one_way) == "44"
    assert len(sites) == 2


async def test_untouched_master_record_saves_nothing(app: RecordingApp) -> None:
    office = app.office
    before = office.exchange.export_document()
    revision = office.revision()
    excluded = office.customer("C00001").excluded_months
    assert [(m.month, m.day) for m in excluded] == [(8, 10), (12, 10)]
    async with app.run_test(size=(100, 40)) as pilot:
        await open_step(pilot, "alfa", 2)
        assert isinstance(app.screen, EditorScreen)
        await saved(pilot)
    assert office.exchange.export_document() == before
    assert office.revision() == revision
