"""Returns signed with a firma digitale: .p7m envelopes (CAdES) and signed PDFs (PAdES),
made with a throw-away certificate carrying a TINIT- serialNumber (tests/integration/signing)."""

import base64
import json
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from procedure.watching import scan
from tests.conftest import admin_settings
from tests.integration.signing import TAX_CODE, envelope, make_party, sign_pdf

pytestmark = pytest.mark.timeout(300)


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
    signer = make_party()
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
    signer = make_party()
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
    signer = make_party()
    twice = envelope(signer, envelope(signer, privacy_pdf))
    dropped(demo, "privacy.pdf.p7m.p7m", base64.encodebytes(twice))
    signature = form_json(demo, capsys, "privacy")["signature"]
    assert (signature["signer"], signature["valid"]) == ("Mario Rossi", True)


def test_expired_certificate_at_signing_time_is_a_problem(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer = make_party(expired=True)
    dropped(demo, "privacy.pdf.p7m", envelope(signer, privacy_pdf))
    signature = form_json(demo, capsys, "privacy")["signature"]
    assert signature["valid"] is False
    assert "scaduto al momento della firma" in signature["problem"]


def test_trust_list_decides_trust(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signer = make_party()
    trusted = demo.settings.data_dir / "fiducia"
    trusted.mkdir()
    (trusted / "ca.pem").write_bytes(signer.pem)
    admin_settings(demo.settings.data_dir, '[archive]\ntrust_list = "fiducia"\n')
    office = Office.open(demo.settings.data_dir, clock=demo.clock, user="mario")
    dropped(office, "privacy.pdf.p7m", envelope(signer, privacy_pdf))
    assert form_json(office, capsys, "privacy")["signature"]["trusted"] is True
    assert main(["--data", str(office.settings.data_dir), "show", "C00001"]) == 0
    said = capsys.readouterr().out  # who, when, and what was not checked
    assert "firma di Mario Rossi (RSSMRA80A01H501U) del " in said
    assert "valida; certificatore nell'elenco di fiducia; revoca non verificata" in said


def test_pades_signed_contract_in_its_slot_shows_its_signer(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = sign_pdf(contract_pdf, make_party())
    slot = demo.filing.slot_dir(demo.customer("C00001"), "signed_contract")
    (slot / "contratto firmato.pdf").write_bytes(signed)
    scan(demo)
    signature = form_json(demo, capsys, "signed_contract")["signature"]
    assert (signature["signer"], signature["tax_code"]) == ("Mario Rossi", TAX_CODE)
    assert signature["valid"] is True


def test_a_p7m_that_is_not_an_envelope_waits_with_its_reason(demo: Office) -> None:
    dropped(demo, "strano.pdf.p7m", b"non una busta firmata")
    assert [p.name for p in demo.filing.unrecognised()] == ["strano.pdf.p7m"]
