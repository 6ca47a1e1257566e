"""Mail that comes back in: replies to our mailings carrying forms, notices that a mailing
was not delivered, PEC receipts. Read by IMAP from the office mailbox (and the PEC
mailbox), each message tied to the mailing it answers; handled messages are moved to the
folder of processed mail, the others are left where they are.

A reply's attachments go through the intake like a scan dropped in "Da archiviare": staged
under a name fixed by the message and their place in it, then moved into the intake folder
and filed by their QR code; the one the QR code does not identify waits there, suggested
for the customer whose mailing it answers. Every stage is recorded before the next, so a
process killed at any moment files no attachment twice and loses none: a pass that finds
a message half-handled carries on from where it stopped.
"""

import hashlib
import logging
import os
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from archive.layout import CORRESPONDENCE, safe_component
from procedure.config.settings import ImapSettings
from procedure.enums import ReceiptKind
from procedure.errors import NotFound, Refused, StoreError
from procedure.folder import DataFolder
from procedure.italian import it_datetime
from procedure.mail.imap import MailboxError, mailbox
from procedure.mail.inbound import MAX_MESSAGE, Inbound, our_code, read
from procedure.model import Instant, Mailing, MailReceipt
from procedure.rules.identify import Suggestion
from procedure.services.archiving.filing import RETURNED, Filing, move_into
from procedure.services.mail.mailings import Mailings
from safefiles import atomic_write, ensure_dir

log = logging.getLogger("acquisto.inbox")
STAGING = ".posta"  # inside the archive root: on its file system, so a move is a rename
STAGED, DONE = "staged", "done"


def message_key(key: str) -> str:
    """The store key of an incoming message."""
    return "msg-" + hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def instant(moment: datetime) -> Instant:
    """A moment with its zone (local time for one stated without)."""
    return Instant.fromisoformat((moment if moment.tzinfo else moment.astimezone()).isoformat())


def attachment_key(digest: str) -> str:
    return "att-" + digest[:40]


@dataclass
class Pass:
    """What one pass over the mailboxes did."""

    read: int = 0
    replies: int = 0
    filed: int = 0
    waiting: int = 0
    bounces: int = 0
    receipts: int = 0
    left: int = 0  # not ours: left in the folder
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Handled:
    kind: str  # reply | notice | other
    code: str = ""
    mailing: str = ""


class Inbox:
    """The office mailbox and the PEC mailbox, read for what concerns our mailings."""

    def __init__(self, folder: DataFolder, filing: Filing, mail: Mailings) -> None:
        self.folder = folder
        self.filing = filing
        self.mail = mail

    def boxes(self) -> list[tuple[str, ImapSettings]]:
        settings = self.folder.settings
        out = [("posta", settings.imap)] if settings.imap else []
        return out + ([("pec", settings.pec.imap)] if settings.pec else [])

    def run_once(self) -> Pass:
        """One pass over every configured mailbox; a mailbox that cannot be read is said in
        ``problems`` and does not stop the others."""
        result = Pass()
        for name, settings in self.boxes():
            try:
                self._box(name, settings, result)
            except MailboxError as exc:
                result.problems.append(f"{name}: {exc}")
        return result

    def _mark(self, name: str, validity: int) -> int:
        """The last message of the folder already looked at (0 for a new folder)."""
        with self.folder.dossiers.unit() as unit:
            seen = unit.mail_in(f"mark-{name}") or {}
        return int(seen.get("uid", 0)) if seen.get("validity") == validity else 0

    def _set_mark(self, name: str, validity: int, uid: int) -> None:
        with self.folder.dossiers.unit() as unit:
            unit.put_mail_in(f"mark-{name}", {"validity": validity, "uid": uid})

    def _box(self, name: str, settings: ImapSettings, result: Pass) -> None:
        """Each new message of one mailbox in turn. One that cannot be handled now is said
        and taken again on the next pass (the mark stays before it); the others go on."""
        with mailbox(settings) as box:
            held = False
            for uid in box.uids(self._mark(name, box.validity)):
                size = box.size(uid)
                if size > MAX_MESSAGE:
                    result.problems.append(f"{name}: messaggio {uid} troppo grande ({size} byte)")
                    log.warning("messaggio %s di %s lasciato: %s byte", uid, name, size)
                else:
                    try:
                        handled = self.handle(box.fetch(uid), result)
                    except (OSError, StoreError, Refused, NotFound) as exc:
                        log.warning("messaggio %s di %s non elaborato: %s", uid, name, exc)
                        result.problems.append(f"{name}: messaggio {uid} non elaborato: {exc}")
                        held = True
                        continue
                    result.read += 1
                    if handled.kind == "other":
                        result.left += 1
                    else:
                        box.move(uid, settings.done_folder)
                if not held:
                    self._set_mark(name, box.validity, uid)

    def wait(self, seconds: float) -> bool:
        """Wait for news in the office mailbox (IMAP IDLE) up to ``seconds``; False at once
        when it cannot be waited for that way."""
        boxes = self.boxes()
        if not boxes:
            return False
        with mailbox(boxes[0][1]) as box:
            return box.wait(seconds)

    # -- one message ---------------------------------------------------------------------

    def handle(self, data: bytes, result: Pass | None = None) -> Handled:
        """Do what one incoming message means, once however often it is handed in."""
        result = result if result is not None else Pass()
        message = read(data)
        key = message_key(message.key)
        with self.folder.dossiers.unit() as unit:
            record = unit.mail_in(key)
        if record and record.get("state") == DONE:
            return Handled(str(record.get("kind", "other")), str(record.get("code", "")))
        if message.notice is not None:
            handled = self._notice(message, key, data, result)
        else:
            handled = self._reply(message, key, data, record or {}, result)
        if handled.kind != "other":
            self._record(key, {"state": DONE, "kind": handled.kind, "code": handled.code})
        return handled

    def _record(self, key: str, record: dict[str, Any]) -> None:
        with self.folder.dossiers.unit() as unit:
            unit.put_mail_in(key, record)

    def _ours(self, ids: tuple[str, ...]) -> tuple[str, Mailing] | None:
        """The customer and mailing the first of ``ids`` that is one of ours names."""
        for message_id in ids:
            code = our_code(message_id)
            if not code:
                continue
            try:
                customer = self.folder.customer(code)
            except NotFound:
                continue
            for m in customer.mailings:
                if m.message_id == message_id:
                    return code, m
        return None

    def _keep(self, code: str, message: Inbound, key: str, data: bytes) -> str:
        """The message kept as .eml in the customer's Corrispondenza folder (its name fixed
        by the message: kept again, it replaces itself)."""
        folder = ensure_dir(self.filing.ensure_customer(self.folder.customer(code)))
        when = f"{message.date:%Y-%m-%d %H%M}" if message.date else "senza data"
        name = safe_component(f"{when} posta {key[4:16]}.eml", 120)
        path = ensure_dir(folder / CORRESPONDENCE) / name
        atomic_write(path, data)
        return str(path)

    def _notice(self, message: Inbound, key: str, data: bytes, result: Pass) -> Handled:
        assert message.notice is not None
        found = self._ours(message.notice.original)
        if found is None:
            return Handled("other")
        code, mailing = found
        receipt = MailReceipt(
            kind=message.notice.kind,
            key=key,
            at=instant(message.notice.at or message.date or self.folder.clock()),
            detail=message.notice.detail,
            eml=self._keep(code, message, key, data),
        )
        self.mail.noticed(code, mailing.id, receipt)
        if message.notice.kind == ReceiptKind.BOUNCE:
            result.bounces += 1
        else:
            result.receipts += 1
        return Handled("notice", code, mailing.id)

    def _reply(
        self, message: Inbound, key: str, data: bytes, record: dict[str, Any], result: Pass
    ) -> Handled:
        found = self._ours(message.answers)
        if found is None:
            return Handled("other")
        code, mailing = found
        sent = mailing.sent_at or mailing.created_at
        why = f"risposta all'e-mail del {it_datetime(sent)}" if sent else "risposta a un'e-mail"
        staged = dict(record.get("attachments", {}))
        for n, attachment in enumerate(message.attachments, 1):
            if staged.get(str(n)) == DONE:
                continue
            filed = self._attachment(key, n, attachment.name, attachment.data, code, why, staged)
            result.filed += filed == RETURNED
            result.waiting += filed != RETURNED
            staged[str(n)] = DONE
            self._record(key, {"state": "open", "attachments": staged})
        with suppress(OSError):  # every attachment is in the intake or filed: nothing staged
            (self.filing.root / STAGING / key[4:20]).rmdir()
        names = ", ".join(a.name for a in message.attachments) or "nessun allegato"
        left = "; ".join(message.left_out)
        receipt = MailReceipt(
            kind=ReceiptKind.REPLY,
            key=key,
            at=instant(message.date or self.folder.clock()),
            detail=f"da {message.sender}: {names}" + (f" (non presi: {left})" if left else ""),
            eml=self._keep(code, message, key, data),
        )
        self.mail.noticed(code, mailing.id, receipt)
        result.replies += 1
        return Handled("reply", code, mailing.id)

    def _attachment(
        self,
        key: str,
        n: int,
        name: str,
        data: bytes,
        code: str,
        why: str,
        staged: dict[str, str],
    ) -> str:
        """Stage one attachment, move it into the intake and file it; returns the outcome.
        The staged name is fixed: a pass after a crash finds it where it was left."""
        root = self.filing.root
        folder = root / STAGING / key[4:20]
        path = folder / safe_component(f"{code} risposta {n} {name}", 120)
        if staged.get(str(n)) != STAGED:
            ensure_dir(folder)
            atomic_write(path, data)
            digest = hashlib.sha256(data).hexdigest()
            self._record(attachment_key(digest), {"code": code, "why": why})
            staged[str(n)] = STAGED
            self._record(key, {"state": "open", "attachments": staged})
        try:
            links = os.lstat(path).st_nlink
        except FileNotFoundError:
            return "moved"  # moved on an earlier pass that stopped before saying so
        if links > 1:  # linked into the intake on an earlier pass: only the unlink is left
            path.unlink()
            return "moved"
        moved = move_into(path, ensure_dir(self.filing.intake))
        return self.filing.recognise(moved).outcome

    def hint(self, digest: str) -> Suggestion | None:
        """For a file that came attached to a reply: the customer whose mailing it answers."""
        with self.folder.dossiers.unit() as unit:
            found = unit.mail_in(attachment_key(digest))
        if not found or not isinstance(found.get("code"), str):
            return None
        return Suggestion(found["code"], "", str(found.get("why", "")))
