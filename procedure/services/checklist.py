"""The checklist: completing and reopening steps, notes, and the forms ledger."""

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any, NamedTuple

from procedure.dossiers import DossierEdit
from procedure.enums import AuditAction
from procedure.errors import NotFound, Refused
from procedure.folder import DataFolder
from procedure.model import Event, FormRecord, StepState
from procedure.osticket.api import TicketOutcome
from procedure.problems import InvalidInput, Problem
from procedure.rules.definitions import FormDef, StepDef
from procedure.rules.effects import EFFECTS
from procedure.rules.list_line import dated_steps
from procedure.rules.steps import DATA, MANUAL, missing_act, why_not_done, why_not_undo
from procedure.rules.validation import bad_text
from procedure.serial import to_data
from procedure.services.archiving.returns import Signed


class StepDue(NamedTuple):
    """An open step the calendar holds until ``day`` (a reminder beside the deadlines)."""

    day: date
    code: str  # the customer's
    name: str
    step: str
    title: str


def _brief(state: StepState) -> dict[str, Any]:
    """A step state for the audit log, without the history the log itself holds."""
    return {"done": state.done, "done_by": state.done_by, "done_at": to_data(state.done_at)}


class Checklist:
    """The steps of each customer and the ledger of the forms sent and returned."""

    def __init__(self, folder: DataFolder, tickets: Callable[[str], list[TicketOutcome]]) -> None:
        self.folder = folder
        self.tickets = tickets  # files the osTicket tickets a completion queued

    def step_def(self, step_id: str) -> StepDef:
        """The step called ``step_id``; raises NotFound."""
        try:
            return self.folder.defs.step(step_id)
        except KeyError:
            raise NotFound(f"Passo {step_id!r} inesistente.") from None

    def steps_due(self, today: date, days: int) -> list[StepDue]:
        """The open steps that the calendar holds until a day no later than ``days`` from
        ``today`` (those already due included), soonest first; read from the list, each
        distinct progress pattern judged once."""
        until, defs = today + timedelta(days=days), self.folder.defs
        due = {
            f"{done}|{unready}": found
            for done, unready in self.folder.list_patterns()
            if "@" in unready and (found := dated_steps(done, unready, defs, until))
        }
        out = [
            StepDue(day, code, name, step, title)
            for code, name, pattern in self.folder.with_patterns(frozenset(due))
            for step, title, day in due[pattern]
        ]
        return sorted(out)

    def form_def(self, form_id: str) -> FormDef:
        """The form called ``form_id``; raises NotFound."""
        for f in self.folder.defs.forms:
            if f.id == form_id:
                return f
        raise NotFound(f"Modulo {form_id!r} inesistente.")

    def apply_step(
        self, d: DossierEdit, step_id: str, done: bool, note: str = "", evidence: str = ""
    ) -> None:
        """Inside a unit of work: complete or reopen a step, or raise Refused saying why not.

        ``evidence`` names the recorded act that completes it ("mailing:<id>",
        "handover:<n>", ...); a step that stands for an act and comes without one is a
        completion by hand, which needs ``note`` as its reason."""
        step = self.step_def(step_id)
        reason = why_not_done(d.ctx, step) if done else why_not_undo(d.ctx, step)
        if reason:
            raise Refused(reason)
        if done and not evidence:
            if step.act and not note.strip():
                raise Refused(missing_act(step))
            evidence = MANUAL if step.act else DATA
        before = d.customer.steps.get(step_id) or StepState()
        now = self.folder.clock()
        event = Event(now, self.folder.user, "done" if done else "undo", note)
        after = StepState(
            done=done,
            done_by=self.folder.user if done else "",
            done_at=now if done else None,
            notes=[*before.notes, event] if note else before.notes,
            history=[*before.history, event],
            evidence=evidence if done else "",
        )
        d.customer.steps[step_id] = after
        if done:
            for effect in step.effects:
                EFFECTS[effect](d.ctx)
        action = AuditAction.STEP_DONE if done else AuditAction.STEP_UNDO
        d.audit(action, step_id, _brief(before), _brief(after))

    def complete_open(
        self, d: DossierEdit, step_ids: tuple[str, ...], note: str, evidence: str
    ) -> list[str]:
        """Inside a unit of work: complete those of ``step_ids`` still open and allowed, by
        the act ``evidence`` names; returns why the others could not be (an act already done
        is recorded regardless)."""
        refused = []
        for step_id in step_ids:
            state = d.customer.steps.get(step_id)
            if not (state and state.done):
                try:
                    self.apply_step(d, step_id, True, note, evidence)
                except Refused as exc:
                    refused.append(str(exc))
        return refused

    def set_step(
        self, code: str, step_id: str, done: bool, note: str = "", billing: str = ""
    ) -> list[TicketOutcome]:
        """Complete (``done``) by hand or reopen a step; raises Refused with the reason, or
        NotFound. Handing orders to administration by hand still needs the billing timing
        agreed (``billing``), kept in the note. What completing it set in motion is carried
        out once it is recorded (the osTicket tickets it queued: their outcomes)."""
        step = self.step_def(step_id)
        if done and step.act == "handover_orders" and note.strip():
            if not billing.strip():
                raise Refused(
                    "Indicare i tempi di fatturazione concordati con l'amministrazione "
                    '(da riga di comando: --billing "…").'
                )
            note = f"{note.strip()}; tempi di fatturazione concordati: {billing.strip()}"
        with self.folder.dossiers.edit(code) as d:
            self.apply_step(d, step_id, done, note)
        return self.tickets(code) if done and step.effects else []

    def add_note(self, code: str, step_id: str, text: str) -> None:
        """Attach a note to a step; raises NotFound, or InvalidInput when ``text`` is empty."""
        self.step_def(step_id)
        if not text.strip():
            raise InvalidInput([Problem("note", "la nota è vuota")])
        if msg := bad_text(text.replace("\n", " ")):
            raise InvalidInput([Problem("note", msg)])
        with self.folder.dossiers.edit(code) as d:
            self.note_in(d, step_id, text)

    def note_in(self, d: DossierEdit, step_id: str, text: str) -> None:
        """Inside a unit of work: attach a note to a step."""
        state = d.customer.steps.get(step_id) or StepState()
        event = Event(self.folder.clock(), self.folder.user, "note", text.strip())
        d.customer.steps[step_id] = dataclasses.replace(state, notes=[*state.notes, event])
        d.audit(AuditAction.STEP_NOTE, step_id, None, to_data(event))

    def form_sent(self, code: str, form_id: str) -> None:
        """Record that ``form_id`` went out to the customer today."""
        self.form_def(form_id)
        with self.folder.dossiers.edit(code) as d:
            form = d.customer.forms.get(form_id) or FormRecord()
            d.customer.forms[form_id] = dataclasses.replace(form, sent_at=self.folder.clock())
            d.audit(AuditAction.FORM_SENT, form_id)

    def form_returned(
        self,
        code: str,
        form_id: str,
        file: str,
        by: str = "",
        signed: Signed | None = None,
    ) -> bool:
        """Record ``form_id`` as returned in ``file`` (with the digital signature it carries);
        False when it already was (idempotent)."""
        self.form_def(form_id)
        with self.folder.dossiers.edit(code) as d:
            form = d.customer.forms.get(form_id) or FormRecord()
            if form.returned_at is not None and form.file == file:
                return False
            after = dataclasses.replace(
                form,
                returned_at=self.folder.clock(),
                returned_by=by or self.folder.user,
                file=file,
                signature=signed.summary if signed else None,
                signatures=list(signed.every) if signed else [],
            )
            d.customer.forms[form_id] = after
            d.audit(AuditAction.FORM_RETURNED, form_id, None, to_data(after))
        return True
