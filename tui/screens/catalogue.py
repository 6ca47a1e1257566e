"""Products of the catalogue and the company settings (settings live in config.toml)."""

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from procedure.editing.fields import PRODUCT_FIELDS, Field, suggestion_lists
from procedure.editing.product_table import Table
from procedure.enums import ProductKind
from procedure.italian import euro, it_fixed, label_of
from procedure.model import Product
from procedure.office import Office
from procedure.rules.validation import validate_product
from procedure.services.catalogue import validate_company
from tui.dialogs.note import NoteDialog
from tui.forms.editor import EditorScreen, EditorSpec
from tui.forms.record_list import RecordListScreen
from tui.keys import BACK
from tui.screens.product_import import ProductImportScreen
from tui.screens.terms import TermsScreen
from tui.workers import in_background

COMPANY_FIELDS = [
    Field("name", "Ragione sociale"),
    Field("vat_number", "Partita IVA"),
    Field("address", "Indirizzo"),
    Field("iban", "IBAN"),
    Field("email", "E-mail"),
    Field("phone", "Telefono"),
    Field("service_hours", "Orario del servizio di assistenza"),
    Field("sla", "Livello di servizio"),
    Field("extra_rate", "Tariffa oraria extra contratto"),
    Field("representative", "Chi firma i contratti (nome e qualifica)"),
    Field("signing_place", "Luogo di firma dei contratti"),
    Field("court", "Foro competente"),
    Field("sepa_creditor_id", "Identificativo del creditore SEPA"),
    Field("rate_per_km", "Trasferta: tariffa al km"),
    Field("call_out_fee", "Trasferta: diritto di chiamata"),
    Field("hourly_rate", "Trasferta: tariffa oraria del viaggio"),
]


def product_editor(office: Office, product: Product, title: str) -> EditorSpec:
    """The form of one catalogue product."""
    return EditorSpec(
        title,
        product,
        list(PRODUCT_FIELDS),
        validate_product,
        office.catalogue.save_product,
        suggestions=suggestion_lists(office.products(), office.defs.terms),
    )


class CatalogueScreen(RecordListScreen):
    HEADING = "Catalogo prodotti"
    COLUMNS = ("Codice", "Descrizione", "Tipo", "Prezzo", "Lic.")
    BINDINGS = [
        Binding("a", "add", "Nuovo prodotto"),
        Binding("i", "import", "Importa listino"),
        Binding("s", "settings", "Dati aziendali"),
        Binding("t", "terms", "Pagamenti"),
        BACK,
    ]

    def below(self) -> ComposeResult:
        yield Static(id="settings")

    def on_mount(self) -> None:  # after the list's own (Textual calls each class's handler)
        self.show_settings()

    def show_settings(self) -> None:
        s = self.office.settings
        terms = ", ".join(sorted(self.office.defs.terms))
        self.query_one("#settings", Static).update(
            Text(
                f"{s.company.name} · P.IVA {s.company.vat_number} · "
                f"al km {euro(s.travel.rate_per_km)} · chiamata {euro(s.travel.call_out_fee)}\n"
                f"Condizioni di pagamento: {terms}\n"
                "Dati aziendali e tariffe: tasto s (scrive config.toml); condizioni di "
                "pagamento: tasto t."
            )
        )

    def rows(self) -> Iterable[tuple[str, tuple[str | Text, ...]]]:
        products = self.office.products()
        for code in sorted(products):
            p = products[code]
            yield (
                code,
                (
                    code,
                    Text(p.description),
                    label_of(ProductKind, p.kind),
                    it_fixed(p.price),
                    "sì" if p.licensed else "",
                ),
            )

    def _editor(self, product: Product, title: str) -> None:
        self.edit(product_editor(self.office, product, title))

    def action_add(self) -> None:
        self._editor(Product(), "Nuovo prodotto")

    def action_edit(self) -> None:
        code = self.selected_key()
        if code:
            self._editor(self.office.products()[code], f"Prodotto {code}")

    def action_import(self) -> None:
        """The company's product list from a .csv or .xlsx file: read, shown, then taken."""
        importer = self.office.product_import

        def chosen(text: str | None) -> None:
            if not text:
                return
            path = Path(text).expanduser()

            def shown(table: Table) -> None:
                screen = ProductImportScreen(self.office, path, table)
                self.app.push_screen(screen, lambda _: self.reload())

            in_background(self, lambda: importer.read(path), shown, "Listino non letto")

        dialog = NoteDialog(
            "Listino prodotti da importare (.csv o .xlsx, intestazioni in italiano)",
            "percorso del file, es. /home/ufficio/listino.csv",
        )
        self.app.push_screen(dialog, chosen)

    def action_terms(self) -> None:
        self.app.push_screen(TermsScreen(self.office))

    def action_settings(self) -> None:
        spec = EditorSpec(
            title="Dati aziendali e tariffe (config.toml)",
            record=self.office.catalogue.company_form(),
            fields=COMPANY_FIELDS,
            validate=validate_company,
            save=lambda form: self.office.catalogue.save_company(form),
        )
        self.app.push_screen(EditorScreen(spec), lambda _: self.show_settings())
