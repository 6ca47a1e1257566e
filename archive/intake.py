"""The pure pieces of taking in returned files: what to ignore, when a file is whole, where
it lies in the tree (all testable without a disk or a clock of their own)."""

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from archive.layout import INTAKE, RECEIVED

IGNORED = ("~$*", "*.tmp", ".~lock*", "Thumbs.db", "desktop.ini", "._*", "*.part", "*.crdownload")


def ignored(name: str) -> bool:
    """Editor and OS litter, and hidden files: never a returned form."""
    if name.startswith("."):
        return True
    return any(fnmatch.fnmatchcase(name.lower(), pattern.lower()) for pattern in IGNORED)


def undecodable(name: str) -> bool:
    """Whether a file name holds bytes that are not UTF-8 (kept by Python as surrogates)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def shown(text: str) -> str:
    """A path as a person may read it and a terminal or JSON may carry it: bytes that are
    not UTF-8 as ``\\xNN``, control characters as "?"."""
    raw = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else "?" for ch in raw)


class StabilityTracker:
    """A file counts once its size and mtime have not changed for ``delay`` seconds, so a
    scanner writing in several passes is never read half-written."""

    def __init__(self, delay: float, clock: Callable[[], float]) -> None:
        self.delay = delay
        self.clock = clock
        self._seen: dict[str, tuple[int, int, float]] = {}  # path → size, mtime_ns, since

    def observe(self, path: str, size: int, mtime_ns: int) -> bool:
        """Record the file's current size and mtime; True when it has been stable long enough."""
        now = self.clock()
        previous = self._seen.get(path)
        if previous is None or previous[:2] != (size, mtime_ns):
            self._seen[path] = (size, mtime_ns, now)
            return self.delay <= 0
        return now - previous[2] >= self.delay

    def forget(self, path: str) -> None:
        self._seen.pop(path, None)

    def pending(self) -> list[str]:
        return list(self._seen)


@dataclass(frozen=True)
class Place:
    """Where a file lies in the archive tree."""

    kind: str  # slot | intake | other
    customer_code: str = ""
    slot_folder: str = ""


def place(relative: PurePath) -> Place:
    """Classify a path relative to the archive root.

    ``<name> - <CODE>/Moduli ricevuti/<slot>/<file>`` is a form slot;
    ``Da archiviare/<file>`` (or a sub-folder of it) the shared intake; anything else
    (documents we generated, notes) is left alone.
    """
    parts = relative.parts
    if len(parts) >= 2 and parts[0] == INTAKE:  # sub-folders of the intake too
        return Place("intake")
    if len(parts) == 4 and parts[1] == RECEIVED and " - " in parts[0]:
        return Place("slot", parts[0].rsplit(" - ", 1)[1], parts[2])
    return Place("other")
