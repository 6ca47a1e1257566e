"""Products coming in from the company's own list: a CSV or Excel export (Italian headers,
decimal commas), read within bounds, shown before it is taken, taken all or nothing."""

import csv
import io
import os
import stat
import zipfile
from pathlib import Path

from procedure.editing.product_table import SAME, Table, read_table
from procedure.errors import Refused
from procedure.folder import DataFolder
from procedure.problems import InvalidInput, Problem
from procedure.services.catalogue import Catalogue

MAX_BYTES = 5 * 1024 * 1024
MAX_UNZIPPED = 50 * 1024 * 1024  # an .xlsx is a zip: its parts are bounded before reading
SPREADSHEETS = (".csv", ".txt", ".xlsx")


def _bytes(path: Path) -> bytes:
    """A regular file's content, at most MAX_BYTES (a link, a FIFO, a huge file refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        raise Refused(f"File {path} inesistente.") from None
    except OSError as exc:
        raise Refused(f"File {path} non leggibile: {exc.strerror}.") from None
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise Refused(f"{path} non è un file regolare.")
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise Refused(f"{path}: file troppo grande (oltre {MAX_BYTES // 1024 // 1024} MB).")
    return data


def _csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", "replace")  # Excel's "CSV" on Windows
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:4096], ";,\t")
    except csv.Error:
        dialect = csv.excel
        dialect.delimiter = ";"
    return [row for row in csv.reader(io.StringIO(text), dialect)]


def _xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook  # only for the import: not at every start

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > MAX_UNZIPPED:
                raise Refused("file Excel troppo grande una volta decompresso.")
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise Refused(f"file Excel non leggibile ({exc}).") from None
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else _text(v) for v in values])
    book.close()
    return rows


def _text(value: object) -> str:
    """A spreadsheet cell as the form would read it: 1200.0 → "1200", 22.0 → "22"."""
    if isinstance(value, float):
        return (
            format(value, "f").rstrip("0").rstrip(".") if "." in format(value, "f") else str(value)
        )
    if isinstance(value, bool):
        return "sì" if value else "no"
    return str(value)


def cells(path: Path) -> list[list[str]]:
    suffix = path.suffix.lower()
    if suffix not in SPREADSHEETS:
        raise Refused(
            f"{path.name}: si importano file .csv o .xlsx (da Excel: Salva con nome, "
            "Cartella di lavoro Excel o CSV)."
        )
    data = _bytes(path)
    return _xlsx(data) if suffix == ".xlsx" else _csv(data)


class ProductImport:
    """The catalogue filled from a spreadsheet: looked at first, then taken whole."""

    def __init__(self, folder: DataFolder, catalogue: Catalogue) -> None:
        self.folder = folder
        self.catalogue = catalogue

    def read(self, path: Path) -> Table:
        """What the file holds, each product new, changed or the same; nothing is saved."""
        return read_table(cells(path), self.folder.products())

    def apply(self, path: Path) -> Table:
        """Save every new or changed product in one commit; raises InvalidInput listing
        every problem (and saves nothing) when there is one."""
        table = self.read(path)
        if table.problems:
            raise InvalidInput([Problem("", p) for p in table.problems])
        changed = [r.product for r in table.rows if r.status != SAME]
        self.catalogue.save_products(changed)
        return table
