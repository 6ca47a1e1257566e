"""Reading a message that came into the office mailbox: whom it answers, what it carries,
whether it is a notice that a mailing was not delivered (RFC 3464, or the common bounces
that quote the original) or a PEC receipt (DPR 68/2005, DM 2 novembre 2005: the
``X-Ricevuta`` header and its ``daticert.xml``).

A message is hostile input: it is read only up to fixed sizes and counts, and nothing in it
names a path."""

import hashlib
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.message import Message
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import PurePath

from procedure.enums import ReceiptKind

MAX_MESSAGE = 30 * 1024 * 1024  # a bigger message is left in the mailbox, said in the log
MAX_PARTS = 200
MAX_ATTACHMENTS = 20
MAX_DATICERT = 64 * 1024
RETURNS = (".pdf", ".p7m", ".docx", ".jpg", ".jpeg", ".png", ".tif", ".tiff")
MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}@[^<>\s]{1,250}>")
PEC_KINDS = {
    k.value: k
    for k in (
        ReceiptKind.ACCEPTED,
        ReceiptKind.NOT_ACCEPTED,
        ReceiptKind.DELIVERED,
        ReceiptKind.NOT_DELIVERED,
        ReceiptKind.DELAY_WARNING,
    )
}
BOUNCE_SENDERS = ("mailer-daemon", "postmaster")
BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|delivery status notification \(failure\)|delivery failure|"
    r"mail delivery failed|returned mail|non recapitabile|mancato recapito|"
    r"impossibile recapitare",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Attachment:
    name: str  # as the sender named it: never a path here (only its last part, made safe)
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass(frozen=True)
class Notice:
    """A bounce or a PEC receipt: about which of our messages, what it says, when."""

    kind: ReceiptKind
    original: tuple[str, ...]  # Message-IDs of ours it names
    detail: str
    at: datetime | None = None


@dataclass(frozen=True)
class Inbound:
    key: str  # the Message-ID, else the digest of the bytes: one message, one key
    message_id: str
    sender: str
    date: datetime | None
    answers: tuple[str, ...]  # In-Reply-To, then References
    attachments: tuple[Attachment, ...]
    left_out: tuple[str, ...]  # attachments not taken, each with why
    notice: Notice | None


def message_ids(text: str) -> list[str]:
    return list(dict.fromkeys(MESSAGE_ID.findall(text or "")))


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, TypeError, IndexError):  # a malformed header never stops the reading
        return ""
    return str(value or "")


def _date(message: Message) -> datetime | None:
    try:
        when = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _parts(message: Message) -> list[Message]:
    """The message's parts, depth first, at most MAX_PARTS."""
    out: list[Message] = []
    todo = [message]
    while todo and len(out) < MAX_PARTS:
        part = todo.pop(0)
        out.append(part)
        if part.is_multipart() and part.get_content_type() != "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list):
                todo = [p for p in payload if isinstance(p, Message)] + todo
    return out


def safe_name(raw: str) -> str:
    """The last part of a file name a sender gave, without control characters."""
    last = PurePath(raw.replace("\\", "/")).name
    return "".join(ch for ch in last if ch.isprintable()).strip(" .")[:120]


def _attachments(parts: list[Message]) -> tuple[list[Attachment], list[str]]:
    taken: list[Attachment] = []
    left: list[str] = []
    for part in parts:
        if part.is_multipart():
            continue
        try:
            raw_name = part.get_filename() or ""
        except (ValueError, TypeError, IndexError):
            raw_name = ""
        name = safe_name(raw_name)
        if not name:
            continue  # the body, or an unnamed part
        if not name.lower().endswith(RETURNS):
            left.append(f"{name}: tipo di file non accettato")
            continue
        if len(taken) >= MAX_ATTACHMENTS:
            left.append(f"{name}: oltre {MAX_ATTACHMENTS} allegati")
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            left.append(f"{name}: allegato vuoto o illeggibile")
            continue
        taken.append(Attachment(name, data))
    return taken, left


def _text(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    return data[:MAX_DATICERT].decode(part.get_content_charset() or "utf-8", "replace")


def _dsn_failures(part: Message) -> list[str]:
    """The reasons of every recipient a message/delivery-status part says failed."""
    blocks = part.get_payload()
    if not isinstance(blocks, list):
        return []
    reasons = []
    for block in blocks[1:]:  # the first holds the per-message fields
        if not isinstance(block, Message):
            continue
        if _header(block, "Action").strip().lower() != "failed":
            continue
        recipient = _header(block, "Final-Recipient").partition(";")[2].strip()
        why = _header(block, "Diagnostic-Code").partition(";")[2].strip()
        status = _header(block, "Status").strip()
        reason = " ".join(why.split()) or f"stato {status}"
        reasons.append(f"{recipient}: {reason}" if recipient else reason)
    return reasons


def _original_ids(parts: list[Message]) -> list[str]:
    """Message-IDs the returned original carries (its headers, quoted or attached)."""
    found: list[str] = []
    for part in parts:
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                found += message_ids(_header(inner[0], "Message-ID"))
        elif kind in ("text/rfc822-headers", "text/plain"):
            found += [m for m in message_ids(_text(part)) if m not in found]
    return list(dict.fromkeys(found))


def _bounce(message: Message, parts: list[Message]) -> Notice | None:
    """A notice that one of our messages was not delivered; a delay is not one."""
    own = _header(message, "Message-ID")
    originals = [m for m in _original_ids(parts) if m not in own]
    if message.get_content_type() == "multipart/report":
        if message.get_param("report-type", "", header="content-type") != "delivery-status":
            return None
        reasons = [
            r
            for p in parts
            if p.get_content_type() == "message/delivery-status"
            for r in _dsn_failures(p)
        ]
        if not reasons:
            return None  # delayed or delivered: not a bounce
        return Notice(ReceiptKind.BOUNCE, tuple(originals), "; ".join(reasons)[:500])
    sender = parseaddr(_header(message, "From"))[1].lower()
    subject = _header(message, "Subject")
    if not (sender.startswith(BOUNCE_SENDERS) or BOUNCE_SUBJECT.search(subject)):
        return None
    if not originals:
        return None
    return Notice(ReceiptKind.BOUNCE, tuple(originals), _bounce_reason(parts, subject))


def _bounce_reason(parts: list[Message], subject: str) -> str:
    """The line of a non-standard bounce that gives the server's answer (a 5xx code)."""
    for part in parts:
        if part.get_content_type() == "text/plain":
            for line in _text(part).splitlines():
                if re.search(r"\b5\d\d\b|\b5\.\d{1,3}\.\d{1,3}\b", line):
                    return " ".join(line.split())[:500]
    return " ".join(subject.split())[:500] or "mancato recapito"


def _daticert(parts: list[Message]) -> ET.Element | None:
    for part in parts:
        try:
            name = (part.get_filename() or "").lower()
        except (ValueError, TypeError, IndexError):
            continue
        if name != "daticert.xml":
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or len(data) > MAX_DATICERT or b"<!DOCTYPE" in data:
            return None  # no DTD: no entity can expand
        try:
            return ET.fromstring(data)
        except ET.ParseError:
            return None
    return None


def _pec_time(root: ET.Element) -> datetime | None:
    """The receipt's <data zona="+0100"><giorno>dd/mm/yyyy</giorno><ora>hh:mm:ss</ora>."""
    data = root.find("dati/data")
    if data is None:
        return None
    zone = data.get("zona", "+0000")
    try:
        when = datetime.strptime(
            f"{data.findtext('giorno', '')} {data.findtext('ora', '')}", "%d/%m/%Y %H:%M:%S"
        )
        sign = -1 if zone.startswith("-") else 1
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    except ValueError:
        return None
    return when.replace(tzinfo=timezone(sign * offset))


def _receipt(message: Message, parts: list[Message]) -> Notice | None:
    """A PEC receipt, from the provider's header and its certified data."""
    kind = PEC_KINDS.get(_header(message, "X-Ricevuta").strip().lower())
    if kind is None:
        return None
    root = _daticert(parts)
    original = message_ids(_header(message, "X-Riferimento-Message-ID"))
    if root is not None and root.get("tipo", kind.value) != kind.value:
        return None  # the certified data and the header disagree: not a receipt
    at = _pec_time(root) if root is not None else None
    if root is not None:
        original = original or message_ids(root.findtext("dati/msgid", ""))
        where = ", ".join(e.text or "" for e in root.iterfind("dati/consegna") if e.text)
        error = root.findtext("dati/errore-esteso", "") or root.get("errore", "")
    else:
        where, error = "", ""
    detail = where if kind == ReceiptKind.DELIVERED else error if error != "nessuno" else ""
    return Notice(kind, tuple(original), " ".join(detail.split())[:500], at)


def _certified(message: Message, parts: list[Message]) -> Message:
    """The message a PEC transport envelope carries (``X-Trasporto: posta-certificata``,
    the original as ``postacert.eml``), else ``message`` itself."""
    if _header(message, "X-Trasporto").strip().lower() != "posta-certificata":
        return message
    for part in parts:
        if part.get_content_type() == "message/rfc822":
            inner = part.get_payload()
            if isinstance(inner, list) and inner and isinstance(inner[0], Message):
                return inner[0]
    return message


def read(data: bytes) -> Inbound:
    """What ``data`` (one message as the server gave it) is and carries; a message that came
    by PEC is read inside its provider's envelope."""
    message = message_from_bytes(data[:MAX_MESSAGE], policy=policy.compat32)
    parts = _parts(message)
    own = message_ids(_header(message, "Message-ID"))
    message_id = own[0] if own else ""
    notice = _receipt(message, parts) or _bounce(message, parts)
    sent = _certified(message, parts) if notice is None else message
    answers = message_ids(_header(sent, "In-Reply-To"))
    answers += [m for m in message_ids(_header(sent, "References")) if m not in answers]
    taken, left = (
        ([], []) if notice else _attachments(_parts(sent) if sent is not message else parts)
    )
    return Inbound(
        key=message_id or "sha256:" + hashlib.sha256(data).hexdigest(),
        message_id=message_id,
        sender=parseaddr(_header(sent, "From"))[1],
        date=_date(message),
        answers=tuple(answers),
        attachments=tuple(taken),
        left_out=tuple(left),
        notice=notice,
    )


def our_code(message_id: str) -> str:
    """The customer code inside a Message-ID of the shape we make
    (``<time.pid.random.CODE@domain>``), or "" (the dossier then says whether it is ours)."""
    local = message_id.strip("<>").rpartition("@")[0]
    pieces = local.split(".", 3)
    if len(pieces) != 4 or not all(p.isdigit() for p in pieces[:3]):
        return ""
    return pieces[3]
