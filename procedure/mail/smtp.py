"""The SMTP adapter: hands a message to the server and says what became of it."""

import smtplib
import ssl
from email.utils import parseaddr

from procedure.config.settings import SmtpSettings
from procedure.enums import MailingStatus

SENT, QUEUED, UNKNOWN = MailingStatus.SENT, MailingStatus.QUEUED, MailingStatus.UNKNOWN


class Refusal(Exception):
    """The server refused the message before taking it: it may be sent again."""


def _connect(smtp: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    if smtp.security == "ssl":
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=30, context=context)
    return smtplib.SMTP(smtp.host, smtp.port, timeout=30)


def _envelope(
    server: smtplib.SMTP, smtp: SmtpSettings, context: ssl.SSLContext, to: list[str]
) -> None:
    """Greet, secure, log in, name sender and recipients; raises Refusal."""
    server.ehlo()
    if smtp.security == "starttls":
        server.starttls(context=context)
        server.ehlo()
    if smtp.user:
        server.login(smtp.user, smtp.password)
    code, reply = server.mail(parseaddr(smtp.sender)[1])
    if code != 250:
        raise Refusal(f"mittente rifiutato: {code} {reply.decode(errors='replace')}")
    for address in to:
        code, reply = server.rcpt(address)
        if code not in (250, 251):
            raise Refusal(f"destinatario {address} rifiutato: {code}")


def _data(server: smtplib.SMTP, data: bytes) -> tuple[MailingStatus, str]:
    """Hand over the message: once it is on its way, a failure leaves its fate unknown."""
    try:
        code, reply = server.data(data)
    except smtplib.SMTPDataError as exc:  # the server answered: it did not take it
        return QUEUED, f"messaggio rifiutato: {exc.smtp_code} {exc.smtp_error!r}"
    except (OSError, smtplib.SMTPException) as exc:
        return UNKNOWN, f"connessione persa durante l'invio: {exc}"
    if code != 250:  # smtplib returns the final reply instead of raising
        return QUEUED, f"messaggio rifiutato: {code} {reply.decode(errors='replace')}"
    return SENT, ""


def smtp_send(smtp: SmtpSettings, data: bytes, to: list[str]) -> tuple[MailingStatus, str]:
    """Send ``data``; return (sent | queued | unknown, error)."""
    context = ssl.create_default_context()
    try:
        server = _connect(smtp, context)
    except (OSError, smtplib.SMTPException) as exc:
        return QUEUED, f"server di posta non raggiungibile: {exc}"
    try:
        try:
            _envelope(server, smtp, context, to)
        except Refusal as exc:
            return QUEUED, str(exc)
        except (OSError, smtplib.SMTPException) as exc:
            return QUEUED, f"invio non riuscito: {exc}"
        return _data(server, data)
    finally:
        try:
            server.quit()
        except (OSError, smtplib.SMTPException):
            server.close()
