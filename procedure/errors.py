"""The errors the CLI and the TUI catch: every message is Italian and meant for the user."""

from archive.errors import TemplateProblem
from archive.layout import OutsideArchive
from archive.pdf.convert import PdfError
from procedure.problems import InvalidInput
from safefiles import os_reason
from store import StoreError


class NotFound(Exception):
    """A customer, prospect, step or form that does not exist (message in Italian)."""


class Refused(Exception):
    """The action is not allowed now; the message says why, in Italian."""


class Conflict(Refused):
    """A colleague saved the same fields meanwhile: ``paths`` are those both changed
    differently, ``labels`` their names for people."""

    def __init__(self, paths: list[str], labels: list[str]) -> None:
        super().__init__(
            f"Un collega ha cambiato nel frattempo anche: {', '.join(labels)}. I tuoi valori "
            "sono ancora nel modulo: salvare di nuovo li registra al posto dei suoi; gli "
            "altri campi che il collega ha cambiato restano come li ha lasciati."
        )
        self.paths = frozenset(paths)
        self.labels = labels


class Backdated(Refused):
    """A document for a term already ended: made only when a person confirms it."""


class MailTemplateProblem(Exception):
    """A mail text in templates/mail or DATA/modelli cannot be filled."""


# What a use case says when it refuses or cannot do something: shown to the user as it is.
USER_ERRORS: tuple[type[Exception], ...] = (
    InvalidInput,
    MailTemplateProblem,
    NotFound,
    OutsideArchive,
    PdfError,
    Refused,
    StoreError,
    TemplateProblem,
    OSError,
)


def os_message(exc: OSError) -> str:
    """A failed file operation in Italian: the file, what went wrong, and that the act was
    not done (its record is committed to the store only once its files are written)."""
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{os_reason(exc)}; l'operazione non è stata fatta."


def user_message(exc: BaseException) -> str:
    """What to tell the user of one of USER_ERRORS."""
    return os_message(exc) if isinstance(exc, OSError) else str(exc)


__all__ = [
    "USER_ERRORS",
    "InvalidInput",
    "MailTemplateProblem",
    "NotFound",
    "OutsideArchive",
    "PdfError",
    "Refused",
    "StoreError",
    "TemplateProblem",
    "os_message",
    "user_message",
]
