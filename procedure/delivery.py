"""Delivering recorded mailings: SMTP when configured, else .eml files in the outbox folder.

A mailing is in the store before anything is sent ("queued"), is marked "sending" with the
sending process's pid just before the attempt, and "sent" once the server accepted it. A
failure before the message went out leaves it "queued" for a retry; a failure while the
server was receiving it, or a crash mid-send, makes its fate "unknown": it is never resent
on its own, and a person confirms or resends it (same bytes, same Message-ID).
"""

import os
import smtplib
import ssl
from email.utils import parseaddr
from pathlib import Path

from archive.layout import safe_component
from procedure.conditions import Context
from procedure.model import Mailing
from procedure.office import NotFound, Office, Refused
from procedure.settings import SmtpSettings
from store.files import atomic_write, ensure_dir
from store.repositories import Records

QUEUED, SENDING, SENT, UNKNOWN, CANCELLED = "queued", "sending", "sent", "unknown", "cancelled"
OPEN = (QUEUED, SENDING, UNKNOWN)


def mail_dir(office: Office) -> Path:
    return ensure_dir(office.settings.data_dir / "mail")


def outbox_dir(office: Office) -> Path:
    return ensure_dir(office.settings.data_dir / "outbox")


def _find(ctx: Context, mailing_id: str) -> Mailing:
    for m in ctx.customer.mailings:
        if m.id == mailing_id:
            return m
    raise NotFound(f"Invio {mailing_id!r} inesistente per {ctx.customer.code}.")


def record(office: Office, code: str, mailing: Mailing, data: bytes) -> Mailing:
    """Store the message bytes and the queued mailing, before any attempt to send it."""
    path = mail_dir(office) / f"{mailing.id}.eml"
    atomic_write(path, data)
    mailing.eml = str(path)

    def change(ctx: Context, rec: Records) -> None:
        ctx.customer.mailings.append(mailing)
        entry = {"bundle": mailing.bundle, "to": mailing.to, "message_id": mailing.message_id}
        rec.customer_audit(code, office.entry("mail.queue", mailing.id, None, entry))

    office.change(code, change)
    return mailing


def _set(office: Office, code: str, mailing_id: str, **fields: object) -> Mailing:
    result: list[Mailing] = []

    def change(ctx: Context, rec: Records) -> None:
        m = _find(ctx, mailing_id)
        before = m.status
        for key, value in fields.items():
            setattr(m, key, value)
        if m.status != before:
            entry = office.entry(f"mail.{m.status}", m.id, before, m.last_error or None)
            rec.customer_audit(code, entry)
        result.append(m)

    office.change(code, change)
    return result[0]


def smtp_send(smtp: SmtpSettings, data: bytes, to: list[str]) -> tuple[str, str]:
    """Send ``data``; return (sent | queued | unknown, error)."""
    context = ssl.create_default_context()
    try:
        server: smtplib.SMTP
        if smtp.security == "ssl":
            server = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=30, context=context)
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=30)
    except (OSError, smtplib.SMTPException) as exc:
        return QUEUED, f"server di posta non raggiungibile: {exc}"
    try:
        try:
            server.ehlo()
            if smtp.security == "starttls":
                server.starttls(context=context)
                server.ehlo()
            if smtp.user:
                server.login(smtp.user, smtp.password)
            code, reply = server.mail(parseaddr(smtp.sender)[1])
            if code != 250:
                return QUEUED, f"mittente rifiutato: {code} {reply.decode(errors='replace')}"
            for address in to:
                code, reply = server.rcpt(address)
                if code not in (250, 251):
                    return QUEUED, f"destinatario {address} rifiutato: {code}"
        except (OSError, smtplib.SMTPException) as exc:
            return QUEUED, f"invio non riuscito: {exc}"
        try:
            code, reply = server.data(data)
        except smtplib.SMTPDataError as exc:  # the server answered: it did not take it
            return QUEUED, f"messaggio rifiutato: {exc.smtp_code} {exc.smtp_error!r}"
        except (OSError, smtplib.SMTPException) as exc:
            return UNKNOWN, f"connessione persa durante l'invio: {exc}"
        if code != 250:  # smtplib returns the final reply instead of raising
            return QUEUED, f"messaggio rifiutato: {code} {reply.decode(errors='replace')}"
        return SENT, ""
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()


def deliver(office: Office, code: str, mailing_id: str) -> Mailing:
    """Try to deliver a queued mailing once; returns it with its new status."""
    reserved: list[Mailing] = []

    def reserve(ctx: Context, rec: Records) -> bool:
        m = _find(ctx, mailing_id)
        if m.status != QUEUED:
            reserved.append(m)
            return False  # another process has it, or it is done
        m.status, m.sending_pid, m.attempts = SENDING, os.getpid(), m.attempts + 1
        reserved.append(m)
        return True

    office.change(code, reserve)
    m = reserved[0]
    if m.status != SENDING or m.sending_pid != os.getpid():
        return m
    data = Path(m.eml).read_bytes()
    smtp = office.settings.smtp
    if smtp is None:
        name = f"{office.clock():%Y-%m-%d %H%M%S} {code} {m.bundle} {m.id[:8]}.eml"
        path = outbox_dir(office) / safe_component(name, 120)
        atomic_write(path, data)
        status, error, where = SENT, "", str(path)
    else:
        status, error = smtp_send(smtp, data, m.to)
        where = "smtp" if status == SENT else ""
    return _set(office, code, mailing_id, status=status, last_error=error, sending_pid=0,
                sent_at=office.clock() if status == SENT else None, delivered_to=where)  # fmt: skip


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


def reconcile(office: Office, code: str) -> list[Mailing]:
    """Mark as "unknown" the mailings left "sending" by a process that no longer runs."""
    changed: list[Mailing] = []

    def change(ctx: Context, rec: Records) -> bool:
        for m in ctx.customer.mailings:
            if m.status == SENDING and not _alive(m.sending_pid):
                m.status = UNKNOWN
                m.last_error = "invio interrotto: verificare se il cliente l'ha ricevuto"
                rec.customer_audit(code, office.entry("mail.unknown", m.id, SENDING, None))
                changed.append(m)
        return bool(changed)

    office.change(code, change)
    return changed


def confirm(office: Office, code: str, mailing_id: str) -> Mailing:
    """A person checked that an "unknown" mailing did arrive: mark it sent."""
    return _settle(office, code, mailing_id, SENT)


def resend(office: Office, code: str, mailing_id: str) -> Mailing:
    """A person asks to send an "unknown" mailing again: same bytes, same Message-ID."""
    _settle(office, code, mailing_id, QUEUED)
    return deliver(office, code, mailing_id)


def cancel(office: Office, code: str, mailing_id: str) -> Mailing:
    return _settle(office, code, mailing_id, CANCELLED)


def _settle(office: Office, code: str, mailing_id: str, status: str) -> Mailing:
    current = next((m for m in office.customer(code).mailings if m.id == mailing_id), None)
    if current is None:
        raise NotFound(f"Invio {mailing_id!r} inesistente per {code}.")
    if current.status not in (UNKNOWN, QUEUED):
        raise Refused(f"L'invio {mailing_id[:8]} è «{current.status}»: nulla da decidere.")
    sent_at = office.clock() if status == SENT else None
    return _set(office, code, mailing_id, status=status, sent_at=sent_at, last_error="")
