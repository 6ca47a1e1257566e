"""The company's product list, as read from its file, shown before anything is saved."""

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from procedure.editing.product_table import SAME, Table
from procedure.enums import ProductKind
from procedure.italian import it_fixed, label_of, plural
from procedure.office import Office
from tui.widgets.italian import DataTable, Footer, Screen
from tui.workers import in_background


def summary(table: Table) -> Text:
    """What Invio will do, or why it cannot."""
    if table.problems:
        out = Text(
            f"Il file ha {plural(len(table.problems), 'problema', 'problemi')}: "
            "correggerlo e importarlo di nuovo (nulla è stato salvato).\n",
            style="bold",
        )
        for problem in table.problems[:20]:
            out.append(f"- {problem}\n")
        return out
    changed = sum(r.status != SAME for r in table.rows)
    out = Text(
        f"Invio importa {plural(changed, 'prodotto', 'prodotti')} nuovi o modificati "
        f"({len(table.rows)} nel file), tutti insieme."
    )
    if table.ignored:
        out.append(f"\nColonne ignorate: {', '.join(table.ignored)}.")
    return out


class ProductImportScreen(Screen[bool]):
    """Rows of the file, each new, changed or the same; Invio takes them all."""

    BINDINGS = [
        Binding("enter", "take", "Importa", priority=True),
        Binding("escape", "cancel", "Annulla"),
    ]

    def __init__(self, office: Office, path: Path, table: Table) -> None:
        super().__init__()
        self.office = office
        self.path = path
        self.table = table

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Listino da {self.path.name}", style="bold"), id="import-title")
        yield DataTable(id="import-rows", cursor_type="row", zebra_stripes=True)
        yield Static(summary(self.table), id="import-summary")
        yield Footer()

    def on_mount(self) -> None:
        rows = self.query_one(DataTable)
        rows.add_columns("Riga", "Codice", "Descrizione", "Tipo", "Prezzo", "IVA", "Stato")
        for r in self.table.rows:
            p = r.product
            rows.add_row(
                str(r.line),
                p.code,
                Text(p.description),
                label_of(ProductKind, p.kind),
                it_fixed(p.price),
                f"{p.vat_rate}%",
                r.status,
            )
        rows.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "take":
            return not self.table.problems
        return True

    def action_take(self) -> None:
        importer, path = self.office.product_import, self.path

        def taken(table: Table) -> None:
            changed = sum(r.status != SAME for r in table.rows)
            self.notify(f"{plural(changed, 'prodotto', 'prodotti')} nel catalogo.")
            self.dismiss(True)

        in_background(self, lambda: importer.apply(path), taken, "Listino non importato")

    def action_cancel(self) -> None:
        self.dismiss(False)
