"""The company's product list from its own spreadsheet: CSV (as Excel writes it in Italy)
or .xlsx; all or nothing; the file read as hostile input."""

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from main import main
from procedure.errors import Refused
from procedure.office import Office
from procedure.problems import InvalidInput


def test_an_excel_list_comes_in_with_its_numbers(office: Office, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Codice articolo", "Descrizione", "Prezzo", "Aliquota IVA", "Natura IVA"])
    sheet.append(["gest-pro", "Gestionale professionale", 2400.5, 22, None])
    sheet.append(["FORM-EXT", "Corso in convenzione", 300, 0, "N4"])
    sheet.append([None, None, None, None, None])  # a blank line of the sheet
    path = tmp_path / "listino.xlsx"
    book.save(path)
    table = office.product_import.apply(path)
    assert [(r.line, r.product.code, r.status) for r in table.rows] == [
        (2, "GEST-PRO", "nuovo"),
        (3, "FORM-EXT", "nuovo"),
    ]
    products = office.products()
    assert products["GEST-PRO"].price == Decimal("2400.50")
    assert (products["FORM-EXT"].vat_rate, products["FORM-EXT"].vat_nature) == (0, "N4")
    assert office.product_import.read(path).rows[0].status == "invariato"


def test_a_csv_in_windows_encoding_with_one_bad_row_changes_nothing(
    office: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "listino.csv"
    text = "Codice;Descrizione;Prezzo di listino\nA1;Caffè;10,00\nA2;Tè;dieci\nA1;Doppio;5\n"
    path.write_bytes(text.encode("cp1252"))
    assert main(["--data", str(office.settings.data_dir), "import", str(path)]) == 1
    said = capsys.readouterr().err
    assert "riga 3, Prezzo di listino: numero, es. 1800,00" in said
    assert "riga 4, Codice: A1 già alla riga 2" in said
    assert office.products() == {}
    path.write_bytes("Codice;Descrizione;Prezzo di listino\nA1;Caffè;10,00\n".encode("cp1252"))
    assert main(["--data", str(office.settings.data_dir), "import", str(path), "--dry-run"]) == 0
    assert "A1 Caffè 10,00 € IVA 22% — nuovo" in capsys.readouterr().out
    assert office.products() == {}


def test_the_file_is_read_as_hostile_input(office: Office, tmp_path: Path) -> None:
    secret = tmp_path / "segreto.csv"
    secret.write_text("Codice;Descrizione;Prezzo\nX;Y;1\n")
    link = tmp_path / "link.csv"
    link.symlink_to(secret)
    with pytest.raises(Refused, match="non leggibile"):
        office.product_import.read(link)  # a link is never followed
    big = tmp_path / "grande.csv"
    big.write_bytes(b"Codice;Descrizione;Prezzo\n" + b"X;Y;1\n" * 1_000_000)
    with pytest.raises(Refused, match="troppo grande"):
        office.product_import.read(big)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"0" * (60 * 1024 * 1024))
    (tmp_path / "bomba.xlsx").write_bytes(bomb.getvalue())
    with pytest.raises(Refused, match="decompresso"):
        office.product_import.read(tmp_path / "bomba.xlsx")
    with pytest.raises(Refused, match=r"\.csv o \.xlsx"):
        office.product_import.read(tmp_path / "vecchio.xls")
    with pytest.raises(InvalidInput):
        (tmp_path / "vuoto.csv").write_text("")
        office.product_import.apply(tmp_path / "vuoto.csv")
