"""The files waiting in "Da archiviare": why each was not filed and, for a scan without a
readable QR code, whose form its text says it is (OCR), offered for a person to confirm.
What OCR read is kept per file content in DATA/cache/intake/, so a file is read once."""

import hashlib
import json
import logging
import queue
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archive.intake import ignored, undecodable
from archive.intake import shown as shown  # for the screens, which do not reach archive/
from archive.listing import Entry, intake_entries
from archive.payload import Unreadable
from procedure.errors import NotFound
from procedure.folder import DataFolder
from procedure.rules.conditions import missing_forms
from procedure.rules.identify import Party, Suggestion, suggest
from procedure.services.archiving.filing import BAD_NAME, NOT_REGULAR, SEVERAL, Filing, unreadable
from procedure.services.archiving.returns import ENVELOPE
from procedure.services.mail.inbox import Inbox
from safefiles import atomic_write, ensure_dir, os_reason

log = logging.getLogger("acquisto.intake")
CACHE = Path("cache") / "intake"
NO_QR = "nessun codice QR di Acquisto leggibile"
MAX_READ = 50 * 1024 * 1024  # bytes hashed to name the cache entry
MAX_CACHE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Waiting:
    file: Path
    reason: str  # why it was not filed
    suggestion: Suggestion | None

    @property
    def shown(self) -> str:
        """The file's path as a person may read it (a name that is not UTF-8 escaped)."""
        return shown(str(self.file))


def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as fh:
        sha.update(fh.read(MAX_READ))
    return sha.hexdigest()


def _cached(cache: Path) -> dict[str, Any]:
    """What an earlier reading kept, when it has the right shape (the cache lies in the
    shared data folder: anything else is read again)."""
    fresh: dict[str, Any] = {"parts": [], "done": False, "reason": ""}
    try:
        if cache.stat().st_size > MAX_CACHE_BYTES:
            return fresh
        entry = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return fresh
    parts = entry.get("parts") if isinstance(entry, dict) else None
    if not isinstance(parts, list) or not all(
        isinstance(p, list) and len(p) == 2 and isinstance(p[0], int) and isinstance(p[1], str)
        for p in parts
    ):
        return fresh
    reason = entry.get("reason", "")
    return {
        "parts": parts,
        "done": entry.get("done") is True,
        "reason": reason if isinstance(reason, str) else "",
    }


class Intake:
    """What is waiting in the intake folder, with the suggestion read from each file."""

    def __init__(self, folder: DataFolder, filing: Filing, inbox: Inbox) -> None:
        self.folder = folder
        self.filing = filing
        self.inbox = inbox

    @property
    def cache_dir(self) -> Path:
        return self.folder.settings.data_dir / CACHE

    def parties(self) -> list[Party]:
        return [
            Party(s.code, s.name, s.vat_number, s.tax_code) for s in self.folder.list_customers()
        ]

    def titles(self) -> dict[str, tuple[str, ...]]:
        return {f.id: (*f.headings, f.title) for f in self.folder.defs.forms}

    def ours(self) -> set[str]:
        return {self.folder.settings.company.vat_number}

    def reason(self, path: Path) -> str:
        """Why the file was not filed; for a signed envelope, whether its signature holds."""
        try:
            if len(self.filing.targets(path)) > 1:
                return SEVERAL
        except Unreadable as exc:
            return str(exc)
        if path.name.lower().endswith(ENVELOPE):
            from archive.signatures.verify import NotSigned, open_envelope  # pyHanko: when needed

            try:
                signature = open_envelope(path.read_bytes(), []).signature
            except NotSigned as exc:
                return str(exc)
            if not signature.valid:
                return f"{NO_QR}; firma digitale non valida: {signature.problem}"
        return NO_QR

    def _read(self, path: Path, entry: dict[str, Any]) -> Iterator[tuple[int, str]]:
        """The parts already read (from the cache), then the rest, each kept as read."""
        yield from ((int(p), str(t)) for p, t in entry["parts"])
        if entry["done"] or path.name.lower().endswith(ENVELOPE):
            return
        from archive import ocr  # Tesseract's wrapper and the image readers: when first read

        for page, text in ocr.parts(path, skip=len(entry["parts"])):
            entry["parts"].append([page, text])
            yield page, text
        entry["done"] = True

    def examine(self, path: Path) -> Waiting:
        """Why ``path`` waits and what its text suggests (OCR as far as needed, cached)."""
        key = _digest(path)
        cache = self.cache_dir / f"{key}.json"
        entry = _cached(cache)
        before = len(entry["parts"]), entry["done"], entry["reason"]
        if not entry["reason"]:  # the file's content decides it: worked out once
            entry["reason"] = self.reason(path)
        try:
            found = suggest(self._read(path, entry), self.parties(), self.titles(), self.ours())
        except Unreadable:
            found, entry["done"] = None, True  # not read, and said in the reason
        found = found or self.replied(key)
        if (len(entry["parts"]), entry["done"], entry["reason"]) != before:
            ensure_dir(self.cache_dir)
            atomic_write(cache, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        return Waiting(path, entry["reason"], found)

    def replied(self, digest: str) -> Suggestion | None:
        """For a file that came attached to a reply to one of our mailings: that customer,
        and the form when only one is missing."""
        hint = self.inbox.hint(digest)
        if hint is None:
            return None
        try:
            customer = self.folder.customer(hint.code)
        except NotFound:
            return None
        missing = missing_forms(self.folder.context(customer))
        if len(missing) == 1:
            return Suggestion(hint.code, missing[0].id, hint.why)
        titles = ", ".join(f"«{f.title}»" for f in missing)
        return Suggestion(hint.code, "", f"{hint.why}; mancano {titles}" if titles else hint.why)

    def judge(self, entry: Entry) -> Waiting:
        """Why one thing in the intake folder waits, whatever it is: one that cannot be read
        says so and never stops the listing of the others."""
        path = self.filing.root / entry.rel
        if ignored(path.name):
            return Waiting(path, "file temporaneo o nascosto: ignorato", None)
        if not entry.regular:
            return Waiting(path, NOT_REGULAR, None)
        if entry.size == 0:
            return Waiting(path, "file vuoto", None)
        cannot = unreadable(path)
        if cannot:
            return Waiting(path, cannot, None)
        try:
            waiting = self.examine(path)
        except OSError as exc:
            return Waiting(path, f"file non leggibile: {os_reason(exc)}", None)
        except Exception as exc:
            log.exception("esame di %s non riuscito", shown(str(path)))
            return Waiting(path, f"file non leggibile ({type(exc).__name__})", None)
        if undecodable(path.name):
            return Waiting(path, f"{waiting.reason}; {BAD_NAME}", waiting.suggestion)
        return waiting

    def waiting(self) -> list[Waiting]:
        """Everything in the intake folder, each with why it waits."""
        return [self.judge(e) for e in intake_entries(self.filing.root)]


class Reader:
    """OCR off the watcher's path: unrecognised files are read one at a time by a thread of
    their own, so that filing goes on meanwhile and the intake finds them read."""

    def __init__(self, intake: Intake) -> None:
        self.intake = intake
        self.todo: queue.Queue[Path] = queue.Queue()
        self.thread = threading.Thread(target=self._run, name="acquisto-ocr", daemon=True)
        self.thread.start()

    def submit(self, path: Path) -> None:
        self.todo.put(path)

    def _run(self) -> None:
        while True:
            path = self.todo.get()
            from archive import ocr  # here, not at start: only once a file is to be read

            try:
                if path.is_file():
                    self.intake.examine(path)
            except ocr.OcrUnavailable as exc:
                log.warning("OCR di %s non riuscito: %s", shown(path.name), exc)
            except Exception:  # one file never stops the reading of the others
                log.exception("OCR di %s non riuscito", shown(path.name))
            finally:
                self.todo.task_done()
