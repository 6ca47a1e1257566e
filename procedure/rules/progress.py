"""One line per customer for lists: progress, forms back, next step (kept in the store's index)."""

import functools
from dataclasses import dataclass
from datetime import date, datetime

from procedure.enums import OPEN_MAILINGS, ContractStatus, MailingStatus
from procedure.model import Contract, Mailing
from procedure.rules.chasing import last_contact
from procedure.rules.commerce.schedule import current_term, notice_deadline, term_end
from procedure.rules.conditions import Context, forms_sent, missing_forms, required_forms
from procedure.rules.steps import BLOCKED, DONE, next_step, step_views

Terms = tuple[tuple[str, str, int, bool, str], ...]  # start, end, notice days, renews, number


def undelivered(m: Mailing) -> bool:
    """A mailing that bounced and waits to be sent again (to another address)."""
    return m.status == MailingStatus.BOUNCED and not m.replaced_by


def to_settle(m: Mailing) -> bool:
    """Mail a person must see to: not yet sent, of unknown fate, or undelivered."""
    return m.status in OPEN_MAILINGS or undelivered(m)


@dataclass(frozen=True)
class Summary:
    code: str
    name: str
    done: int
    total: int
    forms_returned: int
    forms_required: int
    next_step: str
    next_title: str
    next_blocked: bool
    open_mail: int = 0  # mailings queued, being sent, of unknown fate, or undelivered
    outstanding: int = 0  # required forms not back yet
    last_contact: str = ""  # ISO time forms or a reminder last went out (else the forms step)
    last_returned: str = ""  # title of the form returned most recently
    bad_signatures: int = 0  # returned forms whose digital signature does not hold
    vat_number: str = ""  # to tell whose a scan is without reading dossiers
    tax_code: str = ""
    missing: tuple[str, ...] = ()  # ids of the required forms not back, once forms went out
    terms: Terms = ()  # billable contracts: enough for notice deadlines without the dossiers

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def forms(self) -> str:
        return f"{self.forms_returned}/{self.forms_required}"


def summarize(ctx: Context) -> Summary:
    """The list line of the customer in ``ctx``."""
    views = step_views(ctx)
    nxt = next_step(views)
    sent = forms_sent(ctx)
    sent = sent if sent and sent.done else None
    chase = missing_forms(ctx) if sent else []  # what a reminder asks for
    required = len(required_forms(ctx))
    return Summary(
        code=ctx.customer.code,
        name=ctx.customer.name,
        done=sum(v.status == DONE for v in views),
        total=len(views),
        forms_returned=required - len(missing_forms(ctx)),
        forms_required=required,
        next_step=nxt.id if nxt else "",
        next_title=nxt.title if nxt else "Procedura completata",
        next_blocked=bool(nxt and nxt.status == BLOCKED),
        open_mail=sum(to_settle(m) for m in ctx.customer.mailings),
        outstanding=len(chase),
        missing=tuple(f.id for f in chase),
        last_contact=_iso(last_contact(ctx.customer) or (sent.done_at if sent else None)),
        last_returned=_last_returned(ctx),
        vat_number=ctx.customer.vat_number,
        tax_code=ctx.customer.tax_code,
        bad_signatures=sum(
            1 for f in ctx.customer.forms.values() if f.signature and not f.signature.valid
        ),
        terms=tuple(
            (k.start.isoformat(), term_end(k).isoformat(), k.notice_days, k.auto_renewal, k.number)
            for k in ctx.customer.contracts
            if k.status != ContractStatus.CANCELLED and k.start is not None and k.annual_fee > 0
        ),
    )


def _done(ctx: Context, step_id: str) -> bool:
    state = ctx.customer.steps.get(step_id)
    return bool(state and state.done)


def _iso(moment: datetime | None) -> str:
    return moment.isoformat() if moment else ""


def _last_returned(ctx: Context) -> str:
    returned = [
        (rec.returned_at, form_id) for form_id, rec in ctx.customer.forms.items() if rec.returned_at
    ]
    if not returned:
        return ""
    _, form_id = max(returned)
    return next((f.title for f in ctx.defs.forms if f.id == form_id), form_id)


@functools.lru_cache(maxsize=4096)
def notices_of_terms(
    terms: Terms, today: date, days: int
) -> tuple[tuple[str, Contract, date | None, date], ...]:
    """The contracts among ``terms`` (a list line's) whose notice deadline falls within
    ``days`` from ``today`` (or has passed while the term still runs): (contract number,
    term running today — shared, not to be changed —, notice by, term end). Customers share
    contract dates: each pattern is worked out once."""
    out = []
    for start, end, notice, renews, number in terms:
        term, by, ends = _term_today(start, end, notice, renews, today)
        if ends >= today and ((by or ends) - today).days <= days:  # or when it ends by itself
            out.append((number, term, by, ends))
    return tuple(out)


@functools.lru_cache(maxsize=4096)
def _term_today(
    start: str, end: str, notice: int, renews: bool, today: date
) -> tuple[Contract, date | None, date]:
    """The term running ``today`` of a contract with these dates, its notice deadline and
    end (many contracts share dates: a 100,000-customer list works each pattern out once)."""
    contract = Contract(
        start=date.fromisoformat(start),
        end=date.fromisoformat(end),
        notice_days=notice,
        auto_renewal=renews,
    )
    term = current_term(contract, today)
    return term, notice_deadline(term), term_end(term)


def returned_news(returned: list[Summary]) -> list[str]:
    """Italian notices for the customers whose forms came back (their lines as now)."""
    news = []
    for s in returned:
        text = f"{s.name}: rientrato «{s.last_returned}»"
        if s.forms_required and s.forms_returned >= s.forms_required:
            text += "; tutti i moduli sono rientrati"
        news.append(text)
    return news


def forms_cell(s: Summary, late: bool) -> str:
    """The list's forms column: returned of required, "!" when a reminder is due, and a
    returned form whose digital signature fails said in words (as ``list --json`` counts
    it in ``bad_signatures``)."""
    cell = f"{s.forms}!" if late else s.forms
    if s.bad_signatures:
        cell += (
            " firma non valida"
            if s.bad_signatures == 1
            else f" {s.bad_signatures} firme non valide"
        )
    return cell


# The list's orders. "azione" (the default): customers needing action first (late forms,
# oldest contact first; then mail to settle, or a return whose digital signature fails;
# then a notice deadline within NOTICE_DAYS; then a blocked next step), then by code.
SORTS = ("azione", "codice", "nome", "avanzamento")
NOTICE_DAYS = 30


def states(counts: dict[str, int]) -> dict[str, int]:
    """The list's counts (``late``, ``mail``, ``signatures``, ``blocked``, ``complete``,
    ``notices``) under their Italian labels, in the order the dashboard shows them."""
    labels = {
        "late": "da sollecitare",
        "mail": "e-mail in sospeso",
        "signatures": "firme digitali da verificare",
        "blocked": "prossimo passo bloccato",
        "complete": "completati",
        "notices": f"disdette entro {NOTICE_DAYS} giorni",
    }
    return {label: counts.get(key, 0) for key, label in labels.items()}
