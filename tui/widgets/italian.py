"""Textual's widgets and screens with their own keys described in Italian, so that the help
panel (F1) and the command palette list nothing in English. Screens import these names
instead of Textual's; the widgets behave exactly as Textual's do."""

from dataclasses import replace
from typing import Any, TypeVar

from rich.style import Style
from rich.text import Text
from textual import containers, screen, widgets
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.strip import Strip

ITALIAN = {
    "Focus Next": "Campo successivo",
    "Focus Previous": "Campo precedente",
    "Copy selected text": "Copia il testo selezionato",
    "Select": "Scegli",
    "Up": "Su",
    "Down": "Giù",
    "Cursor up": "Su",
    "Cursor down": "Giù",
    "Cursor left": "Sinistra",
    "Cursor right": "Destra",
    "Page up": "Pagina su",
    "Page down": "Pagina giù",
    "Page Up": "Pagina su",
    "Page Down": "Pagina giù",
    "Page Left": "Pagina a sinistra",
    "Page Right": "Pagina a destra",
    "Top": "Inizio",
    "Bottom": "Fine",
    "Home": "Inizio riga",
    "End": "Fine riga",
    "First": "Primo",
    "Last": "Ultimo",
    "Scroll Up": "Scorri su",
    "Scroll Down": "Scorri giù",
    "Scroll Left": "Scorri a sinistra",
    "Scroll Right": "Scorri a destra",
    "Scroll Home": "Inizio",
    "Scroll End": "Fine",
    "Move cursor left": "Cursore a sinistra",
    "Move cursor left and select": "Seleziona a sinistra",
    "Move cursor left a word": "Parola precedente",
    "Move cursor left a word and select": "Seleziona la parola precedente",
    "Move cursor right or accept the completion suggestion": (
        "Cursore a destra o accetta il suggerimento"
    ),
    "Move cursor right and select": "Seleziona a destra",
    "Move cursor right a word": "Parola successiva",
    "Move cursor right a word and select": "Seleziona la parola successiva",
    "Delete character left": "Cancella a sinistra",
    "Select all": "Seleziona tutto",
    "Go to start": "Inizio del campo",
    "Go to end": "Fine del campo",
    "Select line start": "Seleziona fino all'inizio",
    "Select line end": "Seleziona fino alla fine",
    "Delete character right": "Cancella a destra",
    "Submit": "Conferma",
    "Delete left to start of word": "Cancella la parola a sinistra",
    "Delete all to the left": "Cancella tutto a sinistra",
    "Delete right to start of word": "Cancella la parola a destra",
    "Delete all to the right": "Cancella tutto a destra",
    "Cut selected text": "Taglia il testo selezionato",
    "Paste text from the clipboard": "Incolla",
}


def translated(bindings: list[BindingType]) -> list[BindingType]:
    """The same bindings, each described in Italian (an unknown description is hidden
    rather than shown in English)."""
    out: list[BindingType] = []
    for b in bindings:
        if isinstance(b, Binding):
            text = ITALIAN.get(b.description, "")
            b = replace(b, description=text, show=b.show and bool(text))
        out.append(b)
    return out


def italian(cls: type[DOMNode]) -> list[BindingType]:
    """Every binding ``cls`` has from its bases, described in Italian."""
    inherited: list[BindingType] = []
    for base in reversed(cls.__mro__):
        inherited += translated(base.__dict__.get("BINDINGS", []))
    return inherited


R = TypeVar("R")
REVERSE = Style(reverse=True, bold=True)


class Screen(screen.Screen[R]):
    BINDINGS = italian(screen.Screen)


class ModalScreen(screen.ModalScreen[R]):
    BINDINGS = italian(screen.ModalScreen)


class DataTable(widgets.DataTable[Any]):
    BINDINGS = italian(widgets.DataTable)


class OptionList(widgets.OptionList):
    BINDINGS = italian(widgets.OptionList)

    def render_line(self, y: int) -> Strip:
        """In 16 colours and with NO_COLOR the highlighted line is in reverse video: Textual
        draws the highlight with colours alone (its visual styles drop ``reverse``)."""
        strip = super().render_line(y)
        if not (self.app.native_ansi_color or self.app.no_color):
            return strip
        try:
            index, _ = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return strip
        return strip.apply_style(REVERSE) if index == self.highlighted else strip


class Input(widgets.Input):
    """Textual's input with Italian keys and without Textual's own validation: the rules
    are the procedure's, checked by the form; Textual's would restyle every field (its
    valid/invalid classes) as a form opens, a tenth of a second for 25 fields."""

    BINDINGS = italian(widgets.Input)

    def __init__(self, value: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("validate_on", ())
        super().__init__(value, **kwargs)


class VerticalScroll(containers.VerticalScroll):
    BINDINGS = italian(containers.VerticalScroll)


class Footer(widgets.Static):
    """The keys of the screen on one line, as Textual's footer shows them but drawn as one
    piece of text: Textual's builds a widget per key at every change of screen or step,
    which is most of the time it takes to open a customer. Compact, so that the keys that
    matter fit in 80 columns; the command palette (ctrl+p) is listed by F1."""

    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def bindings_changed(self, screen: screen.Screen[Any]) -> None:
        if self.is_attached and screen is self.screen:
            self.update(self.keys())

    def keys(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if not binding.show or not enabled or binding.action in seen:
                continue
            seen.add(binding.action)
            if out:
                out.append(" ")
            out.append(self.app.get_key_display(binding), style="bold reverse")
            out.append(f" {binding.description}")
        return out
