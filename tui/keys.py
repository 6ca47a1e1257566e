"""Key bindings shared by several screens."""

from textual.binding import Binding

BACK = Binding("escape", "app.pop_screen", "Indietro")
