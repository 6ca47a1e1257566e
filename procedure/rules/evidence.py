"""What a done step's evidence points to, and which step history an import may bring.

A step stands for an act: its evidence names the record of it (``mailing:<id>`` a mailing
of the dossier, ``handover:<n>`` its n-th hand-over), or says it was ticked by hand with a
reason (``manual``) or follows from the record's data. An import brings data, not acts:
the mailings and exports of another installation are not recorded here, so a step an
import claims done must rest on what the file itself holds, after the steps it follows,
and not in the future.
"""

from datetime import datetime

from procedure.model import Customer, StepState
from procedure.problems import Problem, join
from procedure.rules.definitions import Definitions, StepDef

RECORDED_HERE = ("mailing", "osticket")  # acts only this installation can have done


def evidence_problem(customer: Customer, state: StepState) -> str | None:
    """Why the evidence of ``state`` points to nothing in ``customer``'s dossier (None
    when it points to a record there, or names no record)."""
    if not state.done:
        return None
    kind, _, ref = state.evidence.partition(":")
    if kind == "mailing" and not any(m.id == ref for m in customer.mailings):
        return f"la prova indica l'invio {ref!r}, che nella scheda non c'è"
    if kind == "handover" and not (ref.isdigit() and 1 <= int(ref) <= len(customer.handovers)):
        return f"la prova indica la consegna n. {ref}, che nella scheda non c'è"
    return None


def imported_history_problems(c: Customer, defs: Definitions, now: datetime) -> list[Problem]:
    """Why the steps ``c`` claims done cannot come from an import, each with its path
    (``steps.<id>.…``) and its label (the step's title)."""
    steps = {s.id: s for s in defs.steps}
    done = {step_id for step_id, state in c.steps.items() if state.done}
    problems = []
    for step_id, state in c.steps.items():
        step = steps.get(step_id)
        if step is None or not state.done:
            continue  # an unknown step is the record's own problem
        for name, label, message in _claims(c, step, state, done, steps, now):
            where = join(join("steps", step_id), name)
            problems.append(Problem(where, message, f"Passo «{step.title}», {label}"))
    return problems


def _claims(
    c: Customer,
    step: StepDef,
    state: StepState,
    done: set[str],
    steps: dict[str, StepDef],
    now: datetime,
) -> list[tuple[str, str, str]]:
    """(field, its label, why) for each claim of a done step an import cannot make."""
    out = []
    if state.evidence.partition(":")[0] in RECORDED_HERE:
        why = "gli invii e le esportazioni si registrano quando li fa Acquisto, non si importano"
        out.append(("evidence", "prova", why))
    elif msg := evidence_problem(c, state):
        out.append(("evidence", "prova", msg))
    if before := [s for s in step.after if s not in done]:
        titles = ", ".join(f"«{steps[s].title}»" for s in before if s in steps)
        out.append(("done", "fatto", f"fatto prima di {titles}"))
    if state.done_at and state.done_at > now:
        out.append(("done_at", "data", "data futura"))
    return out
