"""Returns signed with a firma digitale: .p7m envelopes (CAdES) and signed PDFs (PAdES),
made here with a throw-away certificate carrying a TINIT- serialNumber."""

import asyncio
import base64
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_cms import PdfCMSSignedAttributes
from pyhanko_certvalidator.registry import SimpleCertificateStore

from main import main
from procedure.office import Office
from procedure.services.watching import scan
from tests.conftest import admin_settings

pytestmark = pytest.mark.timeout(300)
TAX_CODE = "RSSMRA80A01H501U"


def make_signer(expired: bool = False) -> tuple[signers.SimpleSigner, bytes]:
    """A signer with a self-made certificate (and its PEM, for a trust list)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, "Mario Rossi"),
        x509.NameAttribute(NameOID.SERIAL_NUMBER, f"TINIT-{TAX_CODE}"),
        x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
    ])  # fmt: skip
    now = datetime.now(UTC)
    start, end = (now - timedelta(days=400), now - timedelta(days=1)) if expired else (
        now - timedelta(days=1), now + timedelta(days=365))  # fmt: skip
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .sign(key, hashes.SHA256())
    )
    signing_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signing_key = asn1_keys.PrivateKeyInfo.load(
        key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    signer = signers.SimpleSigner(
        signing_cert=signing_cert,
        signing_key=signing_key,
        cert_registry=SimpleCertificateStore.from_certs([signing_cert]),
    )
    return signer, cert.public_bytes(serialization.Encoding.PEM)


def envelope(signer: signers.SimpleSigner, content: bytes) -> bytes:
    """A CAdES-BES attached signature (.p7m, DER) of ``content``, with its signing time."""
    attrs = PdfCMSSignedAttributes(signing_time=datetime.now(UTC))
    sign = signer.async_sign_general_data
    signed = asyncio.run(sign(content, "sha256", detached=False, signed_attr_settings=attrs))
    return bytes(signed.dump())


@pytest.fixture
def privacy_pdf(demo: Office) -> bytes:
    records = demo.documents.generate("C00001", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    return Path(privacy.pdf).read_bytes()


def dropped(office: Office, name: str, data: bytes) -> None:
    office.filing.ensure_tree()
    (office.filing.intake / name).write_bytes(data)
    scan(office)


def form_json(office: Office, capsys: pytest.CaptureFixture[str], form: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["--data", str(office.settings.data_dir), "show", "C00001", "--json"]) == 0
    forms = {f["id"]: f for f in json.loads(capsys.readouterr().out)["forms"]}
    return forms[form]


def test_p7m_of_the_privacy_notice_is_filed_with_its_signer(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, _ = make_signer()
    dropped(demo, "Informativa privacy firmata.pdf.p7m", envelope(signer, privacy_pdf))
    record = demo.customer("C00001").forms["privacy"]
    slot = demo.filing.slot_dir(demo.customer("C00001"), "privacy")
    assert Path(record.file) == slot / "Informativa privacy firmata.pdf.p7m"  # the original
    form = form_json(demo, capsys, "privacy")
    assert form["returned_at"]
    signature = form["signature"]
    assert signature["signer"] == "Mario Rossi"
    assert signature["tax_code"] == TAX_CODE
    assert signature["valid"] is True and signature["problem"] == ""
    assert signature["signed_at"]
    assert signature["trusted"] is None  # no trust list configured: not checked, not faked
    assert form_json(demo, capsys, "master_data")["signature"] is None  # an unsigned return


def test_a_changed_byte_is_filed_but_marked_invalid(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, _ = make_signer()
    data = envelope(signer, privacy_pdf)
    at = data.index(b"/CreationDate") + len(b"/CreationDate(D:2")
    tampered = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    dropped(demo, "privacy.pdf.p7m", tampered)
    signature = form_json(demo, capsys, "privacy")["signature"]
    assert signature["valid"] is False
    assert "alterato" in signature["problem"]
    (summary,) = [s for s in demo.list_customers() if s.code == "C00001"]
    assert summary.bad_signatures == 1  # among those needing action


def test_base64_envelope_nested_twice_is_opened(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, _ = make_signer()
    twice = envelope(signer, envelope(signer, privacy_pdf))
    dropped(demo, "privacy.pdf.p7m.p7m", base64.encodebytes(twice))
    signature = form_json(demo, capsys, "privacy")["signature"]
    assert (signature["signer"], signature["valid"]) == ("Mario Rossi", True)


def test_expired_certificate_at_signing_time_is_a_problem(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, _ = make_signer(expired=True)
    dropped(demo, "privacy.pdf.p7m", envelope(signer, privacy_pdf))
    signature = form_json(demo, capsys, "privacy")["signature"]
    assert signature["valid"] is False
    assert "scaduto al momento della firma" in signature["problem"]


def test_trust_list_decides_trust(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer, pem = make_signer()
    trusted = demo.settings.data_dir / "fiducia"
    trusted.mkdir()
    (trusted / "ca.pem").write_bytes(pem)
    admin_settings(demo.settings.data_dir, '[archive]\ntrust_list = "fiducia"\n')
    office = Office.open(demo.settings.data_dir, clock=demo.clock, user="mario")
    dropped(office, "privacy.pdf.p7m", envelope(signer, privacy_pdf))
    assert form_json(office, capsys, "privacy")["signature"]["trusted"] is True


def test_pades_signed_contract_in_its_slot_shows_its_signer(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    records = demo.documents.generate("C00001", "contract", pdf=True).records
    contract = next(r for r in records if r.form == "signed_contract")
    signer, _ = make_signer()
    writer = IncrementalPdfFileWriter(io.BytesIO(Path(contract.pdf).read_bytes()))
    out = signers.sign_pdf(writer, signers.PdfSignatureMetadata(field_name="Firma"), signer=signer)
    slot = demo.filing.slot_dir(demo.customer("C00001"), "signed_contract")
    (slot / "contratto firmato.pdf").write_bytes(out.getvalue())
    scan(demo)
    signature = form_json(demo, capsys, "signed_contract")["signature"]
    assert (signature["signer"], signature["tax_code"]) == ("Mario Rossi", TAX_CODE)
    assert signature["valid"] is True


def test_a_p7m_that_is_not_an_envelope_waits_with_its_reason(demo: Office) -> None:
    dropped(demo, "strano.pdf.p7m", b"non una busta firmata")
    assert [p.name for p in demo.filing.unrecognised()] == ["strano.pdf.p7m"]
