"""F1: every key of the screen below, whole and scrollable by keyboard at 80×24."""

from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, Static

from tui.widgets.italian import ModalScreen, VerticalScroll


def help_text(app: App[Any], below: Screen[Any]) -> Text:
    """The keys ``below`` answers to now, in three groups: the screen's own actions, the
    keys of the field or list in focus, and those that work everywhere."""
    groups: dict[str, list[tuple[str, str]]] = {
        "Questa schermata": [],
        "Il campo o l'elenco selezionato": [],
        "Ovunque": [],
    }
    seen: set[tuple[str, str]] = set()
    for key, active in below.active_bindings.items():
        binding = active.binding
        if not binding.description or not active.enabled:
            continue
        shown = app.get_key_display(binding) or key
        if (shown, binding.description) in seen:
            continue
        seen.add((shown, binding.description))
        if active.node is below:
            group = "Questa schermata"
        elif active.node is app:
            group = "Ovunque"
        else:
            group = "Il campo o l'elenco selezionato"
        groups[group].append((shown, binding.description))
    declared = [b for b in below.BINDINGS if isinstance(b, Binding) and b.description]
    for idle in declared:  # the screen's keys that do nothing right now, too
        if not any(d == idle.description for _, d in groups["Questa schermata"]):
            shown = app.get_key_display(idle) or idle.key
            groups["Questa schermata"].append((shown, f"{idle.description} (non ora)"))
    own = {b.description for b in declared}
    groups["Questa schermata"].sort(key=lambda k: k[1].removesuffix(" (non ora)") not in own)
    return _drawn(groups)


def _drawn(groups: dict[str, list[tuple[str, str]]]) -> Text:
    out = Text()
    for title, keys in groups.items():
        if not keys:
            continue
        out.append(f"{title}\n", style="bold")
        for shown, description in keys:
            out.append(f"  {shown:<12}", style="bold")
            out.append(f"{description}\n")
        out.append("\n")
    return out


class HelpScreen(ModalScreen[None]):
    """The keys of the screen it was opened on; ↑ ↓ Pag↑ Pag↓ scroll, Esc or F1 closes."""

    BINDINGS = [
        Binding("escape", "close", "Chiudi"),
        Binding("f1", "close", "Chiudi", show=False),
    ]

    def __init__(self, keys: Text) -> None:
        super().__init__()
        self.keys = keys  # made while the screen below was in front: its keys as they were

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Label(Text("Aiuto: i tasti di questa schermata", style="bold"))
            with VerticalScroll(id="help-keys"):
                yield Static(self.keys, id="help-text")
            yield Label("↑ ↓ Pag↑ Pag↓ scorrono · Esc o F1 chiude", classes="hint")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
