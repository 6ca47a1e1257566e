"""Upcoming notice deadlines (disdette) and renewals of the contracts, soonest first; and
below them, when there are any, the steps the calendar holds until a day."""

from textual.app import ComposeResult
from textual.widgets import Header, Static

from procedure.italian import it_date
from procedure.office import Office
from procedure.services.checklist import StepDue
from procedure.services.money.billing import Deadline
from tui.keys import BACK
from tui.widgets.italian import DataTable, Footer, Screen
from tui.workers import in_background

HORIZON_DAYS = 180
COLUMNS = ("Disdetta entro", "Fine periodo", "Alla scadenza", "Contratto", "Cliente")
STEP_COLUMNS = ("Da fare dal", "Passo", "Codice", "Cliente")


class DeadlinesScreen(Screen[None]):
    BINDINGS = [BACK]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.rows: list[Deadline] | None = None
        self.steps: list[StepDue] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Disdette e rinnovi dei prossimi {HORIZON_DAYS} giorni", id="deadlines-title")
        yield DataTable(id="deadlines", cursor_type="row", zebra_stripes=True)
        yield Static(
            f"Nessuna disdetta o rinnovo nei prossimi {HORIZON_DAYS} giorni.", id="no-deadlines"
        )
        yield Static(f"Passi da fare entro {HORIZON_DAYS} giorni", id="steps-due-title")
        yield DataTable(id="steps-due", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#deadlines", DataTable).add_columns(*COLUMNS)
        self.query_one("#deadlines", DataTable).loading = True
        self.query_one("#steps-due", DataTable).add_columns(*STEP_COLUMNS)
        for hidden in ("#steps-due-title", "#steps-due"):
            self.query_one(hidden).display = False
        deadlines, today = self.office.billing.deadlines, self.office.clock().date()
        in_background(self, lambda: deadlines(today, HORIZON_DAYS), self.show, "Disdette")
        steps_due = self.office.checklist.steps_due
        in_background(self, lambda: steps_due(today, HORIZON_DAYS), self.show_steps, "Passi")

    def show_steps(self, rows: list[StepDue]) -> None:
        self.steps = rows
        for part in ("#steps-due-title", "#steps-due"):
            self.query_one(part).display = bool(rows)
        table = self.query_one("#steps-due", DataTable)
        table.clear()
        for d in rows:
            table.add_row(it_date(d.day), d.title, d.code, d.name)

    def show(self, rows: list[Deadline]) -> None:
        self.rows = rows
        table = self.query_one("#deadlines", DataTable)
        table.loading = False
        self.query_one("#no-deadlines").display = not rows
        table.clear()
        for d in rows:
            table.add_row(
                it_date(d.notice_by),
                it_date(d.term_end),
                "rinnovo tacito" if d.renews else "scade",
                d.number,
                d.name,
            )
