"""Review the fields of a returned "Raccolta Dati Anagrafici": accept or reject each."""

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from procedure.italian import plural
from procedure.office import Office
from procedure.services.archiving.review import Proposal
from tui.dialogs.confirm import ConfirmDialog
from tui.keys import BACK
from tui.widgets.cells import clip
from tui.widgets.italian import DataTable, Footer, Screen
from tui.workers import in_background

MARK = {None: "?", True: "accetta", False: "scarta"}
# The choice first: at 80 columns every column stays in sight, long values are clipped and
# shown whole under the table for the selected field.
COLUMNS = (("Scelta", 7), ("Campo", 18), ("Attuale", 15), ("Proposto", 15), ("Problema", 14))


SHOWN = 12  # fields listed whole before "t" accepts them; more are counted


def accept_all_question(taken: list[Proposal], offered: list[Proposal], last: bool) -> str:
    """What ``t`` will accept, field by field, before it does; ``last``: nothing is left to
    decide, so the answer also registers."""
    one = len(taken) == 1
    then = (" e registrarlo" if one else " e registrarli") if last else ""
    lines = [f"Accettare {plural(len(taken), 'campo', 'campi')} dal modulo rientrato{then}?"]
    lines += [f"- {p.label}: {p.current or '—'} → {p.proposed}" for p in taken[:SHOWN]]
    if len(taken) > SHOWN:
        lines.append(f"… e altri {len(taken) - SHOWN}")
    left = len([p for p in offered if p.problem])
    if left:
        verb = "Resta" if left == 1 else "Restano"
        lines.append(f"{verb} da decidere {plural(left, 'campo', 'campi')} con un problema.")
    return "\n".join(lines)


class ReviewScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "decide(True)", "Accetta"),
        Binding("x", "decide(False)", "Scarta"),
        Binding("t", "accept_all", "Accetta tutto"),
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
        yield Static(id="review-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
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
            cells = (MARK[self.decisions[p.tag]], p.label, p.current or "—", p.proposed, p.problem)
            table.add_row(*(clip(c, w) for c, (_, w) in zip(cells, COLUMNS, strict=True)))
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.show_detail()

    @on(DataTable.RowHighlighted)
    def show_detail(self) -> None:
        """The selected field whole: its current and proposed value, and its problem."""
        table = self.query_one(DataTable)
        if not self.offered or not table.row_count:
            return
        p = self.offered[min(table.cursor_row, len(self.offered) - 1)]
        text = f"{p.label}: {p.current or '—'} → {p.proposed}"
        self.query_one("#review-detail", Static).update(
            Text(text + (f"\n(!) {p.problem}" if p.problem else ""))
        )

    def action_accept_all(self) -> None:
        """Accept every proposal that has no problem (those with one stay to decide), once
        a person has seen the list of what that accepts; when that decides every field,
        the same answer registers them."""
        taken = [p for p in self.offered if not p.problem and self.decisions[p.tag] is None]
        if not taken:
            self.say("Nessun campo da accettare: quelli con un problema si decidono uno a uno.")
            return
        undecided = [p for p in self.offered if self.decisions[p.tag] is None]
        last = len(undecided) == len(taken)

        def answered(yes: bool | None) -> None:
            if yes:
                for p in taken:
                    self.decisions[p.tag] = True
                self.show()
                if last:
                    self.action_save()

        question = accept_all_question(taken, self.offered, last)
        self.app.push_screen(ConfirmDialog(question), answered)

    def say(self, text: str) -> None:
        """A message in the detail pane, under the table: never over it as a notice would."""
        self.query_one("#review-detail", Static).update(Text(text, style="bold"))

    def action_decide(self, accept: bool) -> None:
        if not self.offered:
            return
        p = self.offered[self.query_one(DataTable).cursor_row]
        if accept and p.problem:
            self.say(f"{p.label} non si può accettare: {p.problem}")
            return
        self.decisions[p.tag] = accept
        self.show()
        self.query_one(DataTable).action_cursor_down()

    def action_save(self) -> None:
        accepted = [t for t, d in self.decisions.items() if d]
        rejected = [t for t, d in self.decisions.items() if d is False]

        def applied(fields: list[str]) -> None:
            self.notify(
                f"{plural(len(fields), 'campo aggiornato', 'campi aggiornati')}, "
                f"{plural(len(rejected), 'scartato', 'scartati')}."
            )
            self.app.pop_screen()

        code, apply = self.code, self.office.review.apply
        in_background(self, lambda: apply(code, accepted, rejected), applied, "Non salvato")
