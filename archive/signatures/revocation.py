"""Whether a signer's certificate was revoked, judged only from the revocation data the
signed file carries (CRLs and OCSP responses in the CMS envelope, a PDF's DSS): nothing is
fetched from the network, and where the file carries none the answer is "non verificata",
said next to the verdict, never left out. pyHanko's certificate validator decides."""

import logging
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import cms, crl, ocsp
from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.dss import DocumentSecurityStore
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator.errors import RevokedError
from pyhanko_certvalidator.policy_decl import (
    CertRevTrustPolicy,
    RevocationCheckingPolicy,
    RevocationCheckingRule,
)

log = logging.getLogger("acquisto.archive")
UNCHECKED = "non verificata"
NOT_REVOKED = "non revocato (dati di revoca nel file)"
REVOKED = "revocato"
OCSP_FORMAT = "ocsp_response"
# The signer's own certificate must be found in the revocation data (a certificate that
# names no CRL or OCSP service is checked too); revocation data issued after the signing
# time still tells whether the certificate was revoked before it.
SIGNER_REQUIRED = CertRevTrustPolicy(
    RevocationCheckingPolicy(
        ee_certificate_rule=RevocationCheckingRule.CRL_OR_OCSP_REQUIRED,
        intermediate_ca_cert_rule=RevocationCheckingRule.CHECK_IF_DECLARED_SOFT,
    ),
    retroactive_revinfo=True,
)


@dataclass
class RevocationData:
    """The CRLs, OCSP responses and certificates a signed file carries."""

    crls: list[crl.CertificateList] = field(default_factory=list)
    ocsps: list[ocsp.OCSPResponse] = field(default_factory=list)
    certs: list[asn1_x509.Certificate] = field(default_factory=list)


def from_cms(signed: cms.SignedData) -> RevocationData:
    """What a CMS SignedData carries in its ``crls`` field (CRLs and OCSP responses) and
    its certificates."""
    data = RevocationData()
    for choice in signed["crls"] or []:
        if choice.name == "crl":
            data.crls.append(choice.chosen)
        elif choice.chosen["other_rev_info_format"].native == OCSP_FORMAT:
            data.ocsps.append(ocsp.OCSPResponse.load(choice.chosen["other_rev_info"].dump()))
    for cert in signed["certificates"] or []:
        if cert.name == "certificate":
            data.certs.append(cert.chosen)
    return data


def from_pdf(reader: PdfFileReader) -> RevocationData:
    """What a PDF's Document Security Store (PAdES LTV) holds; empty when it has none."""
    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except Exception:  # no DSS, or one that cannot be read: nothing to use
        return RevocationData()
    context = dss.as_validation_context({"allow_fetching": False, "trust_roots": []})
    return RevocationData(list(context.crls), list(context.ocsps), list(dss.load_certs()))


def _anchors(
    cert: asn1_x509.Certificate,
    roots: list[asn1_x509.Certificate],
    certs: list[asn1_x509.Certificate],
) -> list[asn1_x509.Certificate]:
    """The company's trust list; without one, the self-signed CA certificates the file
    carries, which can say that their own certificate was revoked (trust is judged apart)."""
    if roots:
        return roots
    return [c for c in certs if c.self_signed and c.dump() != cert.dump()]


async def revocation(
    cert: asn1_x509.Certificate,
    data: RevocationData,
    roots: list[asn1_x509.Certificate],
    moment: datetime | None,
) -> str:
    """``REVOKED``, ``NOT_REVOKED`` or ``UNCHECKED`` for the signer's certificate at the
    signing time (the revocation data may be issued after it)."""
    if not data.crls and not data.ocsps:
        return UNCHECKED
    anchors = _anchors(cert, roots, data.certs)
    if not anchors:
        return UNCHECKED
    context = ValidationContext(
        trust_roots=anchors,
        other_certs=data.certs,
        crls=data.crls,
        ocsps=data.ocsps,
        allow_fetching=False,
        revinfo_policy=SIGNER_REQUIRED,
        moment=moment,
    )
    validator = CertificateValidator(cert, data.certs, validation_context=context)
    try:
        await validator.async_validate_usage(set())  # type: ignore[no-untyped-call]
    except RevokedError:
        return REVOKED
    except Exception as exc:  # no path, no data on this certificate, data unreadable
        log.info("revoca non verificata: %s", exc)
        return UNCHECKED
    return NOT_REVOKED
