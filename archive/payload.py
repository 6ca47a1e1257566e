"""What a form's QR code says, ``ACQ1:<customer code>:<form id>``, and why a file cannot be
read: light enough to import where the images are not (the readers are in ``qr.py``)."""

PREFIX = "ACQ1:"


class Unreadable(Exception):
    """The file cannot be read as what its name says (Italian reason, shown in the intake)."""


class TooBig(Unreadable):
    """The file is past what recognition reads (Italian reason, shown in the intake)."""


def parse(payload: str) -> tuple[str, str] | None:
    """(customer code, form id) of ``ACQ1:<code>:<form>``, or None."""
    parts = payload.split(":")
    if len(parts) != 3 or parts[0] + ":" != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
