"""First run: an empty catalogue is said on the dashboard; the company's list comes in from
a spreadsheet, shown row by row before Invio takes it all."""

from decimal import Decimal
from pathlib import Path

from textual.widgets import Static

from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp, wait_for
from tui.forms.editor import EditorScreen
from tui.screens.catalogue import CatalogueScreen
from tui.screens.product_import import ProductImportScreen

LIST = (
    "Codice;Descrizione;Tipo;Prezzo di listino;IVA %;Licenza;Note\n"
    "GEST-BASE;Gestionale base;software;1.200,00;22;sì;prova\n"
    "SRV-INST;Installazione;servizio;€ 350,00;22%;no;\n"
)


async def test_an_empty_catalogue_is_said_and_a_csv_fills_it(tmp_path: Path) -> None:
    office = Office.open(tmp_path / "data", clock=Clock(), user="mario")
    (tmp_path / "listino.csv").write_text(LIST, encoding="utf-8")
    app = RecordingApp(office)
    async with app.run_test(size=(80, 24)) as pilot:
        hint = app.screen.query_one("#no-products", Static)
        assert hint.display and "Catalogo prodotti vuoto" in str(hint.render())
        await pilot.press("k")
        assert isinstance(app.screen, CatalogueScreen)
        await pilot.press("i", *str(tmp_path / "listino.csv"), "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ProductImportScreen))
        preview = app.screen
        assert isinstance(preview, ProductImportScreen)
        assert [(r.product.code, r.status) for r in preview.table.rows] == [
            ("GEST-BASE", "nuovo"),
            ("SRV-INST", "nuovo"),
        ]
        assert "Colonne ignorate: Note" in str(
            preview.query_one("#import-summary", Static).render()
        )
        assert office.products() == {}  # shown, not yet saved
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CatalogueScreen))
        products = office.products()
        assert str(products["GEST-BASE"].price) == "1200.00" and products["GEST-BASE"].licensed
        assert products["SRV-INST"].kind == "service"
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#no-products", Static).display


async def test_a_list_with_problems_is_shown_and_not_taken(tmp_path: Path) -> None:
    office = Office.open(tmp_path / "data", clock=Clock(), user="mario")
    (tmp_path / "listino.csv").write_text("Codice;Descrizione;Prezzo\nX1;;abc\n", encoding="utf-8")
    app = RecordingApp(office)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("k", "i", *str(tmp_path / "listino.csv"), "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ProductImportScreen))
        said = str(app.screen.query_one("#import-summary", Static).render())
        assert "riga 2, Prezzo di listino: numero, es. 1800,00" in said
        assert "riga 2, Descrizione: descrizione obbligatoria" in said
        await pilot.press("enter")  # nothing to take: Invio does nothing
        await pilot.pause()
        assert isinstance(app.screen, ProductImportScreen) and office.products() == {}


async def test_an_order_line_makes_the_product_it_names(app: RecordingApp) -> None:
    """A line naming a product the catalogue lacks: ^n opens the product's form with the
    code in; once saved, the line is judged again and saved with its list price."""
    office = app.office
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter", "down", "down", "e", "r", "a")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        await pilot.press(*"corso-x")
        await pilot.pause()
        assert "non a catalogo" in str(editor.query_one("#field-0-error", Static).render())
        await pilot.press("ctrl+n")
        product_form = app.screen
        assert isinstance(product_form, EditorScreen) and product_form is not editor
        assert product_form.working.code == "CORSO-X"
        await pilot.press(
            *"Corso di formazione", "tab", "tab", *"250", "ctrl+s"
        )  # focus: the first to fill
        assert await wait_for(pilot, lambda: app.screen is editor)
        assert office.products()["CORSO-X"].price == Decimal(250)
        said = str(editor.query_one("#field-0-error", Static).render())
        assert not editor.query_one("#field-0-error", Static).display, said  # judged again
        await pilot.press("ctrl+s")
        assert await wait_for(pilot, lambda: app.screen is not editor)
    (line,) = [
        ln
        for o in office.customer("C00003").orders
        for ln in o.lines
        if ln.product_code == "CORSO-X"
    ]
    assert line.price == Decimal(250)
