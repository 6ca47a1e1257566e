"""The errors the CLI and the TUI catch: every message is Italian and meant for the user."""

import errno

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

# What the system's own errors mean, in Italian (a file operation that failed).
OS_REASONS = {
    errno.ENOSPC: "il disco è pieno",
    errno.EDQUOT: "lo spazio concesso sul disco è esaurito",
    errno.EACCES: "permesso negato",
    errno.EPERM: "operazione non permessa",
    errno.EROFS: "il disco è in sola lettura",
    errno.EIO: "errore di lettura o scrittura del disco",
    errno.ENOENT: "non esiste",
    errno.ELOOP: "è un collegamento simbolico, che non si segue",
    errno.ENOTDIR: "non è una cartella",
    errno.EISDIR: "è una cartella, non un file",
    errno.EEXIST: "esiste già",
    errno.ENAMETOOLONG: "nome troppo lungo",
    errno.EMFILE: "troppi file aperti",
}


def os_message(exc: OSError) -> str:
    """A failed file operation in Italian: the file, what went wrong, and that the act was
    not done (its record is committed to the store only once its files are written)."""
    reason = OS_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
    where = f"{exc.filename}: " if exc.filename else ""
    return f"{where}{reason}; l'operazione non è stata fatta."


def user_message(exc: BaseException) -> str:
    """What to tell the user of one of USER_ERRORS."""
    return os_message(exc) if isinstance(exc, OSError) else str(exc)


__all__ = [
    "OS_REASONS",
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
