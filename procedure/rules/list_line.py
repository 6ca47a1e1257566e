"""The list row as stored: the facts of a customer, never a judgment.

A row keeps what the record says (which steps are done, which steps' conditions on the
data fail, forms back and missing, contact dates, contract dates); progress, the next step
and whether it is blocked are worked out when the row is read, from the procedure in force,
and so are the judgments that depend on today (late, notice due: see ``progress.triage``).
A change of the procedure, or of the date, shows at once on rows written long before.
"""

import functools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from procedure.model import Customer
from procedure.rules import dated
from procedure.rules.chasing import chase_cutoff
from procedure.rules.conditions import Context
from procedure.rules.definitions import Definitions, StepDef
from procedure.rules.progress import NOTICE_DAYS, Summary, Terms, notices_of_terms, summarize
from procedure.rules.steps import data_reason, evidence_reason, in_force

FIELDS = tuple(Summary.__dataclass_fields__)
FINISHED = "=finished"  # among a row's done steps: the customer finished the procedure


# The CRM tab 3 fields whose values are offered again for other customers.
REMEMBERED = (
    "edition",
    "version",
    "server_os",
    "db_engine",
    "db_version",
    "technician",
    "remote_tool",
)


def remembered(c: Customer) -> dict[str, str]:
    """The customer's values of the remembered fields, by field path (blank ones too: the
    store keeps only the values)."""
    sw = c.software_division
    return {f"software_division.{name}": str(getattr(sw, name)).strip() for name in REMEMBERED}


def row_of(ctx: Context, plan: str = "") -> dict[str, Any]:
    """The stored row of the customer in ``ctx``; ``plan`` is the key of its billing plan
    (to tell when the plan must be made again)."""
    s = summarize(ctx)
    steps = ctx.customer.steps
    done = [st.id for st in ctx.defs.steps if (state := steps.get(st.id)) and state.done]
    unready = [t for st in in_force(ctx) if st.id not in done and (t := unready_token(ctx, st))]
    if ctx.customer.finished is not None:  # a step added since is not theirs
        done.append(FINISHED)
    return {
        "name": s.name,
        "name_key": s.name.casefold(),
        "search": f"{s.code} {s.name}".casefold(),
        "done_steps": " ".join(done),
        "unready_steps": " ".join(unready),
        "forms_returned": s.forms_returned,
        "forms_required": s.forms_required,
        "open_mail": s.open_mail,
        "outstanding": s.outstanding,
        "last_contact": s.last_contact,
        "last_returned": s.last_returned,
        "bad_signatures": s.bad_signatures,
        "vat_number": s.vat_number,
        "tax_code": s.tax_code,
        "missing": ",".join(s.missing),
        "terms": json.dumps(s.terms, separators=(",", ":")) if s.terms else "",
        "plan_key": plan,
        "waiting": waiting(ctx.customer, s.missing),
    }


def unready_token(ctx: Context, step: StepDef) -> str:
    """How the row keeps an open step the data do not let be done ("step"), or that the
    calendar holds until a day ("step@YYYY-MM-DD"); "" when nothing holds it but the steps
    before it."""
    if data_reason(ctx, step) or evidence_reason(ctx, step):
        return step.id
    day = dated.ready_on(ctx, step.needs)
    if day is None:
        return ""
    return step.id if day == date.max else f"{step.id}@{day.isoformat()}"


def held(unready_steps: str, today: date) -> set[str]:
    """The steps a row's unready steps hold on ``today`` (those the calendar holds until a
    later day included)."""
    iso = today.isoformat()
    out = set()
    for token in unready_steps.split():
        step, _, day = token.partition("@")
        if not day or day > iso:
            out.add(step)
    return out


def dated_steps(
    done_steps: str, unready_steps: str, defs: Definitions, until: date
) -> list[tuple[str, str, date]]:
    """(step id, title, day) of the open steps of a row that only the calendar holds, due
    on or before ``until`` (already due included), whose steps before are done."""
    done = set(done_steps.split())
    steps = {s.id: s for s in defs.steps}
    out = []
    for token in unready_steps.split():
        step_id, _, day = token.partition("@")
        step = steps.get(step_id)
        if step is None or not day or day > until.isoformat() or FINISHED in done:
            continue
        if all(a in done for a in step.after):
            out.append((step_id, step.title, date.fromisoformat(day)))
    return out


def waiting(customer: Customer, missing: Sequence[str]) -> list[tuple[str, str]]:
    """(form, ISO day sent) of the forms ``missing`` that went out and are not back (what
    Andamento counts by age)."""
    out = []
    for form_id in missing:
        record = customer.forms.get(form_id)
        if record is not None and record.sent_at and not record.returned_at:
            out.append((form_id, record.sent_at.date().isoformat()))
    return out


class Progress:
    """Progress, next step and blocked, from a row's done and unready steps and the
    procedure in force (customers share patterns: each is worked out once)."""

    def __init__(self, defs: Definitions, today: date) -> None:
        self.steps = [(s.id, s.title, s.after) for s in defs.steps]
        self.today = today
        self._known: dict[tuple[str, str], tuple[int, int, str, str, bool]] = {}

    def of(self, done_steps: str, unready_steps: str) -> tuple[int, int, str, str, bool]:
        """(done, total, next step id, its title, blocked) for this pattern."""
        key = (done_steps, unready_steps)
        known = self._known.get(key)
        if known is None:
            known = self._work_out(set(done_steps.split()), held(unready_steps, self.today))
            self._known[key] = known
        return known

    def _work_out(self, done: set[str], unready: set[str]) -> tuple[int, int, str, str, bool]:
        first_open = first_todo = None
        count = 0
        finished = FINISHED in done
        for step_id, title, after in self.steps:
            if step_id in done:
                count += 1
                continue
            if finished:  # added since the customer finished: not theirs
                continue
            if first_open is None:
                first_open = (step_id, title)
            if first_todo is None and step_id not in unready and all(a in done for a in after):
                first_todo = (step_id, title)
        nxt = first_todo or first_open
        if nxt is None:
            return count, count if finished else len(self.steps), "", "Procedura completata", False
        return count, len(self.steps), nxt[0], nxt[1], first_todo is None


@functools.lru_cache(maxsize=65536)
def stored_terms(text: str) -> Terms:
    """A row's billable contracts' dates (many customers share them: one tuple each, which
    the list's order then judges once)."""
    if not text:
        return ()
    return tuple((str(a), str(b), int(c), bool(d), str(e)) for a, b, c, d, e in json.loads(text))


_new = object.__new__


def summaries(rows: Iterable[Sequence[Any]], defs: Definitions, today: date) -> list[Summary]:
    """The list lines of stored rows (each ``(code, *LIST_NAMES)``) as the procedure in
    force judges them on ``today``."""
    progress = Progress(defs, today)
    out: list[Summary] = []
    add = out.append
    for row in rows:
        code, name, _key, _search, done_steps, unready_steps, *facts = row
        returned, required, mail, outstanding, contact, last, bad, vat, tax, missing = facts[:10]
        done, total, nxt, title, blocked = progress.of(done_steps, unready_steps)
        summary = _new(Summary)
        values = (
            code,
            name,
            done,
            total,
            returned,
            required,
            nxt,
            title,
            blocked,
            mail,
            outstanding,
            contact,
            last,
            bad,
            vat,
            tax,
            tuple(missing.split(",")) if missing else (),
            stored_terms(facts[10]),
        )
        summary.__dict__.update(zip(FIELDS, values, strict=True))
        add(summary)
    return out


@dataclass(frozen=True)
class Judgments:
    """Today's judgments of the list, by pattern, for the store to apply to every row by
    query: the ISO ``cutoff`` on or before which a last contact makes a customer with forms
    missing late; the stored contract ``terms`` with a notice due; the progress patterns
    ("done|unready") whose next step is ``blocked`` or that are ``complete``; the steps
    ``done`` by pattern."""

    cutoff: str
    notice: frozenset[str]
    blocked: frozenset[str]
    complete: frozenset[str]
    done: dict[str, int]


def judgments(
    patterns: Iterable[tuple[str, str]],
    terms: Iterable[str],
    defs: Definitions,
    today: date,
    interval_days: int,
) -> Judgments:
    """Today's judgments for the list's order and counts, from its distinct progress
    patterns and contract terms (customers share them: each is judged once)."""
    progress = Progress(defs, today)
    blocked: set[str] = set()
    complete: set[str] = set()
    done: dict[str, int] = {}
    for done_steps, unready_steps in patterns:
        count, total, _nxt, _title, is_blocked = progress.of(done_steps, unready_steps)
        key = f"{done_steps}|{unready_steps}"
        done[key] = count
        if is_blocked:
            blocked.add(key)
        if count == total:
            complete.add(key)
    notice = {t for t in terms if notices_of_terms(stored_terms(t), today, NOTICE_DAYS)}
    return Judgments(
        cutoff=chase_cutoff(today, interval_days),
        notice=frozenset(notice),
        blocked=frozenset(blocked),
        complete=frozenset(complete),
        done=done,
    )
