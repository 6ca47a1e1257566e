"""The state of the procedure's steps for one customer: what is done, what can be done,
and why not."""

from dataclasses import dataclass
from datetime import datetime

from procedure.italian import mailing_fate
from procedure.model import Customer, Event, Finished, StepState
from procedure.rules import dated
from procedure.rules.conditions import CONDITIONS, Context
from procedure.rules.definitions import StepDef

TODO, DONE, BLOCKED = "todo", "done", "blocked"

# The acts a step can stand for, as the refusal of a bare tick names them.
ACTS = {
    "mailing_forms": "l'invio dei moduli da compilare per e-mail",
    "mailing_contracts": "l'invio per e-mail dei contratti con le istruzioni osTicket",
    "mailing_licences": "l'invio delle licenze per e-mail",
    "osticket_export": "l'export dei profili osTicket (export osticket)",
    "handover_contracts": "la consegna registrata dei contratti firmati alla direzione",
    "handover_orders": (
        "la consegna registrata delle conferme d'ordine all'amministrazione, con i tempi di "
        "fatturazione concordati"
    ),
}
MANUAL = "manual"  # evidence of a completion by hand, with its reason in a note
DATA = "data"  # evidence of a step whose conditions on the record's data hold
# the evidence an automatic step's condition records
EVIDENCE_OF = {"all_forms_returned": "forms"}


def evidence_of(step: StepDef) -> str:
    """What an automatic step records as its evidence when its condition holds."""
    return EVIDENCE_OF.get(step.evidence, step.evidence)


def recorded_evidence(step: StepDef, state: StepState) -> str:
    """The evidence of a done step ("" while open); records older than evidence get what
    their kind of step implies."""
    if not state.done:
        return ""
    if state.evidence:
        return state.evidence
    if step.evidence:
        return evidence_of(step)
    return MANUAL if step.act else DATA


def describe_evidence(evidence: str, customer: Customer | None = None) -> str:
    """What proved a step done, as a sentence for people; a mailing by its subject and
    what became of it (delivered via PEC, not delivered) when ``customer`` is given."""
    kind, _, ref = evidence.partition(":")
    mailing = next((m for m in customer.mailings if m.id == ref), None) if customer else None
    if kind == "mailing" and mailing is not None:
        return f"e-mail «{mailing.subject}» {mailing_fate(mailing)}"
    texts = {
        MANUAL: "completato a mano (il motivo è nelle note)",
        DATA: "i dati della scheda soddisfano le condizioni del passo",
        "forms": "tutti i moduli richiesti sono rientrati",
        "mailing": f"e-mail {ref} consegnata",
        "handover": f"consegna n. {ref} registrata",
        "osticket": "profili esportati nei CSV di osTicket",
    }
    return texts.get(kind, evidence)


def act_words(step: StepDef) -> str:
    """The act ``step`` stands for, as the refusal of a bare tick and the procedure screen
    name it."""
    if step.act in ACTS:
        return ACTS[step.act]
    return f"l'invio per e-mail «{step.title}»"


def missing_act(step: StepDef) -> str:
    """Why a step that stands for an act cannot be ticked without its record or a reason."""
    return (
        f"Il passo «{step.title}» si completa con {act_words(step)}, che non risulta "
        "registrato. Per completarlo a mano serve una nota con il motivo "
        '(da riga di comando: --note "…").'
    )


@dataclass(frozen=True)
class StepView:
    id: str
    title: str
    description: str
    status: str
    reason: str
    done_by: str
    done_at: datetime | None
    automatic: bool
    notes: tuple[Event, ...]
    evidence: str = ""  # what proved it done ("" while open)
    proof: str = ""  # the evidence in words
    act: str = ""  # the act it stands for: a tick by hand needs a reason
    declared: StepDef | None = None  # as procedure.toml declares it (what its keys open)


def in_force(ctx: Context) -> tuple[StepDef, ...]:
    """The steps of the procedure in force that are the customer's: every one, but for a
    customer who finished, only those it finished under (a step added since is not theirs;
    a step removed since is gone for everybody)."""
    finished = ctx.customer.finished
    if finished is None:
        return ctx.defs.steps
    return tuple(s for s in ctx.defs.steps if s.id in finished.steps)


def settle_finished(ctx: Context, now: datetime) -> bool:
    """Record that the customer finished the procedure (all its steps done), with the
    procedure's version and steps, or take that back when a step of theirs is open again;
    whether the record changed."""
    steps = in_force(ctx)
    done = bool(steps) and all(_state(ctx, s.id).done for s in steps)
    finished = ctx.customer.finished
    if done and finished is None:
        ids = [s.id for s in steps]
        ctx.customer.finished = Finished(at=now, version=ctx.defs.version, steps=ids)
        return True
    if not done and finished is not None:
        ctx.customer.finished = None
        return True
    return False


def _state(ctx: Context, step_id: str) -> StepState:
    return ctx.customer.steps.get(step_id) or StepState()


def _title(ctx: Context, step_id: str) -> str:
    return ctx.defs.step(step_id).title


def blocking_reason(ctx: Context, step: StepDef) -> str | None:
    """Why ``step`` cannot be completed now, or None when it can."""
    pending = [d for d in step.after if not _state(ctx, d).done]
    if pending:
        return "Prima completare: " + ", ".join(f"«{_title(ctx, d)}»" for d in pending) + "."
    return condition_reason(ctx, step)


def condition_reason(ctx: Context, step: StepDef) -> str | None:
    """Why the record's data do not let ``step`` be completed (its ``needs``, then its
    evidence), whatever the other steps; None when they do."""
    reason = data_reason(ctx, step)
    if reason:
        return reason
    for name in step.needs:
        if dated.parse(name) and (reason := dated.reason(ctx, name)):
            return reason
    return evidence_reason(ctx, step)


def evidence_reason(ctx: Context, step: StepDef) -> str | None:
    """Why the evidence that completes ``step`` by itself does not hold yet, or None."""
    if step.evidence:
        reason = CONDITIONS[step.evidence](ctx)
        if reason:
            return f"Si completa da solo appena le condizioni sono soddisfatte. {reason}"
    return None


def data_reason(ctx: Context, step: StepDef) -> str | None:
    """Why the record's data fail a condition of ``step``'s ``needs`` (the calendar's
    aside), or None."""
    for name in step.needs:
        if name in CONDITIONS and (reason := CONDITIONS[name](ctx)):
            return reason
    return None


def why_not_done(ctx: Context, step: StepDef) -> str | None:
    """Why ``step`` may not be marked done now (already done included), or None."""
    if _state(ctx, step.id).done:
        return f"Il passo «{step.title}» è già completato."
    return blocking_reason(ctx, step)


def why_not_undo(ctx: Context, step: StepDef) -> str | None:
    """Why ``step`` may not be reopened now, or None."""
    if not _state(ctx, step.id).done:
        return f"Il passo «{step.title}» non è completato."
    dependants = [s for s in in_force(ctx) if step.id in s.after and _state(ctx, s.id).done]
    if dependants:
        names = ", ".join(f"«{s.title}»" for s in dependants)
        return f"Riaprire prima i passi che dipendono da questo: {names}."
    if step.evidence and not CONDITIONS[step.evidence](ctx):
        return "Il passo è completato dai documenti archiviati e non si può riaprire a mano."
    return None


def step_views(ctx: Context) -> list[StepView]:
    """Every step in procedure order with its status and, when blocked, the reason."""
    views = []
    for step in in_force(ctx):
        state = _state(ctx, step.id)
        reason = None if state.done else blocking_reason(ctx, step)
        views.append(
            StepView(
                id=step.id,
                title=step.title,
                description=step.description,
                status=DONE if state.done else (BLOCKED if reason else TODO),
                reason=reason or "",
                done_by=state.done_by,
                done_at=state.done_at,
                automatic=bool(step.evidence),
                notes=tuple(state.notes),
                evidence=recorded_evidence(step, state),
                proof=describe_evidence(recorded_evidence(step, state), ctx.customer),
                act=step.act,
                declared=step,
            )
        )
    return views


def due_by_evidence(ctx: Context) -> list[StepDef]:
    """Automatic steps whose evidence now holds but that are not yet recorded as done."""
    return [
        s
        for s in in_force(ctx)
        if s.evidence and not _state(ctx, s.id).done and blocking_reason(ctx, s) is None
    ]


def undone_by_data(ctx: Context) -> list[tuple[StepDef, str]]:
    """Done steps that stand for the record's data (no act, no evidence of their own) whose
    conditions no longer hold, each with the reason: they must not stay ticked over it."""
    out = []
    for step in in_force(ctx):
        if step.act or step.evidence or not _state(ctx, step.id).done:
            continue
        if reason := data_reason(ctx, step):
            out.append((step, reason))
    return out


def next_step(views: list[StepView]) -> StepView | None:
    """The first step that can be done now, else the first not done, else None."""
    open_steps = [v for v in views if v.status != DONE]
    todo = [v for v in open_steps if v.status == TODO]
    first = todo or open_steps
    return first[0] if first else None


def after_completion(before: list[StepView], after: list[StepView], index: int) -> int:
    """Where the cursor goes once the step at ``index`` is done: the next step still open in
    the procedure's order (from the top again past the end); it stays put when that step did
    not just get done or nothing is left open."""
    if index >= min(len(before), len(after)):
        return index
    if before[index].status == DONE or after[index].status != DONE:
        return index
    order = [*range(index + 1, len(after)), *range(index)]
    return next((i for i in order if after[i].status != DONE), index)
