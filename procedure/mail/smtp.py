"""The SMTP adapter: hands a message to the server and says what became of it."""

import smtplib
import ssl
from email.utils import parseaddr

from procedure.config.settings import SmtpSettings
from procedure.enums import MailingStatus

SENT, QUEUED, UNKNOWN = MailingStatus.SENT, MailingStatus.QUEUED, MailingStatus.UNKNOWN


def smtp_send(smtp: SmtpSettings, data: bytes, to: list[str]) -> tuple[MailingStatus, str]:
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
