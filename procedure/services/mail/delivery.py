"""Delivering recorded mailings: SMTP when configured, else .eml files in the outbox folder.

A mailing is in the store before anything is sent ("queued"), is marked "sending" with the
sending process's pid just before the attempt, and "sent" once the server accepted it, in
the same commit as what the delivery means for the procedure (steps done, forms and
contracts sent). A failure before the message went out leaves it "queued" for a retry; a
failure while the server was receiving it, or a crash mid-send, makes its fate "unknown":
it is never resent on its own, and a person confirms or resends it (same bytes, same
Message-ID).
"""

import logging
import os
from collections.abc import Callable
from pathlib import Path

from archive.layout import safe_component
from procedure.dossiers import DossierEdit
from procedure.enums import AuditAction, MailingStatus, mail_action
from procedure.errors import NotFound, Refused, StoreError
from procedure.folder import DataFolder
from procedure.mail.smtp import smtp_send
from procedure.model import Mailing
from safefiles import atomic_write, ensure_dir

QUEUED, SENDING, SENT = MailingStatus.QUEUED, MailingStatus.SENDING, MailingStatus.SENT
UNKNOWN, CANCELLED = MailingStatus.UNKNOWN, MailingStatus.CANCELLED
log = logging.getLogger("acquisto.mail")
Effects = Callable[[DossierEdit, Mailing], None]  # what a delivered mailing means


def find(d: DossierEdit, mailing_id: str) -> Mailing:
    for m in d.customer.mailings:
        if m.id == mailing_id:
            return m
    raise NotFound(f"Invio {mailing_id!r} inesistente per {d.customer.code}.")


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Delivery:
    """The life of one mailing, each change of its status one unit of work."""

    def __init__(self, folder: DataFolder, effects: Effects) -> None:
        self.folder = folder
        self.effects = effects

    def mail_dir(self) -> Path:
        return ensure_dir(self.folder.settings.data_dir / "mail")

    def outbox_dir(self) -> Path:
        return ensure_dir(self.folder.settings.data_dir / "outbox")

    def record(self, code: str, mailing: Mailing, data: bytes, replaces: str = "") -> Mailing:
        """Store the message bytes and the queued mailing, before any attempt to send it;
        the mailing it ``replaces`` (one that bounced) says so in the same commit."""
        path = self.mail_dir() / f"{mailing.id}.eml"
        atomic_write(path, data)
        mailing.eml = str(path)
        with self.folder.dossiers.edit(code) as d:
            if replaces:
                old = find(d, replaces)
                if old.replaced_by:
                    raise Refused(f"L'invio {replaces[:8]} è già stato inviato di nuovo.")
                old.replaced_by = mailing.id
                d.audit(AuditAction.MAIL_REPLACED, old.id, None, {"to": mailing.to})
            d.customer.mailings.append(mailing)
            entry = {"bundle": mailing.bundle, "to": mailing.to, "message_id": mailing.message_id}
            d.audit(mail_action(QUEUED), mailing.id, None, entry)
        return mailing

    def _status(
        self, d: DossierEdit, m: Mailing, status: MailingStatus, error: str, where: str = ""
    ) -> None:
        """Inside a unit of work: move ``m`` to ``status``; a delivery brings its effects."""
        before = m.status
        m.status, m.last_error, m.sending_pid = status, error, 0
        if status == SENT:
            m.sent_at, m.delivered_to = self.folder.clock(), where or m.delivered_to
            self.effects(d, m)
        if status != before:
            d.audit(mail_action(status), m.id, before, error or None)

    def _reserve(self, code: str, mailing_id: str) -> Mailing:
        with self.folder.dossiers.edit(code) as d:
            m = find(d, mailing_id)
            if m.status == QUEUED:  # else another process has it, or it is done
                m.status, m.sending_pid, m.attempts = SENDING, os.getpid(), m.attempts + 1
                d.audit(mail_action(SENDING), m.id, QUEUED, None)
        return m

    def deliver(self, code: str, mailing_id: str) -> Mailing:
        """Try to deliver a queued mailing once; returns it with its new status."""
        m = self._reserve(code, mailing_id)
        if m.status != SENDING or m.sending_pid != os.getpid():
            return m
        data = Path(m.eml).read_bytes()
        settings = self.folder.settings
        smtp = settings.smtp if m.channel != "pec" else settings.pec.smtp if settings.pec else None
        if smtp is None and m.channel == "pec":
            status, error, where = QUEUED, "casella PEC non configurata ([pec])", ""
        elif smtp is None:
            name = f"{self.folder.clock():%Y-%m-%d %H%M%S} {code} {m.bundle} {m.id[:8]}.eml"
            path = self.outbox_dir() / safe_component(name, 120)
            atomic_write(path, data)
            status, error, where = SENT, "", str(path)
        else:
            status, error = smtp_send(smtp, data, m.to)
            where = (m.channel or "smtp") if status == SENT else ""
        try:
            with self.folder.dossiers.edit(code) as d:
                m = find(d, mailing_id)
                self._status(d, m, status, error, where)
        except (OSError, StoreError) as exc:
            if status != SENT:
                raise
            # The server has it: never report a delivered mail as failed (the retry would
            # send it twice). The record stays "sending" and becomes "unknown" for a person
            # to confirm once this process has ended.
            log.warning("e-mail %s consegnata ma non registrata: %s", mailing_id, exc)
            m.status, m.delivered_to, m.last_error = SENT, where, f"registrazione: {exc}"
        return m

    def reconcile(self, code: str) -> list[Mailing]:
        """Mark as "unknown" the mailings left "sending" by a process that no longer runs."""
        changed: list[Mailing] = []
        with self.folder.dossiers.edit(code) as d:
            for m in d.customer.mailings:
                if m.status == SENDING and not _alive(m.sending_pid):
                    error = "invio interrotto: verificare se il cliente l'ha ricevuto"
                    self._status(d, m, UNKNOWN, error)
                    changed.append(m)
        return changed

    def settle(self, code: str, mailing_id: str, status: MailingStatus) -> Mailing:
        """A person decides the fate of an "unknown" (or queued) mailing."""
        with self.folder.dossiers.edit(code) as d:
            m = find(d, mailing_id)
            if m.status not in (UNKNOWN, QUEUED):
                raise Refused(f"L'invio {mailing_id[:8]} è «{m.status}»: nulla da decidere.")
            self._status(d, m, status, "")
        return m
