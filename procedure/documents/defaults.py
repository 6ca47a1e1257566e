"""Build the default .docx templates (run by developers; staff then edit the files in Word).

    .venv/bin/python -m procedure.documents.defaults

Writes templates/documents/*.docx. Placeholders are docxtpl (Jinja2) tags, each in a single
run so that they survive; staff who edit a template keep a placeholder in one piece by
retyping it whole. Every generated form carries ``{{ qr }}``, the code that lets a returned
scan be recognised.
"""

import io
from collections.abc import Callable

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Mm, Pt, RGBColor
from PIL import Image, ImageDraw

from procedure.config.locations import TEMPLATES_DIR
from procedure.fields import returned_form_fields

OUT = TEMPLATES_DIR / "documents"
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


def signatures(doc: DocumentObject, left: str, right: str) -> None:
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text = left
    table.cell(0, 1).text = right
    table.cell(1, 0).text = "\n\n______________________________"
    table.cell(1, 1).text = "\n\n______________________________"


def content_control(tag: str, alias: str, placeholder: str) -> object:
    """A plain-text content control (w:sdt) with a stable tag, holding a placeholder."""
    return parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtPr><w:alias w:val="{alias}"/><w:tag w:val="{tag}"/>'
        f'<w:text/></w:sdtPr><w:sdtContent><w:r><w:t xml:space="preserve">{placeholder}'
        "</w:t></w:r></w:sdtContent></w:sdt>"
    )


def master_data(doc: DocumentObject) -> None:
    header(doc, "Raccolta Dati Anagrafici e dati di fatturazione elettronica")
    doc.add_paragraph(
        "Gentile cliente, la preghiamo di verificare i dati già presenti, di completare i "
        "campi vuoti e di restituirci il modulo (anche come file Word compilato)."
    )
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for tag, label in returned_form_fields():
        # the template shows what the record holds: customer.<last part of the path>, or
        # the contact of that role
        if tag.startswith("contact."):
            _, role, field = tag.split(".")
            value = f"customer.contacts_by_role.{role}.{field}"
        else:
            value = f"customer.{tag.rsplit('.', 1)[-1]}"
        cells = table.add_row().cells
        cells[0].text = label
        paragraph = cells[1].paragraphs[0]
        paragraph._p.append(content_control(tag, label, "{{ " + value + " | blank }}"))
    doc.add_paragraph()
    doc.add_paragraph("Data: ____________________")
    signatures(doc, "Timbro e firma del cliente", "")


def privacy(doc: DocumentObject) -> None:
    header(doc, "Informativa sul trattamento dei dati personali (art. 13 GDPR)")
    party(doc)
    for text in (
        "Titolare del trattamento è {{ company.name }}, {{ company.address_line }}.",
        "I dati dei referenti del cliente sono trattati per eseguire il contratto, fornire "
        "assistenza tecnica e adempiere agli obblighi di legge (art. 6.1 b e c GDPR).",
        "I dati sono conservati per la durata del rapporto e, dopo, per i termini di legge. "
        "Gli interessati possono esercitare i diritti degli artt. 15-22 GDPR scrivendo a "
        "{{ company.email }}.",
    ):
        doc.add_paragraph(text)
    doc.add_paragraph("Referenti interessati:")
    bullets(doc, "c", "customer.contacts", "- {{ c.name }} ({{ c.role }}) {{ c.email }}")
    signatures(doc, "Per presa visione, il cliente", "")


def dpa(doc: DocumentObject) -> None:
    header(doc, "Nomina a Responsabile del trattamento (art. 28 GDPR)")
    party(doc)
    for text in (
        "Il cliente, titolare del trattamento, nomina {{ company.name }} responsabile del "
        "trattamento dei dati personali a cui il personale di assistenza può accedere nei "
        "sistemi del cliente durante gli interventi previsti dal contratto.",
        "Il responsabile tratta i dati solo su istruzione documentata del titolare, garantisce "
        "la riservatezza del personale autorizzato, adotta le misure dell'art. 32 GDPR e "
        "assiste il titolare nel rispondere agli interessati.",
    ):
        doc.add_paragraph(text)
    signatures(doc, "Il titolare (cliente)", "Il responsabile ({{ company.name }})")


def sepa(doc: DocumentObject) -> None:
    header(doc, "Mandato per addebito diretto SEPA (SDD {{ mandate.scheme }})")
    doc.add_paragraph("Riferimento del mandato (UMR): {{ mandate.umr | blank }}")
    doc.add_paragraph("Creditore: {{ company.name }}, {{ company.address_line }}")
    party(doc)
    doc.add_paragraph("IBAN del debitore: {{ customer.iban | blank }}")
    doc.add_paragraph(
        "Sottoscrivendo il mandato il debitore autorizza il creditore a inviare istruzioni "
        "alla propria banca per addebitare il conto e la banca a procedere all'addebito."
        "{% if mandate.scheme == 'CORE' %} Il debitore ha diritto al rimborso dalla propria "
        "banca entro 8 settimane dalla data di addebito.{% endif %}"
    )
    doc.add_paragraph("Data e luogo: ____________________")
    signatures(doc, "Firma del debitore", "")


def support_contract(doc: DocumentObject) -> None:
    header(doc, "Contratto di assistenza software n. {{ contract.number }}")
    doc.add_paragraph("Tra {{ company.name }} (fornitore) e {{ customer.name }} (cliente).")
    party(doc)
    doc.add_heading("1. Prodotti e moduli coperti", level=2)
    bullets(doc, "p", "contract.products", "- {{ p.code }} {{ p.description }}")
    doc.add_paragraph("Licenze: {{ contract.licences }}")
    doc.add_heading("2. Servizi", level=2)
    doc.add_paragraph(
        "Hotline telefonica, assistenza remota, aggiornamenti del software e interventi in "
        "sede. Ore incluse: {{ contract.included_hours }}; ore eccedenti a "
        "{{ company.extra_rate }} l'ora, trasferta esclusa."
    )
    doc.add_paragraph(
        "Orario del servizio: {{ company.service_hours }}. Livello di servizio: "
        "{{ company.sla }}. Canali: portale osTicket {{ osticket.url }}, e-mail "
        "{{ osticket.email }}, telefono {{ company.phone }}."
    )
    doc.add_heading("3. Corrispettivo", level=2)
    doc.add_paragraph(
        "Canone annuo {{ contract.annual_fee }} + IVA, fatturazione {{ contract.frequency }} "
        "{{ contract.billing }}; pagamento: {{ customer.payment_terms_text }}. "
        "{{ contract.calendar }}"
    )
    doc.add_paragraph("Fatture del periodo contrattuale:")
    bullets(
        doc,
        "p",
        "contract.schedule",
        "{{ p.issue_date }}: {{ p.amount }} + IVA (periodo dal {{ p.period_from }} "
        "al {{ p.period_to }})",
    )
    doc.add_paragraph(
        "Il canone è aggiornato a ogni rinnovo nella misura del {{ contract.indexation_share }} "
        "della variazione dell'indice ISTAT FOI, {{ contract.indexation_direction }}."
    )
    doc.add_heading("4. Durata, rinnovo e disdetta", level=2)
    doc.add_paragraph(
        "Decorrenza {{ contract.start }}, scadenza {{ contract.end }}. {{ contract.renewal }} "
        "Disdetta con preavviso di {{ contract.notice_days }} giorni a mezzo PEC."
    )
    doc.add_heading("5. Esclusioni e trattamento dei dati", level=2)
    doc.add_paragraph(
        "Sono esclusi gli interventi su hardware e software di terzi e i danni da uso "
        "improprio. Per i dati a cui accede, il fornitore è responsabile del trattamento "
        "secondo la nomina allegata."
    )
    signatures(doc, "Il fornitore", "Il cliente")
    doc.add_paragraph(
        "Ai sensi degli artt. 1341 e 1342 c.c. il cliente approva specificamente le clausole "
        "3 (aggiornamento del canone), 4 (rinnovo tacito e disdetta) e 5 (esclusioni)."
    )
    signatures(doc, "", "Il cliente (seconda firma)")


def hardware_contract(doc: DocumentObject) -> None:
    header(doc, "Contratto di assistenza hardware n. {{ contract.number }}", qr=False)
    party(doc)
    doc.add_paragraph("Apparecchiature coperte:")
    bullets(doc, "p", "contract.products", "- {{ p.code }} {{ p.description }}")
    doc.add_paragraph(
        "Canone annuo {{ contract.annual_fee }} + IVA, fatturazione {{ contract.frequency }} "
        "{{ contract.billing }}. Decorrenza {{ contract.start }}, scadenza {{ contract.end }}. "
        "{{ contract.renewal }} Disdetta con {{ contract.notice_days }} giorni di preavviso."
    )
    signatures(doc, "Il fornitore", "Il cliente")


def osticket_instructions(doc: DocumentObject) -> None:
    header(doc, "Generazione Istruzioni Os-Ticket", qr=False)
    party(doc)
    doc.add_paragraph(
        "Per chiedere assistenza aprite un ticket: ogni richiesta riceve un numero e potete "
        "seguirne lo stato in ogni momento."
    )
    doc.add_paragraph("Portale: {{ osticket.url }}")
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
    table = doc.add_table(rows=3, cols=5)
    table.style = "Table Grid"
    for i, label in enumerate(("Codice", "Descrizione", "Q.tà", "Prezzo", "Importo")):
        table.cell(0, i).text = label
    table.cell(1, 0).text = "{%tr for l in order.lines %}"
    for i, key in enumerate(("code", "description", "quantity", "price", "amount")):
        table.cell(2, i).text = "{{ l." + key + " }}"
    row = table.add_row().cells
    row[0].text = "{%tr endfor %}"
    doc.add_paragraph(
        "Imponibile {{ order.taxable }} · IVA {{ order.vat }} · Totale {{ order.total }}"
    )
    doc.add_paragraph("Pagamento: {{ order.payment_terms_text }}. Scadenze:")
    bullets(doc, "i", "order.instalments", "- {{ i.date }}: {{ i.amount }}")
    signatures(doc, "Il fornitore", "Il cliente per accettazione")


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
        "moduli: {{ licence.modules }} · postazioni: {{ licence.seats }}",
        "tipo: {{ licence.type }} · emessa il {{ licence.issued_on }} · "
        "validità {{ licence.valid_until }}",
    ):
        doc.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(
        "La licenza è personale e non trasferibile; l'uso è regolato dalle condizioni "
        "generali di licenza del fornitore."
    )
    doc.add_paragraph("Chiave di licenza:")
    key = doc.add_paragraph("{{ licence.key }}")
    key.runs[0].font.size = Pt(7)
    key.runs[0].font.name = "Liberation Mono"
    doc.add_paragraph("Emessa da {{ company.name }}").alignment = WD_ALIGN_PARAGRAPH.RIGHT


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
