"""PAdES: every signature and document timestamp embedded in a PDF, each checked with pyHanko,
its difference analysis included: a change made after a signature beyond what that
signature allowed (an annotation, new content: anything but form filling, later
signatures, timestamps and validation data) makes it "modificato dopo la firma"."""

import asyncio
import io
import logging

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature, async_validate_pdf_timestamp
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import (
    DocumentTimestampStatus,
    PdfSignatureStatus,
    SignatureCoverageLevel,
)

from archive.signatures.revocation import RevocationData, from_cms, from_pdf
from archive.signatures.verify import (
    MAX_ENVELOPE_BYTES,
    SIGNATURE,
    TIMESTAMP,
    Checked,
    Signature,
    context,
    signature_checked,
    trusted,
    unreadable,
    verdict,
)

MODIFIED = "il documento è stato modificato dopo la firma"
NOT_COVERED = "la firma non copre il documento intero"
UNANALYSED = "il documento è stato esteso dopo la firma con modifiche che non si possono analizzare"
MAX_SIGNATURES = 50
log = logging.getLogger("acquisto.archive")


def _modified(coverage: SignatureCoverageLevel | None, docmdp_ok: bool | None) -> str:
    """How the document changed after the signature beyond what it allowed ("" if not)."""
    if coverage is None or coverage < SignatureCoverageLevel.ENTIRE_REVISION:
        return NOT_COVERED
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return ""
    return "" if docmdp_ok else MODIFIED


async def _validate(
    embedded: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate], kind: str
) -> tuple[PdfSignatureStatus | DocumentTimestampStatus, str]:
    """pyHanko's status of one signature or timestamp and how the document changed after
    it; when the difference analysis itself fails on the file, the signature is checked
    without it, and a later change it cannot explain is said as such."""
    validate = async_validate_pdf_timestamp if kind == TIMESTAMP else async_validate_pdf_signature
    try:
        status = await validate(embedded, context(roots))
        return status, _modified(status.coverage, status.docmdp_ok)
    except Exception as exc:  # the analysis could not run: the signature alone, then
        log.info("analisi delle modifiche non riuscita: %s", exc)
    status = await validate(embedded, context(roots), skip_diff=True)
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return status, ""
    if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
        return status, UNANALYSED
    return status, NOT_COVERED


async def _signature(
    embedded: EmbeddedPdfSignature, roots: list[asn1_x509.Certificate], dss: RevocationData
) -> Signature:
    kind = TIMESTAMP if embedded.sig_object_type == "/DocTimeStamp" else SIGNATURE
    try:
        status, modified = await _validate(embedded, roots, kind)
    except Exception as exc:  # a signature pyHanko cannot take: said, never a crash
        return unreadable(f"firma non verificabile ({type(exc).__name__})", kind)
    if isinstance(status, DocumentTimestampStatus):
        checked = Checked(
            status.signing_cert,
            status.timestamp,
            status.intact,
            status.valid,
            trusted(status, roots),
            kind,
            modified=modified,
        )
        return verdict(checked)
    assert isinstance(status, PdfSignatureStatus)
    signed_at = status.signer_reported_dt
    carried = from_cms(embedded.signed_data)
    data = RevocationData(
        carried.crls + dss.crls, carried.ocsps + dss.ocsps, carried.certs + dss.certs
    )
    return verdict(await signature_checked(status, signed_at, data, roots, modified))


async def _signatures(data: bytes, roots: list[asn1_x509.Certificate]) -> list[Signature]:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    embedded = reader.embedded_signatures[:MAX_SIGNATURES]
    if not embedded:
        return []
    dss = from_pdf(reader)
    return [await _signature(e, roots, dss) for e in embedded]


def pdf_signatures(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> list[Signature]:
    """Every signature and document timestamp of a PDF, in signing order; [] for an
    unsigned PDF. A PDF that holds a signature but cannot be read gets one unreadable
    signature, so that it never passes for an unsigned one."""
    if b"/ByteRange" not in data:
        return []
    if len(data) > MAX_ENVELOPE_BYTES:
        return [unreadable("PDF firmato troppo grande da verificare")]
    try:
        return asyncio.run(_signatures(data, trust_roots))
    except Exception as exc:
        return [unreadable(f"PDF firmato non leggibile ({type(exc).__name__})")]
