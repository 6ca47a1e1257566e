"""Customers and prospects: new prospects, conversion into customers, master-record edits."""

import dataclasses

from procedure.dossiers import DossierEdit, stored_customer
from procedure.editing.field_labels import CUSTOMER, PROSPECT, describe, labelled
from procedure.enums import AuditAction
from procedure.errors import Conflict, NotFound, Refused
from procedure.folder import DataFolder
from procedure.model import Customer, Event, Party, Prospect
from procedure.problems import InvalidInput
from procedure.rules.merge import merge3
from procedure.rules.validation import (
    default_tax_code,
    normalize_customer,
    validate_customer,
    validate_prospect,
)
from procedure.serial import from_data, to_data


class EditSession:
    """One person's edit of a customer: saved over what the editor loaded; a colleague's
    newer save is merged, and the fields both changed, once named (Conflict), are saved
    again with this person's values."""

    def __init__(self, customers: "Customers", rev: int, base: Customer) -> None:
        self.customers = customers
        self.rev = rev
        self.base = base
        self.seen: frozenset[str] = frozenset()  # conflicts shown: saving again keeps mine

    def __call__(self, customer: Customer) -> int:
        try:
            return self.customers.save(customer, self.rev, self.base, self.seen)
        except Conflict as exc:
            self.seen |= exc.paths
            raise


class Customers:
    """The records of customers and prospects."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def save(
        self,
        customer: Customer,
        expected_rev: int | None = None,
        base: Customer | None = None,
        keep_mine: frozenset[str] = frozenset(),
    ) -> int:
        """Write edits to an existing dossier, over a colleague's newer save if need be.

        ``base`` is the dossier as the editor loaded it: when someone saved since, what the
        colleague changed and this editor did not is kept, and only the fields both changed
        differently refuse the save (Conflict, naming them); saving again with those paths
        in ``keep_mine`` keeps this editor's values there. Without ``base`` any newer save
        refuses. Saving what is already stored writes nothing. Returns the revision now
        stored; raises InvalidInput, NotFound, Refused or Conflict.
        """
        normalize_customer(customer)
        with self.folder.dossiers.edit(customer.code) as d:
            if expected_rev is not None and d.rev != expected_rev:
                customer = self._rebased(d, customer, base, keep_mine)
            before = to_data(d.customer)
            after = to_data(customer)
            diff = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
            if not diff:
                return d.rev
            d.customer.__dict__.update(customer.__dict__)
            d.audit(
                AuditAction.CUSTOMER_UPDATE,
                customer.code,
                {k: b for k, (b, _) in diff.items()},
                {k: a for k, (_, a) in diff.items()},
            )
            rev = d.rev + 1
        return rev

    def session(self, rev: int, base: Customer) -> EditSession:
        """The save of one editor opened on revision ``rev`` of ``base``."""
        return EditSession(self, rev, base)

    def _rebased(
        self, d: DossierEdit, customer: Customer, base: Customer | None, keep: frozenset[str]
    ) -> Customer:
        """``customer``'s changes since ``base`` carried onto the colleague's newer version."""
        if base is None:
            raise Refused(
                "Il cliente è stato modificato da un collega nel frattempo: le tue modifiche "
                "non sono state salvate; riaprire e ripeterle."
            )
        merged, both = merge3(to_data(base), to_data(customer), to_data(d.customer), keep)
        if both:
            raise Conflict(both, sorted({describe(p, CUSTOMER) or p for p in both}))
        rebased = stored_customer(merged)
        normalize_customer(rebased)
        problems = validate_customer(rebased, self.folder.defs, set(self.folder.products()))
        if problems:
            raise InvalidInput(labelled(problems, CUSTOMER))
        return rebased

    def add_prospect(self, prospect: Prospect) -> str:
        """Store a new prospect and return its id; raises InvalidInput."""
        stamp = self.folder.dossiers.stamp
        with self.folder.dossiers.unit() as unit:
            if not prospect.id:
                prospect.id = f"P{unit.next_number('prospect'):04d}"
            default_tax_code(prospect)
            problems = validate_prospect(prospect)
            if problems:
                raise InvalidInput(labelled(problems, PROSPECT))
            prospect.history.append(Event(self.folder.clock(), self.folder.user, "creato"))
            unit.put_prospect(to_data(prospect))
            unit.office_audit(stamp(AuditAction.PROSPECT_ADD, prospect.id, None, to_data(prospect)))
        return prospect.id

    def convert(self, prospect_id: str) -> str:
        """Turn a prospect into a customer, keeping its data and history; return the code."""
        dossiers = self.folder.dossiers
        with dossiers.unit() as unit:
            data = unit.prospect(prospect_id)
            if data is None:
                raise NotFound(f"Prospect {prospect_id!r} inesistente.")
            prospect = from_data(Prospect, data)
            if prospect.converted_to:
                raise Refused(
                    f"Il prospect {prospect_id} è già stato convertito nel cliente "
                    f"{prospect.converted_to}."
                )
            code = f"C{unit.next_number('customer'):05d}"
            event = Event(self.folder.clock(), self.folder.user, "convertito in cliente", code)
            shared = {f.name: getattr(prospect, f.name) for f in dataclasses.fields(Party)}
            customer = Customer(**shared, code=code, prospect_id=prospect.id)
            default_tax_code(customer)  # a company (the kind of a new customer)
            customer.history = [*prospect.history, event]
            entry = dossiers.stamp(AuditAction.CUSTOMER_CONVERT, prospect_id, data, code)
            dossiers.write(unit, dossiers.context(unit, customer), 1, [entry])
            prospect.converted_to = code
            prospect.history.append(event)
            unit.put_prospect(to_data(prospect))
        return code
