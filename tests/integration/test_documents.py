"""Documents: every template filled with every field, QR codes, content controls, versions,
template errors reported before anything is written, PDFs through real LibreOffice."""

import html
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from docx import Document
from PIL import Image

from archive.pdf.convert import LibreOffice, PdfError, find_converter
from archive.render import TemplateProblem, leftover_placeholders, render
from procedure.config.locations import TEMPLATES_DIR
from procedure.editing.fields import returned_form_fields
from procedure.office import Office
from procedure.services.documents import KINDS

needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run"
)


@pytest.fixture
def full(demo: Office) -> Office:
    """Alfa with everything every document needs: licences and both hand-overs."""
    demo.licences.issue("C00001")
    for step in ("travel_costs", "contract_schedule", "crm_software_contracts"):
        demo.checklist.set_step("C00001", step, True, note="in prova")
    demo.checklist.set_step("C00001", "contract_sent", True, note="in prova")
    demo.checklist.form_returned("C00001", "signed_contract", "Contratto firmato.pdf")
    demo.handovers.hand_over("C00001", "contracts", "Direzione")
    demo.handovers.hand_over("C00001", "orders", "Marta", "alla consegna")
    return demo


def docx_text(path: str) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
    return html.unescape("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml)))


def test_every_template_fills_every_field(full: Office) -> None:
    seen = set()
    for kind in KINDS:
        for record in full.documents.generate("C00001", kind).records:
            data = Path(record.file).read_bytes()
            assert leftover_placeholders(data) == [], record.file
            seen.add(Path(record.file).name.split(" - ")[0])
    # the forms of an SDD customer include the SEPA mandate
    for record in full.documents.generate("C00002", "forms").records:
        assert leftover_placeholders(Path(record.file).read_bytes()) == []
        seen.add(Path(record.file).name.split(" - ")[0])
    templates = {p.stem for p in (TEMPLATES_DIR / "documents").glob("*.docx")}
    assert len(templates) == 12
    assert len(seen) >= 12  # one document at least from each template


def test_special_characters_survive(demo: Office) -> None:
    view = demo.view("C00003")
    view.customer.name = "ACME & Söhne <Ltd> \"Quote\" 'n' Co."
    demo.customers.save(view.customer, view.rev)
    (record, *_) = demo.documents.generate("C00003", "contract").records
    assert "ACME & Söhne <Ltd> \"Quote\" 'n' Co." in docx_text(record.file)


def test_values_are_formatted_the_italian_way(full: Office) -> None:
    (contract, _, _dpa) = full.documents.generate("C00001", "contract").records
    text = docx_text(contract.file)
    assert "Canone annuo € 1.800,00 + IVA" in text
    assert "Decorrenza 15/03/2025, scadenza 31/12/2026" in text
    (order,) = full.documents.generate("C00001", "order").records
    assert "Totale € 17.055,60" in docx_text(order.file)


def test_master_data_form_has_tagged_content_controls(demo: Office) -> None:
    record = next(
        r for r in demo.documents.generate("C00002", "forms").records if r.form == "master_data"
    )
    with zipfile.ZipFile(record.file) as z:
        xml = z.read("word/document.xml").decode()
    tags = re.findall(r'<w:tag w:val="([^"]+)"/>', xml)
    assert tags == [tag for tag, _ in returned_form_fields()]  # one per declared field
    assert len(tags) == len(set(tags)) == 35
    step_12 = {"invoicing.send_by_email", "invoicing.split_payment", "excluded_months[0].month"}
    assert {"vat_number", "address.country", "bic", "kind", *step_12} <= set(tags)
    assert xml.count("<w:sdt>") == 35
    # the known value is prefilled inside its control
    assert re.search(r'w:val="vat_number"/>.*?76543210280', xml, flags=re.S)


def test_every_form_carries_its_qr_code(demo: Office) -> None:
    records = (
        demo.documents.generate("C00002", "forms").records
        + demo.documents.generate("C00002", "contract").records
    )
    payloads = []
    for record in records:
        with zipfile.ZipFile(record.file) as z:
            (image,) = [n for n in z.namelist() if n.startswith("word/media/")]
            found = zxingcpp.read_barcodes(Image.open(io.BytesIO(z.read(image))))
        payloads.append(found[0].text)
    assert payloads == [
        "ACQ1:C00002:master_data",
        "ACQ1:C00002:privacy",
        "ACQ1:C00002:sepa_mandate",
        "ACQ1:C00002:signed_contract",
        "ACQ1:C00002:dpa",  # the DPA goes with the contract it belongs to
    ]


def test_regenerating_keeps_the_old_version(demo: Office) -> None:
    first = demo.documents.generate("C00003", "osticket").records[0].file
    Path(first).write_bytes(Path(first).read_bytes() + b"")  # untouched
    second = demo.documents.generate("C00003", "osticket").records[0].file
    assert first != second
    assert second.endswith(" (2).docx")
    assert Path(first).exists() and Path(second).exists()
    records = [d for d in demo.customer("C00003").documents if d.kind == "osticket"]
    assert [r.file for r in records] == [first, second]
    audit = [e for e in demo.audit("C00003") if e["action"] == "document"]
    assert len(audit) == 2 and audit[0]["user"] == "mario"


def test_broken_template_writes_nothing(demo: Office, tmp_path: Path) -> None:
    custom = demo.settings.data_dir / "modelli"
    custom.mkdir()
    doc = Document(str(TEMPLATES_DIR / "documents" / "nomina_responsabile.docx"))
    doc.add_paragraph("Soprannome: {{ customer.nickname }}")
    doc.save(str(custom / "nomina_responsabile.docx"))
    folder = demo.settings.archive_root
    before = [p for p in folder.rglob("*") if p.is_file()]  # the demo's returned scan
    with pytest.raises(TemplateProblem) as err:
        demo.documents.generate("C00001", "contract")
    assert (
        str(err.value)
        == "Modello nomina_responsabile.docx: il campo «nickname» non esiste nei dati."
    )
    assert [p for p in folder.rglob("*") if p.is_file()] == before  # not even the forms first
    assert demo.customer("C00001").documents == []


def test_syntax_error_is_named(tmp_path: Path) -> None:
    doc = Document()
    doc.add_paragraph("Gentile {{ customer.name ")
    path = tmp_path / "rotto.docx"
    doc.save(str(path))
    with pytest.raises(TemplateProblem, match=r"Modello rotto\.docx: errore di sintassi"):
        render(path, {"customer": {"name": "x"}})


def test_without_a_converter_the_docx_is_still_made(
    demo: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", "/nonexistent")
    assert find_converter() is None
    result = demo.documents.generate("C00001", "osticket", pdf=True)
    assert Path(result.records[0].file).exists()
    assert result.records[0].pdf == ""
    assert "libreoffice" in result.warning.lower() and "apt-get install" in result.warning


@needs_libreoffice
def test_pdf_batch_and_a_failed_document(demo: Office, tmp_path: Path) -> None:
    result = demo.documents.generate("C00001", "forms", pdf=True)
    assert result.warning == ""
    for record in result.records:
        assert Path(record.pdf).read_bytes().startswith(b"%PDF")
    bad = tmp_path / "rotto.docx"
    bad.write_bytes(b"PK\x03\x04 a torn zip")  # soffice writes nothing and still exits 0
    good = Path(result.records[0].file)
    converter = find_converter()
    assert isinstance(converter, LibreOffice)
    with pytest.raises(PdfError, match=r"rotto\.docx"):
        converter.convert([good, bad])


@needs_libreoffice
def test_timeout_kills_the_whole_conversion(tmp_path: Path, demo: Office) -> None:
    record = demo.documents.generate("C00001", "osticket").records[0]
    converter = LibreOffice(shutil.which("soffice") or "soffice", timeout=0.05)
    with pytest.raises(PdfError, match="fermato"):
        converter.convert([Path(record.file)])
    # only the processes this conversion started (its group): others convert PDFs too
    assert converter.last_group > 0
    assert _alive_in_group(converter.last_group) == []


def _alive_in_group(group: int) -> list[int]:
    """Processes of process group ``group`` that still run (zombies are dead already)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        state, pgrp = fields[0], int(fields[2])
        if pgrp == group and state != "Z":
            alive.append(int(stat.parent.name))
    return alive


@needs_libreoffice
def test_licence_frame_survives_pdf_conversion(full: Office, tmp_path: Path) -> None:
    import subprocess

    record = full.documents.generate("C00001", "licence", pdf=True).records[0]
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", record.pdf,
                    str(tmp_path / "page")], check=True)  # fmt: skip
    (png,) = tmp_path.glob("page*.png")
    page = Image.open(png).convert("RGB")
    w, h = page.size
    # the outer border is drawn 45 px in from a 1240 px wide page, 28 px thick
    r, g, b = page.getpixel((int(w * 0.047), h // 2))
    assert b > 80 and r < 80 and g < 110, (r, g, b)
    assert min(page.getpixel((w // 2, int(h * 0.7)))) >= 250  # white inside the frame


@pytest.mark.parametrize("code", ["C00001", "C00002", "C00003"])
def test_every_kind_works_on_every_demo_customer(demo: Office, code: str) -> None:
    for kind in KINDS:
        for record in demo.documents.generate(code, kind).records:
            assert leftover_placeholders(Path(record.file).read_bytes()) == [], record.file


def test_master_data_template_asks_exactly_the_declared_fields() -> None:
    from archive.docx_fields import read_fields
    from procedure.editing.fields import returned_form_fields

    template = TEMPLATES_DIR / "documents" / "raccolta_dati_anagrafici.docx"
    assert list(read_fields(template)) == [tag for tag, _ in returned_form_fields()]


@needs_libreoffice
def test_licence_key_copied_from_the_certificate_pdf_verifies(full: Office) -> None:
    import subprocess

    record = full.documents.generate("C00001", "licence", pdf=True).records[0]
    text = subprocess.run(
        ["pdftotext", "-layout", record.pdf, "-"], capture_output=True, text=True, check=True
    ).stdout
    licence = full.customer("C00001").licences[0]
    start = text.index(licence.key[:8])  # the key as printed: groups, line breaks and all
    copied = text[start : start + len(licence.key) * 3]
    copied = copied[: copied.index(licence.key[-4:]) + 4] if licence.key[-4:] in copied else ""
    assert copied and "".join(copied.split()) == licence.key and " " in copied.strip()
    payload, reason = full.licences.verify(copied)
    assert reason == "" and payload is not None and payload["number"] == licence.number
    changed = copied[:-1] + ("x" if copied[-1] != "x" else "y")
    assert full.licences.verify(changed)[0] is None


def test_contract_prints_the_schedule_schedule_computes(demo: Office) -> None:
    record = demo.documents.generate("C00001", "contract").records[0]
    text = docx_text(record.file)
    # CT-2025-001, aligned, renewing: the first stub, then the calendar year on 01/01
    assert "15/03/2025: € 1.440,00 + IVA (periodo dal 15/03/2025 al 31/12/2025)" in text
    assert "01/01/2026: € 1.800,00 + IVA (periodo dal 01/01/2026 al 31/12/2026)" in text
    assert "I periodi seguono il calendario" in text
    assert "variazione dell'indice ISTAT FOI, solo in aumento" in text
