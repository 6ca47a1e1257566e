"""Documents fit to sign: each element its rule requires (EPC SDD rulebooks, art. 28(3), 13 and
14 GDPR, codice civile) is checked in the text of the generated PDF, for a customer paying
by SDD CORE and one paying by SDD B2B."""

import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader

from main import main
from procedure.enums import Frequency, MandateScheme, VatNature
from procedure.errors import Refused
from procedure.italian import euro, it_date
from procedure.model import OrderLine
from procedure.office import Office

pytestmark = pytest.mark.timeout(300)


def pdf_text(path: str) -> str:
    """The PDF's text with every run of white space made one space."""
    out = subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.replace("\u2019", "'").split())


def texts(office: Office, code: str, kind: str) -> dict[str, str]:
    """The text of each document of ``kind``, by title."""
    records = office.documents.generate(code, kind, pdf=True).records
    assert all(r.pdf for r in records), "LibreOffice made no PDF"
    return {r.title: pdf_text(r.pdf) for r in records}


def missing(text: str, elements: list[str]) -> list[str]:
    return [e for e in elements if e not in text]


@pytest.fixture(params=["CORE", "B2B"])
def payer(request: pytest.FixtureRequest, demo: Office) -> tuple[Office, str]:
    """Studio Esempio (C00002), paying by SDD under the scheme of the parameter."""
    scheme = request.param
    with demo.dossiers.edit("C00002") as d:
        d.customer.payment_terms = f"SDD-{scheme}"
        d.customer.sepa_mandate.scheme = MandateScheme(scheme)
        d.customer.orders[0].payment_terms = f"SDD-{scheme}"
        d.customer.bic = "BCITITMM"
    return demo, scheme


CORE_WORDING = "rimborsato dalla propria banca"
B2B_WORDING = "non ha diritto al rimborso"


def test_sepa_mandate_holds_what_the_rulebook_asks(payer: tuple[Office, str]) -> None:
    office, scheme = payer
    text = texts(office, "C00002", "forms")["Mandato SEPA SDD"]
    assert not missing(text, [
        "Mandato per addebito diretto SEPA",
        "Riferimento del mandato: DTI-2025-000002",
        "Nome del creditore: Delta Test Informatica S.r.l.",
        "Codice identificativo del creditore: IT44ZZZ0000013579130280",
        "Via dell'Esempio 1, 35100 Padova (PD) - Paese: Italia",
        "Nome del debitore: Studio Esempio di Giulia Esempio",
        "Via Campione 3, 35131 Padova - Paese: IT",
        "IBAN): IT78O0200802457000000100025",
        "(BIC): BCITITMM",
        "Tipo di pagamento: [X] ricorrente [ ] singolo",
        "autorizza il creditore a richiedere alla banca del debitore l'addebito",
        "almeno 5 giorni di calendario prima della scadenza",
        "Luogo:",
        "Data di sottoscrizione:",
        "Firma del debitore",
    ])  # fmt: skip
    if scheme == "CORE":
        assert "(SDD CORE)" in text and CORE_WORDING in text and "8 settimane" in text
        assert B2B_WORDING not in text
    else:
        assert "Business to Business (SDD B2B)" in text and B2B_WORDING in text
        assert "non è un consumatore" in text
        assert CORE_WORDING not in text


def test_privacy_notice_has_every_element_of_articles_13_and_14(
    payer: tuple[Office, str],
) -> None:
    office, _ = payer
    text = texts(office, "C00002", "forms")["Informativa privacy"]
    assert not missing(text, [
        "Titolare del trattamento è Delta Test Informatica S.r.l.",  # 13.1.a
        "privacy@deltatest.example",
        "Responsabile della protezione dei dati (DPO)",  # 13.1.b
        "Finalità e base giuridica", "art. 6.1.b GDPR",  # 13.1.c
        "legittimo interesse",  # 13.1.d
        "Destinatari",  # 13.1.e
        "Trasferimenti verso paesi terzi", "Spazio economico europeo",  # 13.1.f
        "Periodo di conservazione", "10 anni",  # 13.2.a
        "rettifica", "cancellazione", "limitazione", "portabilità", "opporsi",  # 13.2.b
        "reclamo al Garante per la protezione dei dati personali",  # 13.2.d
        "requisito necessario per concludere il contratto",  # 13.2.e
        "processo decisionale automatizzato", "profilazione",  # 13.2.f
        "Categorie di dati e fonte", "li fornisce il cliente",  # 14.1.d, 14.2.f
        "Giulia Esempio",  # the contacts concerned
    ])  # fmt: skip


def test_dpa_has_the_whole_of_article_28_3_and_goes_with_the_contract(
    payer: tuple[Office, str],
) -> None:
    office, _ = payer
    documents = texts(office, "C00002", "contract")
    text = documents["Nomina Responsabile del trattamento"]
    assert not missing(text, [
        "in persona di Giulia Esempio", "in persona di Mario Esempio",
        "Oggetto e durata", "Durata: quella del contratto di assistenza",
        "Natura e finalità del trattamento",
        "Tipo di dati personali e categorie di interessati",
        "istruzione documentata",  # 28.3.a
        "impegnate alla riservatezza",  # 28.3.b
        "art. 32 GDPR",  # 28.3.c
        "sub-responsabili", "autorizza in via generale",  # 28.3.d
        "conserva nei confronti del titolare l'intera responsabilità dell'adempimento degli "
        "obblighi del sub-responsabile",  # 28.4
        "richieste degli interessati",  # 28.3.e
        "violazione dei dati personali", "valutazione d'impatto",  # 28.3.f
        "cancella o restituisce",  # 28.3.g
        "ispezioni",  # 28.3.h
        "Il titolare del trattamento (il cliente)", "Il responsabile (Delta Test",
    ])  # fmt: skip
    contract = documents["Contratto Assistenza SW su Modulo CT-2025-003"]
    assert "Allegato: Nomina a Responsabile del trattamento" in contract


def test_support_contract_holds_the_civil_code_elements(payer: tuple[Office, str]) -> None:
    office, scheme = payer
    text = texts(office, "C00002", "contract")["Contratto Assistenza SW su Modulo CT-2025-003"]
    assert not missing(text, [
        "in persona di Mario Esempio, amministratore unico (il fornitore)",
        "in persona di Giulia Esempio (il cliente)",
        "1. Oggetto", "GEST-BASE",
        "2. Servizi e livelli di servizio", "Livello di servizio (SLA)",
        "3. Corrispettivo, fatturazione e pagamento", "Canone annuo € 960,00 + IVA",
        f"Addebito SEPA {scheme} 10 gg d.f.",
        "01/07/2025: € 80,00 + IVA (periodo dal 01/07/2025 al 31/07/2025)",
        f"addebito diretto SEPA {scheme} (mandato DTI-2025-000002)",
        "almeno 5 giorni di calendario prima della scadenza",
        "4. Durata, rinnovo e disdetta", "Disdetta con preavviso di 60 giorni",
        "6. Limitazione di responsabilità", "non supera il canone annuo",
        "7. Trattamento dei dati personali", "nomina ex art. 28 GDPR allegata",
        "8. Legge applicabile e foro competente", "legge italiana", "Foro di Padova",
        "Luogo e data: Padova",
        "Il fornitore (Mario Esempio", "Il cliente (timbro e firma del legale rappresentante)",
        "artt. 1341 e 1342 c.c.",
        "3 (aggiornamento del canone), 4 (rinnovo tacito e disdetta), 5 (esclusioni), "
        "6 (limitazione di responsabilità) e 8 (foro competente)",
        "Il cliente, per approvazione specifica (seconda firma)",
    ])  # fmt: skip
    assert "d.f.." not in text


def test_hardware_contract_approves_its_onerous_clauses_with_a_second_signature(
    demo: Office,
) -> None:
    text = texts(demo, "C00001", "contract")["Contratto CT-2025-002"]
    assert not missing(text, [
        "3. Durata, rinnovo e disdetta", "4. Limitazione di responsabilità",
        "5. Legge applicabile e foro competente",
        "artt. 1341 e 1342 c.c.",
        "3 (rinnovo tacito e disdetta), 4 (limitazione di responsabilità) e 5 (foro competente)",
        "Il cliente, per approvazione specifica (seconda firma)",
    ])  # fmt: skip


def test_osticket_instructions_and_order_confirmation_read_right(demo: Office) -> None:
    (instructions,) = texts(demo, "C00002", "osticket").values()
    assert "Istruzioni per l'assistenza tramite osTicket" in instructions
    assert "Generazione Istruzioni" not in instructions  # the model's name, not a title
    assert "Portale: https://assistenza.deltatest.example" in instructions
    (order,) = texts(demo, "C00002", "order").values()
    assert "Sconto" in order and "5%" in order  # 3.500,00 less 5% is what is charged
    assert "€ 3.325,00" in order
    assert "d.f.." not in order and "Addebito SEPA CORE 10 gg d.f." in order


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("", "mancante"),
        ("IT45ZZZ0000013579130280", "non valido"),
        ("IT44", "non valido"),
        ("IT44ZZZ13579130280", "23 caratteri"),
    ],
)
def test_a_bad_creditor_identifier_is_refused_before_anything_is_made(
    demo: Office, value: str, problem: str
) -> None:
    config = demo.settings.config_path
    config.write_text(
        config.read_text().replace(
            'sepa_creditor_id = "IT44ZZZ0000013579130280"', f'sepa_creditor_id = "{value}"'
        )
    )
    office = Office.open(demo.settings.data_dir, clock=demo.clock, user="mario")
    before = [p for p in office.settings.archive_root.rglob("*") if p.is_file()]
    with pytest.raises(Refused, match=f"Identificativo del creditore SEPA.*{problem}|{problem}"):
        office.documents.generate("C00002", "forms")
    assert office.customer("C00002").documents == []
    assert [p for p in office.settings.archive_root.rglob("*") if p.is_file()] == before


def test_sdd_terms_shorter_than_the_prenotification_are_refused(demo: Office) -> None:
    config = demo.settings.config_path
    config.write_text(
        config.read_text().replace(
            "sepa_prenotification_days = 5", "sepa_prenotification_days = 14"
        )
    )
    office = Office.open(demo.settings.data_dir, clock=demo.clock, user="mario")
    with pytest.raises(Refused, match="meno dei 14 giorni di preavviso"):
        office.documents.generate("C00002", "forms")


def test_init_writes_the_keys_to_fill_in_commented(tmp_path: Path) -> None:
    office = Office.open(tmp_path / "data")
    text = office.settings.config_path.read_text()
    for key in ("sepa_creditor_id", "portal_url", "representative", "court", "sub_processors"):
        line = next(i for i, t in enumerate(text.splitlines()) if t.startswith(f"{key} ="))
        assert text.splitlines()[line - 1].startswith("#")  # its help above it


def test_order_confirmation_shows_vat_per_rate_exemption_and_split_payment(demo: Office) -> None:
    """A mixed-VAT order of a customer under split payment: taxable and VAT per rate, the
    exemption's Natura and wording, the art. 17-ter wording and the instalment of the
    taxable alone (worked by hand: 200,00 + 34,40 + 258,12 = 492,52; VAT 44,00 + 3,44)."""
    with demo.dossiers.edit("C00001") as d:
        d.customer.invoicing.split_payment = True
        order = d.customer.orders[0]
        order.payment_terms, order.payment_terms_reason = "RD", "prova"
        order.lines = [
            OrderLine("GEST-BASE", "Gestionale", Decimal(2), Decimal("100.00")),
            OrderLine("INST", "Manuali", Decimal(1), Decimal("34.40"), vat_rate=Decimal(10)),
            OrderLine("INST", "Corso accreditato", Decimal(1), Decimal("258.12"),
                      vat_rate=Decimal(0), vat_nature=VatNature.N4),
        ]  # fmt: skip
    (text,) = texts(demo, "C00001", "order").values()
    assert not missing(text, [
        "IVA 22%: imponibile € 200,00, IVA € 44,00",
        "IVA 10%: imponibile € 34,40, IVA € 3,44",
        "Operazione N4 esenti (art. 10 DPR 633/72): imponibile € 258,12, IVA € 0,00",
        "Imponibile € 492,52 · IVA € 47,44 · Totale € 539,96",
        "scissione dei pagamenti – art. 17-ter DPR 633/72",
        "l'IVA di € 47,44 è versata dal cliente all'Erario",
        "al fornitore si paga l'imponibile di € 492,52",
        ": € 492,52",  # the one instalment (RD): the taxable
    ]), text  # fmt: skip


def test_the_mandate_is_one_page_with_its_signature_block_and_asks_the_capacity(
    payer: tuple[Office, str],
) -> None:
    office, _ = payer
    records = office.documents.generate("C00002", "forms", pdf=True).records
    (mandate,) = [r for r in records if r.form == "sepa_mandate"]
    assert len(PdfReader(mandate.pdf).pages) == 1  # the signature never alone on page 2
    text = pdf_text(mandate.pdf)
    assert "Luogo: ____________________ Data di sottoscrizione" in text  # left to the customer
    assert "Padova, ____" not in text and "Luogo: Padova" not in text
    assert not missing(text, [
        "Sottoscrittore (nome e cognome):",
        "in qualità di: [ ] titolare del conto [ ] legale rappresentante [ ] delegato",
        "Firma del debitore (titolare del conto o delegato)",
    ])  # fmt: skip


def test_a_mandate_whose_scheme_is_not_the_terms_is_refused_naming_both(demo: Office) -> None:
    with demo.dossiers.edit("C00002") as d:
        d.customer.payment_terms = d.customer.orders[0].payment_terms = "SDD-B2B"
        d.customer.sepa_mandate.scheme = MandateScheme.CORE
    with pytest.raises(Refused, match="SDD-B2B richiedono un mandato B2B, non CORE"):
        demo.documents.generate("C00002", "forms")
    assert demo.customer("C00002").documents == []


@pytest.mark.parametrize("renews", [True, False])
@pytest.mark.parametrize("aligned", [True, False])
@pytest.mark.parametrize("in_advance", [True, False])
def test_the_support_contract_says_what_the_schedule_does(
    demo: Office, capsys: pytest.CaptureFixture[str], renews: bool, aligned: bool, in_advance: bool
) -> None:
    """Each kind of support contract, read back from its PDF, against ``schedule --json``
    and the record: term, invoices, billing timing, renewal and the clauses approved."""
    with demo.dossiers.edit("C00001") as d:
        k = d.customer.contracts[0]
        k.frequency, k.start = Frequency.QUARTERLY, date(2025, 3, 15)
        k.end = date(2026, 3, 31) if aligned and renews else date(2026, 3, 14)
        k.auto_renewal, k.aligned, k.in_advance = renews, aligned, in_advance
    capsys.readouterr()
    assert main(["--data", str(demo.settings.data_dir), "schedule", "CT-2025-001", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    text = texts(demo, "C00001", "contract")["Contratto Assistenza SW su Modulo CT-2025-001"]
    day = lambda iso: date.fromisoformat(iso).strftime("%d/%m/%Y")  # noqa: E731
    assert f"Decorrenza 15/03/2025, scadenza {day(rows[-1]['period_to'])}." in text
    assert day(rows[-1]["period_to"]) == it_date(demo.customer("C00001").contracts[0].end)
    for row in rows:
        amount = euro(Decimal(row["amount"]))
        assert (f"{day(row['issue_date'])}: {amount} + IVA (periodo dal "
                f"{day(row['period_from'])} al {day(row['period_to'])})") in text  # fmt: skip
        assert row["issue_date"] == (row["period_from"] if in_advance else row["period_to"])
    timing = "anticipata" if in_advance else "posticipata"
    assert f"fatturazione trimestrale {timing}" in text
    if aligned:
        assert ("avviene all'inizio di ogni periodo solare" if in_advance
                else "avviene alla fine di ogni periodo solare") in text  # fmt: skip
    approval = text[text.index("approvare specificamente") :]
    if renews:
        assert "si rinnova tacitamente per periodi successivi di 12 mesi" in text
        assert "di pari durata" not in text
        assert "Disdetta con preavviso di 90 giorni" in text and "ISTAT FOI" in text
        assert "3 (aggiornamento del canone), 4 (rinnovo tacito e disdetta), 5" in approval
    else:
        assert "cessa senza rinnovo" in text
        assert "Disdetta" not in text and "ISTAT" not in text and "rinnov" not in approval
        assert "5 (esclusioni), 6 (limitazione di responsabilità) e 8 (foro competente)" in approval


def test_the_licence_conditions_go_with_the_certificates(demo: Office) -> None:
    """The certificates refer to general conditions: they are made with them, mailed with
    them (art. 1341(1) c.c.), and are a template the company can replace."""
    documents = texts(demo, "C00001", "licence")
    certificates = [t for title, t in documents.items() if title.startswith("Licenza ")]
    assert certificates and all("condizioni generali di licenza" in t for t in certificates)
    conditions = documents["Condizioni generali di licenza"]
    assert not missing(conditions, [
        "Condizioni generali di licenza d'uso del software",
        "non esclusiva e non trasferibile", "Durata", "Limiti d'uso",
        "artt. 64-ter e 64-quater della legge 22 aprile 1941, n. 633",
        "Proprietà intellettuale", "Garanzia e responsabilità", "art. 1229 c.c.",
        "Foro di",
    ])  # fmt: skip
    titles = [d.title for d in demo.customer("C00001").documents if d.kind == "licence"]
    assert titles.count("Condizioni generali di licenza") == 1
