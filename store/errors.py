"""Errors raised by the store, with messages meant for the user (Italian), and the
translation of the engine's and the system's errors into them."""

import os
import sqlite3
from pathlib import Path

from safefiles import os_reason

BUSY_SECONDS = 10.0  # how long a writer waits for another before it gives up (and says so)


class StoreError(Exception):
    """The data folder cannot be used as it is."""


class StoreCorrupt(StoreError):
    """A store file cannot be read: it is never overwritten."""


class StoreVersionError(StoreError):
    """The store was written by a version of Acquisto this one does not know."""


class StoreBusy(StoreError):
    """Another writer held the database longer than the busy timeout: nothing was done."""


def italian(exc: sqlite3.Error | OSError, path: Path, what: str) -> StoreError:
    """An engine's or the system's error as an Italian sentence naming the file and what
    was not done (SQLite's own errors are told by their text: they carry no errno)."""
    if isinstance(exc, OSError):
        return StoreError(f"{exc.filename or path}: {os_reason(exc)}; {what}.")
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreBusy(
            f"{path}: l'archivio dati è occupato da un altro salvataggio da più di "
            f"{BUSY_SECONDS:.0f} secondi; {what}. Riprovare fra poco."
        )
    if "full" in text:
        return StoreError(f"{path}: il disco è pieno; {what}. Liberare spazio e riprovare.")
    if "readonly" in text or "read-only" in text:
        return StoreError(
            f"{path}: non si ha il permesso di scrivere l'archivio dati (o il disco è in sola "
            f"lettura); {what}."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StoreCorrupt(
            f"{path}: il database è danneggiato; {what}. "
            "Ripristinarlo da una copia di sicurezza (acquisto restore)."
        )
    if "unable to open" in text:
        denied = path.exists() and not os.access(path, os.R_OK | os.W_OK)
        why = "permesso negato" if denied else "il file o la sua cartella non sono raggiungibili"
        return StoreError(f"{path}: il database non si può aprire ({why}); {what}.")
    if "disk i/o" in text:
        return StoreError(f"{path}: errore di lettura o scrittura del disco; {what}.")
    return StoreError(f"{path}: errore dell'archivio dati ({exc}); {what}.")
