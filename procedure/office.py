"""The Office facade: every use case the CLI and the TUI offer, over one data folder."""

import dataclasses
import getpass
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from procedure.conditions import Context, required_forms
from procedure.definitions import Definitions, load_definitions
from procedure.effects import EFFECTS
from procedure.model import Customer, Event, FormRecord, Party, Product, Prospect, StepState
from procedure.problems import InvalidInput, Problem
from procedure.progress import Summary, summarize, summary_from_data
from procedure.serial import from_data, to_data
from procedure.settings import Settings, load_settings
from procedure.steps import StepView, due_by_evidence, step_views, why_not_done, why_not_undo
from procedure.validation import (
    normalize_customer,
    validate_customer,
    validate_product,
    validate_prospect,
)
from store import Store
from store.repositories import Reader, Records

Clock = Callable[[], datetime]
AUTOMATIC = "automatico"


class NotFound(Exception):
    """A customer, prospect, step or form that does not exist (message in Italian)."""


class Refused(Exception):
    """The action is not allowed now; the message says why, in Italian."""


def _brief(state: StepState) -> dict[str, Any]:
    """A step state for the audit log, without the history the log itself holds."""
    return {"done": state.done, "done_by": state.done_by, "done_at": to_data(state.done_at)}


def system_clock() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass(frozen=True)
class FormView:
    id: str
    title: str
    required: bool
    sent_at: datetime | None
    returned_at: datetime | None
    file: str
    reminders: int = 0


@dataclass(frozen=True)
class CustomerView:
    customer: Customer
    rev: int
    steps: list[StepView]
    forms: list[FormView]


class Office:
    """Use cases over one data folder; safe to use from many processes at once."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock = system_clock,
        user: str | None = None,
        defs: Definitions | None = None,
    ) -> None:
        self.settings = settings
        self.clock = clock
        self.user = user or getpass.getuser()
        self.defs = defs or load_definitions(terms=self.terms_path)
        self.store = Store(settings.store_dir).open()
        self.reader = Reader(self.store)
        self._products: tuple[int, dict[str, Product]] = (-1, {})

    @property
    def terms_path(self) -> Path:
        """The company's own payment-terms catalogue (when it has edited one)."""
        return self.settings.data_dir / "modelli" / "payment_terms.toml"

    @classmethod
    def open(cls, data_dir: Path, **kwargs: Any) -> "Office":
        """An Office on ``data_dir``, creating the folder, config and store on first use."""
        return cls(load_settings(data_dir), **kwargs)

    # -- reading ---------------------------------------------------------------

    def revision(self) -> int:
        """Changes whenever any process commits a change to this data folder."""
        return self.store.revision()

    def products(self) -> dict[str, Product]:
        """The product catalogue by code."""
        rev = self.revision()
        if self._products[0] != rev:
            items = [from_data(Product, d) for d in self.reader.products()]
            self._products = (rev, {p.code: p for p in items})
        return self._products[1]

    def prospects(self) -> list[Prospect]:
        return sorted((from_data(Prospect, d) for d in self.reader.prospects()), key=lambda p: p.id)

    def list_customers(self) -> list[Summary]:
        """Every customer's list line, by code (step titles as the procedure file has them now)."""
        titles = {s.id: s.title for s in self.defs.steps}
        rows = []
        for data in self.reader.summaries():
            s = summary_from_data(data)
            if s.next_step in titles:
                s = dataclasses.replace(s, next_title=titles[s.next_step])
            rows.append(s)
        return sorted(rows, key=lambda s: s.code)

    def customer(self, code: str) -> Customer:
        """The dossier of ``code``; raises NotFound."""
        return self.view(code).customer

    def view(self, code: str) -> CustomerView:
        """The dossier of ``code`` with its steps and forms ledger; raises NotFound."""
        data = self.reader.customer(code)
        if data is None:
            raise NotFound(f"Cliente {code!r} inesistente.")
        customer = from_data(Customer, data["customer"])
        ctx = Context(customer, self.defs, self.products())
        return CustomerView(customer, data["rev"], step_views(ctx), self._forms(ctx))

    def _forms(self, ctx: Context) -> list[FormView]:
        required = {f.id for f in required_forms(ctx)}
        views = []
        for f in self.defs.forms:
            rec = ctx.customer.forms.get(f.id) or FormRecord()
            if f.id in required or rec.sent_at or rec.returned_at:
                views.append(
                    FormView(
                        f.id, f.title, f.id in required, rec.sent_at, rec.returned_at, rec.file
                    )
                )
        return views

    def all_customers(self) -> Iterator[Customer]:
        """Every dossier, by code (reads each file: for reports, not for screens)."""
        for code in self.reader.customer_codes():
            data = self.reader.customer(code)
            if data is not None:
                yield from_data(Customer, data["customer"])

    def context(self, customer: Customer) -> Context:
        return Context(customer, self.defs, self.products())

    def audit(self, code: str) -> list[dict[str, Any]]:
        """The audit entries of ``code``, oldest first."""
        return self.reader.customer_audit(code)

    # -- changing a customer ---------------------------------------------------

    def entry(self, action: str, target: str, before: object, after: object) -> dict[str, Any]:
        at = self.clock().isoformat()
        return {"at": at, "user": self.user, "action": action, "target": target,
                "before": before, "after": after}  # fmt: skip

    def write_customer(self, rec: Records, ctx: Context, rev: int) -> None:
        now = self.clock()
        for step in due_by_evidence(ctx):
            ctx.customer.steps[step.id] = StepState(
                done=True,
                done_by=AUTOMATIC,
                done_at=now,
                history=[*self._state(ctx, step.id).history, Event(now, AUTOMATIC, "done")],
            )
            rec.customer_audit(ctx.customer.code, self.entry("step.done", step.id, None, AUTOMATIC))
        problems = validate_customer(ctx.customer, self.defs, set(ctx.products))
        if problems:
            raise InvalidInput(problems)
        summary = dataclasses.asdict(summarize(ctx))
        rec.put_customer(
            ctx.customer.code, {"rev": rev, "customer": to_data(ctx.customer)}, summary
        )

    def change(self, code: str, change: Callable[[Context, Records], bool | None]) -> None:
        """Apply ``change`` to the dossier under the lock; it returns False to write nothing."""
        with self.store.transaction() as tx:
            rec = Records(tx)
            data = rec.customer(code)
            if data is None:
                raise NotFound(f"Cliente {code!r} inesistente.")
            products = {d["code"]: from_data(Product, d) for d in rec.products()}
            ctx = Context(from_data(Customer, data["customer"]), self.defs, products)
            if change(ctx, rec) is not False:
                self.write_customer(rec, ctx, data["rev"] + 1)

    @staticmethod
    def _state(ctx: Context, step_id: str) -> StepState:
        return ctx.customer.steps.get(step_id) or StepState()

    def _step_def(self, step_id: str) -> Any:
        try:
            return self.defs.step(step_id)
        except KeyError:
            raise NotFound(f"Passo {step_id!r} inesistente.") from None

    def apply_step(
        self, ctx: Context, rec: Records, step_id: str, done: bool, note: str = ""
    ) -> None:
        """Inside a change: complete or reopen a step, or raise Refused saying why not."""
        step = self._step_def(step_id)
        reason = why_not_done(ctx, step) if done else why_not_undo(ctx, step)
        if reason:
            raise Refused(reason)
        before = self._state(ctx, step_id)
        now = self.clock()
        event = Event(now, self.user, "done" if done else "undo", note)
        after = StepState(
            done=done,
            done_by=self.user if done else "",
            done_at=now if done else None,
            notes=[*before.notes, event] if note else before.notes,
            history=[*before.history, event],
        )
        ctx.customer.steps[step_id] = after
        if done:
            for effect in step.effects:
                EFFECTS[effect](ctx)
        action = "step.done" if done else "step.undo"
        rec.customer_audit(
            ctx.customer.code, self.entry(action, step_id, _brief(before), _brief(after))
        )

    def set_step(self, code: str, step_id: str, done: bool, note: str = "") -> None:
        """Complete (``done``) or reopen a step; raises Refused with the reason, or NotFound."""
        self._step_def(step_id)
        self.change(code, lambda ctx, rec: self.apply_step(ctx, rec, step_id, done, note))

    def add_note(self, code: str, step_id: str, text: str) -> None:
        """Attach a note to a step; raises NotFound, or InvalidInput when ``text`` is empty."""
        self._step_def(step_id)
        if not text.strip():
            raise InvalidInput([Problem("note", "la nota è vuota")])

        def change(ctx: Context, rec: Records) -> None:
            state = self._state(ctx, step_id)
            event = Event(self.clock(), self.user, "note", text.strip())
            ctx.customer.steps[step_id] = dataclasses.replace(state, notes=[*state.notes, event])
            rec.customer_audit(code, self.entry("step.note", step_id, None, to_data(event)))

        self.change(code, change)

    def _form_def(self, form_id: str) -> Any:
        for f in self.defs.forms:
            if f.id == form_id:
                return f
        raise NotFound(f"Modulo {form_id!r} inesistente.")

    def form_sent(self, code: str, form_id: str) -> None:
        """Record that ``form_id`` went out to the customer today."""
        self._form_def(form_id)

        def change(ctx: Context, rec: Records) -> None:
            form = ctx.customer.forms.get(form_id) or FormRecord()
            ctx.customer.forms[form_id] = dataclasses.replace(form, sent_at=self.clock())
            rec.customer_audit(code, self.entry("form.sent", form_id, None, None))

        self.change(code, change)

    def form_returned(self, code: str, form_id: str, file: str, by: str = "") -> bool:
        """Record ``form_id`` as returned in ``file``; False when it already was (idempotent)."""
        self._form_def(form_id)
        changed = False

        def change(ctx: Context, rec: Records) -> bool:
            nonlocal changed
            form = ctx.customer.forms.get(form_id) or FormRecord()
            if form.returned_at is not None and form.file == file:
                return False
            after = dataclasses.replace(
                form, returned_at=self.clock(), returned_by=by or self.user, file=file
            )
            ctx.customer.forms[form_id] = after
            rec.customer_audit(code, self.entry("form.returned", form_id, None, to_data(after)))
            changed = True
            return True

        self.change(code, change)
        return changed

    def save_customer(
        self, customer: Customer, expected_rev: int | None = None, base: Customer | None = None
    ) -> int:
        """Write edits to an existing dossier; refuse when someone saved a newer one.

        ``base`` is the dossier as the editor loaded it: when given, a refusal names the
        fields the colleague changed. Returns the new revision; raises InvalidInput,
        NotFound or Refused.
        """
        normalize_customer(customer)
        new_rev = 0

        def change(ctx: Context, rec: Records) -> None:
            nonlocal new_rev
            current = rec.customer(customer.code)
            assert current is not None
            if expected_rev is not None and current["rev"] != expected_rev:
                theirs = to_data(ctx.customer)
                mine = to_data(base) if base is not None else {}
                changed = sorted(k for k in theirs if base is not None and theirs[k] != mine.get(k))
                what = f" (cambiati: {', '.join(changed)})" if changed else ""
                raise Refused(
                    f"Il cliente è stato modificato da un collega nel frattempo{what}: "
                    "le tue modifiche non sono state salvate; riaprire e ripeterle."
                )
            before = to_data(ctx.customer)
            after = to_data(customer)
            diff = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            ctx.customer.__dict__.update(customer.__dict__)
            rec.customer_audit(
                customer.code,
                self.entry("customer.update", customer.code,
                            {k: b for k, (b, _) in diff.items()},
                            {k: a for k, (_, a) in diff.items()}),
            )  # fmt: skip
            new_rev = current["rev"] + 1

        self.change(customer.code, change)
        return new_rev

    def save_product(self, product: Product) -> None:
        """Add or change a catalogue product; raises InvalidInput.

        A code that orders or contracts use cannot be renamed here: a change of code is a
        new product, and the old one stays (running customers keep their data valid).
        """
        problems = validate_product(product)
        if problems:
            raise InvalidInput(problems)
        with self.store.transaction() as tx:
            rec = Records(tx)
            before = next((p for p in rec.products() if p["code"] == product.code), None)
            rec.put_product(to_data(product))
            rec.office_audit(self.entry("product.save", product.code, before, to_data(product)))

    # -- prospects -------------------------------------------------------------

    def add_prospect(self, prospect: Prospect) -> str:
        """Store a new prospect and return its id; raises InvalidInput."""
        with self.store.transaction() as tx:
            rec = Records(tx)
            if not prospect.id:
                prospect.id = f"P{rec.next_number('prospect'):04d}"
            problems = validate_prospect(prospect)
            if problems:
                raise InvalidInput(problems)
            prospect.history.append(Event(self.clock(), self.user, "creato"))
            rec.put_prospect(to_data(prospect))
            rec.office_audit(self.entry("prospect.add", prospect.id, None, to_data(prospect)))
        return prospect.id

    def convert(self, prospect_id: str) -> str:
        """Turn a prospect into a customer, keeping its data and history; return the code."""
        with self.store.transaction() as tx:
            rec = Records(tx)
            data = rec.prospect(prospect_id)
            if data is None:
                raise NotFound(f"Prospect {prospect_id!r} inesistente.")
            prospect = from_data(Prospect, data)
            if prospect.converted_to:
                raise Refused(
                    f"Il prospect {prospect_id} è già stato convertito nel cliente "
                    f"{prospect.converted_to}."
                )
            code = f"C{rec.next_number('customer'):05d}"
            now = self.clock()
            event = Event(now, self.user, "convertito in cliente", code)
            shared = {f.name: getattr(prospect, f.name) for f in dataclasses.fields(Party)}
            customer = Customer(**shared, code=code, prospect_id=prospect.id)
            customer.history = [*prospect.history, event]
            products = {d["code"]: from_data(Product, d) for d in rec.products()}
            self.write_customer(rec, Context(customer, self.defs, products), 1)
            prospect.converted_to = code
            prospect.history.append(event)
            rec.put_prospect(to_data(prospect))
            rec.customer_audit(code, self.entry("customer.convert", prospect_id, data, code))
        return code
