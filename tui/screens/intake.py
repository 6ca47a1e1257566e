"""Scans in "Da archiviare" that no QR code identified: assign each to customer and form."""

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Header, Label, Static
from textual.widgets.option_list import Option

from procedure.office import Office
from procedure.rules.progress import Summary
from procedure.services.archiving.filing import Filed
from procedure.services.archiving.intake import Waiting, shown
from tui.keys import BACK
from tui.messages import StoreChanged
from tui.widgets.italian import DataTable, Footer, Input, ModalScreen, OptionList, Screen
from tui.workers import in_background


def _proposal(w: Waiting) -> str:
    if w.suggestion is None:
        return f"nessuna ({w.reason})"
    s = w.suggestion
    return f"{s.code} {s.form or '?'}: {s.why}"


class AssignDialog(ModalScreen[tuple[str, str] | None]):
    """Pick the customer (type to filter, Enter), then the form (Enter)."""

    BINDINGS = [Binding("escape", "cancel", "Annulla")]

    def __init__(self, file: Path, customers: list[Summary], forms: list[tuple[str, str]]) -> None:
        super().__init__()
        self.file = file
        self.customers = customers
        self.forms = forms
        self.code: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="assign-dialog"):
            yield Label(Text(f"Assegna {self.file.name}"), classes="bold")
            yield Input(placeholder="Cliente: codice o ragione sociale…", id="assign-filter")
            yield OptionList(id="assign-options")
            yield Label("Invio sceglie · Esc annulla", classes="hint")

    def on_mount(self) -> None:
        self.show_customers("")

    def show_customers(self, text: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        words = text.casefold().split()
        for s in self.customers:
            if all(w in f"{s.code} {s.name}".casefold() for w in words):
                options.add_option(Option(Text(f"{s.code}  {s.name}"), id=s.code))
            if options.option_count >= 50:
                break
        options.highlighted = 0 if options.option_count else None

    @on(Input.Changed, "#assign-filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.show_customers(event.value)

    @on(Input.Submitted, "#assign-filter")
    def filter_submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            options.action_select()

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if self.code is None:
            self.code = event.option.id
            options = self.query_one(OptionList)
            options.clear_options()
            options.add_options(Option(Text(title), id=form) for form, title in self.forms)
            options.highlighted = 0
            self.query_one(Input).display = False
            options.focus()
        else:
            self.dismiss((self.code, event.option.id or ""))

    def action_cancel(self) -> None:
        self.dismiss(None)


class IntakeScreen(Screen[None]):
    BINDINGS = [BACK, Binding("c", "confirm", "Conferma proposta")]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.filing = office.filing
        self.files: list[Path] = []
        self.waiting: dict[Path, Waiting] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Da archiviare: scansioni senza codice QR leggibile (Invio assegna, c conferma la "
            "proposta letta dal testo)",
            id="intake-title",
        )
        yield DataTable(id="intake", cursor_type="row")
        yield Static("Nessun file da assegnare.", id="no-intake")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("File", "Depositato", "Proposta")
        self.reload()

    def reload(self) -> None:
        self.files = self.filing.unrecognised()
        self.show()
        self.query_one("#no-intake").display = not self.files
        examine, files = self.office.intake.examine, list(self.files)

        def read() -> list[Waiting]:  # OCR, when not read yet: off the event loop
            return [examine(p) for p in files]

        in_background(self, read, self.offer, "Lettura non riuscita")

    def offer(self, waiting: list[Waiting]) -> None:
        self.waiting = {w.file: w for w in waiting}
        self.show()

    def show(self) -> None:
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        for path in self.files:
            try:
                when = f"{datetime.fromtimestamp(path.lstat().st_mtime):%d/%m %H:%M}"
            except OSError:  # taken meanwhile by the watcher
                when = "—"
            w = self.waiting.get(path)
            proposal = "lettura in corso…" if w is None else _proposal(w)
            table.add_row(Text(shown(path.name)), when, Text(proposal))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))

    def action_confirm(self) -> None:
        """File the selected scan where its proposal says, once a person confirms."""
        if not self.files:
            return
        path = self.files[self.query_one(DataTable).cursor_row]
        w = self.waiting.get(path)
        if w is None or w.suggestion is None or not w.suggestion.form:
            self.notify("Nessuna proposta completa: assegnare con Invio.", severity="warning")
            return
        self.file_as(path, w.suggestion.code, w.suggestion.form)

    def file_as(self, path: Path, code: str, form: str) -> None:
        filing, customer = self.filing, self.office.customer

        def filed(result: Filed) -> None:
            self.notify(f"{path.name} → {result.code}, modulo {result.form}.")
            self.reload()

        job = lambda: filing.assign(path, customer(code), form)  # noqa: E731
        in_background(self, job, filed, "Non archiviato", lambda _: self.reload())

    @on(DataTable.RowSelected)
    def assign(self, event: DataTable.RowSelected) -> None:
        path = self.files[event.cursor_row]
        forms = [(f.id, f.title) for f in self.office.defs.forms]

        def done(choice: tuple[str, str] | None) -> None:
            if choice:
                self.file_as(path, *choice)

        self.app.push_screen(AssignDialog(path, self.office.list_customers(), forms), done)

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
