"""A form over some fields of a record: validated as you type with the CLI's rules, saved
only on request, never left with unsaved edits without asking."""

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.suggester import SuggestFromList
from textual.widgets import Label, Static

from procedure.editing.field_paths import get_text, set_text, strip_blank_items
from procedure.editing.fields import Field, PreviewInput, problem_of, suggestion_lists, to_fill
from procedure.editing.fields import preview as step_preview
from procedure.editing.proposals import proposed, with_usual_terms
from procedure.italian import choices
from procedure.office import CustomerView, Office
from procedure.problems import Problem
from procedure.rules.conditions import fields_needed
from procedure.rules.validation import validate_customer
from tui.dialogs.confirm import ConfirmDialog
from tui.widgets.italian import Footer, Input, ModalScreen, VerticalScroll
from tui.workers import in_background


@dataclass
class EditorSpec:
    """What the editor needs to know; rules stay in procedure/, passed in as functions."""

    title: str
    record: Any
    fields: list[Field]
    validate: Callable[[Any], list[Problem]]
    save: Callable[[Any], object]  # raises InvalidInput or Refused
    preview: Callable[[Any], str] = lambda record: ""
    suggestions: dict[str, list[str]] | None = None
    original: Any = None  # the record as stored (None: the record passed is new)
    needed: frozenset[str] = frozenset()  # fields the step looks at: filled first
    # a product missing from the catalogue made from here (order lines): given the record
    # being edited and what to do with the code of the product once it is saved
    new_product: Callable[[Any, Callable[[str], None]], None] | None = None


def field_id(index: int) -> str:
    return f"field-{index}"


class FormScroll(VerticalScroll):
    """The fields' scroll, never focused itself: a focus passing through it restyles every
    field (a tenth of a second at each change); Tab and Enter bring fields into view."""

    can_focus = False


class EditorScreen(ModalScreen[bool]):
    """Opens beside the list it was called from: the selected step stays in sight."""

    AUTO_FOCUS = None  # on_mount focuses the first field to fill: one focus change, not two

    BINDINGS = [
        Binding("ctrl+s", "save", "Salva", priority=True),
        Binding("escape", "leave", "Indietro"),
    ]

    def action_new_product(self) -> None:
        """The product the line names, made in the catalogue without leaving the line."""
        if self.spec.new_product is not None:
            self.spec.new_product(self.working, self.use_product)

    def use_product(self, code: str) -> None:
        """The line names the product just made, as the catalogue spells its code."""
        for i, f in enumerate(self.spec.fields):
            if f.path == "product_code" and code:
                self.query_one(f"#{field_id(i)}", Input).value = code
        self.check()

    def __init__(self, spec: EditorSpec) -> None:
        super().__init__()
        self.spec = spec
        if spec.new_product is not None:  # a key of this form only (an order line's)
            self._bindings.bind("ctrl+n", "new_product", "Nuovo prodotto", priority=True)
        self.original = copy.deepcopy(spec.record)
        self.stored = spec.original if spec.original is not None else self.original
        self.working = spec.record
        self.parse_errors: dict[str, str] = {}
        self.dirty = False
        self.saving = False
        self.errors: dict[int, Static] = {}  # the lines under fields that had a problem
        self.gaps: dict[int, Static] = {}  # and the empty cells beside them

    def compose(self) -> ComposeResult:
        with Vertical(id="editor-box"):
            yield from self.form()
        yield Footer()

    def form(self) -> ComposeResult:
        yield Static(Text(self.spec.title), id="editor-title")
        found = self.problems()
        with FormScroll(id="editor"):
            for i, f in enumerate(self.spec.fields):
                options = (
                    choices(f.choices)
                    if f.choices
                    else (self.spec.suggestions or {}).get(f.suggestions_key, [])
                )
                # label and field side by side: the form is a grid of two columns
                yield Label(Text(f.label), classes="field-label")
                yield Input(
                    get_text(self.working, f.path),
                    id=field_id(i),
                    classes="field-input",
                    suggester=SuggestFromList(options, case_sensitive=False) if options else None,
                )
                if problem_of(f, found):  # the others get theirs when they have one
                    yield from self._error_line(i)
        yield Static("", id="editor-preview")

    def on_mount(self) -> None:
        found = self.check()
        if self.spec.fields:
            first = next(iter(self.to_fill(found)), 0)
            self.query_one(f"#{field_id(first)}", Input).focus()

    def to_fill(self, found: dict[str, str]) -> list[int]:
        return to_fill(self.spec.fields, self.working, found, self.spec.needed)

    @on(Input.Submitted)
    def next_to_fill(self, event: Input.Submitted) -> None:
        """Enter goes on to the next field still to fill (else to the next field)."""
        if event.input.id is None or not event.input.id.startswith("field-"):
            return
        here = int(event.input.id.split("-")[1])
        count = len(self.spec.fields)
        pending = self.to_fill(self.problems())
        order = [*range(here + 1, count), *range(here)]
        target = next((i for i in order if i in pending), min(here + 1, count - 1))
        self.query_one(f"#{field_id(target)}", Input).focus()

    @on(Input.Changed)
    def changed(self, event: Input.Changed) -> None:
        if event.input.id is None or not event.input.id.startswith("field-"):
            return
        f = self.spec.fields[int(event.input.id.split("-")[1])]
        if f.path not in self.parse_errors and event.value == get_text(self.working, f.path):
            return  # the value it was given (each field says so once mounted): nothing new
        try:
            set_text(self.working, f.path, event.value)
            self.parse_errors.pop(f.path, None)
        except ValueError as exc:
            self.parse_errors[f.path] = str(exc)
        self.dirty = self.working != self.original or bool(self.parse_errors)
        self.check()

    def problems(self) -> dict[str, str]:
        """Problems by field path: what does not parse, then what the rules refuse."""
        trial = copy.deepcopy(self.working)
        strip_blank_items(trial, self.stored)
        found: dict[str, str] = {}
        for p in self.spec.validate(trial):
            found.setdefault(p.path, p.message)
        found.update(self.parse_errors)
        return found

    def check(self) -> dict[str, str]:
        found = self.problems()
        for i, f in enumerate(self.spec.fields):
            self.show_error(i, problem_of(f, found))
        self.query_one("#editor-preview", Static).update(Text(self.spec.preview(self.working)))
        return found

    def show_error(self, index: int, message: str) -> None:
        """The problem under field ``index`` ("" hides it). Its line is made the first time
        the field has one: 25 empty lines would make a form open slower."""
        if index not in self.errors:
            if not message:
                return
            after = self.query_one(f"#{field_id(index)}")
            self.query_one("#editor").mount(*self._error_line(index), after=after)
        error = self.errors[index]
        error.update(Text(f"(!) {message}" if message else ""))
        error.display = bool(message)
        self.gaps[index].display = bool(message)  # the label column's cell beside it

    def _error_line(self, index: int) -> tuple[Static, Static]:
        """The grid's next row under field ``index``: nothing under the label, the problem
        under the field (as wide as the field, so that it wraps within it)."""
        self.errors[index] = Static("", id=f"{field_id(index)}-error", classes="field-error")
        self.gaps[index] = Static("", classes="field-error-gap")
        return self.gaps[index], self.errors[index]

    def action_save(self) -> None:
        if self.saving:
            return
        found = self.check()
        if found:
            path, message = next(iter(found.items()))
            labels = {f.path: f.label for f in self.spec.fields}
            name = next((labels[p] for p in labels if path == p or path.startswith(p + "[")), "")
            self.notify(f"{name or path}: {message}", title="Da correggere", severity="warning")
            return
        record = copy.deepcopy(self.working)
        strip_blank_items(record, self.stored)
        self.saving = True
        in_background(self, lambda: self.spec.save(record), self.saved, "Non salvato", self.refused)

    def refused(self, _: str) -> None:
        self.saving = False

    def saved(self, _: object) -> None:
        self.saving = False
        self.dirty = False
        self.notify("Salvato.")
        self.dismiss(True)

    def action_leave(self) -> None:
        if not self.dirty:
            self.dismiss(False)
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.dismiss(False)

        self.app.push_screen(
            ConfirmDialog("Ci sono modifiche non salvate. Uscire senza salvarle?"), answered
        )


def customer_fields(
    office: Office, view: CustomerView, fields: Iterable[Field], title: str, step_id: str = ""
) -> EditorSpec:
    """The editor of some fields of a customer's dossier, saved over what the editor loaded
    (a colleague's newer save is refused and named), with the step's preview."""
    products = office.products()
    today = office.clock().date()
    fields = list(fields)
    declared = office.defs.step(step_id).fields if step_id else ""
    record = proposed(declared, view.customer, products, today)
    if any(f.path == "payment_terms" for f in fields):  # only where the form shows them
        record = with_usual_terms(record, office.settings.terms.proposed, office.defs.terms)
    return EditorSpec(
        title=f"{view.customer.code}  {view.customer.name}{f' · {title}' if title else ''}",
        record=record,
        fields=fields,
        validate=lambda c: validate_customer(c, office.defs, set(products)),
        save=office.customers.session(view.rev, view.customer),
        preview=lambda c: step_preview(
            PreviewInput(c, office.defs, office.settings, today), step_id
        ),
        suggestions=suggestion_lists(products, office.defs.terms, office.suggested()),
        original=view.customer,
        needed=fields_needed(office.defs.step(step_id).needs) if step_id else frozenset(),
    )
