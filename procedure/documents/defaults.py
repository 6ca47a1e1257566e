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
from docx.enum.table import WD_ALIGN_VERTICAL, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
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


def privacy(doc: DocumentObject) -> None:
    header(doc, "Informativa sul trattamento dei dati personali (artt. 13 e 14 GDPR)")
    party(doc)
    numbered(
        doc,
        [
            (
                "Titolare del trattamento e contatti",
                [
                    "Titolare del trattamento è {{ company.name }}, {{ company.address_line }}, "
                    "P.IVA {{ company.vat_number }}. Per ogni richiesta sul trattamento dei dati: "
                    "{{ company.privacy_contact }}. Responsabile della protezione dei dati "
                    "(DPO): {{ company.dpo }}.",
                ],
            ),
            (
                "Finalità e base giuridica",
                [
                    "I dati sono trattati per concludere ed eseguire il contratto di fornitura e "
                    "di assistenza (art. 6.1.b GDPR), per adempiere agli obblighi fiscali e "
                    "contabili (art. 6.1.c GDPR) e, per il legittimo interesse del titolare a "
                    "gestire il rapporto e tutelare i propri diritti (art. 6.1.f GDPR), per le "
                    "comunicazioni di servizio ai referenti indicati dal cliente.",
                ],
            ),
            (
                "Categorie di dati e fonte (art. 14 GDPR)",
                [
                    "Dati di contatto (nome, ruolo, e-mail, telefono) dei referenti del cliente "
                    "e dati di fatturazione. I dati dei referenti non sono raccolti presso gli "
                    "interessati: li fornisce il cliente, che si impegna a consegnare loro "
                    "questa informativa. Non sono trattate categorie particolari di dati.",
                ],
            ),
            (
                "Natura del conferimento",
                [
                    "Il conferimento dei dati è un requisito necessario per concludere il "
                    "contratto e, per i dati di fatturazione, un obbligo di legge: senza di "
                    "essi non è possibile fornire il software, l'assistenza né emettere "
                    "fattura.",
                ],
            ),
            (
                "Destinatari",
                [
                    "I dati sono trattati dal personale autorizzato del titolare e possono "
                    "essere comunicati a consulenti fiscali, banche per gli incassi, corrieri "
                    "e ai fornitori che agiscono come responsabili del trattamento "
                    "({{ company.sub_processors }}); non sono diffusi.",
                ],
            ),
            ("Trasferimenti verso paesi terzi", ["{{ company.transfers }}"]),
            (
                "Periodo di conservazione",
                [
                    "I dati sono conservati per la durata del rapporto e per "
                    "{{ company.retention_years }} anni dalla sua cessazione (art. 2220 c.c.), "
                    "salvo contenziosi in corso.",
                ],
            ),
            (
                "Diritti degli interessati",
                [
                    "Gli interessati possono chiedere l'accesso ai dati, la rettifica, la "
                    "cancellazione, la limitazione del trattamento, la portabilità e opporsi al "
                    "trattamento (artt. 15-22 GDPR) scrivendo a {{ company.privacy_contact }}. "
                    "Hanno diritto di proporre reclamo al Garante per la protezione dei dati "
                    "personali (www.garanteprivacy.it, art. 77 GDPR).",
                ],
            ),
            (
                "Processi decisionali automatizzati",
                [
                    "Non è svolto alcun processo decisionale automatizzato, compresa la "
                    "profilazione (art. 22 GDPR).",
                ],
            ),
        ],
    )
    doc.add_paragraph("Referenti del cliente interessati:")
    bullets(doc, "c", "customer.contacts", "- {{ c.name }} ({{ c.role }}) {{ c.email }}")
    place_and_date(doc)
    signatures(doc, "Per presa visione, il cliente (timbro e firma)")


def dpa(doc: DocumentObject) -> None:
    header(doc, "Nomina a Responsabile del trattamento (art. 28 GDPR)")
    party(doc)
    doc.add_paragraph(
        "Il cliente, titolare del trattamento, in persona di {{ customer.representative }}, "
        "nomina {{ company.name }}, in persona di {{ company.representative }}, responsabile "
        "del trattamento ai sensi dell'art. 28 GDPR, alle condizioni che seguono; la nomina "
        "è allegata al contratto di assistenza e ne fa parte."
    )
    numbered(
        doc,
        [
            (
                "Oggetto e durata",
                [
                    "Oggetto: i trattamenti necessari all'assistenza software prevista dal "
                    "contratto. Durata: quella del contratto di assistenza, rinnovi compresi.",
                ],
            ),
            (
                "Natura e finalità del trattamento",
                [
                    "Consultazione, estrazione, modifica e salvataggio di dati presenti nei "
                    "sistemi del cliente, anche con accesso remoto, al solo fine di installare, "
                    "aggiornare e correggere il software e di assistere gli utenti.",
                ],
            ),
            (
                "Tipo di dati personali e categorie di interessati",
                [
                    "Dati anagrafici, di contatto, contabili e commerciali contenuti negli "
                    "archivi gestiti dal software. Interessati: clienti, fornitori, dipendenti "
                    "e collaboratori del titolare.",
                ],
            ),
            (
                "Istruzioni documentate",
                [
                    "Il responsabile tratta i dati soltanto su istruzione documentata del "
                    "titolare, anche per i trasferimenti verso paesi terzi, e lo informa "
                    "subito se un'istruzione gli pare violare il GDPR (art. 28.3.a).",
                ],
            ),
            (
                "Riservatezza",
                [
                    "Le persone autorizzate al trattamento si sono impegnate alla riservatezza "
                    "o hanno un obbligo legale di riservatezza (art. 28.3.b).",
                ],
            ),
            (
                "Sicurezza (art. 32 GDPR)",
                [
                    "Il responsabile adotta misure tecniche e organizzative adeguate: "
                    "{{ company.security }} (art. 28.3.c).",
                ],
            ),
            (
                "Sub-responsabili",
                [
                    "Il titolare autorizza in via generale il ricorso a sub-responsabili; sono "
                    "autorizzati fin d'ora: {{ company.sub_processors }}. Il responsabile "
                    "informa il titolare di ogni aggiunta o sostituzione, che può opporvisi, e "
                    "impone ai sub-responsabili gli stessi obblighi (art. 28.2 e 28.4).",
                ],
            ),
            (
                "Assistenza per i diritti degli interessati",
                [
                    "Il responsabile assiste il titolare con misure adeguate nel rispondere "
                    "alle richieste degli interessati (artt. 15-22, art. 28.3.e).",
                ],
            ),
            (
                "Violazioni dei dati e valutazione d'impatto",
                [
                    "Il responsabile informa il titolare di ogni violazione dei dati personali "
                    "entro {{ company.breach_hours }} ore da quando ne viene a conoscenza e lo "
                    "assiste negli obblighi degli artt. 32-36: notifica delle violazioni, "
                    "valutazione d'impatto (DPIA) e consultazione preventiva (art. 28.3.f).",
                ],
            ),
            (
                "Cancellazione o restituzione a fine contratto",
                [
                    "Alla fine dell'assistenza il responsabile, a scelta del titolare, cancella "
                    "o restituisce tutti i dati personali e ne cancella le copie, salvo "
                    "obbligo di conservazione previsto dalla legge (art. 28.3.g).",
                ],
            ),
            (
                "Informazioni e verifiche",
                [
                    "Il responsabile mette a disposizione del titolare le informazioni "
                    "necessarie a dimostrare il rispetto di questi obblighi e consente le "
                    "attività di revisione, comprese le ispezioni, del titolare o di un "
                    "revisore da questi incaricato (art. 28.3.h).",
                ],
            ),
        ],
    )
    place_and_date(doc)
    signatures(
        doc, "Il titolare del trattamento (il cliente)", "Il responsabile ({{ company.name }})"
    )


def sepa(doc: DocumentObject) -> None:
    header(
        doc,
        "Mandato per addebito diretto SEPA"
        "{% if mandate.scheme == 'B2B' %} Business to Business (SDD B2B){% else %} "
        "(SDD CORE){% endif %}",
    )
    doc.add_paragraph("Riferimento del mandato: {{ mandate.umr | blank }}")
    doc.add_heading("Creditore", level=2)
    doc.add_paragraph("Nome del creditore: {{ company.name }}")
    doc.add_paragraph("Codice identificativo del creditore: {{ mandate.creditor_id }}")
    doc.add_paragraph("Indirizzo: {{ company.address_line }} - Paese: Italia")
    doc.add_heading("Debitore", level=2)
    doc.add_paragraph("Nome del debitore: {{ customer.name }}")
    doc.add_paragraph(
        "Indirizzo: {{ customer.street | blank }}, {{ customer.zip | blank }} "
        "{{ customer.city | blank }} - Paese: {{ customer.country | blank }}"
    )
    doc.add_paragraph(
        "Codice fiscale / Partita IVA: {{ customer.tax_code | blank }} / "
        "{{ customer.vat_number | blank }}"
    )
    doc.add_paragraph("Conto di addebito (IBAN): {{ customer.iban | blank }}")
    doc.add_paragraph("Codice SWIFT della banca (BIC): {{ customer.bic | blank }}")
    doc.add_paragraph(
        "Tipo di pagamento: {% if mandate.recurrent %}[X] ricorrente   [ ] singolo"
        "{% else %}[ ] ricorrente   [X] singolo{% endif %}"
    )
    doc.add_paragraph(
        "Con la sottoscrizione del presente mandato, il debitore autorizza il creditore a "
        "richiedere alla banca del debitore l'addebito del suo conto e autorizza la banca "
        "del debitore a procedere a tale addebito conformemente alle disposizioni impartite "
        "dal creditore."
    )
    doc.add_paragraph(
        "{% if mandate.scheme == 'B2B' %}Il presente mandato è destinato unicamente alle "
        "operazioni tra imprese (Business to Business): il debitore non è un consumatore. "
        "Il debitore non ha diritto al rimborso dopo che il suo conto è stato addebitato, ma "
        "ha diritto di chiedere alla propria banca di non addebitare il conto fino al giorno "
        "in cui il pagamento è dovuto. Il debitore si impegna a comunicare il mandato alla "
        "propria banca, che ne verifica gli estremi prima di ogni addebito.{% else %}Il "
        "debitore ha diritto di essere rimborsato dalla propria banca secondo gli accordi ed "
        "alle condizioni che regolano il rapporto con quest'ultima. Se del caso, il rimborso "
        "deve essere richiesto nel termine di 8 settimane a decorrere dalla data di addebito "
        "in conto.{% endif %}"
    )
    doc.add_paragraph(
        "Pre-notifica: il creditore comunica importo e data di ciascun addebito (di norma con "
        "la fattura) almeno {{ mandate.prenotification_days }} giorni di calendario prima "
        "della scadenza; le parti concordano questo termine in luogo dei 14 giorni previsti "
        "dal rulebook EPC."
    )
    doc.add_paragraph(
        "I diritti del sottoscrittore sono indicati nella documentazione ottenibile dalla "
        "propria banca."
    )
    doc.add_paragraph("Luogo: ____________________   Data di sottoscrizione: ____________________")
    doc.add_paragraph(
        "Sottoscrittore, se diverso dal titolare del conto: ______________________________"
    )
    signatures(doc, "Firma del debitore (titolare del conto o delegato)")


def support_contract(doc: DocumentObject) -> None:
    header(doc, "Contratto di assistenza software n. {{ contract.number }}")
    doc.add_paragraph(
        "Tra {{ company.name }}, {{ company.address_line }}, P.IVA {{ company.vat_number }}, "
        "in persona di {{ company.representative }} (il fornitore), e {{ customer.name }}, "
        "{{ customer.address_line }}, P.IVA {{ customer.vat_number }}, C.F. "
        "{{ customer.tax_code }}, in persona di {{ customer.representative }} (il cliente), "
        "si conviene quanto segue."
    )
    numbered(
        doc,
        [
            (
                "Oggetto",
                [
                    "Il fornitore presta assistenza sui prodotti e moduli che seguono, con le "
                    "licenze {{ contract.licences }}.",
                    "{%p for p in contract.products %}",
                    "- {{ p.code }} {{ p.description }}",
                    "{%p endfor %}",
                ],
            ),
            (
                "Servizi e livelli di servizio",
                [
                    "Hotline telefonica, assistenza remota, aggiornamenti del software e "
                    "interventi in sede. Ore incluse: {{ contract.included_hours }}; ore "
                    "eccedenti a {{ company.extra_rate }} l'ora, trasferta esclusa.",
                    "Orario del servizio: {{ company.service_hours }}. Livello di servizio "
                    "(SLA): {{ company.sla }}. Canali: portale osTicket {{ osticket.portal }}, "
                    "e-mail {{ osticket.email }}, telefono {{ company.phone }}.",
                ],
            ),
            (
                "Corrispettivo, fatturazione e pagamento",
                [
                    "Canone annuo {{ contract.annual_fee }} + IVA, fatturazione "
                    "{{ contract.frequency }} {{ contract.billing }}; pagamento: "
                    "{{ customer.payment_terms_text }}. {{ contract.calendar }}",
                    "Fatture del periodo contrattuale:",
                    "{%p for p in contract.schedule %}",
                    "{{ p.issue_date }}: {{ p.amount }} + IVA (periodo dal {{ p.period_from }} "
                    "al {{ p.period_to }})",
                    "{%p endfor %}",
                    "{{ contract.sdd }}",
                    "Il canone è aggiornato a ogni rinnovo nella misura del "
                    "{{ contract.indexation_share }} della variazione dell'indice ISTAT FOI, "
                    "{{ contract.indexation_direction }}.",
                ],
            ),
            (
                "Durata, rinnovo e disdetta",
                [
                    "Decorrenza {{ contract.start }}, scadenza {{ contract.end }}. "
                    "{{ contract.renewal }} Disdetta con preavviso di "
                    "{{ contract.notice_days }} giorni prima della scadenza a mezzo PEC.",
                ],
            ),
            (
                "Esclusioni",
                [
                    "Sono esclusi gli interventi su hardware e software di terzi, i danni da "
                    "uso improprio o da modifiche non autorizzate e il recupero di dati non "
                    "salvati dal cliente.",
                ],
            ),
            (
                "Limitazione di responsabilità",
                [
                    "Salvo dolo o colpa grave (art. 1229 c.c.), la responsabilità del fornitore "
                    "per danni derivanti dal contratto è limitata ai danni diretti e non supera "
                    "il canone annuo; è esclusa per perdita di dati, mancato guadagno e danni "
                    "indiretti.",
                ],
            ),
            (
                "Trattamento dei dati personali",
                [
                    "Per i dati a cui accede prestando l'assistenza il fornitore è responsabile "
                    "del trattamento secondo la nomina ex art. 28 GDPR allegata, che fa parte "
                    "del contratto; l'informativa privacy è consegnata al cliente.",
                ],
            ),
            (
                "Legge applicabile e foro competente",
                [
                    "Il contratto è regolato dalla legge italiana. Per ogni controversia è "
                    "competente in via esclusiva il Foro di {{ company.court }}.",
                ],
            ),
        ],
    )
    doc.add_paragraph("Allegato: Nomina a Responsabile del trattamento (art. 28 GDPR).")
    contract_signatures(
        doc,
        "3 (aggiornamento del canone), 4 (rinnovo tacito e disdetta), 5 (esclusioni), 6 "
        "(limitazione di responsabilità) e 8 (foro competente)",
    )


def hardware_contract(doc: DocumentObject) -> None:
    header(doc, "Contratto di assistenza hardware n. {{ contract.number }}", qr=False)
    doc.add_paragraph(
        "Tra {{ company.name }}, in persona di {{ company.representative }} (il fornitore), e "
        "{{ customer.name }}, P.IVA {{ customer.vat_number }}, in persona di "
        "{{ customer.representative }} (il cliente)."
    )
    numbered(
        doc,
        [
            (
                "Apparecchiature coperte",
                [
                    "{%p for p in contract.products %}",
                    "- {{ p.code }} {{ p.description }}",
                    "{%p endfor %}",
                ],
            ),
            (
                "Corrispettivo",
                [
                    "Canone annuo {{ contract.annual_fee }} + IVA, fatturazione "
                    "{{ contract.frequency }} {{ contract.billing }}; pagamento: "
                    "{{ customer.payment_terms_text }}.",
                ],
            ),
            (
                "Durata, rinnovo e disdetta",
                [
                    "Decorrenza {{ contract.start }}, scadenza {{ contract.end }}. "
                    "{{ contract.renewal }} Disdetta con {{ contract.notice_days }} giorni di "
                    "preavviso a mezzo PEC.",
                ],
            ),
            (
                "Limitazione di responsabilità",
                [
                    "Salvo dolo o colpa grave, la responsabilità del fornitore non supera il "
                    "canone annuo ed è esclusa per perdita di dati e danni indiretti.",
                ],
            ),
            (
                "Legge applicabile e foro competente",
                [
                    "Legge italiana; foro competente in via esclusiva: {{ company.court }}.",
                ],
            ),
        ],
    )
    contract_signatures(
        doc,
        "3 (rinnovo tacito e disdetta), 4 (limitazione di responsabilità) e 5 (foro competente)",
    )


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
    doc.add_paragraph(
        "Imponibile {{ order.taxable }} · IVA {{ order.vat }} · Totale {{ order.total }}"
    )
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
