"""The list of customers with their progress, filtered as you type."""

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from procedure.errors import StoreError
from procedure.italian import plural
from procedure.office import Office, Page
from procedure.rules.chasing import overdue
from procedure.rules.progress import SORTS, forms_cell
from procedure.services.mail.mailings import MailResult
from tui.messages import StoreChanged
from tui.screens.catalogue import CatalogueScreen
from tui.screens.customer import open_customer
from tui.screens.deadlines import DeadlinesScreen
from tui.screens.intake import IntakeScreen
from tui.screens.procedure_steps import ProcedureScreen
from tui.screens.prospects import ProspectsScreen
from tui.widgets.cells import clipped
from tui.widgets.italian import DataTable, Footer, Input, Screen
from tui.workers import in_background

COLUMNS = (
    ("Codice", 6),
    ("Ragione sociale", 27),
    ("Passi", 5),
    ("Moduli", 6),
    ("Prossimo passo", 25),
)


LINE_WIDTH = sum(w for _, w in COLUMNS) + 2 * (len(COLUMNS) - 1)


def line_of(values: Iterable[str]) -> Text:
    """A customer's line as one cell, its fields in columns (one cell, not five, to draw at
    each keystroke)."""
    return Text(
        "  ".join(clipped(v, w).ljust(w) for v, (_, w) in zip(values, COLUMNS, strict=True))
    )


MAX_ROWS = 40  # two screens' worth at 80×24; the count line says how many match
EMPTY_HINT = (
    "Nessun cliente in archivio. Per provare, dalla cartella del programma: make demo "
    "(clienti di esempio); per caricare dati: .venv/bin/acquisto import FILE.json; per "
    "convertire un prospect: p, poi c."
)

NO_PRODUCTS = (
    "Catalogo prodotti vuoto: gli ordini non si possono ancora inserire. k apre il catalogo: "
    "a aggiunge un prodotto, i importa il listino da un file .csv o .xlsx (anche da riga di "
    "comando: acquisto import listino.csv)."
)


@dataclass(frozen=True)
class Listing:
    """What the list screen shows, read in one go (off the event loop when refreshing)."""

    revision: int
    states: str  # "da sollecitare 3 · …"
    empty: bool  # no customer at all
    no_products: bool  # an empty catalogue
    page: Page
    text: str  # the filter and the order it was read for
    sort: str


class CustomersScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "filter", "Filtra", show=False),
        Binding("d", "deadlines", "Disdette"),
        Binding("i", "intake", "Da archiviare"),
        Binding("r", "chase", "Sollecita"),
        Binding("p", "prospects", "Prospect"),
        Binding("k", "catalogue", "Catalogo"),
        Binding("a", "trends", "Andamento"),
        Binding("f", "procedure", "Procedura", show=False),
        Binding("o", "sort", "Ordina", show=False),
        Binding("escape", "clear_filter", "Pulisci filtro", show=False),
        Binding("ctrl+q", "app.quit", "Esci"),
    ]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.loaded_revision = -1
        self.sort = SORTS[0]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="/ filtra per codice o ragione sociale…", id="filter")
        yield Static(id="states")
        yield Static(id="count")
        yield DataTable(id="customers", cursor_type="row", zebra_stripes=True)
        yield Static(EMPTY_HINT, id="empty-hint")
        yield Static(NO_PRODUCTS, id="no-products")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column(line_of(label for label, _ in COLUMNS), width=LINE_WIDTH)
        self.reload()
        table.focus()

    def reload(self) -> None:
        """Count the customers in each state again and show the first page."""
        try:
            self.show(self.read(self.filter_text(), self.sort))
        except StoreError as exc:
            self.notify(str(exc), title="Archivio dati", severity="error", timeout=30)

    def refresh_in_background(self) -> None:
        """The same, its reads off the event loop (a colleague's change, the watcher's):
        the keys typed meanwhile are not held up by a hundred thousand customers."""
        text, sort = self.filter_text(), self.sort
        in_background(self, lambda: self.read(text, sort), self.show, "Archivio dati")

    def filter_text(self) -> str:
        return self.query_one("#filter", Input).value

    def read(self, text: str, sort: str) -> Listing:
        """What the screen shows, read from the store and the intake folder (any thread)."""
        revision = self.office.revision()
        state = self.office.list_states()
        state["scansioni da assegnare"] = len(self.office.filing.unrecognised())
        return Listing(
            revision,
            " · ".join(f"{label} {n}" for label, n in state.items() if n),
            self.office.count_customers() == 0,
            not self.office.products(),
            self.office.dashboard(text, sort, MAX_ROWS),
            text,
            sort,
        )

    def show(self, listing: Listing) -> None:
        if (listing.text, listing.sort) != (self.filter_text(), self.sort):
            return  # typed over or sorted again meanwhile: those show their own rows
        self.loaded_revision = listing.revision
        line = listing.states
        self.query_one("#states", Static).update(
            f"ordine: {self.sort} (o per cambiare)" + (f" · {line}" if line else "")
        )
        self.query_one("#empty-hint").display = listing.empty
        self.query_one("#no-products").display = listing.no_products
        self.show_page(listing.page)

    def show_rows(self) -> None:
        """The customers matching the filter, in the chosen order: one query for at most
        MAX_ROWS lines, so that a keystroke costs the same with ten customers or a hundred
        thousand."""
        try:
            page = self.office.dashboard(self.filter_text(), self.sort, MAX_ROWS)
        except StoreError as exc:
            self.notify(str(exc), title="Archivio dati", severity="error", timeout=30)
            return
        self.show_page(page)

    def show_page(self, page: Page) -> None:
        table = self.query_one(DataTable)
        current = table.cursor_row
        today = self.office.clock().date()
        chase_days = self.office.settings.chasing.interval_days
        total = page.total
        table.clear()
        for s in page.rows:
            late = overdue(s.last_contact, s.outstanding, today, chase_days)
            row = (s.code, s.name, s.progress, forms_cell(s, late), s.next_title)
            table.add_row(line_of(row), key=s.code)
        self.query_one("#count", Static).update(
            plural(total, "cliente", "clienti")
            if total <= MAX_ROWS
            else f"primi {MAX_ROWS} di {total} clienti"
        )
        if table.row_count:
            table.move_cursor(row=min(current, table.row_count - 1))

    @on(Input.Changed, "#filter")
    def filter_changed(self) -> None:
        self.show_rows()

    @on(Input.Submitted, "#filter")
    def filter_submitted(self) -> None:
        self.query_one(DataTable).focus()

    @on(DataTable.RowSelected)
    def open_customer(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is None:
            return
        open_customer(self.app, self.office, event.row_key.value)

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.reload()

    def action_prospects(self) -> None:
        self.app.push_screen(ProspectsScreen(self.office))

    def action_trends(self) -> None:
        from tui.screens.trends import TrendsScreen  # plotext: when the charts are first drawn

        self.app.push_screen(TrendsScreen(self.office))

    def action_procedure(self) -> None:
        self.app.push_screen(ProcedureScreen(self.office))

    def action_catalogue(self) -> None:
        self.app.push_screen(CatalogueScreen(self.office))

    def action_intake(self) -> None:
        self.app.push_screen(IntakeScreen(self.office))

    def action_chase(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        code = str(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)
        self.notify(f"Sollecito a {code} in corso…", timeout=3)

        def chased(result: MailResult) -> None:
            m = result.mailing
            if m.status == "sent":
                self.notify(f"{code}: sollecito inviato a {', '.join(m.to)}.")
            else:
                self.notify(f"{code}: sollecito in coda ({m.last_error}).")

        reminder = self.office.mail.send_reminder
        in_background(self, lambda: reminder(code), chased, "Sollecito")

    def action_deadlines(self) -> None:
        self.app.push_screen(DeadlinesScreen(self.office))

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one(DataTable).focus()

    def on_screen_resume(self) -> None:
        if self.office.revision() != self.loaded_revision:  # changed while we were away
            self.reload()

    def on_store_changed(self, event: StoreChanged) -> None:
        self.refresh_in_background()
