"""Digitally signed returns: CAdES envelopes (``.p7m``, DER, BER or base64, nested as some
Italian signing tools make them), every signer and counter-signer of each, checked with
pyHanko (PAdES-signed PDFs: ``archive.signatures.pades``).

A signature is *valid* when its content matches what was signed, the signature verifies
with the certificate's key, the certificate was within its validity dates at signing time
and, where the file carries revocation data, was not revoked then (``revocation``;
without such data revocation is "non verificata", and said). Trust in the signer's
certificate chain is judged only against a trust list the company configures (a folder of
CA certificates); without one it is reported as unchecked, never assumed.
"""

import asyncio
import base64
import binascii
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import cms, core, pem
from asn1crypto import x509 as asn1_x509
from cryptography.exceptions import InvalidSignature
from pyhanko.sign.validation.generic_cms import (
    async_validate_cms_signature,
    extract_self_reported_ts,
)
from pyhanko.sign.validation.status import SignatureStatus
from pyhanko.sign.validation.utils import extract_message_digest
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.sig_validate import DefaultSignatureValidator, SignatureValidationContext

from archive.signatures.revocation import (
    REVOKED,
    UNCHECKED,
    RevocationData,
    from_cms,
    revocation,
)

MAX_ENVELOPE_BYTES = 50 * 1024 * 1024
MAX_NESTING = 3
MAX_TRUST_CERTS = 500
SIGNED_DATA = "signed_data"
# pyHanko logs a traceback for every chain it cannot build: we report trust ourselves.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


class NotSigned(Exception):
    """The file is not a signed envelope that can be opened (Italian message)."""


SIGNATURE, COUNTER_SIGNATURE, TIMESTAMP = "firma", "controfirma", "marca temporale"


@dataclass(frozen=True)
class Signature:
    signer: str
    tax_code: str  # from the certificate's serialNumber (TINIT-… or IT:…), "" when absent
    signed_at: datetime | None  # with its time zone, as the file says it
    valid: bool
    problem: str  # Italian, "" when valid
    trusted: bool | None  # None: no trust list configured, so not checked
    kind: str = SIGNATURE  # firma | controfirma | marca temporale
    revocation: str = UNCHECKED


def summary(signatures: Sequence[Signature]) -> Signature:
    """The one verdict a file gets: its first signature that fails, else its first
    signature (a timestamp only when the file holds nothing else)."""
    failed = [s for s in signatures if not s.valid]
    if failed:
        return failed[0]
    return next((s for s in signatures if s.kind == SIGNATURE), signatures[0])


def unreadable(problem: str, kind: str = SIGNATURE) -> Signature:
    """A signature that is there but cannot be checked."""
    return Signature("", "", None, False, problem, None, kind)


@dataclass(frozen=True)
class Opened:
    content: bytes  # the signed document itself
    signatures: tuple[Signature, ...]  # every signer of every envelope, outer first

    @property
    def signature(self) -> Signature:
        return summary(self.signatures)


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


class _Encapsulated(core.Sequence):  # type: ignore[misc]
    """The encapsulated content as plain octets, whatever its type claims: some signers
    declare signed-data for a document that is not one (DSS accepts them, so do we)."""

    _fields = [  # noqa: RUF012 - asn1crypto's declaration style
        ("content_type", cms.ContentType),
        ("content", core.OctetString, {"explicit": 0, "optional": True}),
    ]


def _mistyped(signed: cms.SignedData) -> bool:
    """Whether the encapsulated content is not the type it claims to be."""
    try:
        signed["encap_content_info"]["content"].native  # noqa: B018 - parsed as its type says
    except ValueError:
        return True
    return False


def _content(signed: cms.SignedData) -> bytes | None:
    """The signed document's bytes; None for a detached signature."""
    encap = signed["encap_content_info"]
    if _mistyped(signed):  # its octets are the document
        value = _Encapsulated.load(encap.dump())["content"].native
    else:
        value = encap["content"].native
    return value if isinstance(value, bytes) else None


def _signed_data(data: bytes) -> cms.SignedData | None:
    try:
        info = cms.ContentInfo.load(_der(data))
        if info["content_type"].native != SIGNED_DATA:
            return None
        signed = info["content"]
        _content(signed)  # parsed now, or not at all
        len(signed["signer_infos"])
    except (ValueError, TypeError, KeyError, NotSigned):
        return None
    return signed


def _tax_code(cert: asn1_x509.Certificate) -> str:
    """The codice fiscale of an Italian qualified certificate: ``TINIT-<cf>`` (ETSI EN
    319 412-1) or the older ``IT:<cf>``."""
    serial = str(cert.subject.native.get("serial_number", ""))
    for prefix in ("TINIT-", "IT:"):
        if serial.upper().startswith(prefix):
            return serial[len(prefix) :].strip().upper()
    return ""


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


@dataclass(frozen=True)
class Checked:
    """What the cryptography said of one signature, before the verdict."""

    cert: asn1_x509.Certificate
    signed_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool | None
    kind: str = SIGNATURE
    revocation: str = UNCHECKED
    modified: str = ""  # how the document changed after the signature, "" when it did not


def verdict(checked: Checked) -> Signature:
    """The verdict on one signature, its first problem said in Italian."""
    if not checked.intact:
        problem = "il contenuto non corrisponde a quello firmato (file alterato)"
    elif not checked.valid:
        problem = "la firma non è verificabile con il certificato del firmatario"
    elif checked.modified:
        problem = checked.modified
    elif checked.revocation == REVOKED:
        problem = "il certificato del firmatario è stato revocato prima della firma"
    else:
        problem = _dates_problem(checked.cert, checked.signed_at)
    cert = checked.cert
    return Signature(
        _signer(cert),
        _tax_code(cert),
        checked.signed_at,
        not problem,
        problem,
        checked.trusted,
        checked.kind,
        checked.revocation,
    )


def context(trust_roots: list[asn1_x509.Certificate]) -> ValidationContext:
    """The company's trust list, and never the operating system's."""
    return ValidationContext(trust_roots=trust_roots)


def trusted(status: SignatureStatus, trust_roots: list[asn1_x509.Certificate]) -> bool | None:
    return status.trust_problem_indic is None if trust_roots else None


def _one_signer(signed: cms.SignedData, info: cms.SignerInfo) -> cms.SignedData:
    """The envelope as if ``info`` were its only signer (pyHanko checks one at a time)."""
    single = signed.copy()
    single["signer_infos"] = cms.SignerInfos([info])
    return single


async def _signer_info(
    signed: cms.SignedData, info: cms.SignerInfo, roots: list[asn1_x509.Certificate]
) -> list[Signature]:
    """One signer's verdict, and those of its counter-signatures."""
    try:
        single, digest = _one_signer(signed, info), None
        if _mistyped(signed):  # checked as detached, over the document's octets
            algorithm = info["digest_algorithm"]["algorithm"].native
            digest = hashlib.new(algorithm, _content(signed) or b"").digest()
            content_type = signed["encap_content_info"]["content_type"]
            encapsulated = single.spec("encap_content_info")  # its class follows the version
            single["encap_content_info"] = encapsulated({"content_type": content_type})
        status = await async_validate_cms_signature(
            single, raw_digest=digest, validation_context=context(roots)
        )
    except Exception as exc:  # a signer pyHanko cannot take: unreadable, never a crash
        return [unreadable(f"firma non verificabile ({type(exc).__name__})")]
    signed_at = extract_self_reported_ts(info)
    data = from_cms(signed)
    checked = await signature_checked(status, signed_at, data, roots)
    return [verdict(checked), *[_counter(c, info, data.certs) for c in _counters(info)]]


async def signature_checked(
    status: SignatureStatus,
    signed_at: datetime | None,
    data: RevocationData,
    roots: list[asn1_x509.Certificate],
    modified: str = "",
) -> Checked:
    """What pyHanko's ``status`` says of a signature, with its certificate's revocation as
    ``data`` (what the file carries) tells it on ``signed_at``."""
    return Checked(
        status.signing_cert,
        signed_at,
        status.intact,
        status.valid,
        trusted(status, roots),
        revocation=await revocation(status.signing_cert, data, roots, signed_at),
        modified=modified,
    )


def _counters(info: cms.SignerInfo) -> list[cms.SignerInfo]:
    out: list[cms.SignerInfo] = []
    for attr in info["unsigned_attrs"] or []:
        if attr["type"].native == "counter_signature":
            out.extend(attr["values"])
    return out


def _certificate(
    info: cms.SignerInfo, certs: list[asn1_x509.Certificate]
) -> asn1_x509.Certificate | None:
    sid = info["sid"]
    for cert in certs:
        if sid.name == "issuer_and_serial_number":
            wanted = sid.chosen
            if (cert.issuer, cert.serial_number) == (
                wanted["issuer"],
                wanted["serial_number"].native,
            ):
                return cert
        elif cert.key_identifier == sid.chosen.native:
            return cert
    return None


def _counter(
    info: cms.SignerInfo, parent: cms.SignerInfo, certs: list[asn1_x509.Certificate]
) -> Signature:
    """A counter-signature (RFC 5652 § 11.4): its message digest is that of the signature
    value it countersigns; its signed attributes verify with its signer's key."""
    cert = _certificate(info, certs)
    if cert is None:
        return unreadable("controfirma senza il certificato del firmatario", COUNTER_SIGNATURE)
    try:
        algorithm = info["digest_algorithm"]["algorithm"].native
        digest = hashlib.new(algorithm, parent["signature"].native).digest()
        intact = extract_message_digest(info) == digest
        signed_attrs = info["signed_attrs"].untag().dump()
        DefaultSignatureValidator().validate_signature(
            info["signature"].native,
            signed_attrs,
            cert.public_key,
            info["signature_algorithm"],
            context=SignatureValidationContext(contextual_md_algorithm=algorithm),
        )
        valid = True
    except InvalidSignature:
        valid = False
    except Exception as exc:
        return unreadable(f"controfirma non verificabile ({type(exc).__name__})", COUNTER_SIGNATURE)
    checked = Checked(cert, extract_self_reported_ts(info), intact, valid, None, COUNTER_SIGNATURE)
    return verdict(checked)


async def _envelope(signed: cms.SignedData, roots: list[asn1_x509.Certificate]) -> list[Signature]:
    out: list[Signature] = []
    for info in signed["signer_infos"]:
        out += await _signer_info(signed, info, roots)
    return out or [unreadable("busta firmata senza firmatari")]


def open_envelope(data: bytes, trust_roots: list[asn1_x509.Certificate]) -> Opened:
    """The document inside a ``.p7m`` and every signature on it, of every envelope when
    they are nested (outer first); raises NotSigned."""
    if len(data) > MAX_ENVELOPE_BYTES:
        raise NotSigned("busta firmata troppo grande")
    signed = _signed_data(data)
    if signed is None:
        raise NotSigned("il file .p7m non è una busta firmata CAdES leggibile")
    found: list[Signature] = []
    for _ in range(MAX_NESTING):
        content = _content(signed)
        if content is None:
            raise NotSigned("la busta firmata non contiene il documento (firma staccata)")
        found += asyncio.run(_envelope(signed, trust_roots))
        inner = _signed_data(content)
        if inner is None:
            return Opened(content, tuple(found))
        signed = inner
    raise NotSigned("troppe buste firmate una dentro l'altra")


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
