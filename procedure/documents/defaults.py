"""Build the default .docx templates (run by developers; staff then edit the files in Word).

    .venv/bin/python -m procedure.documents.defaults

Writes templates/documents/*.docx. Placeholders are docxtpl (Jinja2) tags, each in a single
run so that they survive; staff who edit a template keep a placeholder in one piece by
retyping it whole. Every generated form carries ``{{ qr }}``, the code that lets a returned
scan be recognised.
"""

import io
from collections.abc import Callable

from docx.document import Document as DocumentObject
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

from procedure.config.locations import TEMPLATES_DIR
from procedure.documents.contracts import hardware_contract, support_contract
from procedure.documents.layout import (
    FRAME_RGB,
    bullets,
    content_control,
    header,
    new_document,
    numbered,
    party,
    place_and_date,
    signatures,
)
from procedure.documents.legal import dpa, privacy, sepa
from procedure.editing.fields import returned_form_fields

OUT = TEMPLATES_DIR / "documents"


FORM_LABEL_MM, FORM_VALUE_MM, FORM_ROW_MM = 82, 84, 9


def master_data(doc: DocumentObject) -> None:
    header(doc, "Raccolta Dati Anagrafici e dati di fatturazione elettronica")
    doc.add_paragraph(
        "Gentile cliente, la preghiamo di verificare i dati già presenti, di completare i "
        "campi vuoti e di restituirci il modulo: compilato a video (in Word o nel PDF) oppure "
        "stampato e scritto a mano in stampatello nelle caselle, con timbro e firma."
    )
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.autofit = False
    for tag, label in returned_form_fields():
        row = table.add_row()
        row.height, row.height_rule = Mm(FORM_ROW_MM), WD_ROW_HEIGHT_RULE.EXACTLY
        cells = row.cells
        cells[0].width, cells[1].width = Mm(FORM_LABEL_MM), Mm(FORM_VALUE_MM)
        cells[0].vertical_alignment = cells[1].vertical_alignment = WD_ALIGN_VERTICAL.CENTER
        cells[0].text = label
        paragraph = cells[1].paragraphs[0]
        value = "{{ form['" + tag + "'] | blank }}"
        paragraph._p.append(content_control(tag, label, value))
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for col, mm in zip(grid, (FORM_LABEL_MM, FORM_VALUE_MM), strict=True):
        col.set(qn("w:w"), str(int(Mm(mm).twips)))
    doc.add_paragraph()
    doc.add_paragraph("Luogo e data: ______________________________")
    signatures(doc, "Timbro e firma del cliente")


def osticket_instructions(doc: DocumentObject) -> None:
    header(doc, "Istruzioni per l'assistenza tramite osTicket", qr=False)
    party(doc)
    doc.add_paragraph(
        "Per chiedere assistenza aprite un ticket: ogni richiesta riceve un numero e potete "
        "seguirne lo stato in ogni momento."
    )
    doc.add_paragraph("Portale: {{ osticket.portal }}")
    doc.add_paragraph("E-mail per aprire un ticket: {{ osticket.email }}")
    doc.add_paragraph("Orario del servizio: {{ company.service_hours }}")
    doc.add_paragraph("Utenti abilitati:")
    bullets(doc, "u", "osticket.users", "- {{ u.name }} <{{ u.email }}>")
    doc.add_heading("Come aprire un ticket", level=2)
    for step in (
        "1. Aprite il portale e scegliete «Apri un nuovo ticket», oppure scrivete all'e-mail.",
        "2. Indicate il programma, cosa stavate facendo e il messaggio di errore.",
        "3. Allegate una schermata se utile; riceverete il numero del ticket per e-mail.",
    ):
        doc.add_paragraph(step)


def order_confirmation(doc: DocumentObject) -> None:
    header(doc, "Conferma d'ordine n. {{ order.number }} del {{ order.date }}", qr=False)
    party(doc)
    table = doc.add_table(rows=3, cols=6)
    table.style = "Table Grid"
    for i, label in enumerate(("Codice", "Descrizione", "Q.tà", "Prezzo", "Sconto", "Importo")):
        table.cell(0, i).text = label
    table.cell(1, 0).text = "{%tr for l in order.lines %}"
    for i, key in enumerate(("code", "description", "quantity", "price", "discount", "amount")):
        table.cell(2, i).text = "{{ l." + key + " }}"
    row = table.add_row().cells
    row[0].text = "{%tr endfor %}"
    doc.add_paragraph("Riepilogo IVA:")
    bullets(
        doc, "r", "order.vat_lines", "{{ r.label }}: imponibile {{ r.taxable }}, IVA {{ r.vat }}"
    )
    doc.add_paragraph(
        "Imponibile {{ order.taxable }} · IVA {{ order.vat }} · Totale {{ order.total }}"
    )
    bullets(doc, "n", "order.vat_notes", "{{ n }}")
    doc.add_paragraph("Pagamento: {{ order.payment_terms_text }}. Scadenze:")
    bullets(doc, "i", "order.instalments", "- {{ i.date }}: {{ i.amount }}")
    place_and_date(doc)
    signatures(doc, "Il fornitore", "Il cliente, per accettazione")


def handover_sheet(title: str) -> Callable[[DocumentObject], None]:
    def build(doc: DocumentObject) -> None:
        header(doc, title, qr=False)
        party(doc)
        doc.add_paragraph(
            "Consegnato da {{ handover.by }} a {{ handover.recipient }} il {{ handover.at }}."
        )
        doc.add_paragraph("Documenti consegnati:")
        bullets(doc, "item", "handover.documents", "- {{ item }}")
        doc.add_paragraph("Tempi di fatturazione concordati: {{ handover.billing_timing }}")
        doc.add_paragraph("Note: {{ handover.note }}")
        signatures(doc, "Chi consegna", "Chi riceve")

    return build


def frame_png() -> bytes:
    """The certificate frame: a border drawn on an A4 page at 150 dpi."""
    width, height = 1240, 1754
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    for inset, thickness in ((45, 28), (95, 6)):
        draw.rectangle(
            [inset, inset, width - inset, height - inset], outline=FRAME_RGB, width=thickness
        )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def behind_text(doc: DocumentObject, png: bytes) -> None:
    """Put ``png`` behind the text of every page, anchored in the header: conversion to PDF
    keeps header images, while page backgrounds are dropped (Microsoft KB 906306)."""
    section = doc.sections[0]
    run = section.header.paragraphs[0].add_run()
    run.add_picture(io.BytesIO(png), width=Mm(210), height=Mm(297))
    inline = run._r.xpath(".//wp:inline")[0]
    graphic = inline.xpath("./a:graphic")[0]
    doc_pr = inline.xpath("./wp:docPr")[0]
    anchor = parse_xml(
        f'<wp:anchor {nsdecls("wp", "a", "pic", "r")} distT="0" distB="0" distL="0" distR="0" '
        'simplePos="0" relativeHeight="0" behindDoc="1" locked="1" layoutInCell="1" '
        'allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="page"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{Mm(210)}" cy="{Mm(297)}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        "<wp:wrapNone/></wp:anchor>"
    )
    anchor.append(doc_pr)
    anchor.append(parse_xml(f"<wp:cNvGraphicFramePr {nsdecls('wp')}/>"))
    anchor.append(graphic)
    inline.getparent().replace(inline, anchor)


def licence(doc: DocumentObject) -> None:
    behind_text(doc, frame_png())
    section = doc.sections[0]
    section.left_margin = section.right_margin = Mm(35)
    section.top_margin = Mm(40)
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run("LICENZA SOFTWARE")
    run.bold, run.font.size = True, Pt(24)
    run.font.color.rgb = RGBColor(*FRAME_RGB)
    center = doc.add_paragraph("n. {{ licence.number }}")
    center.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (
        "{{ company.name }} concede in licenza d'uso a",
        "{{ customer.name }} (P.IVA {{ customer.vat_number }}, cliente {{ customer.code }})",
        "il prodotto {{ licence.product }} edizione {{ licence.edition }}",
        "moduli: {{ licence.modules }} · {{ licence.seats }}",
        "tipo: {{ licence.type }} · emessa il {{ licence.issued_on }} · "
        "validità {{ licence.valid_until }}",
    ):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        "La licenza è personale e non trasferibile; l'uso è regolato dalle condizioni "
        "generali di licenza del fornitore, allegate a questo certificato e inviate con esso."
    )
    doc.add_paragraph("Chiave di licenza:")
    key = doc.add_paragraph("{{ licence.key }}")
    key.runs[0].font.size = Pt(7)
    key.runs[0].font.name = "Liberation Mono"
    doc.add_paragraph("Emessa da {{ company.name }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT


def licence_conditions(doc: DocumentObject) -> None:
    """The general licence conditions the certificates refer to, sent with them (art.
    1341(1) c.c.: conditions bind only when the customer could know them)."""
    header(doc, "Condizioni generali di licenza d'uso del software", qr=False)
    doc.add_paragraph(
        "Le presenti condizioni regolano l'uso dei programmi che {{ company.name }} (il "
        "fornitore) concede in licenza a {{ customer.name }} (il cliente); ogni certificato di "
        "licenza ne indica prodotto, edizione, moduli, postazioni, tipo e validità."
    )
    numbered(
        doc,
        [
            (
                "Concessione",
                [
                    "Il fornitore concede al cliente una licenza d'uso non esclusiva e non "
                    "trasferibile, per le postazioni e i moduli indicati nel certificato e per le "
                    "sole esigenze interne del cliente.",
                ],
            ),
            (
                "Durata",
                [
                    "La licenza perpetua non ha scadenza; la licenza a tempo e gli aggiornamenti "
                    "valgono fino alla data di validità indicata nel certificato.",
                ],
            ),
            (
                "Limiti d'uso",
                [
                    "Il cliente non può cedere, concedere in sublicenza, noleggiare o mettere a "
                    "disposizione di terzi il programma, né decompilarlo o modificarlo, salvo nei "
                    "casi e nei limiti consentiti dagli artt. 64-ter e 64-quater della legge 22 "
                    "aprile 1941, n. 633.",
                ],
            ),
            (
                "Proprietà intellettuale",
                [
                    "Il programma e la documentazione restano di proprietà del fornitore o dei "
                    "suoi licenzianti; la licenza non trasferisce alcun diritto su di essi oltre "
                    "all'uso qui previsto.",
                ],
            ),
            (
                "Chiavi di licenza",
                [
                    "Le chiavi di licenza sono personali del cliente, che le custodisce e non le "
                    "comunica a terzi; il fornitore può verificarne l'uso conforme.",
                ],
            ),
            (
                "Garanzia e responsabilità",
                [
                    "Il fornitore garantisce che il programma funziona in modo sostanzialmente "
                    "conforme alla documentazione. Salvo dolo o colpa grave (art. 1229 c.c.), la "
                    "responsabilità del fornitore è limitata ai danni diretti e non supera il "
                    "corrispettivo pagato per la licenza.",
                ],
            ),
            (
                "Legge applicabile e foro competente",
                [
                    "Le presenti condizioni sono regolate dalla legge italiana. Per ogni "
                    "controversia è competente in via esclusiva il Foro di {{ company.court }}.",
                ],
            ),
        ],
    )


BUILDERS: dict[str, Callable[[DocumentObject], None]] = {
    "raccolta_dati_anagrafici": master_data,
    "informativa_privacy": privacy,
    "nomina_responsabile": dpa,
    "mandato_sepa": sepa,
    "contratto_assistenza_sw": support_contract,
    "contratto_hardware": hardware_contract,
    "istruzioni_osticket": osticket_instructions,
    "conferma_ordine": order_confirmation,
    "consegna_direzione": handover_sheet("Consegna contratti di assistenza alla direzione"),
    "consegna_amministrazione": handover_sheet("Consegna conferme d'ordine all'amministrazione"),
    "licenza_software": licence,
    "condizioni_generali_licenza": licence_conditions,
}


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for name, build in BUILDERS.items():
        doc = new_document()
        build(doc)
        doc.core_properties.author = "Acquisto"
        doc.core_properties.title = name.replace("_", " ")
        doc.save(str(OUT / f"{name}.docx"))
        print(OUT / f"{name}.docx")


if __name__ == "__main__":
    main()
