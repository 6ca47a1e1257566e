"""Scans without a readable QR code: the text (Tesseract, Italian) tells whose form it is,
offered in ``intake --json`` for a person to confirm; nothing is filed on a guess."""

import json
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageDraw

from main import main
from procedure.office import Office
from procedure.watching import scan

pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        not __import__("archive.ocr", fromlist=["available"]).available(),
        reason="tesseract-ocr-ita non installato",
    ),
]


def scanned(pdf: str, rotate: int) -> Image.Image:
    """The first page as a viewer prints it (form fields drawn) and a scanner gives it
    back: 200 dpi, grey, QR code masked, turned."""
    document = pypdfium2.PdfDocument(pdf)
    document.init_forms()  # the filled-in fields drawn, as a viewer shows them
    page = document[0].render(scale=200 / 72, grayscale=True, may_draw_forms=True).to_pil()
    (code,) = zxingcpp.read_barcodes(page)
    corners = [code.position.top_left, code.position.bottom_right]
    box = [min(p.x for p in corners) - 20, min(p.y for p in corners) - 20,
           max(p.x for p in corners) + 20, max(p.y for p in corners) + 20]  # fmt: skip
    ImageDraw.Draw(page).rectangle(box, fill=255)
    assert zxingcpp.read_barcodes(page) == []  # no QR code left to read
    return page.rotate(rotate, expand=True, fillcolor=255)


def intake_json(office: Office, capsys: pytest.CaptureFixture[str]) -> list[dict]:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["--data", str(office.settings.data_dir), "intake", "--json"]) == 0
    rows: list[dict] = json.loads(capsys.readouterr().out)  # type: ignore[type-arg]
    return rows


def dropped_scan(office: Office, code: str, form: str, name: str, rotate: int = 0) -> Path:
    """The customer's generated form, printed and scanned without its QR code, dropped in
    the intake folder."""
    records = office.documents.generate(code, "forms", pdf=True).records
    (record,) = [r for r in records if r.form == form]
    office.filing.ensure_tree()
    target = office.filing.intake / name
    scanned(record.pdf, rotate).save(target, "JPEG", quality=75, dpi=(200, 200))
    return target


def test_a_scan_without_qr_is_suggested_by_its_text(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    target = dropped_scan(demo, "C00002", "privacy", "scansione.jpg", rotate=90)
    blank = Image.new("L", (1654, 2339), 255)
    ImageDraw.Draw(blank).text((200, 300), "Nota interna: richiamare domani", fill=0)
    blank.save(demo.filing.intake / "appunto.jpg", "JPEG", dpi=(200, 200))
    scan(demo)
    assert len(demo.filing.unrecognised()) == 2  # nothing filed on a guess
    rows = {Path(r["file"]).name: r for r in intake_json(demo, capsys)}
    row = rows["scansione.jpg"]
    assert row["reason"] == "nessun codice QR di Acquisto leggibile"
    suggestion = row["suggestion"]
    assert (suggestion["code"], suggestion["form"]) == ("C00002", "privacy")
    assert "76543210280" in suggestion["why"]
    assert "modulo dal titolo «Informativa" in suggestion["why"]
    assert rows["appunto.jpg"]["suggestion"] is None
    # a person confirms: assign files it where the suggestion said
    data = str(demo.settings.data_dir)
    assert main(["--data", data, "assign", str(target), "C00002", "privacy"]) == 0
    assert demo.customer("C00002").forms["privacy"].returned_at is not None


def test_a_printed_master_data_form_is_suggested_for_its_customer_and_form(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    dropped_scan(demo, "C00001", "master_data", "anagrafica.jpg")
    (row,) = intake_json(demo, capsys)
    suggestion = row["suggestion"]
    assert (suggestion["code"], suggestion["form"]) == ("C00001", "master_data")
    assert "trovata a pagina 1" in suggestion["why"]  # whose it is
    assert "modulo dal titolo «Raccolta Dati Anagrafici" in suggestion["why"]  # which form


def test_what_ocr_read_is_kept(demo: Office, capsys: pytest.CaptureFixture[str]) -> None:
    dropped_scan(demo, "C00002", "privacy", "s.jpg")
    first = intake_json(demo, capsys)
    cached = list((demo.settings.data_dir / "cache" / "intake").glob("*.json"))
    assert len(cached) == 1
    entry = json.loads(cached[0].read_text())
    assert entry["parts"] and "76543210280" in "".join(t for _, t in entry["parts"])
    assert intake_json(demo, capsys) == first  # read from the cache, same answer


def test_a_damaged_cache_is_read_again(demo: Office, capsys: pytest.CaptureFixture[str]) -> None:
    dropped_scan(demo, "C00002", "privacy", "s.jpg")
    first = intake_json(demo, capsys)
    (cached,) = (demo.settings.data_dir / "cache" / "intake").glob("*.json")
    cached.write_text(json.dumps({"parts": [["uno", 2]], "done": "sì"}))  # a colleague's mess
    assert intake_json(demo, capsys) == first
