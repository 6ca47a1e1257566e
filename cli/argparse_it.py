"""argparse's own words in Italian: usage, help headings, and the errors it prints itself.

argparse looks its messages up through gettext at the moment it prints them; this module
gives it an Italian catalogue (the messages a person can meet from our parser)."""

import argparse
from collections.abc import Callable

ITALIAN = {
    "usage: ": "uso: ",
    "positional arguments": "argomenti",
    "options": "opzioni",
    "show this help message and exit": "mostra questo aiuto ed esce",
    "%(prog)s: error: %(message)s\n": "%(prog)s: errore: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argomento %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "scelta non valida: %(value)r (ammessi: %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "valore %(type)s non valido: %(value)r",
    "the following arguments are required: %s": "mancano gli argomenti obbligatori: %s",
    "unrecognized arguments: %s": "argomenti non riconosciuti: %s",
    "expected one argument": "serve un valore",
    "expected at most one argument": "al massimo un valore",
    "expected at least one argument": "serve almeno un valore",
    "ambiguous option: %(option)s could match %(matches)s": (
        "opzione ambigua: %(option)s può essere %(matches)s"
    ),
    "not allowed with argument %s": "non ammesso insieme a %s",
    "one of the arguments %s is required": "serve uno degli argomenti %s",
    "ignored explicit argument %r": "valore %r ignorato",
    "can't open '%(filename)s': %(error)s": "impossibile aprire '%(filename)s': %(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "comando sconosciuto %(parser_name)r (ammessi: %(choices)s)"
    ),
}


def _gettext(message: str) -> str:
    return ITALIAN.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    if singular == "expected %s argument":
        return "serve %s valore" if n == 1 else "servono %s valori"
    return singular if n == 1 else plural


def install() -> None:
    """Make argparse speak Italian (it reads these names at each message)."""
    translate: Callable[[str], str] = _gettext
    argparse._ = translate  # type: ignore[attr-defined]
    argparse.ngettext = _ngettext  # type: ignore[attr-defined]


def whole_number(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number in plain digits from ``low`` to ``high``, refused
    in Italian otherwise (no huge value reaches a date or a socket)."""

    def parse(text: str) -> int:
        digits = text.strip()
        if digits.isascii() and digits.isdigit() and len(digits) <= len(str(high)):
            value = int(digits)
            if low <= value <= high:
                return value
        raise argparse.ArgumentTypeError(f"un numero intero da {low} a {high}, non {text!r}")

    return parse
