"""The form that comes back filled: the mailed .docx filled in Word, or the mailed PDF filled
on screen, dropped in its slot; ``review --accept-all`` brings its fields into the record."""

import io
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from main import main
from procedure.office import Office
from procedure.services.archiving.review import has_review
from procedure.watching import scan
from tests.integration.test_mail import Server, office_with_smtp, smtp  # noqa: F401
from tests.integration.test_watch import _fill_docx

FILLED = {
    "kind": "ditta individuale o professionista",
    "tax_code": "RSSMRA85T10A562S",  # a person's, as a sole trader has
    "address.country": "IT",  # as the record has it: not offered
    "bic": "BCITITMM",
    "invoice_email": "fatture@gammaprova.example",
    "invoicing.send_by_email": "sì",
    "invoicing.split_payment": "sì",
    "excluded_months[0].month": "8",
    "excluded_months[0].day": "20",
    "contact.it.name": "Ivo Sistemi",  # a new contact: judged with its name
    "contact.it.email": "ivo.sistemi@gammaprova.example",
    "contact.it.phone": "045 123 4567",
}


def mailed_form(tmp_path: Path, server: Server, suffix: str) -> tuple[Office, bytes]:
    """The forms pack mailed to Gamma for real; the master-data form as it arrived."""
    office = office_with_smtp(tmp_path, server.port)
    office.mail.send_bundle("C00003", "forms")
    ((_, raw),) = server.inbox.messages
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if name.startswith("Raccolta Dati Anagrafici") and name.endswith(suffix):
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return office, payload
    raise AssertionError(f"no {suffix} form in the mailing")


def accept_all(office: Office, capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    data = str(office.settings.data_dir)
    assert main(["--data", data, "review", "C00003", "--accept-all"]) == 0
    return capsys.readouterr().out


def assert_brought_in(office: Office, capsys: pytest.CaptureFixture[str]) -> None:
    """``review --accept-all`` takes every filled field into the record."""
    assert "11 campi aggiornati, 0 da sistemare" in accept_all(office, capsys)
    c = office.customer("C00003")
    assert c.kind == "sole_trader" and c.tax_code == "RSSMRA85T10A562S"
    assert c.bic == "BCITITMM"
    assert c.invoice_email == "fatture@gammaprova.example"
    assert c.invoicing.send_by_email and c.invoicing.split_payment
    assert (c.excluded_months[0].month, c.excluded_months[0].day) == (8, 20)
    (it,) = [k for k in c.contacts if k.role == "it"]
    assert (it.name, it.email, it.phone) == (
        "Ivo Sistemi",
        "ivo.sistemi@gammaprova.example",
        "045 123 4567",
    )
    assert not has_review(c)  # every field settled


def drop_in_slot(office: Office, name: str, data: bytes) -> None:
    slot = office.filing.slot_dir(office.customer("C00003"), "master_data")
    (slot / name).write_bytes(data)
    scan(office)
    assert office.customer("C00003").forms["master_data"].file.endswith(name)


def test_filled_docx_from_the_mailing_comes_in_with_accept_all(
    tmp_path: Path,
    smtp: Server,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    office, docx = mailed_form(tmp_path, smtp, ".docx")
    blank = tmp_path / "ricevuto.docx"
    blank.write_bytes(docx)
    filled = tmp_path / "compilato.docx"
    _fill_docx(blank, filled, FILLED)
    drop_in_slot(office, "Raccolta compilata.docx", filled.read_bytes())
    assert_brought_in(office, capsys)


def fill_pdf(data: bytes, values: dict[str, str]) -> bytes:
    """What a customer does in a PDF viewer: type into the form's fields."""
    reader = PdfReader(io.BytesIO(data))
    assert set(values) <= set(reader.get_fields() or {})
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_filled_pdf_from_the_mailing_comes_in_with_accept_all(
    tmp_path: Path,
    smtp: Server,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    office, pdf = mailed_form(tmp_path, smtp, ".pdf")
    fields = PdfReader(io.BytesIO(pdf)).get_fields() or {}
    assert fields["name"].get("/V") == "Gamma Prova Logistica S.p.A."  # prefilled
    drop_in_slot(office, "Raccolta compilata.pdf", fill_pdf(pdf, FILLED))
    assert_brought_in(office, capsys)


def test_review_judges_the_whole_record_and_reopens_until_settled(
    demo: Office, tmp_path: Path
) -> None:
    form = next(
        r for r in demo.documents.generate("C00003", "forms").records if r.form == "master_data"
    )
    filled = tmp_path / "compilato.docx"
    _fill_docx(Path(form.file), filled, {
        "contact.administration.email": "amm@gammaprova.example",  # a new contact without its name
        "contact.it.name": "Ivo Sistemi",
        "contact.it.email": "ivo@gammaprova.example",
        "invoice_email": "fatture@gammaprova.example",
        "iban": "IT67A0832703200000000900001",  # wrong CIN
    })  # fmt: skip
    slot = demo.filing.slot_dir(demo.customer("C00003"), "master_data")
    (slot / "compilato.docx").write_bytes(filled.read_bytes())
    scan(demo)
    offered = {p.tag: p for p in demo.review.proposals("C00003")}
    assert offered["contact.it.email"].problem == ""  # its name comes with it
    assert "nome del contatto" in offered["contact.administration.email"].problem
    assert "IBAN non valido" in offered["iban"].problem
    demo.review.apply("C00003", ["contact.it.name", "contact.it.email"], ["invoice_email"])
    assert has_review(demo.customer("C00003"))  # the IBAN and the nameless contact remain
    left = {p.tag for p in demo.review.proposals("C00003")}
    assert left == {"contact.administration.email", "iban"}  # rejected ones are not offered again
    applied, problems = demo.review.accept_all("C00003")
    assert applied == [] and {p.tag for p in problems} == left
    demo.review.apply("C00003", [], ["contact.administration.email", "iban"])
    assert not has_review(demo.customer("C00003"))
    assert demo.review.proposals("C00003") == []


def test_review_of_a_customer_without_returned_form_says_so(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(demo.settings.data_dir), "review", "C00003", "--accept-all"]) == 0
    assert "nessuna modifica proposta" in capsys.readouterr().out


def test_filled_pdf_dropped_in_the_intake_is_recognised_and_offered(
    tmp_path: Path,
    smtp: Server,  # noqa: F811
) -> None:
    office, pdf = mailed_form(tmp_path, smtp, ".pdf")
    office.filing.ensure_tree()
    (office.filing.intake / "scansione cliente.pdf").write_bytes(fill_pdf(pdf, FILLED))
    scan(office)  # its printed QR code names customer and form
    record = office.customer("C00003").forms["master_data"]
    assert Path(record.file).parent == office.filing.slot_dir(
        office.customer("C00003"), "master_data"
    )
    offered = {p.tag for p in office.review.proposals("C00003")}
    assert offered == set(FILLED) - {"address.country"}
