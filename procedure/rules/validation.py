"""Field rules for every record, reported as Problems with the field path and an Italian message."""

import dataclasses
import re
import unicodedata
from datetime import date
from decimal import Decimal
from enum import StrEnum

from stdnum.eu import at_02
from stdnum.exceptions import ValidationError
from stdnum.it import codicefiscale, iva

from procedure.bounds import out_of_bounds
from procedure.enums import (
    ContactRole,
    ContractStatus,
    ContractType,
    Frequency,
    LicenceType,
    PartyKind,
    ProductKind,
    VatNature,
)
from procedure.italian import choices, it_date
from procedure.model import (
    Address,
    Contact,
    Contract,
    Customer,
    Order,
    Party,
    Product,
    Prospect,
    Site,
)
from procedure.problems import Problem, join
from procedure.rules.commerce.money import vat_problem
from procedure.rules.commerce.schedule import PERIOD_MONTHS, period_end
from procedure.rules.definitions import Definitions
from procedure.rules.provinces import PROVINCES

# Whole-string patterns, used with fullmatch: "$" alone would let a trailing newline in.
CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9_-]{0,19}")
EMAIL_RE = re.compile(r"[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
SDI_RE = re.compile(r"[A-Z0-9]{7}")
SDI_PA_RE = re.compile(r"[A-Z0-9]{6}")
ZIP_RE = re.compile(r"[0-9]{5}")
COUNTRY_RE = re.compile(r"[A-Z]{2}")
BANK_CODE_RE = re.compile(r"[0-9]{5}")
NAME_MAX = 80
MAX_EXCLUDED_MONTHS = 2


class Checker:
    """Collects problems under a base path."""

    def __init__(self, path: str = "") -> None:
        self.path = path
        self.problems: list[Problem] = []

    def add(self, field: str | int, message: str, base: str | None = None) -> None:
        self.problems.append(Problem(join(self.path if base is None else base, field), message))

    def at(self, *parts: str | int) -> str:
        path = self.path
        for part in parts:
            path = join(path, part)
        return path


def is_email(value: str) -> bool:
    return bool(EMAIL_RE.fullmatch(value))


def check_code(value: str) -> str | None:
    """Why ``value`` is not a usable record code, or None."""
    if not value:
        return "codice obbligatorio"
    if not CODE_RE.fullmatch(value):
        return "il codice usa solo lettere maiuscole, cifre, - e _ (massimo 20 caratteri)"
    return None


def check_vat_number(value: str) -> str | None:
    if not re.fullmatch(r"[0-9]{11}", value):
        return "la Partita IVA è di 11 cifre"
    try:
        iva.validate(value)
    except ValidationError:
        return "Partita IVA non valida (cifra di controllo o codice ufficio errati)"
    return None


def check_tax_code(value: str) -> str | None:
    if len(value) not in (11, 16):
        return "il codice fiscale è di 11 cifre (società) o 16 caratteri (persona)"
    try:
        codicefiscale.validate(value)
    except ValidationError:
        return "codice fiscale non valido"
    return None


def check_iban(value: str) -> str | None:
    from schwifty import IBAN  # its registry loads in a tenth of a second: when first needed
    from schwifty.exceptions import SchwiftyException

    try:
        IBAN(value, validate_bban=True)
    except SchwiftyException:
        return "IBAN non valido (controllare lettere e cifre, incluso il CIN)"
    return None


CREDITOR_FORM = (
    "in Italia 23 caratteri: IT, due cifre di controllo, il codice attività (di solito ZZZ) "
    "e i 16 caratteri dell'identificativo nazionale, la Partita IVA preceduta da cinque zeri "
    "o il codice fiscale (circolare ABI serie tecnica n. 42/2009)"
)


def check_creditor_id(value: str) -> str | None:
    """Why ``value`` is not a SEPA creditor identifier (ISO 7064 MOD 97-10; an Italian one in
    its 23-character form), or None."""
    if not value.strip():
        return "identificativo del creditore SEPA mancante"
    compact = value.replace(" ", "").upper()
    try:
        at_02.validate(compact)
    except ValidationError:
        return f"identificativo del creditore SEPA {value!r} non valido ({CREDITOR_FORM})"
    if compact.startswith("IT") and not _italian_creditor(compact[7:]):
        return f"identificativo del creditore SEPA {value!r} non valido ({CREDITOR_FORM})"
    return None


def _italian_creditor(national: str) -> bool:
    """The 16-character national identifier: a Partita IVA after five zeros, or a codice
    fiscale."""
    if len(national) != 16:
        return False
    if national.startswith("00000") and national[5:].isdigit():
        return iva.is_valid(national[5:])
    return codicefiscale.is_valid(national)


def prepare() -> None:
    """Load what the IBAN and BIC checks need (their registries: a few hundredths of a
    second), ahead of the first form that shows them."""
    check_iban("IT60X0542811101000000123456")
    check_bic("BCITITMM")


def check_bic(value: str) -> str | None:
    from schwifty import BIC
    from schwifty.exceptions import SchwiftyException

    try:
        BIC(value)
    except SchwiftyException:
        return "BIC non valido (8 o 11 caratteri, es. BCITITMM)"
    return None


def check_sdi_code(value: str, country: str) -> str | None:
    if country != "IT":
        return None if value == "XXXXXXX" else "per i clienti esteri il codice è XXXXXXX"
    if value == "XXXXXXX":
        return "XXXXXXX è riservato ai clienti esteri"
    if SDI_RE.fullmatch(value) or SDI_PA_RE.fullmatch(value):
        return None
    return "il codice destinatario è di 7 caratteri (6 per la pubblica amministrazione)"


def _check_address(ck: Checker, a: Address, base: str) -> None:
    if not COUNTRY_RE.fullmatch(a.country):
        ck.add("country", "nazione: codice ISO di 2 lettere (es. IT)", base)
    if a.country != "IT":
        return
    if a.zip and not ZIP_RE.fullmatch(a.zip):
        ck.add("zip", "il CAP è di 5 cifre", base)
    if a.province and a.province not in PROVINCES:
        ck.add("province", f"provincia {a.province!r} sconosciuta: usare la sigla (es. PD)", base)


WHAT = {
    ContactRole: "ruolo",
    LicenceType: "tipo di licenza",
    ContractType: "tipo di contratto",
    Frequency: "fatturazione",
    ContractStatus: "stato",
    ProductKind: "tipo di prodotto",
    PartyKind: "tipo di cliente",
    VatNature: "natura IVA",
}


def _check_choice(ck: Checker, name: str, value: str, kind: type[StrEnum], base: str) -> None:
    if value not in kind._value2member_map_:
        allowed = ", ".join(choices(kind))
        ck.add(name, f"{WHAT[kind]} {value!r} non ammesso; ammessi: {allowed}", base)


def _check_vat(ck: Checker, rate: Decimal, nature: VatNature, base: str) -> None:
    _check_choice(ck, "vat_nature", nature, VatNature, base)
    if nature in VatNature._value2member_map_ and (found := vat_problem(rate, VatNature(nature))):
        ck.add(found[0], found[1], base)


def _check_contact(ck: Checker, k: Contact, base: str) -> None:
    mailbox = k.role == ContactRole.USER and k.email and not k.osticket  # info@…: no person
    if not k.name.strip() and not mailbox:
        ck.add("name", "nome del contatto obbligatorio", base)
    _check_choice(ck, "role", k.role, ContactRole, base)
    if k.email and not is_email(k.email):
        ck.add("email", "indirizzo e-mail non valido", base)
    if k.osticket and not k.email:
        ck.add("email", "un utente osTicket deve avere un indirizzo e-mail", base)


def _check_party(ck: Checker, name: str, vat: str, tax: str, address: Address, pec: str) -> None:
    if not name.strip():
        ck.add("name", "ragione sociale obbligatoria")
    elif len(name) > NAME_MAX:
        ck.add("name", f"ragione sociale troppo lunga ({len(name)} caratteri, massimo {NAME_MAX})")
    if vat and address.country == "IT" and (msg := check_vat_number(vat)):
        ck.add("vat_number", msg)
    if tax and address.country == "IT" and (msg := check_tax_code(tax)):
        ck.add("tax_code", msg)
    _check_address(ck, address, ck.at("address"))
    if pec and not is_email(pec):
        ck.add("pec", "indirizzo PEC non valido")


def _check_site(ck: Checker, s: Site, base: str) -> None:
    _check_address(ck, s.address, join(base, "address"))


def _check_order(ck: Checker, o: Order, base: str, defs: Definitions, products: set[str]) -> None:
    if not o.number:
        ck.add("number", "numero d'ordine obbligatorio", base)
    if o.payment_terms and o.payment_terms not in defs.terms:
        ck.add("payment_terms", f"condizione di pagamento {o.payment_terms!r} non a catalogo", base)
    for i, line in enumerate(o.lines):
        lb = join(join(base, "lines"), i)
        if line.product_code not in products:
            ck.add("product_code", f"prodotto {line.product_code!r} non a catalogo", lb)
        if line.quantity == 0:  # a negative one is out of its bounds
            ck.add("quantity", "la quantità deve essere maggiore di zero", lb)
        _check_choice(ck, "licence_type", line.licence_type, LicenceType, lb)
        _check_vat(ck, line.vat_rate, line.vat_nature, lb)


def _check_contract(ck: Checker, k: Contract, base: str, products: set[str]) -> None:
    if not k.number:
        ck.add("number", "numero di contratto obbligatorio", base)
    _check_choice(ck, "type", k.type, ContractType, base)
    _check_choice(ck, "frequency", k.frequency, Frequency, base)
    _check_choice(ck, "status", k.status, ContractStatus, base)
    for i, code in enumerate(k.products):
        if code not in products:
            ck.add(i, f"prodotto {code!r} non a catalogo", join(base, "products"))
    if k.start and k.end and k.end < k.start:
        ck.add("end", "la scadenza precede la decorrenza", base)
    elif k.aligned and k.auto_renewal and k.end and k.frequency in PERIOD_MONTHS:
        last = period_end(k.end, PERIOD_MONTHS[k.frequency])
        if k.end != last:  # the term runs to the period's end: the record says so
            ck.add(
                "end",
                f"con i periodi allineati al calendario e il rinnovo tacito la "
                f"scadenza cade a fine periodo (es. {it_date(last)})",
                base,
            )


def _unique(ck: Checker, field: str, values: list[str], label: str) -> None:
    seen: set[str] = set()
    for i, v in enumerate(values):
        if v and v in seen:
            ck.add("number", f"{label} {v!r} ripetuto", ck.at(field, i))
        seen.add(v)


def _check_kind_of_party(ck: Checker, c: Customer, defs: Definitions) -> None:
    """An Italian company has a Partita IVA (once its master record is created: the forms
    that collect it are sent before) and the 11-digit codice fiscale of an entity; a sole
    trader or professional has the 16-character codice fiscale of a person."""
    if c.address.country != "IT":
        return
    created = [c.steps[s] for s in defs.editing("master") if s in c.steps]  # its step
    if c.kind == PartyKind.COMPANY:
        if not c.vat_number and any(state.done for state in created):
            ck.add("vat_number", "obbligatoria per una società")
        if len(c.tax_code) == 16:
            ck.add(
                "tax_code",
                "una società ha il codice fiscale di 11 cifre, non quello di una persona",
            )
    elif c.kind == PartyKind.SOLE_TRADER and len(c.tax_code) == 11:
        ck.add(
            "tax_code",
            "una ditta individuale o un professionista ha il codice fiscale personale del "
            "titolare (16 caratteri)",
        )


def _check_master(ck: Checker, c: Customer, defs: Definitions) -> None:
    if msg := check_code(c.code):
        ck.add("code", msg)
    _check_party(ck, c.name, c.vat_number, c.tax_code, c.address, c.pec)
    if c.sdi_code and (msg := check_sdi_code(c.sdi_code, c.address.country)):
        ck.add("sdi_code", msg)
    if c.iban and (msg := check_iban(c.iban)):
        ck.add("iban", msg)
    if c.bic and (msg := check_bic(c.bic)):
        ck.add("bic", msg)
    _check_choice(ck, "kind", c.kind, PartyKind, ck.path)
    _check_kind_of_party(ck, c, defs)
    if c.invoice_email and not is_email(c.invoice_email):
        ck.add("invoice_email", "indirizzo e-mail non valido")
    if c.payment_terms and c.payment_terms not in defs.terms:
        ck.add("payment_terms", f"condizione di pagamento {c.payment_terms!r} non a catalogo")
    if c.sepa_mandate.scheme not in ("CORE", "B2B"):
        ck.add("scheme", "schema del mandato: CORE oppure B2B", ck.at("sepa_mandate"))
    for name in ("abi", "cab"):
        value = getattr(c.invoicing, name)
        if value and not BANK_CODE_RE.fullmatch(value):
            ck.add(name, f"il codice {name.upper()} è di 5 cifre", ck.at("invoicing"))


def _check_excluded_months(ck: Checker, c: Customer) -> None:
    if len(c.excluded_months) > MAX_EXCLUDED_MONTHS:
        ck.add("excluded_months", "al massimo due mesi esclusi")
    months = [m.month for m in c.excluded_months]
    for i, m in enumerate(c.excluded_months):  # month and day: their bounds say the range
        if 1 <= m.month <= 12 and months.count(m.month) > 1:
            ck.add("month", "mese ripetuto", ck.at("excluded_months", i))


def _check_lists(ck: Checker, c: Customer, defs: Definitions, products: set[str]) -> None:
    for i, k in enumerate(c.contacts):
        _check_contact(ck, k, ck.at("contacts", i))
    for i, s in enumerate(c.sites):
        _check_site(ck, s, ck.at("sites", i))
    for i, o in enumerate(c.orders):
        _check_order(ck, o, ck.at("orders", i), defs, products)
        overridden = o.payment_terms and c.payment_terms and o.payment_terms != c.payment_terms
        if overridden and not o.payment_terms_reason.strip():
            ck.add(
                "payment_terms_reason",
                f"l'ordine usa {o.payment_terms} invece di {c.payment_terms}: indicarne il motivo",
                ck.at("orders", i),
            )
    _unique(ck, "orders", [o.number for o in c.orders], "numero d'ordine")
    for i, contract in enumerate(c.contracts):
        _check_contract(ck, contract, ck.at("contracts", i), products)
    _unique(ck, "contracts", [k.number for k in c.contracts], "numero di contratto")


def _check_procedure(ck: Checker, c: Customer, defs: Definitions) -> None:
    step_ids = {s.id for s in defs.steps}
    for key in c.steps:
        if key not in step_ids:
            ck.add(key, "passo sconosciuto", ck.at("steps"))
    form_ids = {f.id for f in defs.forms}
    for key in c.forms:
        if key not in form_ids:
            ck.add(key, "modulo sconosciuto", ck.at("forms"))


# Fields that may hold several lines, and records the program writes itself.
FREE_TEXT = frozenset({"notes", "note"})
INTERNAL = frozenset({"history", "steps", "forms", "mailings", "documents", "licences"})
YEARS = (1900, 2200)


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode category Cc
SURROGATE = re.compile("[\ud800-\udfff]")  # category Cs: lone surrogates


JOINERS = frozenset("\u200c\u200d")  # zero-width (non-)joiner: ordinary in some scripts


def bad_text(value: str) -> str | None:
    """Why ``value`` cannot be a single-line field, or None."""
    if CONTROL.search(value):
        return "contiene caratteri di controllo (a capo, tabulazione, ESC…) non ammessi"
    if SURROGATE.search(value):
        return "contiene caratteri non validi"
    if not value.isascii() and any(
        unicodedata.category(ch) == "Cf" and ch not in JOINERS for ch in value
    ):
        return (
            "contiene caratteri invisibili di formato (inversione del verso di scrittura, "
            "spazi di larghezza zero…) non ammessi"
        )
    return None


_CHECKED: dict[type, tuple[str, ...] | None] = {}


def _checked_fields(cls: type) -> tuple[str, ...] | None:
    """The fields of a record type whose values are checked (not the program's own); None
    for a type that is not a record."""
    if cls not in _CHECKED:
        _CHECKED[cls] = (
            tuple(f.name for f in dataclasses.fields(cls) if f.name not in INTERNAL)
            if dataclasses.is_dataclass(cls)
            else None
        )
    return _CHECKED[cls]


def _check_values(ck: Checker, record: object, base: str) -> None:
    """Single-line text without control characters; amounts, days and dates in sane
    ranges, each refused with its path."""
    for name in _checked_fields(type(record)) or ():
        value = getattr(record, name)
        if isinstance(value, list):
            for index, item in enumerate(value):
                _check_item(ck, name, item, base, index)
        else:
            _check_item(ck, name, value, base, None)


def check_values(record: object, path: str = "") -> list[Problem]:
    """The problems of every text and number field of ``record`` (single-line text without
    control characters; numbers and dates within their bounds), each with its path."""
    ck = Checker(path)
    _check_values(ck, record, path)
    return ck.problems


def _check_item(ck: Checker, name: str, value: object, base: str, index: int | None) -> None:
    """One field's value (or one item of a list field); its path is made only when needed."""
    if _checked_fields(type(value)) is not None:
        where = join(base, name)
        _check_values(ck, value, where if index is None else join(where, index))
    elif msg := _value_problem(name, value):
        where = join(base, name)
        ck.problems.append(Problem(where if index is None else join(where, index), msg))


def _value_problem(name: str, value: object) -> str | None:
    if isinstance(value, str):
        return bad_text(value.replace("\n", " ")) if name in FREE_TEXT else bad_text(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return out_of_bounds(name, value)
    if isinstance(value, date) and not YEARS[0] <= value.year <= YEARS[1]:
        return f"data fuori misura (anni dal {YEARS[0]} al {YEARS[1]})"
    return None


def validate_customer(
    c: Customer, defs: Definitions, products: set[str], path: str = ""
) -> list[Problem]:
    """Every problem in the dossier ``c``; an empty list means it may be written."""
    ck = Checker(path)
    _check_values(ck, c, path)
    _check_master(ck, c, defs)
    _check_excluded_months(ck, c)
    _check_lists(ck, c, defs, products)
    _check_procedure(ck, c, defs)
    return ck.problems


def validate_prospect(p: Prospect, path: str = "") -> list[Problem]:
    """Every problem in the prospect ``p``."""
    ck = Checker(path)
    _check_values(ck, p, path)
    if msg := check_code(p.id):
        ck.add("id", msg)
    _check_party(ck, p.name, p.vat_number, p.tax_code, p.address, p.pec)
    for i, k in enumerate(p.contacts):
        _check_contact(ck, k, ck.at("contacts", i))
    return ck.problems


def validate_product(p: Product, path: str = "") -> list[Problem]:
    """Every problem in the catalogue entry ``p``."""
    ck = Checker(path)
    _check_values(ck, p, path)
    if msg := check_code(p.code):
        ck.add("code", msg)
    if not p.description.strip():
        ck.add("description", "descrizione obbligatoria")
    _check_choice(ck, "kind", p.kind, ProductKind, path)
    _check_vat(ck, p.vat_rate, p.vat_nature, path)
    if p.price == 0:
        ck.add("price", "obbligatorio (maggiore di zero)")
    return ck.problems


def normalize_customer(c: Customer) -> None:
    """Tidy what users type loosely: spaces, letter case of codes and identifiers."""
    c.vat_number = c.vat_number.replace(" ", "")
    c.tax_code = c.tax_code.replace(" ", "").upper()
    c.iban = c.iban.replace(" ", "").upper()
    c.bic = c.bic.replace(" ", "").upper()
    c.sdi_code = c.sdi_code.strip().upper()
    c.address.province = c.address.province.strip().upper()
    c.address.country = c.address.country.strip().upper()
    c.name = c.name.strip()
    c.contacts = merged_contacts(c.contacts)


def merged_contacts(contacts: list[Contact]) -> list[Contact]:
    """A bare e-mail (no name, no phone, no role of its own) that a named contact also has
    is that contact: it is dropped, its osTicket account carried over (a prospect's first
    e-mail, then the form names the person)."""
    named = {k.email.lower(): k for k in contacts if k.name and k.email}
    out = []
    for k in contacts:
        same = named.get(k.email.lower()) if k.email else None
        bare = not k.name and not k.phone and k.role == ContactRole.USER
        if same is not None and bare:
            same.osticket = same.osticket or k.osticket
            continue
        out.append(k)
    return out


def default_tax_code(p: Party) -> None:
    """A company's codice fiscale is, unless said otherwise, its partita IVA."""
    if not p.tax_code and p.vat_number and check_vat_number(p.vat_number) is None:
        p.tax_code = p.vat_number
