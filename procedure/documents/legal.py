"""The documents a law or rulebook prescribes, element by element: the privacy notice
(arts. 13-14 GDPR), the data-processing appointment (art. 28(3) GDPR) and the SEPA
mandate (EPC SDD CORE and B2B rulebooks)."""

from docx.document import Document as DocumentObject

from procedure.documents.layout import (
    bullets,
    header,
    numbered,
    on_one_page,
    party,
    place_and_date,
    signatures,
)


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
                    "Qualora un sub-responsabile ometta di adempiere ai propri obblighi in "
                    "materia di protezione dei dati, il responsabile conserva nei confronti del "
                    "titolare l'intera responsabilità dell'adempimento degli obblighi del "
                    "sub-responsabile (art. 28.4 GDPR).",
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
    doc.add_paragraph("Sottoscrittore (nome e cognome): ______________________________")
    doc.add_paragraph(
        "in qualità di: [ ] titolare del conto   [ ] legale rappresentante   "
        "[ ] delegato a operare sul conto"
    )
    signatures(doc, "Firma del debitore (titolare del conto o delegato)")
    on_one_page(doc)
