"""A product list as the company keeps it (a spreadsheet: Italian headers, decimal commas,
"sì"/"no") read into catalogue products, every cell parsed as the product form parses it.
All or nothing: the products come with every problem found, each naming its row and the
column's label."""

import unicodedata
from dataclasses import dataclass, field

from procedure.editing.field_paths import set_text
from procedure.editing.fields import PRODUCT_FIELDS
from procedure.model import Product
from procedure.rules.validation import validate_product
from procedure.serial import to_data

MAX_ROWS = 10_000
# headers a company's export may use for each field, beside the form's own labels
ALIASES = {
    "code": ("codice", "codice prodotto", "codice articolo", "articolo", "cod", "code"),
    "description": ("descrizione", "descrizione prodotto", "prodotto", "description"),
    "kind": ("tipo", "tipologia", "tipo prodotto", "kind"),
    "price": ("prezzo", "prezzo di listino", "listino", "prezzo unitario", "price"),
    "vat_rate": ("iva", "aliquota iva", "aliquota", "iva %", "% iva", "vat"),
    "vat_nature": ("natura", "natura iva"),
    "licensed": ("licenza", "richiede licenza", "con licenza", "licensed"),
}
REQUIRED = ("code", "description", "price")
NEW, CHANGED, SAME = "nuovo", "modificato", "invariato"


def _plain(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text.casefold())
    kept = "".join(
        c if c.isalnum() or c == "%" else " " for c in folded if not unicodedata.combining(c)
    )
    return " ".join(kept.split())


LABELS = {f.path: f.label for f in PRODUCT_FIELDS}
HEADERS = {_plain(name): path for path, names in ALIASES.items() for name in (*names, LABELS[path])}


@dataclass(frozen=True)
class Row:
    line: int  # as the spreadsheet numbers it (the header is line 1)
    product: Product
    status: str  # nuovo | modificato | invariato


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns that are no product field


def _cell(path: str, text: str) -> str:
    """A cell as the form would take it: no currency sign, no percent sign."""
    text = text.strip()
    if path in ("price", "vat_rate"):
        text = text.replace("€", "").replace("%", "").replace("EUR", "").strip()
    return text


def _columns(headers: list[str], out: Table) -> dict[int, str]:
    """Which field each column holds; a column of no field is noted as ignored."""
    columns: dict[int, str] = {}
    for i, header in enumerate(headers):
        path = HEADERS.get(_plain(header))
        if path is None or path in columns.values():
            if header.strip():
                out.ignored.append(header.strip())
            continue
        columns[i] = path
    return columns


def _product(line: int, values: list[str], columns: dict[int, str]) -> tuple[Product, list[str]]:
    """One row as a product, with its problems (the cells', else the product's)."""
    product, problems = Product(), []
    for i, path in columns.items():
        text = _cell(path, values[i] if i < len(values) else "")
        if not text and path not in REQUIRED:
            continue  # the form's default
        try:
            set_text(product, path, text)
        except ValueError as exc:
            problems.append(f"riga {line}, {LABELS[path]}: {exc}")
    product.code = product.code.strip().upper()
    unread = {q.partition(":")[0] for q in problems}  # a cell that did not parse: said once
    for p in validate_product(product):
        where = f"riga {line}, {LABELS.get(p.path, p.path)}"
        if where not in unread:
            problems.append(f"{where}: {p.message}")
    return product, problems


def read_table(cells: list[list[str]], catalogue: dict[str, Product]) -> Table:
    """The products of ``cells`` (the first row: headers), each compared with
    ``catalogue``; problems say "riga N, <label>: …"."""
    out = Table()
    columns = _columns(cells[0], out) if cells else {}
    missing = [LABELS[p] for p in REQUIRED if p not in columns.values()]
    if not cells or missing:
        out.problems.append(
            "mancano le colonne: " + ", ".join(f"«{m}»" for m in missing)
            if cells
            else "il file è vuoto"
        )
        return out
    if len(cells) - 1 > MAX_ROWS:
        out.problems.append(f"oltre {MAX_ROWS} righe: dividere il file")
        return out
    seen: dict[str, int] = {}
    for line, values in enumerate(cells[1:], 2):
        if not any(v.strip() for v in values):
            continue  # a blank line of the spreadsheet
        product, problems = _product(line, values, columns)
        if product.code in seen:
            problems.append(
                f"riga {line}, Codice: {product.code} già alla riga {seen[product.code]}"
            )
        seen.setdefault(product.code, line)
        out.problems += problems
        before = catalogue.get(product.code)
        status = NEW if before is None else SAME if to_data(before) == to_data(product) else CHANGED
        out.rows.append(Row(line, product, status))
    if not out.rows and not out.problems:
        out.problems.append("nessun prodotto nel file")
    return out
