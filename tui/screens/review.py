"""Review the fields of a returned "Raccolta Dati Anagrafici": accept or reject each."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from procedure.office import Office
from procedure.services.review import Proposal
from tui.keys import BACK
from tui.widgets.italian import DataTable, Footer, Screen
from tui.workers import in_background

MARK = {None: "?", True: "accetta", False: "scarta"}


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "decide(True)", "Accetta"),
        Binding("x", "decide(False)", "Scarta"),
        Binding("s", "save", "Registra"),
        BACK,
    ]

    def __init__(self, office: Office, code: str) -> None:
        super().__init__()
        self.office = office
        self.code = code
        self.offered: list[Proposal] = []
        self.decisions: dict[str, bool | None] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.code}: dati dal modulo rientrato (nulla si applica senza conferma)")
        yield DataTable(id="review", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Campo", "Attuale", "Proposto", "Scelta", "Problema")
        proposals, code = self.office.review.proposals, self.code
        table.loading = True  # the returned .docx is read off the event loop
        in_background(self, lambda: proposals(code), self.offer, "Revisione non disponibile")

    def offer(self, offered: list[Proposal]) -> None:
        self.offered = offered
        self.decisions = {p.tag: None for p in offered}
        self.query_one(DataTable).loading = False
        self.show()

    def show(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for p in self.offered:
            table.add_row(
                Text(p.label),
                Text(p.current or "—"),
                Text(p.proposed),
                MARK[self.decisions[p.tag]],
                Text(p.problem),
            )
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_decide(self, accept: bool) -> None:
        if not self.offered:
            return
        p = self.offered[self.query_one(DataTable).cursor_row]
        if accept and p.problem:
            self.notify(f"{p.label}: {p.problem}", severity="warning")
            return
        self.decisions[p.tag] = accept
        self.show()
        self.query_one(DataTable).action_cursor_down()

    def action_save(self) -> None:
        accepted = [t for t, d in self.decisions.items() if d]
        rejected = [t for t, d in self.decisions.items() if d is False]

        def applied(fields: list[str]) -> None:
            self.notify(f"{len(fields)} campi aggiornati, {len(rejected)} scartati.")
            self.app.pop_screen()

        code, apply = self.code, self.office.review.apply
        in_background(self, lambda: apply(code, accepted, rejected), applied, "Non salvato")
