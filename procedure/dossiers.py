"""The unit of work of every use case: one customer's dossier read under the lock, changed,
and committed once with its audit entries (or not at all when nothing changed)."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any, Protocol

from procedure.editing.field_labels import CUSTOMER, labelled
from procedure.enums import AuditAction
from procedure.errors import NotFound
from procedure.model import Customer, Event, Product, StepState
from procedure.problems import InvalidInput
from procedure.rules.commerce.billing_plan import StoredPlan
from procedure.rules.conditions import Context
from procedure.rules.definitions import Definitions
from procedure.rules.list_line import remembered, row_of
from procedure.rules.steps import due_by_evidence, evidence_of, settle_finished, undone_by_data
from procedure.rules.validation import validate_customer
from procedure.serial import from_data, to_data
from store import Store, StoreCorrupt, UnitOfWork, damaged, unit_of_work

AUTOMATIC = "automatico"
Entry = dict[str, Any]


def stored_customer(data: dict[str, Any]) -> Customer:
    """The customer record of a stored dossier; raises StoreCorrupt (in Italian, naming the
    customer) when a field has the wrong shape."""
    try:
        return from_data(Customer, data)
    except (ValueError, TypeError) as exc:
        code = data.get("code") if isinstance(data.get("code"), str) else "?"
        raise StoreCorrupt(damaged(f"Il documento della scheda {code}", str(exc))) from None


class Stamp:
    """Makes audit entries: who did what, when (the Office's clock and user)."""

    def __init__(self, clock: Callable[[], datetime], user: str) -> None:
        self.clock = clock
        self.user = user

    def __call__(self, action: AuditAction, target: str, before: object, after: object) -> Entry:
        return {
            "at": self.clock().isoformat(),
            "user": self.user,
            "action": str(action),
            "target": target,
            "before": before,
            "after": after,
        }


class DossierEdit:
    """A dossier open for change inside one unit of work: the customer, the catalogue it is
    judged against, and the audit entries that will be committed with it."""

    def __init__(self, unit: UnitOfWork, ctx: Context, rev: int, stamp: Stamp) -> None:
        self._unit = unit
        self._stamp = stamp
        self.ctx = ctx
        self.rev = rev
        self.entries: list[Entry] = []

    @property
    def customer(self) -> Customer:
        return self.ctx.customer

    def audit(
        self, action: AuditAction, target: str, before: object = None, after: object = None
    ) -> None:
        """Record what was done; written with the dossier, in the same commit."""
        self.entries.append(self._stamp(action, target, before, after))

    def next_number(self, counter: str) -> int:
        """The next value of ``counter``, unique across processes (the lock is held)."""
        return self._unit.next_number(counter)


class Planner(Protocol):
    """Works out a customer's billing plan (the billing service)."""

    def plan_key(self, customer: Customer, data: dict[str, Any]) -> str: ...

    def plan(self, customer: Customer) -> StoredPlan: ...


class Dossiers:
    """Opens dossiers for change; every write of a customer goes through here."""

    def __init__(
        self,
        store: Store,
        defs: Callable[[], Definitions],
        stamp: Stamp,
        planner: Callable[[], Planner],
    ) -> None:
        self._store = store
        self._defs = defs
        self.stamp = stamp
        self._planner = planner
        self._catalogue: tuple[int | None, dict[str, Product]] = (None, {})

    @contextmanager
    def edit(self, code: str) -> Iterator[DossierEdit]:
        """Yield the dossier of ``code`` for change; commit once when the block ends.

        Raises NotFound, or InvalidInput when the changed dossier breaks a rule (nothing is
        written then). An exception inside the block writes nothing.
        """
        with unit_of_work(self._store) as unit:
            data = unit.customer(code)
            if data is None:
                raise NotFound(f"Cliente {code!r} inesistente.")
            edit = DossierEdit(unit, self.context(unit, data["customer"]), data["rev"], self.stamp)
            yield edit
            after = to_data(edit.customer)
            if edit.entries or after != data["customer"]:
                self.write(unit, edit.ctx, data["rev"] + 1, edit.entries, after)

    def reindex(self, codes: list[str], stale: list[str]) -> None:
        """Write the list rows of ``codes`` from their dossiers and drop those of
        ``stale`` (codes without a dossier), in one commit; a dossier is written only to
        record that it finished (those of earlier versions did not say so)."""
        now = self.stamp.clock()
        with unit_of_work(self._store) as unit:
            for code in codes:
                data = unit.customer(code)
                if data is not None:
                    ctx = self.context(unit, data["customer"])
                    finished = settle_finished(ctx, now)
                    if finished:
                        data = {"rev": data["rev"] + 1, "customer": to_data(ctx.customer)}
                    key = self._plan(unit, ctx.customer, data["customer"], force=True)
                    if finished:  # the dossier and its row, once
                        unit.put_customer(code, data, row_of(ctx, key))
                    else:
                        unit.put_list_row(code, row_of(ctx, key))
            for code in stale:
                unit.drop_list_row(code)

    def _plan(
        self, unit: UnitOfWork, customer: Customer, data: dict[str, Any], force: bool = False
    ) -> str:
        """Make the customer's billing plan again when what it is made of has changed (its
        key, kept in the list row, differs); returns the key."""
        planner = self._planner()
        key = planner.plan_key(customer, data)
        old = unit.list_row(customer.code)
        if force or old is None or old["plan_key"] != key:
            plan = planner.plan(customer)
            unit.put_plan(customer.code, plan.text, plan.head, plan.months)
        return key

    @contextmanager
    def unit(self) -> Iterator[UnitOfWork]:
        """A unit of work over office-wide records (prospects, catalogue, imports)."""
        with unit_of_work(self._store) as unit:
            yield unit

    def context(self, unit: UnitOfWork, customer: dict[str, Any] | Customer) -> Context:
        """The customer with the catalogue as the unit of work sees it."""
        version = unit.catalogue_version()
        if version is None or self._catalogue[0] != version:
            products = {d["code"]: from_data(Product, d) for d in unit.products()}
            self._catalogue = (version, products)
        products = dict(self._catalogue[1])
        record = customer if isinstance(customer, Customer) else stored_customer(customer)
        return Context(record, self._defs(), products, self.stamp.clock().date())

    @staticmethod
    def _validate(ctx: Context) -> None:
        problems = validate_customer(ctx.customer, ctx.defs, set(ctx.products))
        if problems:
            raise InvalidInput(labelled(problems, CUSTOMER))

    def _reopen_undone_by_data(self, ctx: Context, now: datetime, entries: list[Entry]) -> bool:
        """Reopen the steps the record's data no longer satisfies, with the reason in their
        notes and in the audit log; whether any was."""
        undone = undone_by_data(ctx)
        for step, reason in undone:
            state = ctx.customer.steps[step.id]
            ctx.customer.steps[step.id] = StepState(
                notes=[*state.notes, Event(now, AUTOMATIC, "note", f"riaperto: {reason}")],
                history=[*state.history, Event(now, AUTOMATIC, "undo", reason)],
            )
            entries.append(self.stamp(AuditAction.STEP_REOPENED, step.id, None, reason))
        return bool(undone)

    def write(
        self,
        unit: UnitOfWork,
        ctx: Context,
        rev: int,
        entries: list[Entry],
        data: dict[str, Any] | None = None,
        *,
        checked: bool = False,
    ) -> None:
        """Validate, reopen the steps the data no longer satisfies, complete those the
        evidence proves, write dossier, index line and audit entries; raises InvalidInput
        (nothing is written: the unit is abandoned).
        ``data`` is the customer as data when the caller has just made it; ``checked`` says
        the caller has just validated this very record (an import), so that only a record
        the evidence changed is validated again."""
        now = self.stamp.clock()
        if not checked:  # as given, with its steps as they stand: then what they become
            self._validate(ctx)
        reopened = self._reopen_undone_by_data(ctx, now, entries)
        due = due_by_evidence(ctx)
        for step in due:
            state = ctx.customer.steps.get(step.id) or StepState()
            ctx.customer.steps[step.id] = StepState(
                done=True,
                done_by=AUTOMATIC,
                done_at=now,
                notes=state.notes,
                history=[*state.history, Event(now, AUTOMATIC, "done")],
                evidence=evidence_of(step),
            )
            entries.append(self.stamp(AuditAction.STEP_DONE, step.id, None, AUTOMATIC))
        if due or reopened:
            self._validate(ctx)
        finished = settle_finished(ctx, now)
        code = ctx.customer.code
        if data is None or due or reopened or finished:
            data = to_data(ctx.customer)
        key = self._plan(unit, ctx.customer, data)
        unit.put_customer(code, {"rev": rev, "customer": data}, row_of(ctx, key))
        unit.remember(remembered(ctx.customer))
        for entry in entries:
            unit.customer_audit(code, entry)
