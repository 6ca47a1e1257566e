"""Scans in "Da archiviare" that no QR code identified: assign each to customer and form."""

from datetime import datetime
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from procedure.office import Office
from procedure.rules.progress import Summary
from procedure.services.filing import Filed
from tui.keys import BACK
from tui.messages import StoreChanged
from tui.workers import in_background


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
    BINDINGS = [BACK]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.filing = office.filing
        self.files: list[Path] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Da archiviare: scansioni senza codice QR leggibile (Invio assegna)", id="intake-title"
        )
        yield DataTable(id="intake", cursor_type="row")
        yield Static("Nessun file da assegnare.", id="no-intake")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("File", "Dimensione", "Depositato")
        self.reload()

    def reload(self) -> None:
        self.files = self.filing.unrecognised()
        table = self.query_one(DataTable)
        table.clear()
        for path in self.files:
            st = path.stat()
            when = datetime.fromtimestamp(st.st_mtime)
            table.add_row(Text(path.name), f"{st.st_size // 1024 + 1} kB", f"{when:%d/%m %H:%M}")
        self.query_one("#no-intake").display = not self.files

    @on(DataTable.RowSelected)
    def assign(self, event: DataTable.RowSelected) -> None:
        path = self.files[event.cursor_row]
        forms = [(f.id, f.title) for f in self.office.defs.forms]

        def done(choice: tuple[str, str] | None) -> None:
            if not choice:
                return
            code, form = choice
            filing, customer = self.filing, self.office.customer

            def filed(result: Filed) -> None:
                self.notify(f"{path.name} → {result.code}, modulo {result.form}.")
                self.reload()

            job = lambda: filing.assign(path, customer(code), form)  # noqa: E731
            in_background(self, job, filed, "Non archiviato", lambda _: self.reload())

        self.app.push_screen(AssignDialog(path, self.office.list_customers(), forms), done)

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
