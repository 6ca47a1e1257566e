"""PDF forms: the fields added to a converted form so the customer can fill it on screen, and
the values read back from a filled one.

A field is named by its path in the master record (``address.zip``,
``contact.legal_rep.email``): dots make the PDF's own hierarchy of fields, so every viewer
shows and returns the same full names. Each field covers the value cell of its row: the
label is found in the page's text (pdfium), the cell's width and height come from the
.docx table the PDF was made from.
"""

import io
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

MAX_FORM_BYTES = 20 * 1024 * 1024  # a filled one-page form is a few hundred KB
MAX_FIELDS = 500
FONT = "/Helv 10 Tf 0 g"
CELL_PADDING = 5.4  # points between a cell's border and its text (Word's and LibreOffice's)


@dataclass(frozen=True)
class Layout:
    """The geometry of the form's table, in points: label column width, value column width,
    row height."""

    label_width: float
    value_width: float
    row_height: float


@dataclass(frozen=True)
class Placed:
    name: str
    page: int
    rect: tuple[float, float, float, float]


def _find(pdf: pdfium.PdfDocument, labels: list[tuple[str, str]], layout: Layout) -> list[Placed]:
    """Where each label's value cell is: the row of the label, the column after it."""
    placed: list[Placed] = []
    remaining = dict(labels)
    for index in range(len(pdf)):
        page = pdf[index]
        text = page.get_textpage()
        for name, label in list(remaining.items()):
            searcher = text.search(label, match_case=True, match_whole_word=False)
            found = searcher.get_next()
            if found is None:
                continue
            left, bottom, _, top = text.get_rect(text.count_rects(*found) - 1)
            middle = (bottom + top) / 2
            x0 = left - CELL_PADDING + layout.label_width + 2
            half = layout.row_height / 2 - 2
            rect = (x0, middle - half, x0 + layout.value_width - 4, middle + half)
            placed.append(Placed(name, index, rect))
            del remaining[name]
    return placed


@dataclass
class Tree:
    """The fields made so far: the top-level ones and each parent with its kids."""

    writer: PdfWriter
    top: ArrayObject
    parents: dict[str, tuple[IndirectObject, ArrayObject]]

    def attach(self, node: DictionaryObject, ref: IndirectObject, path: list[str]) -> None:
        """Put the field ``ref`` under the parent named by ``path`` (made on first use)."""
        if not path:
            self.top.append(ref)
            return
        parent, kids = self.parent(path)
        node[NameObject("/Parent")] = parent
        kids.append(ref)

    def parent(self, path: list[str]) -> tuple[IndirectObject, ArrayObject]:
        key = ".".join(path)
        if key not in self.parents:
            kids = ArrayObject()
            node = DictionaryObject(
                {NameObject("/T"): TextStringObject(path[-1]), NameObject("/Kids"): kids}
            )
            ref = self.writer._add_object(node)
            self.attach(node, ref, path[:-1])
            self.parents[key] = (ref, kids)
        return self.parents[key]


def add_fields(
    pdf_bytes: bytes, labels: list[tuple[str, str]], values: dict[str, str], layout: Layout
) -> bytes:
    """``pdf_bytes`` with a text field over the value cell of each (name, label) found, filled
    with ``values``; labels not found get no field."""
    placed = _find(pdfium.PdfDocument(pdf_bytes), labels, layout)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    fields = ArrayObject()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    resources = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/Helv"): writer._add_object(font)})}
    )
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Fields"): fields,
                NameObject("/DA"): TextStringObject(FONT),
                NameObject("/DR"): resources,
                NameObject("/NeedAppearances"): BooleanObject(True),
            }
        )
    )
    tree = Tree(writer, fields, {})
    for p in placed:
        *path, last = p.name.split(".")
        page = writer.pages[p.page]
        widget = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Annot"),
                NameObject("/Subtype"): NameObject("/Widget"),
                NameObject("/FT"): NameObject("/Tx"),
                NameObject("/T"): TextStringObject(last),
                NameObject("/Rect"): ArrayObject(FloatObject(v) for v in p.rect),
                NameObject("/F"): NumberObject(4),  # printed
                NameObject("/DA"): TextStringObject(FONT),
                NameObject("/V"): TextStringObject(values.get(p.name, "")),
                NameObject("/MK"): DictionaryObject(
                    {NameObject("/BC"): ArrayObject([FloatObject(0.6)] * 3)}
                ),
                NameObject("/P"): page.indirect_reference,
            }
        )
        ref = writer._add_object(widget)
        tree.attach(widget, ref, path)
        annots = page.get("/Annots")
        annots = annots.get_object() if annots is not None else None
        if not isinstance(annots, ArrayObject):
            annots = ArrayObject()
            page[NameObject("/Annots")] = annots
        annots.append(ref)
    for index, page in enumerate(writer.pages):
        filled = {p.name: values.get(p.name, "") for p in placed if p.page == index}
        if filled:
            writer.update_page_form_field_values(page, filled, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def read_pdf_fields(path: Path) -> dict[str, str]:
    """The text of every field of a filled PDF form by full name; {} for a PDF without
    fields, one too large, or one that does not parse."""
    try:
        if path.stat().st_size > MAX_FORM_BYTES:
            return {}
        fields = PdfReader(path).get_fields() or {}
    except (OSError, PyPdfError, ValueError, KeyError, TypeError, RecursionError):
        return {}
    out: dict[str, str] = {}
    for name, field in list(fields.items())[:MAX_FIELDS]:
        value = field.get("/V")
        if isinstance(value, str):
            out[name] = " ".join(value.split())
    return out
