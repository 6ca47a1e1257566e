"""What each step's form edits, the preview it shows, and which documents and mailing belong
to it (what the TUI's keys act on). Lists (orders and their lines, contracts, sites,
contacts) are edited as lists: a table of the items and a form per item."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any

from procedure.config.settings import Settings
from procedure.editing.field_paths import get_text
from procedure.enums import (
    ContactRole,
    ContractStatus,
    ContractType,
    Frequency,
    LicenceType,
    MandateScheme,
    PartyKind,
    ProductKind,
    VatNature,
)
from procedure.italian import euro, it_date, label
from procedure.model import Contact, Contract, Customer, Order, OrderLine, Site
from procedure.rules.commerce.money import VAT_RATES
from procedure.rules.commerce.orders import instalments, totals
from procedure.rules.commerce.schedule import notice_deadline, schedule
from procedure.rules.commerce.terms import Instalment, due_dates
from procedure.rules.commerce.travel import rates_for, visit_cost
from procedure.rules.definitions import Definitions, StepDef


@dataclass(frozen=True)
class Field:
    path: str  # relative to the record the form edits
    label: str
    # completion (see ``suggestion_lists``): products | terms | vat_rates, or "seen": the
    # values the office has for this field (``Office.suggested``)
    suggest: str = ""
    choices: type[StrEnum] | None = None  # typed and shown by their Italian labels

    @property
    def suggestions_key(self) -> str:
        """Which of ``suggestion_lists`` the field completes from ("": none)."""
        return self.path if self.suggest == "seen" else self.suggest


def suggestion_lists(
    products: Iterable[str],
    terms: Iterable[str],
    suggested: Mapping[str, list[str]] | None = None,
) -> dict[str, list[str]]:
    """What a field's ``suggest`` completes from: the catalogues' codes, Italy's VAT rates,
    and by field path the values the office has (``suggested``)."""
    return {
        "products": sorted(products),
        "terms": sorted(terms),
        "vat_rates": [format(rate, "f") for rate in VAT_RATES],
        **(suggested or {}),
    }


@dataclass(frozen=True)
class ListSpec:
    """A list of records inside the dossier, edited as a list."""

    path: str  # relative to the record that holds the list
    title: str  # the list's name on screen
    item: type  # the record type of an item
    noun: str  # one item, for titles ("Ordine", "Contratto")
    key: str  # the item's field that names it
    fields: tuple[Field, ...]
    columns: tuple[tuple[str, str], ...]  # (header, field) of the table
    children: tuple["ListSpec", ...] = ()  # lists inside each item (order lines)
    toggle: str = ""  # a yes/no field of the item switched from the list (osTicket user)
    feminine: bool = False  # the noun's gender: "Riga nuova", "Ordine nuovo"


@dataclass(frozen=True)
class StepForm:
    """What ``e`` edits for a step: fields of the customer, or a list, or both."""

    fields: tuple[Field, ...] = ()
    list: ListSpec | None = None


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
CONTACT = (
    Field("name", "Nome"),
    Field("role", "Ruolo", choices=ContactRole),
    Field("email", "E-mail"),
    Field("phone", "Telefono"),
    Field("osticket", "Utente osTicket (sì/no)"),
)


def contact_fields(i: int) -> list[Field]:
    """The fields of contact ``i`` of a record with a list of contacts (a new prospect)."""
    return [
        Field(
            f"contacts[{i}].{f.path}", f"Contatto {i + 1}: {f.label.lower()}", f.suggest, f.choices
        )
        for f in CONTACT[:4]
    ]


MASTER = (
    *PARTY[:7],
    Field("address.country", "Nazione (IT)"),
    PARTY[7],
    Field("sdi_code", "Codice destinatario SDI"),
    Field("iban", "IBAN"),
    Field("bic", "BIC (codice SWIFT della banca)"),
    Field("kind", "Tipo di cliente", choices=PartyKind),
    Field("payment_terms", "Condizioni di pagamento (codice)", "terms"),
    Field("excluded_months[0].month", "Mese escluso 1 (1-12)"),
    Field("excluded_months[0].day", "Mese escluso 1: giorno del mese dopo"),
    Field("excluded_months[1].month", "Mese escluso 2 (1-12)"),
    Field("excluded_months[1].day", "Mese escluso 2: giorno del mese dopo"),
    Field("sepa_mandate.umr", "Mandato SEPA: riferimento (UMR)"),
    Field("sepa_mandate.signed_on", "Mandato SEPA: data di firma"),
    Field("sepa_mandate.scheme", "Mandato SEPA: schema", choices=MandateScheme),
    Field("sepa_mandate.recurrent", "Mandato SEPA: addebiti ricorrenti (sì/no)"),
    Field("invoicing.bank_name", "Banca d'appoggio"),
    Field("invoicing.abi", "ABI"),
    Field("invoicing.cab", "CAB"),
)
LINE = (
    Field("product_code", "Codice prodotto", "products"),
    Field("description", "Descrizione (vuoto = del catalogo)"),
    Field("quantity", "Quantità"),
    Field("price", "Prezzo unitario (riga nuova: 0 = di listino)"),
    Field("discount", "Sconto %"),
    Field("vat_rate", "Aliquota IVA % (riga nuova: del catalogo)", "vat_rates"),
    Field("vat_nature", "Natura IVA (solo per l'aliquota 0)", choices=VatNature),
)
LICENCE_LINE = (
    Field("product_code", "Codice prodotto", "products"),
    Field("edition", "Edizione"),
    Field("modules", "Moduli (separati da virgola)"),
    Field("licence_type", "Licenza", choices=LicenceType),
    Field("licence_months", "Mesi di validità (0 = senza scadenza)"),
)
ORDER = (
    Field("number", "Numero d'ordine"),
    Field("ordered_on", "Data dell'ordine"),
    Field("payment_terms", "Condizioni dell'ordine (vuoto = del cliente)", "terms"),
    Field("payment_terms_reason", "Motivo se diverse da quelle del cliente"),
)
LINE_COLUMNS = (("Codice", "product_code"), ("Quantità", "quantity"), ("Prezzo", "price"))
LINES = ListSpec(
    "lines",
    "Righe dell'ordine",
    OrderLine,
    "Riga",
    "product_code",
    LINE,
    (*LINE_COLUMNS, ("Sconto %", "discount")),
    feminine=True,
)
LICENCE_LINES = ListSpec(
    "lines",
    "Licenze delle righe",
    OrderLine,
    "Riga",
    "product_code",
    LICENCE_LINE,
    (*LINE_COLUMNS[:2], ("Edizione", "edition"), ("Licenza", "licence_type")),
    feminine=True,
)
ORDER_COLUMNS = (("Numero", "number"), ("Data", "ordered_on"), ("Condizioni", "payment_terms"))
ORDERS = ListSpec("orders", "Ordini", Order, "Ordine", "number", ORDER, ORDER_COLUMNS, (LINES,))
LICENCE_ORDERS = ListSpec(
    "orders",
    "Ordini (licenze per riga)",
    Order,
    "Ordine",
    "number",
    ORDER,
    ORDER_COLUMNS,
    (LICENCE_LINES,),
)
SITE = (
    Field("name", "Sede"),
    Field("address.street", "Indirizzo"),
    Field("address.city", "Città"),
    Field("km_one_way", "Km dall'ufficio (sola andata)"),
    Field("travel_minutes", "Minuti di viaggio (sola andata)"),
    Field("tolls", "Pedaggi andata e ritorno"),
    Field("flat_fee", "Forfait per zona (vuoto = a km)"),
)
SITES = ListSpec(
    "sites",
    "Sedi e trasferte",
    Site,
    "Sede",
    "name",
    SITE,
    (("Sede", "name"), ("Km", "km_one_way"), ("Minuti", "travel_minutes"), ("Forfait", "flat_fee")),
    feminine=True,
)
TRAVEL_RATES = (
    Field("travel_rates.rate_per_km", "Tariffa al km del cliente (vuoto = aziendale)"),
    Field("travel_rates.call_out_fee", "Diritto di chiamata del cliente (vuoto = aziendale)"),
    Field("travel_rates.hourly_rate", "Tariffa oraria di viaggio (vuoto = aziendale)"),
)
CONTRACT = (
    Field("number", "Numero di contratto"),
    Field("type", "Tipo", choices=ContractType),
    Field("products", "Prodotti coperti (codici separati da virgola)", "products"),
    Field("annual_fee", "Canone annuo"),
    Field("frequency", "Fatturazione", choices=Frequency),
    Field("in_advance", "Anticipata (sì) o posticipata (no)"),
    Field("start", "Decorrenza"),
    Field("end", "Scadenza"),
    Field("aligned", "Periodi allineati al calendario (sì/no)"),
    Field("auto_renewal", "Tacito rinnovo (sì/no)"),
    Field("notice_days", "Giorni di preavviso per la disdetta"),
    Field("included_hours", "Ore incluse"),
    Field("indexation_share", "Quota di indicizzazione ISTAT (%)"),
    Field("indexation_downwards", "Indicizzazione anche in calo (sì/no; vuoto = predefinita)"),
    Field("status", "Stato", choices=ContractStatus),
)
CONTRACTS = ListSpec(
    "contracts",
    'Contratti (scheda "Contratti Software")',
    Contract,
    "Contratto",
    "number",
    CONTRACT,
    (
        ("Numero", "number"),
        ("Tipo", "type"),
        ("Canone", "annual_fee"),
        ("Fatturazione", "frequency"),
        ("Stato", "status"),
    ),
)
CONTACTS = ListSpec(
    "contacts",
    "Contatti",
    Contact,
    "Contatto",
    "name",
    CONTACT,
    # the column o switches comes right after the name: in sight at 80 columns
    (("Nome", "name"), ("osTicket", "osticket"), ("Ruolo", "role"), ("E-mail", "email")),
    toggle="osticket",
)
DIVISION = tuple(
    Field(f"software_division.{path}", label, suggest)
    for path, label, suggest in (
        ("products", "Prodotti e moduli installati", "products"),
        ("edition", "Edizione", "seen"),
        ("version", "Versione", "seen"),
        ("workstations", "Postazioni", ""),
        ("server_name", "Server", ""),
        ("server_os", "Sistema operativo del server", "seen"),
        ("db_engine", "Database", "seen"),
        ("db_version", "Versione del database", "seen"),
        ("installed_on", "Data di installazione", ""),
        ("technician", "Tecnico di riferimento", "seen"),
        ("licence_numbers", "Numeri di licenza", ""),
        ("remote_tool", "Strumento di accesso remoto", "seen"),
        ("remote_id", "ID di accesso remoto", ""),
        ("software_contact", "Referente software del cliente", ""),
    )
)
PRODUCT_FIELDS = (
    Field("code", "Codice"),
    Field("description", "Descrizione"),
    Field("kind", "Tipo", choices=ProductKind),
    Field("price", "Prezzo di listino"),
    Field("vat_rate", "Aliquota IVA % (22, 10, 5, 4 o 0)", "vat_rates"),
    Field("vat_nature", "Natura IVA (solo per l'aliquota 0)", choices=VatNature),
    Field("licensed", "Richiede una licenza (sì/no)"),
)
INVOICING = (
    Field("invoice_email", "E-mail per le fatture"),
    Field("invoicing.send_by_email", "Fatture anche per e-mail (sì/no)"),
    Field("invoicing.split_payment", "Scissione dei pagamenti (sì/no)"),
    Field("invoicing.notes", "Note di fatturazione"),
)

# The "Raccolta Dati Anagrafici" form: each field a content control (.docx) and a form field
# (PDF) named by its path in the master record, read back by review. The template builder,
# the PDF form, the review and the editor all read this one declaration: it asks what steps
# 2 and 12 need.
FORM_ONLY = {
    "kind": Field("kind", "Società o ditta individuale/professionista", choices=PartyKind),
    "invoice_email": Field("invoice_email", "E-mail per le fatture"),
    "invoicing.send_by_email": Field("invoicing.send_by_email", "Fatture anche per e-mail (sì/no)"),
    "invoicing.split_payment": Field(
        "invoicing.split_payment", "Split payment - scissione pagamenti (sì/no)"
    ),
}
_MASTER_BY_PATH = {f.path: f for f in MASTER}
RETURNED_FORM_FIELDS: tuple[Field, ...] = tuple(
    FORM_ONLY.get(path) or _MASTER_BY_PATH[path]
    for path in (
        "name",
        "kind",
        "vat_number",
        "tax_code",
        "address.street",
        "address.zip",
        "address.city",
        "address.province",
        "address.country",
        "pec",
        "sdi_code",
        "invoice_email",
        "invoicing.send_by_email",
        "invoicing.split_payment",
        "iban",
        "bic",
        "invoicing.bank_name",
        "invoicing.abi",
        "invoicing.cab",
        "excluded_months[0].month",
        "excluded_months[0].day",
        "excluded_months[1].month",
        "excluded_months[1].day",
    )
)
CONTACT_ROLES_ASKED = (
    ContactRole.LEGAL_REP,
    ContactRole.ADMINISTRATION,
    ContactRole.IT,
    ContactRole.SOFTWARE,
)
CONTACT_FIELDS_ASKED = tuple(f for f in CONTACT if f.path in ("name", "email", "phone"))


def returned_form_fields() -> list[tuple[str, str]]:
    """(tag, label) of every field of the returned master-data form, contacts included."""
    rows = [(f.path, f.label) for f in RETURNED_FORM_FIELDS]
    for role in CONTACT_ROLES_ASKED:
        for f in CONTACT_FIELDS_ASKED:
            who = label(role)
            rows.append(
                (f"contact.{role}.{f.path}", f"{who[:1].upper()}{who[1:]}: {f.label.lower()}")
            )
    return rows


def problem_of(f: Field, found: dict[str, str]) -> str:
    """The problem ``found`` (by path) names for the field ``f`` or an item of it, "" if
    none."""
    return next(
        (m for path, m in found.items() if path == f.path or path.startswith(f.path + "[")), ""
    )


def to_fill(
    fields: list[Field], record: Any, found: dict[str, str], needed: frozenset[str]
) -> list[int]:
    """The indexes of the fields still to fill, in order: those with a problem, and those
    the step looks at (``needed``) that are still as a blank record has them."""
    blank = type(record)() if needed else None  # needed only of records with defaults
    return [
        i
        for i, f in enumerate(fields)
        if problem_of(f, found)
        or (f.path in needed and get_text(record, f.path) == get_text(blank, f.path))
    ]


def contact_of(c: Customer, role: str) -> Contact | None:
    """The customer's first contact with ``role``."""
    return next((k for k in c.contacts if k.role == role), None)


def form_value(c: Customer, tag: str) -> str:
    """The text the form shows for ``tag``: a master-record path or contact.<role>.<field>."""
    if tag.startswith("contact."):
        _, role, name = tag.split(".")
        contact = contact_of(c, role)
        return get_text(contact, name) if contact else ""
    return get_text(c, tag)


def form_values(c: Customer) -> dict[str, str]:
    """Every field of the form with what the record holds, for the documents."""
    return {tag: form_value(c, tag) for tag, _ in returned_form_fields()}


FIELD_SETS: dict[str, tuple[Field, ...]] = {  # by the names procedure.toml uses
    "master": MASTER,
    "travel_rates": TRAVEL_RATES,
    "division": DIVISION,
    "invoicing": INVOICING,
}
LISTS: dict[str, ListSpec] = {
    "contacts": CONTACTS,
    "orders": ORDERS,
    "sites": SITES,
    "contracts": CONTRACTS,
    "licence_orders": LICENCE_ORDERS,
}


def step_form(step: StepDef) -> StepForm | None:
    """What ``e`` edits for ``step``, as procedure.toml says (None: nothing)."""
    if not step.fields and not step.list:
        return None
    return StepForm(FIELD_SETS[step.fields] if step.fields else (), LISTS.get(step.list))


ITEM_TYPES = {"orders": Order, "contracts": Contract, "sites": Site}


@dataclass(frozen=True)
class PreviewInput:
    """What a preview may look at: the record being edited and the office's catalogues."""

    customer: Customer
    defs: Definitions
    settings: Settings
    today: date


def _dates(due: list[Instalment]) -> str:
    return ", ".join(f"{it_date(i.date)} {euro(i.amount)}" for i in due)


def _terms_preview(p: PreviewInput) -> str:
    c = p.customer
    if c.payment_terms not in p.defs.terms:
        return ""
    term = p.defs.terms[c.payment_terms]
    due = due_dates(p.today, Decimal(1000), term, c.excluded_months, p.settings.terms.fine_mese)
    return f"Fattura di oggi da € 1.000,00: scadenze {_dates(due)}"


def _order_preview(p: PreviewInput, order: Order) -> str:
    t = totals(order)
    line = f"Imponibile {euro(t.taxable)}, IVA {euro(t.vat)}, totale {euro(t.total)}"
    due = instalments(order, p.customer, p.defs, p.settings.terms.fine_mese)
    return f"{line}; rate: {_dates(due)}"


def _contract_preview(p: PreviewInput, k: Contract) -> str:
    rows = schedule(k, p.settings.billing.day_count)[:4]
    text = "; ".join(f"{it_date(r.issue_date)} {euro(r.amount)}" for r in rows)
    notice = notice_deadline(k)
    ends = f"Disdetta entro il {it_date(notice)}" if notice else "Scade senza rinnovo"
    return f"Fatture: {text}… {ends}"


def _licences_preview(p: PreviewInput, order: Order) -> str:
    seats = [f"{line.product_code} × {line.quantity.normalize()}" for line in order.lines]
    return "Licenze da emettere all'invio: " + ", ".join(seats)


def _travel_preview(p: PreviewInput, site: Site) -> str:
    cost = visit_cost(site, rates_for(p.customer, p.settings))
    return f"Costo di una visita: {euro(cost.total)} ({cost.km_round_trip} km A/R)"


ITEM_PREVIEWS: dict[str, Callable[[PreviewInput, Any], str]] = {
    "orders": _order_preview,
    "contracts": _contract_preview,
    "sites": _travel_preview,
}


def preview(p: PreviewInput, step_id: str, item: object = None) -> str:
    """What the step's data means, computed as the CLI computes it (for the form's foot);
    ``item`` is the order, contract or site being edited, when the form edits one."""
    step = next((s for s in p.defs.steps if s.id == step_id), None)
    try:
        if step is not None and step.fields == "master" and item is None:
            return _terms_preview(p)  # the master record holds the payment terms
        if step is not None and step.list == "licence_orders" and isinstance(item, Order):
            return _licences_preview(p, item)
        for kind, make in ITEM_PREVIEWS.items():
            if isinstance(item, ITEM_TYPES[kind]):
                return make(p, item)
    except (ValueError, KeyError, ArithmeticError) as exc:
        return f"Anteprima non disponibile: {exc}"
    return ""
