"""Prospects: list, add, convert into a customer (carrying everything over)."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from procedure.model import Prospect
from procedure.office import NotFound, Office, Refused
from procedure.problems import InvalidInput
from procedure.step_forms import Field
from procedure.validation import validate_prospect
from tui.messages import StoreChanged
from tui.screens.editor import EditorScreen, EditorSpec

PROSPECT_FIELDS = [
    Field("name", "Ragione sociale"),
    Field("vat_number", "Partita IVA"),
    Field("tax_code", "Codice fiscale"),
    Field("address.street", "Indirizzo"),
    Field("address.zip", "CAP"),
    Field("address.city", "Città"),
    Field("address.province", "Provincia (sigla)"),
    Field("pec", "PEC"),
    Field("contacts[0].name", "Contatto: nome"),
    Field("contacts[0].role", "Contatto: ruolo (legal_rep, administration, it, software, user)"),
    Field("contacts[0].email", "Contatto: e-mail"),
    Field("contacts[0].phone", "Contatto: telefono"),
    Field("notes", "Note"),
]


class ProspectsScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", "Nuovo"),
        Binding("c", "convert", "Converti in cliente"),
        Binding("escape", "app.pop_screen", "Indietro"),
    ]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.prospects: list[Prospect] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Prospect", id="prospects-title")
        yield DataTable(id="prospects", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Id", "Ragione sociale", "Città", "Stato")
        self.reload()

    def reload(self) -> None:
        self.prospects = self.office.prospects()
        table = self.query_one(DataTable)
        table.clear()
        for p in self.prospects:
            state = f"cliente {p.converted_to}" if p.converted_to else "da convertire"
            table.add_row(p.id, Text(p.name), Text(p.address.city), state, key=p.id)

    def action_add(self) -> None:
        spec = EditorSpec(
            title="Nuovo prospect",
            record=Prospect(id="P0"),  # the id is assigned on save
            fields=PROSPECT_FIELDS,
            validate=validate_prospect,
            save=self.save,
        )
        self.app.push_screen(EditorScreen(spec), lambda _: self.reload())

    def save(self, prospect: Prospect) -> None:
        prospect.id = ""
        self.office.add_prospect(prospect)

    def action_convert(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        prospect = self.prospects[table.cursor_row]
        try:
            code = self.office.convert(prospect.id)
        except (Refused, NotFound, InvalidInput) as exc:
            self.notify(str(exc), severity="warning")
            return
        self.notify(f"{prospect.name}: ora cliente {code}.")
        self.reload()

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
