"""Key bindings shared by several screens."""

from textual.binding import Binding

BACK = Binding("escape", "app.pop_screen", "Indietro")

# Keys as an Italian keyboard names them, in the footer, the help panel and the palette.
KEY_NAMES = {
    "space": "Spazio",
    "escape": "Esc",
    "enter": "Invio",
    "tab": "Tab",
    "home": "Inizio",
    "end": "Fine",
    "pageup": "Pag↑",
    "pagedown": "Pag↓",
    "delete": "Canc",
    "backspace": "Backspace",
    "insert": "Ins",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "slash": "/",
    "question_mark": "?",
    "plus": "+",
    "minus": "-",
    "full_stop": ".",
    "comma": ",",
}
MODIFIERS = {"shift": "Maiusc", "alt": "Alt", "super": "Win", "meta": "Meta", "ctrl": "Ctrl"}


def key_name(binding: Binding) -> str:
    """``binding``'s key as a person reads it: "Maiusc+Tab", "Pag↓", "F1", "^s"."""
    if binding.key_display:
        return binding.key_display
    modifiers, key = binding.parse_key()
    name = KEY_NAMES.get(key) or (key.upper() if key.startswith("f") and key[1:].isdigit() else key)
    if modifiers == ["ctrl"] and len(name) == 1:
        return f"^{name}"  # ^s, ^p: as terminal users read them
    shown = name.upper() if len(name) == 1 and modifiers else name  # Win+C, Alt+X
    return "+".join([*(MODIFIERS.get(m, m) for m in modifiers), shown])
