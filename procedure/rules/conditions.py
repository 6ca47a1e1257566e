"""Named conditions the procedure file refers to: each returns why a step can't be done yet."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from procedure.enums import ContractStatus, ContractType
from procedure.model import Customer, Product, SepaMandate, StepState
from procedure.rules.definitions import Definitions, FormDef, PaymentTerm


@dataclass(frozen=True)
class Context:
    customer: Customer
    defs: Definitions
    products: dict[str, Product]
    today: date = field(default_factory=date.today)  # the office's clock: what is due when


Condition = Callable[[Context], str | None]
FORMS_MAILING_ACT = "mailing_forms"  # the act by which the forms go out


def forms_sent(ctx: Context) -> StepState | None:
    """The state of the step the forms' mailing completes (when the forms went out), None
    when the procedure has no such step or the customer has not reached it."""
    steps = ctx.defs.acting(FORMS_MAILING_ACT)
    return ctx.customer.steps.get(steps[0]) if steps else None


SDD_METHODS = ("MP19", "MP20", "MP21")  # SEPA direct debit payment methods (FatturaPA)


def _is_sdd(c: Context) -> bool:
    term = c.defs.terms.get(c.customer.payment_terms)
    return term is not None and term.mp in SDD_METHODS


def _has_support_contract(c: Context) -> bool:
    return any(
        k.type == ContractType.SOFTWARE and k.status != ContractStatus.CANCELLED
        for k in c.customer.contracts
    )


FORM_RULES: dict[str, Callable[[Context], bool]] = {
    "always": lambda c: True,
    "sdd_terms": _is_sdd,
    "support_contract": _has_support_contract,
}


def required_forms(c: Context) -> list[FormDef]:
    """The forms of the pack this customer must return, in pack order."""
    return [f for f in c.defs.forms if FORM_RULES[f.when](c)]


def missing_forms(c: Context) -> list[FormDef]:
    """Required forms not yet returned with a file."""
    out = []
    for f in required_forms(c):
        rec = c.customer.forms.get(f.id)
        if rec is None or rec.returned_at is None or not rec.file:
            out.append(f)
    return out


MASTER_FIELDS = {
    "name": "ragione sociale",
    "vat_number": "Partita IVA",
    "tax_code": "codice fiscale",
    "pec": "PEC",
    "sdi_code": "codice destinatario SDI",
}
ADDRESS_FIELDS = {"street": "indirizzo", "zip": "CAP", "city": "città", "province": "provincia"}


def _listing(names: list[str]) -> str:
    return ", ".join(names)


def has_email(c: Context) -> str | None:
    cu = c.customer
    if cu.pec or any(k.email for k in cu.contacts):
        return None
    return "Manca un indirizzo e-mail a cui inviare i moduli: indicare la PEC o un contatto."


def master_record_complete(c: Context) -> str | None:
    cu = c.customer
    missing = [label for f, label in MASTER_FIELDS.items() if not getattr(cu, f)]
    missing += [label for f, label in ADDRESS_FIELDS.items() if not getattr(cu.address, f)]
    if not missing:
        return None
    return f"Anagrafica incompleta, mancano: {_listing(missing)}."


SDD_SCHEMES = {"MP20": "CORE", "MP21": "B2B"}


def scheme_mismatch(term: PaymentTerm, mandate: SepaMandate) -> str | None:
    """Why the mandate cannot serve ``term``: a B2B collection on a CORE mandate is
    rejected by the debtor's bank, and the other way round."""
    scheme = SDD_SCHEMES.get(term.mp)
    if scheme and mandate.scheme != scheme:
        return f"Le condizioni {term.code} richiedono un mandato {scheme}, non {mandate.scheme}."
    return None


def payment_terms_set(c: Context) -> str | None:
    cu = c.customer
    term = c.defs.terms.get(cu.payment_terms)
    if term is None:
        return "Condizioni di pagamento standard non indicate nell'anagrafica."
    if _is_sdd(c):
        mandate = cu.sepa_mandate
        missing = [
            label
            for label, ok in (
                ("IBAN", cu.iban),
                ("riferimento del mandato (UMR)", mandate.umr),
                ("data di firma del mandato", mandate.signed_on),
            )
            if not ok
        ]
        if missing:
            return f"Le condizioni {term.code} (SDD) richiedono: {_listing(missing)}."
        if mismatch := scheme_mismatch(term, mandate):
            return mismatch
    if term.mp == "MP12" and not (cu.iban or (cu.invoicing.abi and cu.invoicing.cab)):
        return (
            f"Le condizioni {term.code} (Ri.Ba.) richiedono la banca del cliente: ABI e CAB o IBAN."
        )
    return None


def has_order(c: Context) -> str | None:
    if any(o.lines for o in c.customer.orders):
        return None
    return "Nessun ordine con righe registrato per il cliente."


def has_travel_profile(c: Context) -> str | None:
    if any(s.km_one_way > 0 or s.flat_fee is not None for s in c.customer.sites):
        return None
    return "Nessuna sede con i km dall'ufficio o una tariffa fissa di trasferta."


def has_periodic_contract(c: Context) -> str | None:
    active = [k for k in c.customer.contracts if k.status != ContractStatus.CANCELLED]
    if any(k.annual_fee > 0 and k.start for k in active):
        return None
    return "Nessun contratto a canone periodico con canone e decorrenza."


def has_osticket_users(c: Context) -> str | None:
    if any(k.osticket and k.email for k in c.customer.contacts):
        return None
    return "Nessun contatto con e-mail indicato come utente osTicket."


CONTRACT_FIELDS = {
    "number": "numero",
    "products": "prodotti coperti",
    "annual_fee": "canone annuo",
    "start": "decorrenza",
    "end": "scadenza",
}


def contracts_complete(c: Context) -> str | None:
    contracts = [k for k in c.customer.contracts if k.status != ContractStatus.CANCELLED]
    if not contracts:
        return 'Nessun contratto registrato nella scheda "Contratti Software".'
    for k in contracts:
        missing = [label for f, label in CONTRACT_FIELDS.items() if not getattr(k, f)]
        unknown = [p for p in k.products if p not in c.products]
        if missing:
            return f"Contratto {k.number or '(senza numero)'}: mancano {_listing(missing)}."
        if unknown:
            return f"Contratto {k.number}: prodotti non a catalogo: {_listing(unknown)}."
    return None


def has_support_contract(c: Context) -> str | None:
    if _has_support_contract(c):
        return None
    return "Nessun contratto di assistenza software da inviare."


DIVISION_FIELDS = {
    "products": "prodotti installati",
    "version": "versione",
    "workstations": "postazioni",
    "server_name": "server",
    "db_engine": "database",
    "installed_on": "data di installazione",
    "technician": "tecnico di riferimento",
    "software_contact": "referente software del cliente",
}


def software_division_complete(c: Context) -> str | None:
    sw = c.customer.software_division
    missing = [label for f, label in DIVISION_FIELDS.items() if not getattr(sw, f)]
    if missing:
        return f'Scheda "Divisione SW" incompleta, mancano: {_listing(missing)}.'
    return None


def all_forms_returned(c: Context) -> str | None:
    missing = missing_forms(c)
    if not missing:
        return None
    return f"Moduli non ancora rientrati: {_listing([f.title for f in missing])}."


def master_data_form_returned(c: Context) -> str | None:
    rec = c.customer.forms.get("master_data")
    if rec is not None and rec.returned_at is not None:
        return None
    return 'Il modulo "Raccolta Dati Anagrafici" non è ancora rientrato.'


def signed_contract_returned(c: Context) -> str | None:
    rec = c.customer.forms.get("signed_contract")
    if rec is not None and rec.returned_at is not None and rec.file:
        return None
    return "Il contratto di assistenza firmato dal cliente non è ancora rientrato."


def invoicing_complete(c: Context) -> str | None:
    if not c.customer.invoice_email:
        return "Manca l'e-mail a cui inviare le fatture (scheda fatturazione)."
    return None


def has_licensed_lines(c: Context) -> str | None:
    for order in c.customer.orders:
        for line in order.lines:
            product = c.products.get(line.product_code)
            if product is not None and product.licensed:
                return None
    return "Nessuna riga d'ordine con prodotti soggetti a licenza."


CONDITIONS: dict[str, Condition] = {
    f.__name__: f
    for f in (
        has_email,
        master_record_complete,
        payment_terms_set,
        has_order,
        has_travel_profile,
        has_periodic_contract,
        has_osticket_users,
        contracts_complete,
        has_support_contract,
        software_division_complete,
        all_forms_returned,
        master_data_form_returned,
        signed_contract_returned,
        invoicing_complete,
        has_licensed_lines,
    )
}

# What each condition asks for, in words (the procedure screen: "Richiede: …").
CONDITION_LABELS: dict[str, str] = {
    "has_email": "un indirizzo e-mail del cliente",
    "master_record_complete": "l'anagrafica completa",
    "payment_terms_set": "le condizioni di pagamento",
    "has_order": "un ordine",
    "has_travel_profile": "i chilometri della sede per la trasferta",
    "has_periodic_contract": "un contratto con canone e decorrenza",
    "has_osticket_users": "un utente osTicket con e-mail",
    "contracts_complete": "i contratti completi (scheda 2 del CRM)",
    "has_support_contract": "un contratto di assistenza software",
    "software_division_complete": "la scheda 3 «Divisione SW» completa",
    "all_forms_returned": "tutti i moduli rientrati",
    "master_data_form_returned": "il modulo «Raccolta Dati Anagrafici» rientrato",
    "signed_contract_returned": "il contratto firmato rientrato",
    "invoicing_complete": "l'indirizzo per le fatture via e-mail",
    "has_licensed_lines": "righe d'ordine con licenze",
}

# The fields each condition looks at, by path in the dossier ("[]": every item of a list):
# the editor of a step goes first to those still blank.
FIELDS_LOOKED_AT: dict[str, tuple[str, ...]] = {
    "has_email": ("contacts[].email", "pec"),
    "master_record_complete": (*MASTER_FIELDS, *(f"address.{f}" for f in ADDRESS_FIELDS)),
    "payment_terms_set": ("payment_terms",),
    "has_travel_profile": ("sites[].km_one_way",),
    "has_periodic_contract": ("contracts[].annual_fee", "contracts[].start"),
    "has_osticket_users": ("contacts[].email", "contacts[].osticket"),
    "contracts_complete": tuple(f"contracts[].{f}" for f in CONTRACT_FIELDS),
    "software_division_complete": tuple(f"software_division.{f}" for f in DIVISION_FIELDS),
    "invoicing_complete": ("invoice_email",),
}


def fields_needed(needs: tuple[str, ...], within: str = "") -> frozenset[str]:
    """The paths the conditions ``needs`` look at, relative to the list ``within`` (e.g.
    "sites": the fields of one site) or to the dossier when ``within`` is ""."""
    prefix = f"{within}[]." if within else ""
    paths = (p for name in needs for p in FIELDS_LOOKED_AT.get(name, ()))
    if not prefix:
        return frozenset(p for p in paths if "[]" not in p)
    return frozenset(p.removeprefix(prefix) for p in paths if p.startswith(prefix))
