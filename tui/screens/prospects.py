"""Prospects: list, add, convert into a customer (carrying everything over)."""

from collections.abc import Iterable

from rich.text import Text
from textual.binding import Binding

from procedure.editing.fields import PARTY, Field, contact_fields
from procedure.model import Prospect
from procedure.rules.validation import validate_prospect
from tui.forms.editor import EditorSpec
from tui.forms.record_list import RecordListScreen
from tui.keys import BACK
from tui.screens.customer import open_customer
from tui.workers import in_background

# What a first call yields first: the name, the VAT number and an e-mail to send the forms to.
CONTACT = contact_fields(0)
PROSPECT_FIELDS = [
    *PARTY[:2],
    CONTACT[2],
    *PARTY[2:],
    *CONTACT[:2],
    *CONTACT[3:],
    Field("notes", "Note"),
]


class ProspectsScreen(RecordListScreen):
    HEADING = "Prospect"
    COLUMNS = ("Id", "Ragione sociale", "Città", "Stato")
    BINDINGS = [
        Binding("a", "add", "Nuovo"),
        Binding("c", "convert", "Converti in cliente"),
        BACK,
    ]

    def rows(self) -> Iterable[tuple[str, tuple[str | Text, ...]]]:
        for p in self.office.prospects():
            state = f"cliente {p.converted_to}" if p.converted_to else "da convertire"
            yield p.id, (p.id, Text(p.name), Text(p.address.city), state)

    def action_add(self) -> None:
        # the id is assigned on save
        self.edit(
            EditorSpec(
                "Nuovo prospect", Prospect(id="P0"), PROSPECT_FIELDS, validate_prospect, self.save
            )
        )

    def save(self, prospect: Prospect) -> None:
        prospect.id = ""
        self.office.customers.add_prospect(prospect)

    def action_convert(self) -> None:
        pid = self.selected_key()
        if pid is None:
            return

        def converted(code: str) -> None:
            """The new customer opens: its first step is what comes next."""
            self.notify(f"{pid}: ora cliente {code}.")
            if not self.is_current:  # the user has moved on meanwhile: left where they are
                return
            self.app.pop_screen()
            open_customer(self.app, self.office, code)

        convert = self.office.customers.convert
        in_background(self, lambda: convert(pid), converted, "Non convertito")
