"""Composing a customer e-mail: recipients, Italian text from templates/mail, attachments."""

import mimetypes
import uuid
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from procedure.config.locations import TEMPLATES_DIR
from procedure.config.settings import Settings
from procedure.enums import Bundle, ContactRole
from procedure.errors import MailTemplateProblem, Refused
from procedure.model import Customer, Mailing
from procedure.rules.validation import is_email

ROLES_FOR: dict[str, tuple[ContactRole, ...]] = {
    Bundle.FORMS: (ContactRole.ADMINISTRATION, ContactRole.LEGAL_REP),
    Bundle.REMINDER: (ContactRole.ADMINISTRATION, ContactRole.LEGAL_REP),
    Bundle.CONTRACTS: (ContactRole.LEGAL_REP, ContactRole.ADMINISTRATION),
    Bundle.LICENCES: (ContactRole.SOFTWARE, ContactRole.IT, ContactRole.ADMINISTRATION),
}


def recipients(customer: Customer, bundle: str) -> list[str]:
    """Who receives ``bundle``: the contacts of the right roles, else the PEC, else anyone."""
    roles = ROLES_FOR.get(bundle, ())
    chosen = [k.email for role in roles for k in customer.contacts if k.role == role and k.email]
    if not chosen and customer.pec:
        chosen = [customer.pec]
    if not chosen:
        chosen = [k.email for k in customer.contacts if k.email]
    # an address that is not one (a newline in it, from data older than the checks) never
    # reaches a header, where it could add headers of its own
    chosen = [address for address in chosen if is_email(address)]
    if not chosen:
        raise Refused(f"{customer.code}: nessun indirizzo e-mail del cliente a cui scrivere.")
    return list(dict.fromkeys(chosen))


def mail_template(settings: Settings, bundle: str) -> Path:
    custom = settings.data_dir / "modelli" / f"{bundle}.txt"
    return custom if custom.exists() else TEMPLATES_DIR / "mail" / f"{bundle}.txt"


def mail_text(settings: Settings, bundle: str, context: dict[str, Any]) -> tuple[str, str]:
    """(subject, body) of ``bundle``; the file's first line is ``Oggetto: …``."""
    path = mail_template(settings, bundle)
    env = SandboxedEnvironment(
        autoescape=False, undefined=StrictUndefined, keep_trailing_newline=True
    )
    try:
        text = env.from_string(path.read_text(encoding="utf-8")).render(context)
    except (OSError, TemplateError) as exc:
        raise MailTemplateProblem(f"Testo e-mail {path.name}: {exc}") from None
    first, _, body = text.partition("\n")
    if not first.startswith("Oggetto:"):
        raise MailTemplateProblem(
            f"Testo e-mail {path.name}: la prima riga deve essere «Oggetto: …»"
        )
    return first.removeprefix("Oggetto:").strip(), body.lstrip("\n")


def sender(settings: Settings, pec: bool = False) -> str:
    if pec and settings.pec:
        return settings.pec.smtp.sender
    if settings.smtp:
        return settings.smtp.sender
    return f"{settings.company.name} <{settings.company.email}>"


def by_pec(
    settings: Settings, customer: Customer, pec_bundles: tuple[str, ...], bundle: str
) -> bool:
    """Whether ``bundle`` goes by PEC: a bundle the procedure marks as needing proof of
    delivery, the company's PEC account configured, the customer's PEC known."""
    return bool(bundle in pec_bundles and settings.pec and is_email(customer.pec))


def compose(
    settings: Settings,
    customer: Customer,
    bundle: str,
    context: dict[str, Any],
    attachments: list[tuple[Path, bytes]],
    now: datetime,
    user: str,
    pec: bool = False,
) -> tuple[Mailing, bytes]:
    """The mailing record and the exact bytes that will be sent (and resent) for it; by
    ``pec``, from the company's PEC to the customer's."""
    subject, body = mail_text(settings, bundle, context)
    to = [customer.pec] if pec else recipients(customer, bundle)
    domain = parseaddr(sender(settings, pec))[1].rpartition("@")[2] or "acquisto.local"
    message = EmailMessage()
    message["From"] = sender(settings, pec)
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = format_datetime(now.astimezone())
    message["Message-ID"] = make_msgid(idstring=customer.code, domain=domain)
    message.set_content(body)
    for path, data in attachments:
        kind, _ = mimetypes.guess_type(path.name)
        maintype, subtype = (kind or "application/octet-stream").split("/", 1)
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=path.name)
    mailing = Mailing(
        id=uuid.uuid4().hex,
        bundle=bundle,
        to=to,
        subject=subject,
        message_id=str(message["Message-ID"]),
        attachments=[str(p) for p, _ in attachments],
        created_at=now,
        by=user,
        channel="pec" if pec else "",
    )
    return mailing, message.as_bytes(policy=policy.SMTP)  # CRLF: the bytes SMTP carries


def readdressed(data: bytes, to: str, now: datetime) -> tuple[bytes, str]:
    """The bytes of a stored message sent again to ``to``: same text and attachments, a
    new date and Message-ID (it is another message). Returns (bytes, Message-ID)."""
    message = message_from_bytes(data, policy=policy.SMTP)
    domain = parseaddr(str(message["From"] or ""))[1].rpartition("@")[2] or "acquisto.local"
    old = str(message["Message-ID"] or "")
    code = old.strip("<>").rpartition("@")[0].split(".", 3)[-1] if old else ""
    del message["To"], message["Date"], message["Message-ID"]
    message["To"] = to
    message["Date"] = format_datetime(now.astimezone())
    message["Message-ID"] = make_msgid(idstring=code or None, domain=domain)
    return message.as_bytes(policy=policy.SMTP), str(message["Message-ID"])
