"""Signed files built here as signing tools make them: throw-away certificates (self-signed or
issued by a throw-away CA, with the Italian serialNumber forms), CAdES envelopes with one or
several signers, counter-signatures, BER encoding and embedded CRLs; PAdES with several
signatures, document timestamps and changes after signing (pyHanko and asn1crypto)."""

import asyncio
import hashlib
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from asn1crypto import algos, cms, core
from asn1crypto import crl as asn1_crl
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator.registry import SimpleCertificateStore

TAX_CODE = "RSSMRA80A01H501U"


@dataclass
class Party:
    """A key, its certificate and a pyHanko signer over them."""

    key: rsa.RSAPrivateKey
    cert: x509.Certificate
    signer: signers.SimpleSigner

    @property
    def asn1(self) -> asn1_x509.Certificate:
        return asn1_x509.Certificate.load(self.cert.public_bytes(serialization.Encoding.DER))

    @property
    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _asn1_key(key: rsa.RSAPrivateKey) -> asn1_keys.PrivateKeyInfo:
    return asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def make_party(
    name: str = "Mario Rossi",
    serial: str = f"TINIT-{TAX_CODE}",
    expired: bool = False,
    issuer: "Party | None" = None,
    ca: bool = False,
    tsa: bool = False,
) -> Party:
    """A certificate for ``name`` (self-signed, or issued by ``issuer``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, name)]
    if serial:
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"))
    subject = x509.Name(attrs)
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=400), now - timedelta(days=1)) if expired else (
        now - timedelta(days=10), now + timedelta(days=365))  # fmt: skip
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.cert.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    usage = {"key_cert_sign": ca, "crl_sign": ca, "content_commitment": not (ca or tsa),
             "digital_signature": not ca}  # fmt: skip
    builder = builder.add_extension(
        x509.KeyUsage(**usage, key_encipherment=False, data_encipherment=False,
                      key_agreement=False, encipher_only=False, decipher_only=False),
        critical=True,
    )  # fmt: skip
    if tsa:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    signing_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    chain = [signing_cert] + ([issuer.asn1] if issuer else [])
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=_asn1_key(key),
        cert_registry=SimpleCertificateStore.from_certs(chain),  # type: ignore[no-untyped-call]
    )
    return Party(key, cert, signer)


def envelope(party: Party, content: bytes) -> bytes:
    """A CAdES-BES attached signature (.p7m, DER) of ``content``, with its signing time."""
    attrs = PdfCMSSignedAttributes(signing_time=datetime.now(UTC))
    sign = party.signer.async_sign_general_data
    signed = asyncio.run(sign(content, "sha256", detached=False, signed_attr_settings=attrs))
    return bytes(signed.dump())


def _signer_info(party: Party, attrs: list[cms.CMSAttribute]) -> cms.SignerInfo:
    """``party``'s SignerInfo over ``attrs`` (and a signing time), made by hand."""
    now = cms.Time({"utc_time": datetime.now(UTC)})
    signed_attrs = cms.CMSAttributes(
        [*attrs, cms.CMSAttribute({"type": "signing_time", "values": [now]})]
    )
    value = party.key.sign(signed_attrs.dump(), padding.PKCS1v15(), hashes.SHA256())
    cert = party.asn1
    sid = cms.IssuerAndSerialNumber({"issuer": cert.issuer, "serial_number": cert.serial_number})
    return cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": sid}),
        "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
        "signed_attrs": signed_attrs,
        "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
        "signature": value,
    })  # fmt: skip


def _digest_attr(data: bytes) -> cms.CMSAttribute:
    return cms.CMSAttribute({"type": "message_digest", "values": [hashlib.sha256(data).digest()]})


def mistyped(party: Party, content: bytes) -> bytes:
    """An envelope whose content type claims signed-data for a plain document, as some
    signers make them (the EU DSS project's ``cades-bes-signeddata-enveloping.p7m``)."""
    oid = bytes.fromhex("06092a864886f70d010702")  # id-signedData
    content_type = cms.CMSAttribute({"type": "content_type", "values": ["signed_data"]})
    info = _signer_info(party, [content_type, _digest_attr(content)])
    certs = cms.CertificateSet([party.asn1]).dump()
    signed = b"".join([
        b"\x02\x01\x01",  # version 1
        cms.DigestAlgorithms([algos.DigestAlgorithm({"algorithm": "sha256"})]).dump(),
        _tagged(0x30, oid + _tagged(0xA0, _tagged(0x04, content))),  # asn1crypto refuses it
        b"\xa0" + certs[1:],  # [0] IMPLICIT
        cms.SignerInfos([info]).dump(),
    ])  # fmt: skip
    return _tagged(0x30, oid + _tagged(0xA0, _tagged(0x30, signed)))


def _tagged(tag: int, value: bytes) -> bytes:
    return bytes([tag]) + _length(len(value)) + value


def _signed_data(envelope_der: bytes) -> cms.SignedData:
    return cms.ContentInfo.load(envelope_der)["content"]


def _wrap(signed: cms.SignedData) -> bytes:
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump(True))


def parallel(parties: list[Party], content: bytes) -> bytes:
    """One envelope signed by every party side by side (parallel signatures)."""
    first = _signed_data(envelope(parties[0], content))
    infos, certs = list(first["signer_infos"]), list(first["certificates"])
    for party in parties[1:]:
        other = _signed_data(envelope(party, content))
        infos += list(other["signer_infos"])
        certs += list(other["certificates"])
    first["signer_infos"] = cms.SignerInfos(infos)
    first["certificates"] = cms.CertificateSet(certs)
    return _wrap(first)


def counter_signed(party: Party, counter: Party, content: bytes) -> bytes:
    """``party``'s envelope with ``counter``'s counter-signature on its signature
    (RFC 5652 § 11.4: signed attributes hold the digest of the countersigned value)."""
    signed = _signed_data(envelope(party, content))
    info = signed["signer_infos"][0]
    csi = _signer_info(counter, [_digest_attr(info["signature"].native)])
    cert = counter.asn1
    info["unsigned_attrs"] = cms.CMSAttributes(
        [cms.CMSAttribute({"type": "counter_signature", "values": [csi]})]
    )
    signed["signer_infos"] = cms.SignerInfos([info])
    signed["certificates"] = cms.CertificateSet([*signed["certificates"], cert])
    return _wrap(signed)


def revoking_crl(ca: Party, revoked: Party) -> asn1_crl.CertificateList:
    """The CA's CRL listing ``revoked``'s certificate as revoked yesterday."""
    now = datetime.now(UTC)
    entry = (
        x509.RevokedCertificateBuilder()
        .serial_number(revoked.cert.serial_number)
        .revocation_date(now - timedelta(days=1))
        .build()
    )
    crl = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - timedelta(days=2))
        .next_update(now + timedelta(days=30))
        .add_revoked_certificate(entry)
        .sign(ca.key, hashes.SHA256())
    )
    return asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


def with_crl(envelope_der: bytes, crl: asn1_crl.CertificateList, ca: Party) -> bytes:
    """The envelope carrying a CRL and the CA's certificate (unsigned parts of the CMS)."""
    signed = _signed_data(envelope_der)
    signed["crls"] = cms.RevocationInfoChoices([cms.RevocationInfoChoice({"crl": crl})])
    signed["certificates"] = cms.CertificateSet([*signed["certificates"], ca.asn1])
    return _wrap(signed)


def _tlv(data: bytes, at: int) -> tuple[int, bytes, int]:
    """(tag, value, end) of the DER element at ``at``."""
    tag, first = data[at], data[at + 1]
    if first < 0x80:
        start, length = at + 2, first
    else:
        n = first & 0x7F
        start, length = at + 2 + n, int.from_bytes(data[at + 2 : at + 2 + n], "big")
    return tag, data[start : start + length], start + length


def _elements(data: bytes) -> list[tuple[int, bytes, bytes]]:
    out, at = [], 0
    while at < len(data):
        tag, value, end = _tlv(data, at)
        out.append((tag, value, data[at:end]))
        at = end
    return out


def _indefinite(tag: int, inner: bytes) -> bytes:
    return bytes([tag, 0x80]) + inner + b"\x00\x00"


def ber(envelope_der: bytes, chunk: int = 1000) -> bytes:
    """The envelope as streaming signers write it: BER, indefinite lengths, the document in
    a constructed OCTET STRING of chunks (what CAdES allows and DER does not)."""
    (_, info, _), = _elements(envelope_der)  # fmt: skip
    (_, _, oid), (_, wrapped, _) = _elements(info)
    (_, signed, _), = _elements(wrapped)  # fmt: skip
    parts = []
    for tag, value, whole in _elements(signed):
        if tag == 0x30 and value.startswith(b"\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01"):
            (_, _, e_oid), (_, e_wrapped, _) = _elements(value)
            (_, content, _), = _elements(e_wrapped)  # fmt: skip
            chunks = b"".join(
                bytes([0x04]) + _length(len(c)) + c
                for c in (content[i : i + chunk] for i in range(0, len(content), chunk))
            )
            whole = _indefinite(0x30, e_oid + _indefinite(0xA0, _indefinite(0x24, chunks)))
        parts.append(whole)
    return _indefinite(0x30, oid + _indefinite(0xA0, _indefinite(0x30, b"".join(parts))))


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(raw)]) + raw


def sign_pdf(pdf: bytes, party: Party, field: str = "Firma") -> bytes:
    """``pdf`` with one more PAdES signature, in an incremental update."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=field)
    return bytes(signers.sign_pdf(writer, meta, signer=party.signer).getvalue())


def timestamp_pdf(pdf: bytes, tsa: Party) -> bytes:
    """``pdf`` with a document timestamp (a /DocTimeStamp signature) from ``tsa``."""
    stamper = DummyTimeStamper(tsa.asn1, _asn1_key(tsa.key))
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    out = signers.PdfTimeStamper(stamper).timestamp_pdf(writer, "sha256", in_place=False)
    return bytes(out.getvalue())


def annotated(pdf: bytes, text: str) -> bytes:
    """``pdf`` with a visible note added on page 1 in an incremental update (what a viewer
    does when someone writes on a signed document)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    page_ref = writer.root["/Pages"]["/Kids"][0]
    page = page_ref.get_object()
    note = generic.DictionaryObject({  # type: ignore[no-untyped-call]
        generic.NameObject("/Type"): generic.NameObject("/Annot"),
        generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
        generic.NameObject("/Rect"): generic.ArrayObject(
            map(generic.NumberObject, (50, 700, 400, 740))
        ),
        generic.NameObject("/Contents"): generic.TextStringObject(text),
        generic.NameObject("/DA"): generic.TextStringObject("/Helv 14 Tf 1 0 0 rg"),
        generic.NameObject("/P"): page_ref,
    })  # fmt: skip
    annots = page.get("/Annots", generic.ArrayObject())
    annots = generic.ArrayObject([*annots.get_object(), writer.add_object(note)])
    page[generic.NameObject("/Annots")] = annots
    writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]
    return out.getvalue()


def broken_last_signature(pdf: bytes) -> bytes:
    """``pdf`` whose last signature's value is changed (its CMS still parses): that
    signature fails, the earlier ones, which do not cover it, still hold."""
    start = pdf.rindex(b"/Contents <") + len(b"/Contents <")
    end = pdf.index(b">", start)
    raw = bytes.fromhex(pdf[start:end].decode())
    length = _tlv(raw, 0)[2]  # the DER, then the zeros that pad the placeholder
    signed = cms.ContentInfo.load(raw[:length])
    si = signed["content"]["signer_infos"][0]
    value = bytearray(si["signature"].native)
    value[-1] ^= 0xFF
    si["signature"] = core.OctetString(bytes(value))
    fresh = signed.dump(force=True)
    assert len(fresh) == length
    hexed = (fresh + raw[length:]).hex().encode()
    return bytes(pdf[:start] + hexed + pdf[end:])


def with_dss(pdf: bytes, ca: Party, signer: Party, crl: asn1_crl.CertificateList) -> bytes:
    """``pdf`` extended for long-term validation (PAdES LTV): a Document Security Store
    holding the CA's certificate and its CRL, in an incremental update after the last
    signature, as signing tools add it."""
    reader = PdfFileReader(io.BytesIO(pdf))
    contents = reader.embedded_signatures[-1].pkcs7_content
    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(out, contents, certs=[ca.asn1, signer.asn1], crls=[crl])
    return out.getvalue()
