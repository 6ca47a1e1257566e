"""Products of the catalogue and the company settings (settings live in config.toml)."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from procedure.model import Product
from procedure.office import Office
from procedure.settings_edit import company_form, save_company, validate_company
from procedure.step_forms import Field
from procedure.validation import validate_product
from tui.messages import StoreChanged
from tui.screens.editor import EditorScreen, EditorSpec
from tui.screens.terms import TermsScreen

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
    Field("rate_per_km", "Trasferta: tariffa al km"),
    Field("call_out_fee", "Trasferta: diritto di chiamata"),
    Field("hourly_rate", "Trasferta: tariffa oraria del viaggio"),
]
PRODUCT_FIELDS = [
    Field("code", "Codice"),
    Field("description", "Descrizione"),
    Field("kind", "Tipo (software, hardware, service, support)"),
    Field("price", "Prezzo di listino"),
    Field("vat_rate", "Aliquota IVA %"),
    Field("licensed", "Richiede una licenza (sì/no)"),
]


class CatalogueScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", "Nuovo prodotto"),
        Binding("s", "settings", "Dati aziendali e tariffe"),
        Binding("t", "terms", "Condizioni di pagamento"),
        Binding("escape", "app.pop_screen", "Indietro"),
    ]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.codes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Catalogo prodotti", id="catalogue-title")
        yield DataTable(id="catalogue", cursor_type="row", zebra_stripes=True)
        yield Static(id="settings")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Codice", "Descrizione", "Tipo", "Prezzo", "Lic.")
        self.show_settings()
        self.reload()

    def show_settings(self) -> None:
        s = self.office.settings
        terms = ", ".join(sorted(self.office.defs.terms))
        self.query_one("#settings", Static).update(Text(
            f"{s.company_name} · P.IVA {s.company_vat} · km {s.rate_per_km} € · chiamata "
            f"{s.call_out_fee} €\nCondizioni di pagamento: {terms}\n"
            "Dati aziendali e tariffe: tasto s (scrive config.toml); condizioni di "
            "pagamento: tasto t."
        ))  # fmt: skip

    def reload(self) -> None:
        products = self.office.products()
        self.codes = sorted(products)
        table = self.query_one(DataTable)
        table.clear()
        for code in self.codes:
            p = products[code]
            table.add_row(code, Text(p.description), p.kind, f"{p.price:.2f}",
                          "sì" if p.licensed else "", key=code)  # fmt: skip

    def _editor(self, product: Product, title: str) -> None:
        spec = EditorSpec(
            title=title,
            record=product,
            fields=PRODUCT_FIELDS,
            validate=validate_product,
            save=self.office.save_product,
        )
        self.app.push_screen(EditorScreen(spec), lambda _: self.reload())

    def action_terms(self) -> None:
        self.app.push_screen(TermsScreen(self.office))

    def action_settings(self) -> None:
        spec = EditorSpec(
            title="Dati aziendali e tariffe (config.toml)",
            record=company_form(self.office),
            fields=COMPANY_FIELDS,
            validate=validate_company,
            save=lambda form: save_company(self.office, form),
        )
        self.app.push_screen(EditorScreen(spec), lambda _: self.show_settings())

    def action_add(self) -> None:
        self._editor(Product(), "Nuovo prodotto")

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            code = self.codes[table.cursor_row]
            self._editor(self.office.products()[code], f"Prodotto {code}")

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
