"""Editing the payment-terms catalogue, guarded: codes are never renamed or removed, and
the rule of a code customers use does not change under them."""

import json
import re
from dataclasses import dataclass, field

from procedure.definitions import PaymentTerm, load_definitions
from procedure.office import Office, Refused
from procedure.problems import InvalidInput, Problem
from store.files import atomic_write, ensure_dir

MP_CODES = tuple(f"MP{n:02d}" for n in range(1, 24))
TP_CODES = ("TP01", "TP02", "TP03")


@dataclass
class TermForm:
    code: str = ""
    description: str = ""
    mp: str = "MP05"
    tp: str = "TP02"
    days: list[int] = field(default_factory=lambda: [30])
    end_of_month: bool = False
    fixed_day: int = 0


def form_of(term: PaymentTerm) -> TermForm:
    return TermForm(term.code, term.description, term.mp, term.tp, list(term.days),
                    term.end_of_month, term.fixed_day)  # fmt: skip


def validate_term(form: TermForm) -> list[Problem]:
    problems = []
    if not re.fullmatch(r"[A-Z0-9][A-Z0-9-]{0,19}", form.code):
        problems.append(Problem("code", "codice: maiuscole, cifre e -, massimo 20"))
    if not form.description.strip():
        problems.append(Problem("description", "descrizione obbligatoria"))
    if form.mp not in MP_CODES:
        problems.append(Problem("mp", "ModalitaPagamento FatturaPA: MP01…MP23"))
    if form.tp not in TP_CODES:
        problems.append(Problem("tp", "CondizioniPagamento FatturaPA: TP01, TP02 o TP03"))
    if not form.days or any(d < 0 for d in form.days):
        problems.append(Problem("days", "giorni delle rate, es. 30, 60"))
    elif (form.tp == "TP01") != (len(form.days) > 1):
        problems.append(Problem("tp", "TP01 per più rate, TP02 o TP03 per una"))
    if not 0 <= form.fixed_day <= 31:
        problems.append(Problem("fixed_day", "giorno fisso tra 0 (nessuno) e 31"))
    return problems


def users(office: Office, code: str) -> int:
    """How many customers (or their orders) use ``code``."""
    return sum(
        c.payment_terms == code or any(o.payment_terms == code for o in c.orders)
        for c in office.all_customers()
    )


def to_toml(terms: dict[str, PaymentTerm]) -> str:
    out = ["# Catalogo delle condizioni di pagamento dell'azienda (scritto da Acquisto).\n"]
    for t in terms.values():
        out += [
            "\n[[terms]]\n",
            f"code = {json.dumps(t.code)}\n",
            f"description = {json.dumps(t.description, ensure_ascii=False)}\n",
            f"mp = {json.dumps(t.mp)}\ntp = {json.dumps(t.tp)}\n",
            f"days = [{', '.join(str(d) for d in t.days)}]\n",
            f"end_of_month = {'true' if t.end_of_month else 'false'}\n",
            f"fixed_day = {t.fixed_day}\n",
        ]
    return "".join(out)


def save_term(office: Office, form: TermForm, original: str = "") -> None:
    """Add a term, or change an existing one (``original`` is its code).

    Raises InvalidInput, or Refused when the change would rename a code or change the rule
    of a code in use.
    """
    problems = validate_term(form)
    if problems:
        raise InvalidInput(problems)
    terms = dict(office.defs.terms)
    if original and form.code != original:
        raise Refused("Il codice di una condizione non si cambia: crearne una nuova.")
    if not original and form.code in terms:
        raise Refused(f"La condizione {form.code} esiste già.")
    new = PaymentTerm(form.code, form.description.strip(), form.mp, form.tp, tuple(form.days),
                      form.end_of_month, form.fixed_day)  # fmt: skip
    old = terms.get(form.code)
    rule = ("mp", "tp", "days", "end_of_month", "fixed_day")
    changed = old is not None and any(getattr(old, k) != getattr(new, k) for k in rule)
    if changed and (n := users(office, form.code)):
        raise Refused(
            f"La condizione {form.code} è usata da {n} clienti: le sue regole non cambiano "
            "sotto di loro. Per regole diverse creare un nuovo codice."
        )
    terms[form.code] = new
    ensure_dir(office.terms_path.parent)
    atomic_write(office.terms_path, to_toml(terms).encode("utf-8"))
    office.defs = load_definitions(terms=office.terms_path)
