"""A screen listing records in a table, with forms to add and change them."""

from collections.abc import Iterable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Header, Static

from procedure.office import Office
from tui.forms.editor import EditorScreen, EditorSpec
from tui.messages import StoreChanged
from tui.widgets.italian import DataTable, Footer, Screen


class RecordListScreen(Screen[None]):
    """Subclasses give the title, the columns, the rows and what editing a row means."""

    HEADING: ClassVar[str] = ""
    COLUMNS: ClassVar[tuple[str, ...]] = ()

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.keys: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.HEADING, classes="list-title")
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield from self.below()
        yield Footer()

    def below(self) -> ComposeResult:
        """Widgets under the table (none by default)."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns(*self.COLUMNS)
        self.reload()

    def rows(self) -> Iterable[tuple[str, tuple[str | Text, ...]]]:
        """(key, cells) of each line."""
        return []

    def reload(self) -> None:
        """Redraw the rows, keeping the cursor on the record it was on."""
        table = self.query_one(DataTable)
        selected, row = self.selected_key(), table.cursor_row
        table.clear()
        self.keys = []
        for key, cells in self.rows():
            table.add_row(*cells, key=key)
            self.keys.append(key)
        if selected in self.keys:
            row = self.keys.index(selected)
        table.move_cursor(row=min(row, max(table.row_count - 1, 0)))

    def selected_key(self) -> str | None:
        table = self.query_one(DataTable)
        return self.keys[table.cursor_row] if table.row_count else None

    def edit(self, spec: EditorSpec) -> None:
        self.app.push_screen(EditorScreen(spec), lambda _: self.reload())

    @on(DataTable.RowSelected)
    def row_chosen(self) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        """Enter on a row: nothing unless the subclass says so."""

    def on_store_changed(self, _: StoreChanged) -> None:
        self.reload()
