"""The stored list row: facts only; progress, next step and "blocked" are worked out when
the row is read, from the procedure in force."""

import dataclasses
from datetime import date, datetime

from procedure.model import Customer, StepState
from procedure.rules.conditions import Context
from procedure.rules.definitions import Definitions, StepDef
from procedure.rules.list_line import row_of, summaries
from procedure.rules.procedure_file import load_definitions
from procedure.rules.progress import summarize
from procedure.rules.steps import settle_finished, step_views
from store import LIST_NAMES

DEFS = load_definitions()
WHEN = datetime(2026, 3, 2, 10, 0)


def customer(*done: str) -> Customer:
    return Customer(
        code="C00042",
        name="Alfa Informatica S.r.l. — «sede» 100%",
        steps={s: StepState(done=True, done_by="mario", done_at=WHEN) for s in done},
    )


def stored(ctx: Context) -> tuple[object, ...]:
    row = row_of(ctx, "chiave")
    assert set(row) == {*LIST_NAMES, "waiting"}  # the forms waiting go to a table of their own
    return (ctx.customer.code, *(row[n] for n in LIST_NAMES))


def test_a_row_reads_back_as_the_summary_of_the_record() -> None:
    for ctx in (Context(customer(), DEFS, {}), Context(customer("forms_sent"), DEFS, {})):
        (back,) = summaries([stored(ctx)], DEFS, date.today())
        assert back == summarize(ctx)
        assert dataclasses.asdict(back) == dataclasses.asdict(summarize(ctx))


def test_the_row_holds_facts_not_judgments() -> None:
    row = row_of(Context(customer("forms_sent"), DEFS, {}))
    assert row["done_steps"] == "forms_sent"
    assert "total" not in row and "next_step" not in row and "next_blocked" not in row
    assert row["search"] == "c00042 alfa informatica s.r.l. — «sede» 100%"


def test_a_step_added_to_the_procedure_counts_on_rows_written_before() -> None:
    ctx = Context(customer("forms_sent"), DEFS, {})
    row = stored(ctx)
    survey = StepDef("survey", "Questionario di soddisfazione", "", after=("forms_sent",))
    more = Definitions((*DEFS.steps, survey), DEFS.forms, DEFS.terms)
    (back,) = summaries([row], more, date.today())
    assert (back.done, back.total) == (1, len(DEFS.steps) + 1)
    fewer = Definitions(DEFS.steps[1:], DEFS.forms, DEFS.terms)  # the first step removed
    (back,) = summaries([row], fewer, date.today())
    assert (back.done, back.total) == (0, len(DEFS.steps) - 1)


def test_next_step_and_blocked_follow_the_procedure_order() -> None:
    first, second = DEFS.steps[0], DEFS.steps[1]
    steps = (
        StepDef(first.id, "Primo", ""),
        StepDef(second.id, "Secondo", "", after=(first.id,)),
    )
    defs = Definitions(steps, DEFS.forms, DEFS.terms)
    row = ("C1", "Uno", "uno", "c1 uno", "", second.id, 0, 0, 0, 0, "", "", 0, "", "", "", "", "")
    (back,) = summaries([row], defs, date.today())
    assert (back.next_step, back.next_title, back.next_blocked) == (first.id, "Primo", False)
    row = ("C1", "Uno", "uno", "c1 uno", "", f"{first.id} {second.id}", *row[6:])
    # nothing can be done: the first open step, blocked
    (back,) = summaries([row], defs, date.today())
    assert (back.next_step, back.next_blocked) == (first.id, True)
    row = ("C1", "Uno", "uno", "c1 uno", f"{first.id} {second.id}", "", *row[6:])
    (back,) = summaries([row], defs, date.today())
    assert (back.done, back.total, back.next_title) == (2, 2, "Procedura completata")


def test_contract_terms_read_back_as_tuples() -> None:
    terms = '[["2026-01-01","2026-12-31",90,true,"CA-1"],["2026-02-01","2027-01-31",30,false,"X"]]'
    row = ("C1", "Uno", "uno", "c1 uno", "", "", 0, 0, 0, 0, "", "", 0, "", "", "a,b", terms, "")
    (back,) = summaries([row], DEFS, date.today())
    assert back.terms == (
        ("2026-01-01", "2026-12-31", 90, True, "CA-1"),
        ("2026-02-01", "2027-01-31", 30, False, "X"),
    )
    assert back.missing == ("a", "b")


def test_a_step_added_after_a_customer_finished_is_not_theirs() -> None:
    """The dossier records the procedure it was finished under: a step added since opens
    for customers in progress and leaves finished ones finished, in the view and the row;
    reopening one of their steps makes the procedure in force theirs again."""
    everything = customer(*(s.id for s in DEFS.steps))
    in_progress = customer("forms_sent")
    for c in (everything, in_progress):
        settle_finished(Context(c, DEFS, {}), WHEN)
    assert everything.finished is not None and in_progress.finished is None
    assert everything.finished.steps == [s.id for s in DEFS.steps]
    assert everything.finished.version == DEFS.version != ""
    survey = StepDef("survey", "Questionario di soddisfazione", "", after=("forms_sent",))
    more = Definitions((*DEFS.steps, survey), DEFS.forms, DEFS.terms, version="nuova")
    rows = [stored(Context(c, DEFS, {})) for c in (everything, in_progress)]
    finished, going = summaries(rows, more, date.today())
    assert (finished.done, finished.total, finished.next_title) == (15, 15, "Procedura completata")
    assert (going.done, going.total) == (1, 16)
    assert [v.id for v in step_views(Context(everything, more, {}))] == [s.id for s in DEFS.steps]
    assert step_views(Context(in_progress, more, {}))[-1].id == "survey"
    assert not settle_finished(Context(everything, more, {}), WHEN)  # still finished
    everything.steps["licences_sent"] = StepState()  # reopened
    assert settle_finished(Context(everything, more, {}), WHEN) and everything.finished is None
    assert step_views(Context(everything, more, {}))[-1].id == "survey"
