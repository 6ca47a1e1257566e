"""The contracts (codice civile): parties and representatives, numbered clauses, place and
date, both signatures, and the specific approval of the onerous clauses (arts. 1341-1342)."""

from docx.document import Document as DocumentObject

from procedure.documents.layout import contract_signatures, header, numbered


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
                    "{%p if contract.renews %}",
                    "Il canone è aggiornato a ogni rinnovo nella misura del "
                    "{{ contract.indexation_share }} della variazione dell'indice ISTAT FOI, "
                    "{{ contract.indexation_direction }}.",
                    "{%p endif %}",
                ],
            ),
            (
                "Durata{% if contract.renews %}, rinnovo e disdetta{% endif %}",
                [
                    "Decorrenza {{ contract.start }}, scadenza {{ contract.end }}. "
                    "{{ contract.renewal }}{% if contract.renews %} Disdetta con preavviso di "
                    "{{ contract.notice_days }} giorni prima della scadenza a mezzo PEC."
                    "{% endif %}",
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
        "{% if contract.renews %}3 (aggiornamento del canone), 4 (rinnovo tacito e disdetta), "
        "{% endif %}5 (esclusioni), 6 (limitazione di responsabilità) e 8 (foro competente)",
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
                "Durata{% if contract.renews %}, rinnovo e disdetta{% endif %}",
                [
                    "Decorrenza {{ contract.start }}, scadenza {{ contract.end }}. "
                    "{{ contract.renewal }}{% if contract.renews %} Disdetta con "
                    "{{ contract.notice_days }} giorni di preavviso a mezzo PEC.{% endif %}",
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
        "{% if contract.renews %}3 (rinnovo tacito e disdetta), {% endif %}4 (limitazione di "
        "responsabilità) e 5 (foro competente)",
    )
