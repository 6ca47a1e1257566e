"""Digitally signed returns: CAdES envelopes (``.p7m``, DER or base64, nested as some Italian
signing tools make them) and PAdES-signed PDFs, checked with pyHanko.

A signature is *valid* when its content matches what was signed, the signature verifies
with the certificate's key, and the certificate was within its validity dates at signing
time. Trust in the signer's certificate chain is judged only against a trust list the
company configures (a folder of CA certificates); without one it is reported as unchecked,
never assumed.
"""

import asyncio
import base64
import binascii
import io
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import cms, pem
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.generic_cms import (
    async_validate_cms_signature,
    extract_self_reported_ts,
)
from pyhanko_certvalidator import ValidationContext

MAX_ENVELOPE_BYTES = 50 * 1024 * 1024
MAX_NESTING = 3
MAX_TRUST_CERTS = 500
SIGNED_DATA = "signed_data"
# pyHanko logs a traceback for every chain it cannot build: we report trust ourselves.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class NotSigned(Exception):
    """The file is not a signed envelope that can be opened (Italian message)."""


@dataclass(frozen=True)
class Signature:
    signer: str
    tax_code: str  # from the certificate's serialNumber TINIT-…, "" when absent
    signed_at: datetime | None
    valid: bool
    problem: str  # Italian, "" when valid
    trusted: bool | None  # None: no trust list configured, so not checked


@dataclass(frozen=True)
class Opened:
    content: bytes  # the signed document itself
    signature: Signature


def _der(data: bytes) -> bytes:
    """The DER bytes of an envelope saved as DER, PEM or bare base64."""
    if pem.detect(data):
        der: bytes = pem.unarmor(data)[2]
        return der
    if data[:1] == b"\x30":
        return data
    try:
        return base64.b64decode(b"".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        raise NotSigned("il file .p7m non è una busta firmata leggibile") from None


def _signed_data(data: bytes) -> cms.SignedData | None:
    try:
        info = cms.ContentInfo.load(_der(data))
        if info["content_type"].native != SIGNED_DATA:
            return None
        signed = info["content"]
        signed.native  # noqa: B018 - parse it all now: a broken one fails here, not later
    except (ValueError, TypeError, KeyError, NotSigned):
        return None
    return signed


def _tax_code(cert: asn1_x509.Certificate) -> str:
    serial = str(cert.subject.native.get("serial_number", ""))
    return serial.removeprefix("TINIT-") if serial.startswith("TINIT-") else ""


def _signer(cert: asn1_x509.Certificate) -> str:
    subject = cert.subject.native
    name = subject.get("common_name") or " ".join(
        str(subject[k]) for k in ("given_name", "surname") if k in subject
    )
    return str(name)


def _dates_problem(cert: asn1_x509.Certificate, signed_at: datetime | None) -> str:
    when = signed_at or datetime.now(UTC)
    validity = cert["tbs_certificate"]["validity"]
    if when > validity["not_after"].native:
        return "il certificato del firmatario era scaduto al momento della firma"
    if when < validity["not_before"].native:
        return "il certificato del firmatario non era ancora valido al momento della firma"
    return ""


def _verdict(
    cert: asn1_x509.Certificate,
    signed_at: datetime | None,
    intact: bool,
    valid: bool,
    trusted: bool | None,
) -> Signature:
    problem = ""
    if not intact:
        problem = "il contenuto non corrisponde a quello firmato (file alterato)"
    elif not valid:
        problem = "la firma non è verificabile con il certificato del firmatario"
    else:
        problem = _dates_problem(cert, signed_at)
    return Signature(_signer(cert), _tax_code(cert), signed_at, not problem, problem, trusted)


def _context(trust_roots: list[asn1_x509.Certificate]) -> ValidationContext:
    """The company's trust list, and never the operating system's."""
    return ValidationContext(trust_roots=trust_roots)


def _check(signed: cms.SignedData, trust_roots: list[asn1_x509.Certificate]) -> Signature:
    status = asyncio.run(
        async_validate_cms_signature(signed, validation_context=_context(trust_roots))
    )
    signed_at = extract_self_reported_ts(signed["signer_infos"][0])
    trusted = status.trust_problem_indic is None if trust_roots else None
    return _verdict(status.signing_cert, signed_at, status.intact, status.valid, trusted)


def open_envelope(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> Opened:
    """The document inside a ``.p7m`` and its signature (the outer one's, made invalid by
    any inner one that fails); raises NotSigned."""
    if len(data) > MAX_ENVELOPE_BYTES:
        raise NotSigned("busta firmata troppo grande")
    signed = _signed_data(data)
    if signed is None:
        raise NotSigned("il file .p7m non è una busta firmata CAdES leggibile")
    outer: Signature | None = None
    for _ in range(MAX_NESTING):
        content = signed["encap_content_info"]["content"].native
        if not isinstance(content, bytes):
            raise NotSigned("la busta firmata non contiene il documento (firma staccata)")
        signature = _check(signed, trust_roots)
        if outer is None or not signature.valid:
            outer = signature
        inner = _signed_data(content)
        if inner is None:
            return Opened(content, outer)
        signed = inner
    raise NotSigned("troppe buste firmate una dentro l'altra")


async def _pdf_signature(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> Signature | None:
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    signatures = reader.embedded_regular_signatures
    if not signatures:
        return None
    embedded = signatures[0]
    status = await async_validate_pdf_signature(embedded, _context(trust_roots), skip_diff=True)
    trusted = status.trust_problem_indic is None if trust_roots else None
    signed_at = status.signer_reported_dt
    return _verdict(status.signing_cert, signed_at, status.intact, status.valid, trusted)


def pdf_signature(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> Signature | None:
    """The first signature embedded in a PDF (PAdES), or None for an unsigned PDF or one
    that cannot be read."""
    if len(data) > MAX_ENVELOPE_BYTES or b"/ByteRange" not in data:
        return None
    try:
        return asyncio.run(_pdf_signature(data, trust_roots))
    except Exception:
        return None


def trust_list(folder: Path) -> list[asn1_x509.Certificate]:
    """The CA certificates (.pem, .crt, .cer, .der) of the company's trust-list folder;
    regular files only."""
    roots: list[asn1_x509.Certificate] = []
    if not folder.is_dir():
        return roots
    for path in sorted(folder.iterdir())[:MAX_TRUST_CERTS]:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1024 * 1024:
            continue
        data = path.read_bytes()
        for der in [pem.unarmor(b)[2] for b in _pem_blocks(data)] or [data]:
            try:
                cert = asn1_x509.Certificate.load(der)
                cert.native  # noqa: B018 - fully parsed, or skipped
            except (ValueError, TypeError):
                continue
            roots.append(cert)
    return roots


def _pem_blocks(data: bytes) -> list[bytes]:
    if not pem.detect(data):
        return []
    blocks, marker = [], b"-----END CERTIFICATE-----"
    for chunk in data.split(marker)[:-1]:
        start = chunk.find(b"-----BEGIN")
        if start >= 0:
            blocks.append(chunk[start:] + marker)
    return blocks
