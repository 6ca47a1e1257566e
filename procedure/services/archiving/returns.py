"""What a returned file carries besides its pages: the digital signature of a .p7m envelope
or of a signed PDF, and the QR codes of the document inside an envelope."""

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from procedure.folder import DataFolder
from procedure.model import FormSignature, Instant

# pyHanko and what it brings take a third of the TUI's start: imported when a signature is
# first checked, not when the program starts
if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509

    from archive.signatures.verify import Signature

ENVELOPE = ".p7m"
MAGIC = {b"%PDF": ".pdf", b"PK\x03\x04": ".docx", b"\xff\xd8\xff": ".jpg", b"\x89PNG": ".png"}


def inner_suffix(name: str, content: bytes) -> str:
    """The suffix of the document inside ``name`` (``contratto.pdf.p7m`` → ``.pdf``), else
    what its first bytes say."""
    inner = Path(name[: -len(ENVELOPE)]).suffix.lower() if name.lower().endswith(ENVELOPE) else ""
    if inner and inner != ENVELOPE:
        return inner
    return next((s for magic, s in MAGIC.items() if content.startswith(magic)), ".bin")


def record(signature: "Signature") -> FormSignature:
    at = signature.signed_at
    return FormSignature(
        signature.signer,
        signature.tax_code,
        None if at is None else Instant.fromisoformat(at.isoformat()),
        signature.valid,
        signature.problem,
        signature.trusted,
        signature.kind,
        signature.revocation,
    )


@dataclass(frozen=True)
class Signed:
    """What a returned file's signatures say: the one verdict and every signature."""

    summary: FormSignature | None = None  # None: not digitally signed
    every: tuple[FormSignature, ...] = ()


def _signed(found: Sequence["Signature"]) -> Signed:
    from archive.signatures.verify import summary

    if not found:
        return Signed()
    return Signed(record(summary(found)), tuple(record(s) for s in found))


class Returns:
    """Signed returns, checked against the company's trust list when it has one."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def trust_roots(self) -> list["asn1_x509.Certificate"]:
        from archive.signatures.verify import trust_list

        setting = self.folder.settings.archive.trust_list
        if not setting:
            return []
        folder = self.folder.settings.data_dir / setting  # an absolute setting stays itself
        return trust_list(folder)

    def signature_of(self, path: Path) -> Signed:
        """The signatures the file carries; none for an unsigned one. A .p7m that cannot be
        opened is recorded with its problem."""
        suffix = path.suffix.lower()
        if suffix not in (ENVELOPE, ".pdf"):
            return Signed()
        from archive.signatures.pades import pdf_signatures
        from archive.signatures.verify import NotSigned, open_envelope

        data = path.read_bytes()
        if suffix == ".pdf":
            return _signed(pdf_signatures(data, self.trust_roots()))
        try:
            return _signed(open_envelope(data, self.trust_roots()).signatures)
        except NotSigned as exc:
            problem = FormSignature(valid=False, problem=str(exc))
            return Signed(problem, (problem,))

    def codes(self, path: Path) -> list[str]:
        """The QR payloads printed on the file, or on the document inside its envelope."""
        from archive.qr import read_codes  # Pillow, pdfium, zxing: when a file is read

        if path.suffix.lower() != ENVELOPE:
            return read_codes(path)
        from archive.signatures.verify import NotSigned, open_envelope

        try:
            content = open_envelope(path.read_bytes(), []).content
        except (NotSigned, OSError):
            return []
        with tempfile.TemporaryDirectory(prefix="acquisto-p7m-") as tmp:
            inner = Path(tmp) / f"documento{inner_suffix(path.name, content)}"
            inner.write_bytes(content)
            return read_codes(inner)
