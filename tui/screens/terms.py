"""The payment-terms catalogue: add terms, change descriptions; rules of codes in use stay."""

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding

from procedure.editing.fields import Field
from procedure.services.catalogue import TermForm, validate_term
from tui.forms.editor import EditorSpec
from tui.forms.record_list import RecordListScreen
from tui.keys import BACK

TERM_FIELDS = [
    Field("code", "Codice"),
    Field("description", "Descrizione"),
    Field("mp", "ModalitaPagamento (MP05 bonifico, MP12 Ri.Ba., MP20/MP21 SDD…)"),
    Field("tp", "CondizioniPagamento (TP01 rate, TP02 unica, TP03 anticipo)"),
    Field("days", "Giorni delle rate dalla data fattura (es. 30, 60)"),
    Field("end_of_month", "Fine mese (sì/no)"),
    Field("fixed_day", "Giorno fisso del mese dopo (0 = nessuno)"),
]


class TermsScreen(RecordListScreen):
    HEADING = "Condizioni di pagamento (i codici in uso non cambiano regole)"
    COLUMNS = ("Codice", "Descrizione", "MP/TP", "Giorni", "FM")
    BINDINGS = [
        Binding("a", "add", "Nuova condizione"),
        BACK,
    ]

    def rows(self) -> Iterable[tuple[str, tuple[str | Text, ...]]]:
        for t in self.office.defs.terms.values():
            days = "/".join(str(d) for d in t.days)
            yield (
                t.code,
                (
                    t.code,
                    Text(t.description),
                    f"{t.mp}/{t.tp}",
                    days,
                    "sì" if t.end_of_month else "",
                ),
            )

    def _editor(self, form: TermForm, original: str) -> None:
        title = f"Condizione {original}" if original else "Nuova condizione di pagamento"
        self.edit(
            EditorSpec(
                title,
                form,
                TERM_FIELDS,
                validate_term,
                lambda f: self.office.catalogue.save_term(f, original),
            )
        )

    def action_add(self) -> None:
        self._editor(TermForm(), "")

    def action_edit(self) -> None:
        code = self.selected_key()
        if code:
            self._editor(TermForm.of(self.office.defs.terms[code]), code)
