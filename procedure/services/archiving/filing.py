"""Filing returned forms: by the slot a file lies in, or by the QR code on its pages."""

import fcntl
import logging
import os
import pwd
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from archive.intake import ignored, place, shown, undecodable
from archive.layout import (
    CONTRACTS,
    CORRESPONDENCE,
    INTAKE,
    LICENCES,
    RECEIVED,
    SENT,
    Archive,
    OutsideArchive,
    customer_folder_name,
    safe_component,
)
from archive.listing import intake_files
from archive.payload import Unreadable, parse
from procedure.errors import NotFound
from procedure.folder import DataFolder
from procedure.model import Customer
from procedure.rules.progress import Summary
from procedure.services.archiving.returns import Returns
from procedure.services.checklist import Checklist
from safefiles import FILE_MODE, atomic_write, ensure_dir, os_reason, rename_noreplace

log = logging.getLogger("acquisto.archive")

README = """\
ARCHIVIO DI ACQUISTO

Una cartella per cliente: "<ragione sociale> - <codice>".
  Moduli ricevuti/<modulo>/   un file qui segna il modulo come rientrato
  Documenti inviati/          moduli, istruzioni e conferme d'ordine prodotti dal programma
  Contratti/                  contratti prodotti dal programma
  Licenze/                    certificati di licenza
  Corrispondenza/             fogli di consegna e altra corrispondenza

Da archiviare/                depositare qui le scansioni di qualsiasi cliente: il programma
                              legge il codice QR stampato sui moduli e le sposta nella
                              cartella giusta; quelle senza codice restano qui e si
                              assegnano dal programma (schermata "Da archiviare").

I file il cui nome inizia con "~$" o "." e i file .tmp vengono ignorati.
"""
RETURNED, ALREADY, UNRECOGNISED, IGNORED = "returned", "already", "unrecognised", "ignored"
SEVERAL = (
    "il file contiene più moduli (codici QR di moduli diversi): dividerlo in un file per modulo"
)


@dataclass(frozen=True)
class Filed:
    path: Path
    outcome: str  # returned | already | unrecognised | ignored
    code: str = ""
    form: str = ""
    detail: str = ""
    retry: bool = False  # not handled (unreadable now): taken again on a later pass

    @property
    def shown(self) -> str:
        """The file's path as a person may read it (a name that is not UTF-8 escaped)."""
        return shown(str(self.path))


def owner(path: Path) -> str:
    """Who dropped the file, when the file system says (else "")."""
    try:
        return pwd.getpwuid(path.stat().st_uid).pw_name
    except (KeyError, OSError):
        return ""


def move_into(source: Path, folder: Path) -> Path:
    """Move ``source`` into ``folder`` atomically, never replacing a file there: a second
    copy gets a numbered name (``scan (2).pdf``)."""
    stem, suffix = Path(safe_component(source.stem, 120)), source.suffix
    for n in range(1, 1000):
        target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}")
        try:  # in one step where the system can: a crash never leaves the file twice
            if rename_noreplace(source, target):
                return target
        except FileExistsError:
            continue
        try:
            os.link(source, target)  # fails if the name is taken: no overwrite, ever
        except FileExistsError:
            continue
        except OSError:  # another file system (a share): copy under a reserved name
            try:
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                fd = os.open(target, flags, FILE_MODE)
            except FileExistsError:
                continue
            with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                shutil.copyfileobj(src, out)
                out.flush()
                os.fsync(out.fileno())
        source.unlink()
        return target
    raise FileExistsError(f"Troppe copie di {source.name} in {folder}")


@contextmanager
def claimed(path: Path) -> Iterator[bool]:
    """Whether this process holds the file at ``path`` (an exclusive lock on it, and the
    file still there): a scan beside the watcher then files each scan exactly once."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        yield False
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        held = os.fstat(fd)
        try:
            now = os.lstat(path)
        except FileNotFoundError:
            yield False
            return
        yield (held.st_dev, held.st_ino) == (now.st_dev, now.st_ino)
    finally:
        os.close(fd)


NOT_REGULAR = "non è un file regolare (collegamento, FIFO o dispositivo): non viene aperto"
BAD_NAME = "nome del file non in UTF-8: rinominarlo"


def not_a_return(path: Path) -> str:
    """Why the file cannot be a returned form ("" when it can): only a regular file with
    something in it (a link, a FIFO or a device is never opened)."""
    try:
        st = os.lstat(path)
    except OSError:
        return "file sparito"
    if not stat.S_ISREG(st.st_mode):
        log.warning("%s ignorato: non è un file regolare", shown(str(path)))
        return NOT_REGULAR
    return "file vuoto" if st.st_size == 0 else ""


def unreadable(path: Path) -> str:
    """Why this process cannot open the file for reading ("" when it can)."""
    try:
        os.close(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK))
    except OSError as exc:
        return f"file non leggibile: {os_reason(exc)}"
    return ""


def _unfit(path: Path) -> Filed | None:
    """What the filing of a file that cannot be a return is, else None."""
    if ignored(path.name):
        return Filed(path, IGNORED)
    unfit = not_a_return(path)
    if unfit:
        return Filed(path, IGNORED, detail=unfit)
    cannot = unreadable(path)
    if cannot:  # permissions can be mended: not handled, taken again later
        return Filed(path, IGNORED, detail=cannot, retry=True)
    return None


LAYOUT_MARKER = ".cartelle"  # the sub-folders every customer's folder was given


def _small_text(path: Path) -> str:
    """The text of a small regular file of ours, or "" (anything else is ignored)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return ""
    with os.fdopen(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return ""
        return f.read(4096).decode("utf-8", "replace")


class Filing:
    """The archive tree of one Office and what a file in it means."""

    def __init__(self, folder: DataFolder, checklist: Checklist) -> None:
        self.folder = folder
        self.checklist = checklist
        self.slots = {f.folder: f.id for f in folder.defs.forms}
        self.returns = Returns(folder)
        self.folders = {f.id: f.folder for f in folder.defs.forms}

    @property
    def root(self) -> Path:
        return self.folder.settings.archive_root

    @property
    def archive(self) -> Archive:
        return Archive(self.root)

    @property
    def intake(self) -> Path:
        return self.root / INTAKE

    def customer_dir(self, c: Customer | Summary, existing: dict[str, str] | None = None) -> Path:
        """The customer's folder, the one place that says where it is: the folder already
        ending in `` - CODE`` (kept when the name changes), else a new one named after the
        customer."""
        if existing is None:
            existing = self.existing_folders()
        name = existing.get(c.code) or customer_folder_name(c.name, c.code)
        return self.archive.inside(name)

    def existing_folders(self) -> dict[str, str]:
        out = {}
        if self.root.is_dir():
            for entry in os.scandir(self.root):
                if entry.is_dir(follow_symlinks=False) and " - " in entry.name:
                    out[entry.name.rsplit(" - ", 1)[1]] = entry.name
        return out

    def slot_dir(self, c: Customer, form_id: str) -> Path:
        return self.slot_in(self.customer_dir(c), form_id)

    def slot_in(self, folder: Path, form_id: str) -> Path:
        """The slot of ``form_id`` inside a customer's folder."""
        return folder / RECEIVED / self.folders[form_id]

    def ensure_customer(
        self, c: Customer | Summary, existing: dict[str, str] | None = None
    ) -> Path:
        """Create the customer's folder with its fixed sub-folders and form slots."""
        folder = self.customer_dir(c, existing)
        for sub in (SENT, CONTRACTS, LICENCES, CORRESPONDENCE):
            ensure_dir(folder / sub)
        for slot in self.folders.values():
            ensure_dir(folder / RECEIVED / slot, drop=True)
        return folder

    def ensure_tree(self) -> int:
        """The root, its README, the intake folder and the folders of every customer who has
        none yet. Once every customer's sub-folders have been made for the forms as they
        are now (noted in ``.cartelle``), a pass looks only at the root's listing: a
        100,000-customer archive is not walked folder by folder every few minutes."""
        ensure_dir(self.intake, drop=True)
        readme = self.root / "LEGGIMI.txt"
        if not readme.exists():
            readme.write_text(README, encoding="utf-8")
        existing = self.existing_folders()
        layout = "\n".join([SENT, CONTRACTS, LICENCES, CORRESPONDENCE, *self.folders.values()])
        marker = self.root / LAYOUT_MARKER
        whole = _small_text(marker) == layout
        rows = self.folder.list_customers()
        for row in rows:
            if whole and row.code in existing:
                continue
            try:
                self.ensure_customer(row, existing)
            except OutsideArchive as exc:  # one odd folder never stops the pass for others
                log.warning("cartella di %s saltata: %s", row.code, exc)
        if not whole:
            atomic_write(marker, layout.encode("utf-8"), sync=False)
        return len(rows)

    def handle(self, path: Path) -> Filed:
        """File what a path in the tree means: a form returned, or a scan to recognise."""
        try:
            rel = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return Filed(path, IGNORED, detail="fuori dall'archivio")
        unfit = _unfit(path)
        if unfit is not None:
            return unfit
        where = place(rel)
        if where.kind == "slot" and undecodable(path.name):
            return Filed(path, IGNORED, detail=BAD_NAME)
        if where.kind == "slot":
            form = self.slots.get(where.slot_folder)
            if form is None:
                return Filed(path, IGNORED, detail=f"cartella {where.slot_folder!r} sconosciuta")
            return self._returned(path, where.customer_code, form)
        if where.kind == "intake":
            return self.recognise(path)
        return Filed(path, IGNORED)

    def _returned(self, path: Path, code: str, form: str) -> Filed:
        try:
            signed = self.returns.signature_of(path)
            changed = self.checklist.form_returned(code, form, str(path), owner(path), signed)
        except NotFound as exc:
            return Filed(path, IGNORED, code, form, str(exc))
        return Filed(path, RETURNED if changed else ALREADY, code, form)

    def targets(self, path: Path) -> list[tuple[Customer, str]]:
        """The (customer, form) pairs the QR codes printed on the file name."""
        out = []
        for payload in self.returns.codes(path):
            parsed = parse(payload)
            if parsed is None or parsed[1] not in self.folders:
                continue
            code, form = parsed
            try:
                out.append((self.folder.customer(code), form))
            except NotFound:
                continue
        return out

    def recognise(self, path: Path) -> Filed:
        """A scan in the intake folder: read its QR code, move it into its slot, mark it;
        one holding several forms waits for a person to split it."""
        try:
            found = self.targets(path)
        except Unreadable as exc:
            return Filed(path, UNRECOGNISED, detail=str(exc))
        if len(found) > 1:
            return Filed(path, UNRECOGNISED, detail=SEVERAL)
        if found:
            customer, form = found[0]
            return self.assign(path, customer, form)
        return Filed(path, UNRECOGNISED, detail="nessun codice QR di Acquisto leggibile")

    def assign(self, path: Path, customer: Customer, form: str) -> Filed:
        """Move a file (from the intake folder) into the customer's slot for ``form``; each
        file once, whatever other processes are filing (the file is claimed first)."""
        if form not in self.folders:
            raise NotFound(f"Modulo {form!r} inesistente.")
        with claimed(path) as mine:
            if not mine:
                return Filed(path, IGNORED, detail="già preso da un altro processo")
            return self._file(path, customer, form)

    def _file(self, path: Path, customer: Customer, form: str) -> Filed:
        slot = self.ensure_customer(customer) / RECEIVED / self.folders[form]
        who = owner(path)
        moved = move_into(path, slot)
        signed = self.returns.signature_of(moved)
        changed = self.checklist.form_returned(customer.code, form, str(moved), who, signed)
        return Filed(moved, RETURNED if changed else ALREADY, customer.code, form)

    def unrecognised(self) -> list[Path]:
        """Files waiting in the intake folder for a person to assign."""
        if not self.intake.is_dir():
            return []
        return sorted(self.root / rel for rel, size, _ in intake_files(self.root) if size > 0)
