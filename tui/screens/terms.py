"""The payment-terms catalogue: add terms, change descriptions; rules of codes in use stay."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from procedure.office import Office
from procedure.step_forms import Field
from procedure.terms_edit import TermForm, form_of, save_term, validate_term
from tui.screens.editor import EditorScreen, EditorSpec

TERM_FIELDS = [
    Field("code", "Codice"),
    Field("description", "Descrizione"),
    Field("mp", "ModalitaPagamento (MP05 bonifico, MP12 Ri.Ba., MP20/MP21 SDD…)"),
    Field("tp", "CondizioniPagamento (TP01 rate, TP02 unica, TP03 anticipo)"),
    Field("days", "Giorni delle rate dalla data fattura (es. 30, 60)"),
    Field("end_of_month", "Fine mese (sì/no)"),
    Field("fixed_day", "Giorno fisso del mese dopo (0 = nessuno)"),
]


class TermsScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", "Nuova condizione"),
        Binding("escape", "app.pop_screen", "Indietro"),
    ]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.codes: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Condizioni di pagamento (i codici in uso non cambiano regole)",
                     id="terms-title")  # fmt: skip
        yield DataTable(id="terms", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Codice", "Descrizione", "MP/TP", "Giorni", "FM")
        self.reload()

    def reload(self) -> None:
        terms = self.office.defs.terms
        self.codes = list(terms)
        table = self.query_one(DataTable)
        table.clear()
        for t in terms.values():
            days = "/".join(str(d) for d in t.days)
            table.add_row(t.code, Text(t.description), f"{t.mp}/{t.tp}", days,
                          "sì" if t.end_of_month else "", key=t.code)  # fmt: skip

    def _editor(self, form: TermForm, original: str) -> None:
        spec = EditorSpec(
            title=f"Condizione {original}" if original else "Nuova condizione di pagamento",
            record=form,
            fields=TERM_FIELDS,
            validate=validate_term,
            save=lambda f: save_term(self.office, f, original),
        )
        self.app.push_screen(EditorScreen(spec), lambda _: self.reload())

    def action_add(self) -> None:
        self._editor(TermForm(), "")

    @on(DataTable.RowSelected)
    def action_edit(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            code = self.codes[table.cursor_row]
            self._editor(form_of(self.office.defs.terms[code]), code)
