"""Step forms: validation as you type, unsaved edits never lost silently, two users on one
customer, prospects and catalogue, palette and help."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from decimal import Decimal
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from procedure.editing.proposals import priced
from procedure.enums import VatNature
from procedure.model import OrderLine
from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp, wait_for
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.help import HelpScreen
from tui.forms.editor import EditorScreen
from tui.screens.catalogue import CatalogueScreen
from tui.screens.customer import CustomerScreen
from tui.screens.prospects import ProspectsScreen


async def open_master_record(pilot, row: int = 2) -> EditorScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*["down"] * row, "enter", "down", "e")
    screen = pilot.app.screen
    assert isinstance(screen, EditorScreen)
    return screen


def error_of(screen: EditorScreen, index: int) -> str:
    """The message under a field, without the mark that shows it in any colours."""
    return str(screen.query_one(f"#field-{index}-error", Static).render()).removeprefix("(!) ")


async def test_validation_as_you_type(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_master_record(pilot)
        await pilot.press("tab", "end", "backspace")  # P.IVA loses a digit
        assert error_of(screen, 1) == "la Partita IVA è di 11 cifre"
        await pilot.press("8")
        assert error_of(screen, 1) == ""
        assert "Fattura di oggi da € 1.000,00" in str(
            screen.query_one("#editor-preview", Static).render()
        )


async def test_leaving_a_changed_form_asks(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await open_master_record(pilot)
        await pilot.press(*" bis", "escape")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")  # stay
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("escape", "s")  # leave without saving
        assert isinstance(app.screen, CustomerScreen)
        assert app.office.customer("C00003").name == "Gamma Prova Logistica S.p.A."


async def test_unchanged_form_leaves_without_asking(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await open_master_record(pilot)
        await pilot.press("escape")
        assert isinstance(app.screen, CustomerScreen)


IBAN = "IT50U0832703200000000900001"


@asynccontextmanager
async def giulia_after_mario(
    data: Path, giulia_types: list[str]
) -> AsyncIterator[tuple[RecordingApp, Pilot[None]]]:
    """Mario and Giulia open Gamma's master record; Mario saves a new SDI code, then Giulia
    types ``giulia_types`` over what she loaded and saves."""
    first = RecordingApp(Office.open(data, clock=Clock(), user="mario"))
    second = RecordingApp(Office.open(data, clock=Clock(), user="giulia"))
    async with first.run_test(size=(100, 40)) as p1, second.run_test(size=(100, 40)) as p2:
        await open_master_record(p1)
        await open_master_record(p2)
        await p1.press(*["tab"] * 9, *"TSTGMM9", "ctrl+s")
        assert await wait_for(p1, lambda: not isinstance(first.screen, EditorScreen))
        await p2.press(*giulia_types, "ctrl+s")
        yield second, p2


async def test_a_colleagues_save_of_other_fields_is_kept_with_mine(data: Path) -> None:
    async with giulia_after_mario(data, [*["tab"] * 10, *IBAN]) as (second, p2):  # the IBAN
        assert await wait_for(p2, lambda: not isinstance(second.screen, EditorScreen))
    customer = Office.open(data).customer("C00003")
    assert (customer.sdi_code, customer.iban) == ("TSTGMM9", IBAN)


async def test_a_field_both_changed_is_asked_about_and_the_form_kept(data: Path) -> None:
    async with giulia_after_mario(data, [*["tab"] * 9, *"XXXXXX1", "tab", *IBAN]) as (second, p2):
        refused = await wait_for(p2, lambda: any(n.title == "Non salvato" for n in second.notes))
        assert refused and isinstance(second.screen, EditorScreen)  # giulia's form stays open
        (note,) = [n for n in second.notes if n.title == "Non salvato"]
        assert note.message.startswith("Un collega ha cambiato nel frattempo anche: ")
        assert "Codice destinatario SDI" in note.message and "IBAN" not in note.message
        customer = Office.open(data).customer("C00003")
        assert (customer.sdi_code, customer.iban) == ("TSTGMM9", "")  # nothing of hers yet
        await p2.press("ctrl+s")  # seen: saved again, her values win where both changed
        assert await wait_for(p2, lambda: not isinstance(second.screen, EditorScreen))
    customer = Office.open(data).customer("C00003")
    assert (customer.sdi_code, customer.iban) == ("XXXXXX1", IBAN)


async def test_catalogue_adds_a_product(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k")
        assert isinstance(app.screen, CatalogueScreen)
        await pilot.press("a", *"CONS-H", "tab", *"Consulenza oraria", "tab", *"service", "tab",
                          *"75", "ctrl+s")  # fmt: skip
        assert await wait_for(pilot, lambda: "CONS-H" in app.office.products())
        assert app.office.products()["CONS-H"].description == "Consulenza oraria"
        assert await wait_for(pilot, lambda: app.screen.query_one(DataTable).row_count == 8)


async def test_an_exempt_product_takes_its_natura_by_label(app: RecordingApp) -> None:
    """A 0% course: 23% is refused naming the rate, 0% asks for the Natura, chosen by its
    label; a new order line then takes the catalogue's treatment."""
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k")
        await pilot.press("a", *"CORSO", "tab", *"Corso accreditato", "tab", *"service", "tab",
                          *"250", "tab", *"23")  # fmt: skip
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen)
        error = error_of(app.screen, 4)
        assert error.startswith("aliquota IVA 23% non ammessa; ammesse: 22, 10, 5, 4, 0")
        await pilot.press("backspace", "backspace", "0")
        await pilot.pause()
        assert "richiede la natura" in error_of(app.screen, 5)
        await pilot.press("tab", *"N4 esenti (art. 10 DPR 633/72)", "ctrl+s")
        assert await wait_for(pilot, lambda: "CORSO" in app.office.products())
        product = app.office.products()["CORSO"]
        assert (product.vat_rate, product.vat_nature) == (Decimal(0), VatNature.N4)
    line = priced("orders[0].lines", OrderLine("CORSO"), app.office.products())
    assert (line.price, line.vat_rate, line.vat_nature) == (Decimal(250), Decimal(0), VatNature.N4)


async def test_prospects_convert(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("p")
        assert isinstance(app.screen, ProspectsScreen)
        await pilot.press("c")
        assert await wait_for(pilot, lambda: app.office.prospects()[0].converted_to == "C00004")
        assert [s.code for s in app.office.list_customers()][-1] == "C00004"


async def test_palette_lists_the_screen_actions_in_italian(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Filtra", "Disdette", "Sollecita", "Prospect", "Catalogo", "Aiuto", "Esci"} <= set(
            titles
        )
        assert "Cursor down" not in titles
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_company_data_and_rates_are_saved_to_config(app: RecordingApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k", "s")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*["tab"] * 13, *"0,65", "ctrl+s")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, EditorScreen))
        assert str(app.office.settings.travel.rate_per_km) == "0.65"
        text = app.office.settings.config_path.read_text()
        assert 'rate_per_km = "0.65"' in text and "# Tariffe di trasferta" in text


async def test_payment_terms_added_and_guarded(app: RecordingApp) -> None:
    from tui.screens.terms import TermsScreen

    office = app.office
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k", "t")
        assert isinstance(app.screen, TermsScreen)
        await pilot.press("a", *"BB90DF", "tab", *"Bonifico 90 gg data fattura", "tab", "tab",
                          "tab", *"90", "ctrl+s")  # fmt: skip
        assert await wait_for(pilot, lambda: isinstance(app.screen, TermsScreen))
        assert office.defs.terms["BB90DF"].days == (90,)
        assert office.office_audit()[-1]["action"] == "terms.save"
        # RB60FM is Alfa's: its rule cannot change under it
        codes = list(office.defs.terms)
        await pilot.press(*["down"] * codes.index("RB60FM"), "enter")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*["tab"] * 4, *"90", "ctrl+s")  # focus selects the old value
        assert await wait_for(pilot, lambda: any(n.title == "Non salvato" for n in app.notes))
        assert isinstance(app.screen, EditorScreen)
        (note,) = [n for n in app.notes if n.title == "Non salvato"]
        assert "usata da 1 cliente" in note.message
        assert office.defs.terms["RB60FM"].days == (60,)
    # a fresh Office reads the company's catalogue
    assert "BB90DF" in Office.open(office.settings.data_dir).defs.terms


async def test_terms_screen_shows_a_colleagues_term_without_restart(
    app: RecordingApp, data: Path
) -> None:
    from procedure.services.catalogue import TermForm
    from tui.screens.terms import TermsScreen

    colleague = Office.open(data, user="giulia")
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("k", "t")
        screen = app.screen
        assert isinstance(screen, TermsScreen) and "BB45DF" not in screen.keys
        colleague.catalogue.save_term(TermForm("BB45DF", "Bonifico 45 gg d.f.", days=[45]))
        assert await wait_for(pilot, lambda: "BB45DF" in screen.keys)
        assert app.office.defs.terms["BB45DF"].days == (45,)
