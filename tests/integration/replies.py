"""What customers send back: their replies to our mailings, with files attached."""

from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from tests.conftest import Clock


def attachment(message: EmailMessage, prefix: str, suffix: str) -> bytes:
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if name.startswith(prefix) and name.endswith(suffix):
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload
    raise AssertionError(f"no {prefix}…{suffix} attached")


def reply(original: EmailMessage, files: dict[str, bytes], sender: str) -> bytes:
    """What a customer's mail client sends when they answer with files attached."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = str(original["From"])
    message["Subject"] = f"R: {original['Subject']}"
    message["Date"] = format_datetime(Clock().now.astimezone())
    message["Message-ID"] = make_msgid(domain="gammaprova.example")
    message["In-Reply-To"] = str(original["Message-ID"])
    message["References"] = str(original["Message-ID"])
    message.set_content("Buongiorno, in allegato i moduli compilati.\nCordiali saluti")
    for name, data in files.items():
        kind = "pdf" if name.endswith(".pdf") else "octet-stream"
        message.add_attachment(data, maintype="application", subtype=kind, filename=name)
    return message.as_bytes()
