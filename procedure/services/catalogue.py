"""What every customer shares: the product catalogue, the payment-terms catalogue and the
company's data and rates, changed under the store's lock and revision like the dossiers."""

import dataclasses
import re
from dataclasses import dataclass, field
from decimal import Decimal

from procedure.config.config_file import set_keys
from procedure.config.settings import CompanySettings, TravelSettings
from procedure.editing.field_labels import PRODUCT, labelled
from procedure.enums import AuditAction
from procedure.errors import Refused
from procedure.folder import DataFolder
from procedure.italian import plural
from procedure.model import Product
from procedure.problems import InvalidInput, Problem
from procedure.rules.definitions import PaymentTerm
from procedure.rules.procedure_file import terms_from_data, terms_to_data
from procedure.rules.validation import (
    check_creditor_id,
    check_iban,
    check_values,
    check_vat_number,
    is_email,
    validate_product,
)
from procedure.serial import to_data

MP_CODES = tuple(f"MP{n:02d}" for n in range(1, 24))
TP_CODES = ("TP01", "TP02", "TP03")
RULE = ("mp", "tp", "days", "end_of_month", "fixed_day")


@dataclass
class TermForm:
    code: str = ""
    description: str = ""
    mp: str = "MP05"
    tp: str = "TP02"
    days: list[int] = field(default_factory=lambda: [30])
    end_of_month: bool = False
    fixed_day: int = 0

    @classmethod
    def of(cls, term: PaymentTerm) -> "TermForm":
        values = dataclasses.asdict(term)
        values["days"] = list(term.days)
        return cls(**values)

    def term(self) -> PaymentTerm:
        values = dataclasses.asdict(self)
        values["description"] = self.description.strip()
        values["days"] = tuple(self.days)
        return PaymentTerm(**values)


def validate_term(form: TermForm) -> list[Problem]:
    problems = check_values(form)
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,19}", form.code):
        problems.append(Problem("code", "codice: maiuscole, cifre e -, massimo 20"))
    if not form.description.strip():
        problems.append(Problem("description", "descrizione obbligatoria"))
    if form.mp not in MP_CODES:
        problems.append(Problem("mp", "ModalitaPagamento FatturaPA: MP01…MP23"))
    if form.tp not in TP_CODES:
        problems.append(Problem("tp", "CondizioniPagamento FatturaPA: TP01, TP02 o TP03"))
    if not form.days:
        problems.append(Problem("days", "giorni delle rate, es. 30, 60"))
    elif (form.tp == "TP01") != (len(form.days) > 1):
        problems.append(Problem("tp", "TP01 per più rate, TP02 o TP03 per una"))
    return problems


@dataclass
class CompanyForm:
    """The company's data and travel rates, as the catalogue screen edits them."""

    name: str = ""
    vat_number: str = ""
    address: str = ""
    iban: str = ""
    email: str = ""
    phone: str = ""
    service_hours: str = ""
    sla: str = ""
    extra_rate: Decimal = Decimal(0)
    representative: str = ""
    signing_place: str = ""
    court: str = ""
    sepa_creditor_id: str = ""
    rate_per_km: Decimal = Decimal(0)
    call_out_fee: Decimal = Decimal(0)
    hourly_rate: Decimal = Decimal(0)


SECTION_OF = {
    **{f.name: "company" for f in dataclasses.fields(CompanySettings)},
    **{f.name: "travel" for f in dataclasses.fields(TravelSettings)},
}


def validate_company(form: CompanyForm) -> list[Problem]:
    problems = check_values(form)  # text on one line, rates and fees within their bounds
    if not form.name.strip():
        problems.append(Problem("name", "ragione sociale obbligatoria"))
    if form.vat_number and (msg := check_vat_number(form.vat_number)):
        problems.append(Problem("vat_number", msg))
    if form.iban and (msg := check_iban(form.iban)):
        problems.append(Problem("iban", msg))
    if form.email and not is_email(form.email):
        problems.append(Problem("email", "indirizzo e-mail non valido"))
    if form.sepa_creditor_id and (msg := check_creditor_id(form.sepa_creditor_id)):
        problems.append(Problem("sepa_creditor_id", msg))
    return problems


class Catalogue:
    """Products, payment terms and company settings."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def save_product(self, product: Product) -> None:
        """Add or change a catalogue product; raises InvalidInput.

        A code that orders or contracts use cannot be renamed here: a change of code is a
        new product, and the old one stays (running customers keep their data valid).
        """
        self.save_products([product])

    def save_products(self, products: list[Product]) -> None:
        """Add or change catalogue products, all in one commit or none; raises InvalidInput."""
        for product in products:
            problems = validate_product(product)
            if problems:
                raise InvalidInput(labelled(problems, PRODUCT))
        dossiers = self.folder.dossiers
        with dossiers.unit() as unit:
            stored = {p["code"]: p for p in unit.products()}
            for product in products:
                after = to_data(product)
                unit.put_product(after)
                stamp = dossiers.stamp(
                    AuditAction.PRODUCT_SAVE, product.code, stored.get(product.code), after
                )
                unit.office_audit(stamp)

    def term_users(self, code: str) -> int:
        """How many customers (or their orders) use payment term ``code``."""
        return sum(
            c.payment_terms == code or any(o.payment_terms == code for o in c.orders)
            for c in self.folder.all_customers()
        )

    def save_term(self, form: TermForm, original: str = "") -> None:
        """Add a term, or change an existing one (``original`` is its code).

        The catalogue is re-read under the lock, so a colleague's term saved meanwhile is
        kept. Raises InvalidInput, or Refused when the change would rename a code or change
        the rule of a code in use.
        """
        problems = validate_term(form)
        if problems:
            raise InvalidInput(problems)
        if original and form.code != original:
            raise Refused("Il codice di una condizione non si cambia: crearne una nuova.")
        new = form.term()
        dossiers = self.folder.dossiers
        with dossiers.unit() as unit:
            stored = unit.payment_terms()
            terms = terms_from_data(stored, "catalogo") if stored else dict(self.folder.defs.terms)
            old = terms.get(form.code)
            if not original and old is not None:
                raise Refused(f"La condizione {form.code} esiste già.")
            changed = old is not None and any(getattr(old, k) != getattr(new, k) for k in RULE)
            if changed and (n := self.term_users(form.code)):
                users = plural(n, "cliente", "clienti")
                raise Refused(
                    f"La condizione {form.code} è usata da {users}: le sue regole non "
                    "cambiano sotto di loro. Per regole diverse creare un nuovo codice."
                )
            terms[form.code] = new
            unit.put_payment_terms(terms_to_data(terms))
            before = terms_to_data({form.code: old}) if old else None
            unit.office_audit(
                dossiers.stamp(
                    AuditAction.TERMS_SAVE, form.code, before, terms_to_data({form.code: new})
                )
            )

    def company_form(self) -> CompanyForm:
        s = self.folder.settings
        values = {**dataclasses.asdict(s.company), **dataclasses.asdict(s.travel)}
        return CompanyForm(**{f.name: values[f.name] for f in dataclasses.fields(CompanyForm)})

    def save_company(self, form: CompanyForm) -> None:
        """Write the company data and rates into config.toml (comments kept), under the
        store's lock: only these keys change, and every open screen reloads them.

        Raises InvalidInput.
        """
        problems = validate_company(form)
        if problems:
            raise InvalidInput(problems)
        values = {
            (SECTION_OF[f.name], f.name): getattr(form, f.name) for f in dataclasses.fields(form)
        }

        def edit(current: bytes | None) -> bytes:
            text = current.decode("utf-8") if current is not None else ""
            return set_keys(text, values).encode("utf-8")

        self.folder.store.update_file(self.folder.settings.config_path, edit)
