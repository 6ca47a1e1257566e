"""A list inside the dossier (orders, their lines, contracts, sites, contacts) edited as a
list: a table of the items, ``a`` adds, ``Enter`` edits, ``Canc`` removes, each item in its
own form; every save is checked against what a colleague saved meanwhile."""

import copy
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from procedure.editing.field_paths import get_text, resolve
from procedure.editing.fields import Field, ListSpec, PreviewInput, preview, suggestion_lists
from procedure.editing.proposals import new_item, priced
from procedure.errors import NotFound, StoreError
from procedure.italian import new_one, plural
from procedure.model import Product
from procedure.office import CustomerView, Office
from procedure.problems import Problem
from procedure.rules.conditions import fields_needed
from procedure.rules.validation import validate_customer
from tui.dialogs.confirm import ConfirmDialog
from tui.forms.editor import EditorScreen, EditorSpec, customer_fields
from tui.messages import StoreChanged
from tui.screens.catalogue import product_editor
from tui.widgets.italian import DataTable, Footer, Screen
from tui.workers import in_background


def _relative(problems: list[Problem], prefix: str) -> list[Problem]:
    """The problems of one item, with paths relative to it."""
    return [
        Problem(p.path.removeprefix(prefix), p.message)
        for p in problems
        if p.path.startswith(prefix)
    ]


class ListEditorScreen(Screen[None]):
    BINDINGS = [
        Binding("a", "add", "Nuovo"),
        Binding("enter", "edit", "Modifica", priority=True),
        Binding("delete", "remove", "Elimina"),
        Binding("o", "switch", "osTicket sì/no"),
        Binding("r", "children", "Righe"),
        Binding("g", "owner", "Dati del cliente"),
        Binding("escape", "back", "Indietro"),
    ]

    def __init__(
        self,
        office: Office,
        code: str,
        spec: ListSpec,
        step_id: str,
        *,
        base: str = "",
        owner_fields: tuple[Field, ...] = (),
        title: str = "",
        add_first: bool = False,
        only_first: bool = False,
    ) -> None:
        """``add_first``: an empty list opens on the form of its first item; ``only_first``
        as well, and then closes once that item is saved with its own list (or left): the
        common case of a step's list, one site or one contract, costs no extra key."""
        super().__init__()
        self.office = office
        self.code = code
        self.spec = spec
        self.step_id = step_id
        self.path = f"{base}{spec.path}"  # e.g. "orders" or "orders[1].lines"
        self.owner_fields = owner_fields
        self.heading = title or spec.title
        self.add_first = add_first or only_first
        self.only_first = only_first
        self.view: CustomerView | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="list-title")
        yield DataTable(id="list-items", cursor_type="row", zebra_stripes=True)
        yield Static(id="list-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*(header for header, _ in self.spec.columns))
        self.reload()
        table.focus()
        if self.add_first and self.view is not None and not self.items:
            self.action_add()
        else:
            self.only_first = False  # items already there: the list as it is

    def on_screen_resume(self) -> None:
        """Back from an item's form or its lines: the list as the store has it now."""
        if self.view is not None:
            self.reload()

    @property
    def items(self) -> list[Any]:
        assert self.view is not None
        items: list[Any] = resolve(self.view.customer, self.path)
        return items

    def reload(self, select: int | None = None) -> None:
        """Redraw the items; the cursor stays on its row, or goes to ``select``."""
        try:
            self.view = self.office.view(self.code)
            items = self.items
        except (NotFound, StoreError, IndexError, KeyError) as exc:
            self.notify(str(exc), severity="error")
            self.app.pop_screen()
            return
        c = self.view.customer
        self.query_one("#list-title", Static).update(Text(f"{c.code}  {c.name} · {self.heading}"))
        table = self.query_one(DataTable)
        row = table.cursor_row if select is None else select
        table.clear()
        for item in items:
            table.add_row(*(Text(get_text(item, path)) for _, path in self.spec.columns))
        table.move_cursor(row=min(row, max(len(items) - 1, 0)))
        hint = (
            "Nessuna voce: a per aggiungerne una."
            if not items
            else f"{plural(len(items), 'voce', 'voci')}."
        )
        self.query_one("#list-hint", Static).update(hint)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "children":
            return bool(self.spec.children)
        if action == "owner":
            return bool(self.owner_fields)
        if action == "switch":
            return bool(self.spec.toggle)
        return True

    @property
    def index(self) -> int | None:
        table = self.query_one(DataTable)
        return table.cursor_row if table.row_count else None

    def _placed(self, item: Any, index: int) -> Any:
        """The whole customer with ``item`` at ``index`` of the list (appended if new)."""
        assert self.view is not None
        customer = copy.deepcopy(self.view.customer)
        items = resolve(customer, self.path)
        if index < len(items):
            items[index] = item
        else:
            items.append(item)
        return customer

    def _save(self, customer: Any) -> None:
        assert self.view is not None
        self.office.customers.session(self.view.rev, self.view.customer)(customer)

    def _write(self, customer: Any, refused: str) -> None:
        """Save ``customer`` off the event loop, then redraw (refused or not)."""
        save = self._save
        in_background(
            self, lambda: save(customer), lambda _: self.reload(), refused, lambda _: self.reload()
        )

    def _open(self, item: Any, index: int, stored: Any) -> None:
        office, prefix, path = self.office, f"{self.path}[{index}].", self.path
        products = office.products()
        today = office.clock().date()
        name = get_text(item, self.spec.key)
        title = (
            f"{self.spec.noun} {name}".strip()
            if stored is not None
            else new_one(self.spec.noun, self.spec.feminine)
        )

        def complete(record: Any) -> Any:
            """A new line left at 0 takes the list price (an item already saved is as is);
            the catalogue as it is now (a product may be made from the line)."""
            return priced(path, record, office.products()) if stored is None else record

        def placed(record: Any) -> Any:
            return self._placed(complete(record), index)

        def validate(record: Any) -> list[Problem]:
            customer = placed(record)
            known = set(office.products())
            return _relative(validate_customer(customer, office.defs, known), prefix)

        def show(record: Any) -> str:
            shown = complete(record)
            customer = self._placed(shown, index)
            return preview(
                PreviewInput(customer, office.defs, office.settings, today), self.step_id, shown
            )

        assert self.view is not None  # one session per form: a conflict seen is not asked again
        session = office.customers.session(self.view.rev, self.view.customer)

        def closed(done: bool | None) -> None:
            first, self.only_first = self.only_first, False
            self.reload(index if done else None)
            if done and stored is None and self.spec.children:  # a new order: its lines
                self.open_children(index, add_first=True, then_close=first)
            elif first:
                self.dismiss()

        spec = EditorSpec(
            title=f"{self.code} · {title}",
            record=item,
            fields=list(self.spec.fields),
            validate=validate,
            save=lambda record: session(placed(record)),
            preview=show,
            suggestions=suggestion_lists(products, office.defs.terms),
            original=stored if stored is not None else self.spec.item(),
            needed=fields_needed(office.defs.step(self.step_id).needs, self.path),
            new_product=self.new_product if self.path.endswith(".lines") else None,
        )
        self.app.push_screen(EditorScreen(spec), closed)

    def new_product(self, line: Any, then: Callable[[str], None]) -> None:
        """A line naming a product the catalogue lacks: its form, the code already in."""
        code = str(getattr(line, "product_code", "")).strip().upper()
        product = self.office.products().get(code) or Product(code=code)
        if not product.description:
            product.description = str(getattr(line, "description", ""))
        spec = product_editor(self.office, product, f"Nuovo prodotto {code}".strip())

        def saved(done: bool | None) -> None:
            then(product.code if done else "")  # the line judged again against the catalogue

        self.app.push_screen(EditorScreen(spec), saved)

    def action_add(self) -> None:
        assert self.view is not None
        today = self.office.clock().date()
        item = new_item(self.path, self.view.customer, self.office.products(), today)
        self._open(item or self.spec.item(), len(self.items), None)

    def action_edit(self) -> None:
        index = self.index
        if index is not None:
            item = self.items[index]
            self._open(copy.deepcopy(item), index, item)

    def action_remove(self) -> None:
        index = self.index
        if index is None:
            return
        name = get_text(self.items[index], self.spec.key) or str(index + 1)

        def answered(yes: bool | None) -> None:
            if not yes or self.view is None:
                return
            customer = copy.deepcopy(self.view.customer)
            del resolve(customer, self.path)[index]
            self._write(customer, "Non eliminato")

        self.app.push_screen(ConfirmDialog(f"Eliminare {self.spec.noun.lower()} {name}?"), answered)

    def action_switch(self) -> None:
        """Switch the item's yes/no field (an osTicket user or not), saved at once."""
        index = self.index
        if index is None or not self.spec.toggle or self.view is None:
            return
        item = copy.deepcopy(self.items[index])
        setattr(item, self.spec.toggle, not getattr(item, self.spec.toggle))
        self._write(self._placed(item, index), "Non salvato")

    def action_children(self) -> None:
        index = self.index
        if index is not None:
            self.open_children(index)

    def open_children(self, index: int, add_first: bool = False, then_close: bool = False) -> None:
        """The item's own list (an order's lines); ``then_close``: this list closes too when
        that one does."""
        if not self.spec.children:
            return
        child = self.spec.children[0]
        name = get_text(self.items[index], self.spec.key)
        self.app.push_screen(
            ListEditorScreen(
                self.office,
                self.code,
                child,
                self.step_id,
                base=f"{self.path}[{index}].",
                title=f"{child.title} · {self.spec.noun} {name}",
                add_first=add_first,
            ),
            self._close_after if then_close else None,
        )

    def action_back(self) -> None:
        self.dismiss()  # not a bare pop: whoever opened the list hears it closed

    def _close_after(self, _: None) -> None:
        """The list opened only for its first item closes with that item's own list."""
        self.dismiss()

    def action_owner(self) -> None:
        if not self.owner_fields or self.view is None:
            return
        spec = customer_fields(self.office, self.view, self.owner_fields, self.spec.title)
        self.app.push_screen(EditorScreen(spec), lambda _: self.reload())

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
