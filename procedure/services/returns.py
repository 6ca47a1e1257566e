"""What a returned file carries besides its pages: the digital signature of a .p7m envelope
or of a signed PDF, and the QR codes of the document inside an envelope."""

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import x509 as asn1_x509

from archive.qr import read_codes
from archive.signatures import NotSigned, Signature, open_envelope, pdf_signature, trust_list
from procedure.model import FormSignature

if TYPE_CHECKING:
    from procedure.office import Office

ENVELOPE = ".p7m"
MAGIC = {b"%PDF": ".pdf", b"PK\x03\x04": ".docx", b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png"}


def inner_suffix(name: str, content: bytes) -> str:
    """The suffix of the document inside ``name`` (``contratto.pdf.p7m`` → ``.pdf``), else
    what its first bytes say."""
    inner = Path(name[: -len(ENVELOPE)]).suffix.lower() if name.lower().endswith(ENVELOPE) else ""
    if inner and inner != ENVELOPE:
        return inner
    return next((s for magic, s in MAGIC.items() if content.startswith(magic)), ".bin")


def record(signature: Signature) -> FormSignature:
    return FormSignature(
        signature.signer,
        signature.tax_code,
        signature.signed_at,
        signature.valid,
        signature.problem,
        signature.trusted,
    )


class Returns:
    """Signed returns, checked against the company's trust list when it has one."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def trust_roots(self) -> list[asn1_x509.Certificate]:
        setting = self.office.settings.archive.trust_list
        if not setting:
            return []
        folder = self.office.settings.data_dir / setting  # an absolute setting stays itself
        return trust_list(folder)

    def signature_of(self, path: Path) -> FormSignature | None:
        """The signature the file carries; None for an unsigned one. A .p7m that cannot be
        opened is recorded with its problem."""
        suffix = path.suffix.lower()
        if suffix not in (ENVELOPE, ".pdf"):
            return None
        data = path.read_bytes()
        if suffix == ".pdf":
            found = pdf_signature(data, self.trust_roots())
            return record(found) if found else None
        try:
            return record(open_envelope(data, self.trust_roots()).signature)
        except NotSigned as exc:
            return FormSignature(valid=False, problem=str(exc))

    def codes(self, path: Path) -> list[str]:
        """The QR payloads printed on the file, or on the document inside its envelope."""
        if path.suffix.lower() != ENVELOPE:
            return read_codes(path)
        try:
            content = open_envelope(path.read_bytes(), []).content
        except (NotSigned, OSError):
            return []
        with tempfile.TemporaryDirectory(prefix="acquisto-p7m-") as tmp:
            inner = Path(tmp) / f"documento{inner_suffix(path.name, content)}"
            inner.write_bytes(content)
            return read_codes(inner)
