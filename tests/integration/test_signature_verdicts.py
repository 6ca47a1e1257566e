"""Signed returns judged as a court would: every signature of a file checked and recorded, a
change after signing seen, several signers and counter-signers, revocation said, the
Italian serialNumber forms read; the verdicts as ``show --json`` and ``list`` give them."""

import json
from datetime import datetime

import pytest

from main import main
from procedure.office import Office
from procedure.watching import scan
from tests.integration.signing import (
    TAX_CODE,
    Party,
    annotated,
    ber,
    broken_last_signature,
    counter_signed,
    envelope,
    make_party,
    mistyped,
    parallel,
    revoking_crl,
    sign_pdf,
    timestamp_pdf,
    with_crl,
    with_dss,
)

pytestmark = pytest.mark.timeout(300)
OTHER_CF = "BNCLGU80A01H501X"


def bianchi(issuer: Party | None = None) -> Party:
    return make_party("Luigi Bianchi", f"TINIT-{OTHER_CF}", issuer=issuer)


def in_slot(office: Office, form: str, name: str, data: bytes) -> None:
    """The file as a person drops it in the form's slot, then one pass of the archive."""
    office.filing.ensure_tree()
    (office.filing.slot_dir(office.customer("C00001"), form) / name).write_bytes(data)
    scan(office)


def show_form(office: Office, capsys: pytest.CaptureFixture[str], form: str) -> dict:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["--data", str(office.settings.data_dir), "show", "C00001", "--json"]) == 0
    forms = {f["id"]: f for f in json.loads(capsys.readouterr().out)["forms"]}
    assert forms[form]["returned_at"]  # the return is recorded, whatever its signatures say
    return forms[form]  # type: ignore[no-any-return]


def test_a_note_added_after_signing_makes_the_pdf_modified(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = sign_pdf(contract_pdf, make_party())
    in_slot(demo, "signed_contract", "contratto.pdf", annotated(signed, "IMPORTO MODIFICATO"))
    form = show_form(demo, capsys, "signed_contract")
    assert form["signature"]["valid"] is False
    assert form["signature"]["problem"] == "il documento è stato modificato dopo la firma"
    assert [s["valid"] for s in form["signatures"]] == [False]
    (summary,) = [s for s in demo.list_customers() if s.code == "C00001"]
    assert summary.bad_signatures == 1


def test_the_unchanged_signed_pdf_stays_valid(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    in_slot(demo, "signed_contract", "contratto.pdf", sign_pdf(contract_pdf, make_party()))
    signature = show_form(demo, capsys, "signed_contract")["signature"]
    assert (signature["valid"], signature["problem"], signature["kind"]) == (True, "", "firma")
    assert signature["revocation"] == "non verificata"  # no revocation data: said, not hidden


def test_two_signatures_of_which_the_second_is_broken(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    first = sign_pdf(contract_pdf, make_party())
    second = sign_pdf(first, bianchi(), "Firma2")
    in_slot(demo, "signed_contract", "contratto.pdf", broken_last_signature(second))
    form = show_form(demo, capsys, "signed_contract")
    verdicts = [(s["signer"], s["valid"]) for s in form["signatures"]]
    assert verdicts == [("Mario Rossi", True), ("Luigi Bianchi", False)]
    assert form["signature"]["signer"] == "Luigi Bianchi"
    assert "non è verificabile" in form["signature"]["problem"]


def test_five_signatures_and_a_document_timestamp_are_each_recorded(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    pdf = contract_pdf
    names = ["Mario Rossi", "Luigi Bianchi", "Anna Verdi", "Carla Neri", "Paolo Gialli"]
    for n, name in enumerate(names):
        pdf = sign_pdf(pdf, make_party(name), f"Firma{n}")
    pdf = timestamp_pdf(pdf, make_party("TSA di prova", serial="", tsa=True))
    in_slot(demo, "signed_contract", "contratto.pdf", pdf)
    form = show_form(demo, capsys, "signed_contract")
    got = [(s["signer"], s["kind"], s["valid"]) for s in form["signatures"]]
    assert got == [*[(n, "firma", True) for n in names], ("TSA di prova", "marca temporale", True)]
    assert form["signature"] is not None and form["signature"]["signer"] == "Mario Rossi"


def test_a_p7m_with_three_signers_is_filed_with_each(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    parties = [
        make_party(),
        make_party("Luigi Bianchi", f"IT:{OTHER_CF}"),
        make_party("Anna Verdi"),
    ]
    in_slot(demo, "privacy", "privacy.pdf.p7m", parallel(parties, privacy_pdf))
    form = show_form(demo, capsys, "privacy")
    got = sorted((s["signer"], s["tax_code"], s["valid"]) for s in form["signatures"])
    assert got == [
        ("Anna Verdi", TAX_CODE, True),
        ("Luigi Bianchi", OTHER_CF, True),  # the older "IT:" form of the serialNumber
        ("Mario Rossi", TAX_CODE, True),
    ]
    assert form["signature"]["valid"] is True


def test_a_counter_signature_is_checked_and_recorded(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    data = counter_signed(
        make_party(), make_party("Luigi Bianchi", f"TINIT-{OTHER_CF}"), privacy_pdf
    )
    in_slot(demo, "privacy", "privacy.pdf.p7m", data)
    form = show_form(demo, capsys, "privacy")
    got = [(s["signer"], s["kind"], s["valid"]) for s in form["signatures"]]
    assert got == [("Mario Rossi", "firma", True), ("Luigi Bianchi", "controfirma", True)]


def test_a_streamed_ber_envelope_opens(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    in_slot(demo, "privacy", "privacy.pdf.p7m", ber(envelope(make_party(), privacy_pdf)))
    signature = show_form(demo, capsys, "privacy")["signature"]
    assert (signature["signer"], signature["valid"]) == ("Mario Rossi", True)


def test_an_envelope_whose_content_type_claims_signed_data_opens(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """The enveloping variant DSS accepts: a plain document declared as signed-data."""
    data = mistyped(make_party(), privacy_pdf)
    in_slot(demo, "privacy", "privacy.pdf.p7m", data)
    signature = show_form(demo, capsys, "privacy")["signature"]
    assert (signature["signer"], signature["valid"]) == ("Mario Rossi", True)
    at = data.index(b"/CreationDate") + len(b"/CreationDate(D:2")
    tampered = data[:at] + bytes([data[at] ^ 1]) + data[at + 1 :]
    in_slot(demo, "dpa", "nomina.pdf.p7m", tampered)
    signature = show_form(demo, capsys, "dpa")["signature"]
    assert signature["valid"] is False and "alterato" in signature["problem"]


def test_a_revoked_certificate_is_not_valid_and_a_listed_one_is_checked(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    ca = make_party("CA di prova", serial="", ca=True)
    revoked, kept = (
        make_party(issuer=ca),
        make_party("Luigi Bianchi", f"TINIT-{OTHER_CF}", issuer=ca),
    )
    crl = revoking_crl(ca, revoked)
    in_slot(demo, "privacy", "privacy.pdf.p7m", with_crl(envelope(revoked, privacy_pdf), crl, ca))
    signature = show_form(demo, capsys, "privacy")["signature"]
    assert (signature["valid"], signature["revocation"]) == (False, "revocato")
    assert "revocato" in signature["problem"]
    in_slot(demo, "dpa", "nomina.pdf.p7m", with_crl(envelope(kept, privacy_pdf), crl, ca))
    signature = show_form(demo, capsys, "dpa")["signature"]
    assert signature["valid"] is True
    assert signature["revocation"] == "non revocato (dati di revoca nel file)"


def test_signed_at_keeps_its_time_zone(
    demo: Office, privacy_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    in_slot(demo, "privacy", "privacy.pdf.p7m", envelope(make_party(), privacy_pdf))
    moment = datetime.fromisoformat(show_form(demo, capsys, "privacy")["signature"]["signed_at"])
    assert moment.utcoffset() is not None


def test_plain_list_and_show_say_a_failed_signature(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    signed = sign_pdf(contract_pdf, make_party())
    in_slot(demo, "signed_contract", "contratto.pdf", annotated(signed, "IMPORTO MODIFICATO"))
    data = str(demo.settings.data_dir)
    capsys.readouterr()
    assert main(["--data", data, "list"]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.startswith("C00001")]
    assert "firma non valida" in line
    assert main(["--data", data, "show", "C00001"]) == 0
    said = capsys.readouterr().out
    assert "firma di Mario Rossi (RSSMRA80A01H501U) NON valida" in said
    assert "modificato dopo la firma" in said


def test_a_pdf_extended_for_ltv_is_checked_against_its_own_revocation_data(
    demo: Office, contract_pdf: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """PAdES LTV: the CRL in the document's DSS (added after signing, which the signature
    allows) says whether the signer's certificate was revoked."""
    ca = make_party("CA di prova", serial="", ca=True)
    revoked, kept = make_party(issuer=ca), bianchi(issuer=ca)
    crl = revoking_crl(ca, revoked)
    in_slot(demo, "signed_contract", "contratto.pdf",
            with_dss(sign_pdf(contract_pdf, kept), ca, kept, crl))  # fmt: skip
    signature = show_form(demo, capsys, "signed_contract")["signature"]
    assert (signature["valid"], signature["problem"]) == (True, "")  # the DSS update is allowed
    assert signature["revocation"] == "non revocato (dati di revoca nel file)"
    in_slot(demo, "signed_contract", "contratto revocato.pdf",
            with_dss(sign_pdf(contract_pdf, revoked), ca, revoked, crl))  # fmt: skip
    signature = show_form(demo, capsys, "signed_contract")["signature"]
    assert (signature["valid"], signature["revocation"]) == (False, "revocato")
