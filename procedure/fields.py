"""What each step's form edits (field paths of the dossier), the preview it shows, and which
documents and mailing belong to it (what the TUI's keys act on)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from procedure.config.settings import Settings
from procedure.model import Customer
from procedure.rules.definitions import Definitions
from procedure.rules.money import euro
from procedure.rules.orders import instalments, totals
from procedure.rules.schedule import notice_deadline, schedule
from procedure.rules.terms import due_dates
from procedure.rules.travel import rates_for, visit_cost


@dataclass(frozen=True)
class Field:
    path: str
    label: str
    suggest: str = ""  # products | terms: completion from the catalogues


ROLES = "legal_rep, administration, it, software, user"


def contact_fields(i: int, osticket: bool = False) -> list[Field]:
    n = i + 1
    fields = [
        Field(f"contacts[{i}].name", f"Contatto {n}: nome"),
        Field(f"contacts[{i}].role", f"Contatto {n}: ruolo ({ROLES})"),
        Field(f"contacts[{i}].email", f"Contatto {n}: e-mail"),
        Field(f"contacts[{i}].phone", f"Contatto {n}: telefono"),
    ]
    if osticket:
        fields.append(
            Field(f"contacts[{i}].osticket", f"Contatto {i + 1}: utente osTicket (sì/no)")
        )
    return fields


PARTY = [
    Field("name", "Ragione sociale"),
    Field("vat_number", "Partita IVA"),
    Field("tax_code", "Codice fiscale"),
    Field("address.street", "Indirizzo"),
    Field("address.zip", "CAP"),
    Field("address.city", "Città"),
    Field("address.province", "Provincia (sigla)"),
    Field("pec", "PEC"),
]
MASTER = [
    *PARTY[:7],
    Field("address.country", "Nazione (IT)"),
    PARTY[7],
    Field("sdi_code", "Codice destinatario SDI"),
    Field("iban", "IBAN"),
    Field("payment_terms", "Condizioni di pagamento (codice)", "terms"),
    Field("excluded_months[0].month", "Mese escluso 1 (1-12)"),
    Field("excluded_months[0].day", "Mese escluso 1: giorno del mese dopo"),
    Field("excluded_months[1].month", "Mese escluso 2 (1-12)"),
    Field("excluded_months[1].day", "Mese escluso 2: giorno del mese dopo"),
    Field("sepa_mandate.umr", "Mandato SEPA: riferimento (UMR)"),
    Field("sepa_mandate.signed_on", "Mandato SEPA: data di firma"),
    Field("sepa_mandate.scheme", "Mandato SEPA: schema (CORE/B2B)"),
    Field("invoicing.bank_name", "Banca d'appoggio"),
    Field("invoicing.abi", "ABI"),
    Field("invoicing.cab", "CAB"),
]
ORDER = [
    Field("orders[0].number", "Numero d'ordine"),
    Field("orders[0].ordered_on", "Data dell'ordine"),
    Field("orders[0].payment_terms", "Condizioni dell'ordine (vuoto = del cliente)", "terms"),
    Field("orders[0].payment_terms_reason", "Motivo se diverse da quelle del cliente"),
] + [
    f
    for i in range(4)
    for f in (
        Field(f"orders[0].lines[{i}].product_code", f"Riga {i + 1}: codice prodotto", "products"),
        Field(f"orders[0].lines[{i}].quantity", f"Riga {i + 1}: quantità"),
        Field(f"orders[0].lines[{i}].price", f"Riga {i + 1}: prezzo"),
        Field(f"orders[0].lines[{i}].discount", f"Riga {i + 1}: sconto %"),
    )
]
TRAVEL = [
    Field("sites[0].name", "Sede"),
    Field("sites[0].km_one_way", "Km dall'ufficio (sola andata)"),
    Field("sites[0].travel_minutes", "Minuti di viaggio (sola andata)"),
    Field("sites[0].tolls", "Pedaggi andata e ritorno"),
    Field("sites[0].flat_fee", "Forfait per zona (vuoto = a km)"),
    Field("travel_rates.rate_per_km", "Tariffa al km del cliente (vuoto = aziendale)"),
    Field("travel_rates.call_out_fee", "Diritto di chiamata del cliente (vuoto = aziendale)"),
    Field("travel_rates.hourly_rate", "Tariffa oraria di viaggio (vuoto = aziendale)"),
]
CONTRACT = [
    Field("contracts[0].number", "Numero di contratto"),
    Field("contracts[0].type", "Tipo (software, hardware, other)"),
    Field("contracts[0].products", "Prodotti coperti (codici separati da virgola)", "products"),
    Field("contracts[0].annual_fee", "Canone annuo"),
    Field("contracts[0].frequency", "Fatturazione (monthly, quarterly, half_yearly, yearly)"),
    Field("contracts[0].in_advance", "Anticipata (sì) o posticipata (no)"),
    Field("contracts[0].start", "Decorrenza"),
    Field("contracts[0].end", "Scadenza"),
    Field("contracts[0].aligned", "Periodi allineati al calendario (sì/no)"),
    Field("contracts[0].auto_renewal", "Tacito rinnovo (sì/no)"),
    Field("contracts[0].notice_days", "Giorni di preavviso per la disdetta"),
    Field("contracts[0].included_hours", "Ore incluse"),
    Field("contracts[0].indexation_share", "Quota di indicizzazione ISTAT (%)"),
    Field("contracts[0].status", "Stato (draft, sent, signed, active, cancelled)"),
]
DIVISION = [
    Field("software_division.products", "Prodotti e moduli installati", "products"),
    Field("software_division.edition", "Edizione"),
    Field("software_division.version", "Versione"),
    Field("software_division.workstations", "Postazioni"),
    Field("software_division.server_name", "Server"),
    Field("software_division.server_os", "Sistema operativo del server"),
    Field("software_division.db_engine", "Database"),
    Field("software_division.db_version", "Versione del database"),
    Field("software_division.installed_on", "Data di installazione"),
    Field("software_division.technician", "Tecnico di riferimento"),
    Field("software_division.licence_numbers", "Numeri di licenza"),
    Field("software_division.remote_tool", "Strumento di accesso remoto"),
    Field("software_division.remote_id", "ID di accesso remoto"),
    Field("software_division.software_contact", "Referente software del cliente"),
]
INVOICING = [
    Field("invoice_email", "E-mail per le fatture"),
    Field("invoicing.send_by_email", "Fatture anche per e-mail (sì/no)"),
    Field("invoicing.split_payment", "Scissione dei pagamenti (sì/no)"),
    Field("invoicing.notes", "Note di fatturazione"),
]

LICENCES = [
    f
    for i in range(4)
    for f in (
        Field(f"orders[0].lines[{i}].product_code", f"Riga {i + 1}: codice prodotto", "products"),
        Field(f"orders[0].lines[{i}].edition", f"Riga {i + 1}: edizione"),
        Field(f"orders[0].lines[{i}].modules", f"Riga {i + 1}: moduli (separati da virgola)"),
        Field(
            f"orders[0].lines[{i}].licence_type",
            f"Riga {i + 1}: licenza (perpetual, subscription, trial)",
        ),
        Field(
            f"orders[0].lines[{i}].licence_months",
            f"Riga {i + 1}: mesi di validità (0 = senza scadenza)",
        ),
    )
]

STEP_FIELDS: dict[str, list[Field]] = {
    "forms_sent": [Field("pec", "PEC"), *contact_fields(0), *contact_fields(1)],
    "customer_created": MASTER,
    "order_entered": ORDER,
    "travel_costs": TRAVEL,
    "contract_schedule": CONTRACT,
    "crm_software_contracts": CONTRACT,
    "osticket_profile": [f for i in range(3) for f in contact_fields(i, osticket=True)],
    "crm_software_division": DIVISION,
    "master_data_completed": INVOICING,
    "licences_sent": LICENCES,
}
HANDOVER_STEPS = {"contracts_to_management": "contracts", "order_to_administration": "orders"}


def preview(c: Customer, step_id: str, defs: Definitions, settings: Settings, today: date) -> str:
    """What the step's data means, computed as the CLI computes it (for the form's foot)."""
    try:
        if step_id == "customer_created" and c.payment_terms in defs.terms:
            due = due_dates(
                today,
                Decimal(1000),
                defs.terms[c.payment_terms],
                c.excluded_months,
                settings.terms.fine_mese,
            )
            dates = ", ".join(f"{i.date:%d/%m/%Y} {euro(i.amount)}" for i in due)
            return f"Fattura di oggi da € 1.000,00: scadenze {dates}"
        if step_id == "order_entered" and c.orders:
            t = totals(c.orders[0])
            line = f"Imponibile {euro(t.taxable)}, IVA {euro(t.vat)}, totale {euro(t.total)}"
            due = instalments(c.orders[0], c, defs, settings.terms.fine_mese)
            return line + "; rate: " + ", ".join(f"{i.date:%d/%m/%Y} {euro(i.amount)}" for i in due)
        if step_id in ("contract_schedule", "crm_software_contracts") and c.contracts:
            k = c.contracts[0]
            rows = schedule(k, settings.billing.day_count)[:4]
            text = "; ".join(f"{p.issue_date:%d/%m/%Y} {euro(p.amount)}" for p in rows)
            return f"Fatture: {text}… Disdetta entro il {notice_deadline(k):%d/%m/%Y}"
        if step_id == "licences_sent" and c.orders:
            seats = [
                f"{line.product_code} × {line.quantity.normalize()}" for line in c.orders[0].lines
            ]
            return "Licenze da emettere all'invio: " + ", ".join(seats)
        if step_id == "travel_costs" and c.sites:
            cost = visit_cost(c.sites[0], rates_for(c, settings))
            return f"Costo di una visita: {euro(cost.total)} ({cost.km_round_trip} km A/R)"
    except (ValueError, KeyError, ArithmeticError) as exc:
        return f"Anteprima non disponibile: {exc}"
    return ""


STEP_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "forms_sent": ("forms",),
    "order_entered": ("order",),
    "contract_sent": ("contract", "osticket"),
    "osticket_instructions_sent": ("osticket",),
    "contracts_to_management": ("handover",),
    "order_to_administration": ("order", "handover"),
    "licences_sent": ("licence",),
}
STEP_MAILING: dict[str, str] = {
    "forms_sent": "forms",
    "customer_created": "reminder",
    "forms_archived": "reminder",
    "contract_sent": "contracts",
    "osticket_instructions_sent": "contracts",
    "licences_sent": "licences",
}
