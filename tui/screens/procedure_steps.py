"""The procedure in force, read only: each step in order with what comes before it, what it
needs, how it completes and what its keys open (the company's own copy when it has one)."""

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, Static

from procedure.office import Office
from procedure.rules.step_parts import step_lines
from tui.keys import BACK
from tui.widgets.italian import Footer, Screen, VerticalScroll


def procedure_text(office: Office) -> Text:
    defs = office.defs
    source = (
        "dell'azienda (modelli/procedure.toml)"
        if office.company_procedure
        else "fornita con il programma"
    )
    out = Text()
    out.append(f"Procedura in uso: {source}, {len(defs.steps)} passi.\n", style="bold")
    if problem := office.procedure_problem:
        out.append(f"{problem}\n", style="bold reverse")
    for number, step in enumerate(defs.steps, 1):
        out.append(f"\n{number:>2}. {step.title}\n", style="bold")
        for line in step_lines(defs, step):
            out.append(f"    {line}\n")
    return out


class ProcedureScreen(Screen[None]):
    """↑ ↓ Pag↑ Pag↓ scroll; Esc goes back."""

    BINDINGS = [BACK]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="procedure"):
            yield Static(procedure_text(self.office), id="procedure-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
