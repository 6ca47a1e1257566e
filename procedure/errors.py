"""The errors the CLI and the TUI catch: every message is Italian and meant for the user."""

from archive.layout import OutsideArchive
from archive.pdf import PdfError
from archive.render import TemplateProblem
from procedure.problems import InvalidInput
from store import StoreError


class NotFound(Exception):
    """A customer, prospect, step or form that does not exist (message in Italian)."""


class Refused(Exception):
    """The action is not allowed now; the message says why, in Italian."""


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
]
