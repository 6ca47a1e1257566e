"""The building blocks every default template shares: the page, the company header with
its QR code, the customer's lines, numbered clauses and labelled signature lines."""

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor

FRAME_RGB = (22, 58, 110)


def new_document() -> DocumentObject:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(22))
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    style = doc.styles["Normal"]
    style.font.name = "Calibri"  # Carlito on Linux: same metrics, same page breaks
    style.font.size = Pt(10.5)
    return doc


def on_one_page(doc: DocumentObject) -> None:
    """Tight spacing, and the closing block (from "Luogo" on, the signatures) kept together
    with what precedes it: a form signed on one sheet never leaves its signature alone on
    a second page."""
    closing = False
    for p in doc.paragraphs:
        p.paragraph_format.space_before, p.paragraph_format.space_after = Pt(0), Pt(3)
        closing = closing or p.text.startswith("Luogo")
        if closing:
            p.paragraph_format.keep_with_next = True
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    p.paragraph_format.keep_with_next = True


def header(doc: DocumentObject, title: str, qr: bool = True) -> None:
    p = doc.add_paragraph()
    run = p.add_run("{{ company.name }}")
    run.bold = True
    doc.add_paragraph("{{ company.address_line }} · P.IVA {{ company.vat_number }}")
    if qr:
        doc.add_paragraph("{{ qr }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    heading = doc.add_heading(title, level=1)
    heading.runs[0].font.color.rgb = RGBColor(*FRAME_RGB)


def party(doc: DocumentObject) -> None:
    doc.add_paragraph("Cliente: {{ customer.name }} (codice {{ customer.code }})")
    doc.add_paragraph(
        "Sede: {{ customer.address_line }} · P.IVA {{ customer.vat_number }} · "
        "C.F. {{ customer.tax_code }}"
    )


def bullets(doc: DocumentObject, item: str, items: str, line: str) -> None:
    """One paragraph per element of ``items`` (a docxtpl paragraph loop)."""
    doc.add_paragraph("{%p for " + item + " in " + items + " %}")
    doc.add_paragraph(line)
    doc.add_paragraph("{%p endfor %}")


def signatures(doc: DocumentObject, *labels: str) -> None:
    """A labelled line to sign on for each of ``labels``, side by side."""
    table = doc.add_table(rows=2, cols=len(labels))
    for i, label in enumerate(labels):
        table.cell(0, i).text = label
        table.cell(1, i).text = "\n\n______________________________"


def place_and_date(doc: DocumentObject) -> None:
    doc.add_paragraph("Luogo e data: {{ company.signing_place }}, ____________________")


def contract_signatures(doc: DocumentObject, onerous: str) -> None:
    """Place, date and both signatures, then the customer's second signature approving the
    onerous clauses by number (artt. 1341-1342 c.c.)."""
    place_and_date(doc)
    signatures(
        doc,
        "Il fornitore ({{ company.representative }})",
        "Il cliente (timbro e firma del legale rappresentante)",
    )
    doc.add_paragraph(
        "Ai sensi e per gli effetti degli artt. 1341 e 1342 c.c. il cliente dichiara di avere "
        f"letto e di approvare specificamente le clausole: {onerous}."
    )
    signatures(doc, "Il cliente, per approvazione specifica (seconda firma)")


def numbered(doc: DocumentObject, clauses: list[tuple[str, list[str]]]) -> None:
    """Clauses numbered in order, each a heading and its paragraphs."""
    for number, (title, paragraphs) in enumerate(clauses, 1):
        doc.add_heading(f"{number}. {title}", level=2)
        for text in paragraphs:
            doc.add_paragraph(text)


def content_control(tag: str, alias: str, placeholder: str) -> object:
    """A plain-text content control (w:sdt) with a stable tag, holding a placeholder."""
    return parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>'
        f'<w:text/></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{placeholder}'
        "</w:t></w:r></w:sdtContent></w:sdt>"
    )
