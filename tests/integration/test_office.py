"""Office use cases over a real data folder: steps, audit, forms, prospects, conflicts."""

import pytest

from procedure.errors import NotFound, Refused
from procedure.model import Address, Contact, Prospect
from procedure.office import Office
from procedure.problems import InvalidInput
from tests.conftest import Clock


def step(office: Office, code: str, step_id: str) -> str:
    return next(s.status for s in office.view(code).steps if s.id == step_id)


def test_demo_loads_three_customers_and_two_prospects(demo: Office) -> None:
    names = [s.name for s in demo.list_customers()]
    assert names == [
        "Alfa Test Meccanica S.r.l.",
        "Studio Esempio di Giulia Esempio",
        "Gamma Prova Logistica S.p.A.",
    ]
    assert [p.id for p in demo.prospects()] == ["P0001", "P0002"]
    assert len(demo.products()) == 7
    assert all(demo.customer(s.code).sample for s in demo.list_customers())


def test_completing_a_step_records_who_when_and_audit(demo: Office, clock: Clock) -> None:
    clock.advance(hours=1)
    demo.checklist.set_step("C00001", "travel_costs", True, note="km verificati")
    view = demo.view("C00001")
    travel = next(s for s in view.steps if s.id == "travel_costs")
    assert (travel.status, travel.done_by, travel.done_at) == ("done", "mario", clock.now)
    assert travel.notes[-1].note == "km verificati"
    entry = demo.audit("C00001")[-1]
    assert entry["action"] == "step.done"
    assert entry["user"] == "mario"
    assert entry["target"] == "travel_costs"
    assert entry["before"]["done"] is False
    assert entry["after"]["done"] is True
    summary = next(s for s in demo.list_customers() if s.code == "C00001")
    assert summary.progress == "4/15"


def test_blocked_step_is_refused_and_nothing_written(demo: Office) -> None:
    revision = demo.revision()
    audit = len(demo.audit("C00003"))
    with pytest.raises(Refused, match="Prima completare"):
        demo.checklist.set_step("C00003", "order_entered", True)
    assert demo.revision() == revision
    assert len(demo.audit("C00003")) == audit
    assert step(demo, "C00003", "order_entered") == "blocked"


def test_undo_reopens(demo: Office) -> None:
    demo.checklist.set_step("C00001", "order_to_administration", True, "a voce", "a 30 gg")
    demo.checklist.set_step("C00001", "order_to_administration", False)
    assert step(demo, "C00001", "order_to_administration") == "todo"
    with pytest.raises(Refused, match="dipendono"):
        demo.checklist.set_step("C00001", "customer_created", False)


def test_unknown_names_raise_not_found(demo: Office) -> None:
    with pytest.raises(NotFound, match="C99999"):
        demo.checklist.set_step("C99999", "forms_sent", True)
    with pytest.raises(NotFound, match="Passo"):
        demo.checklist.set_step("C00001", "teleport", True)
    with pytest.raises(NotFound):
        demo.checklist.form_returned("C00001", "passport", "x.pdf")


def test_notes_are_kept_and_empty_notes_refused(demo: Office) -> None:
    demo.checklist.add_note("C00002", "customer_created", "manca la visura")
    notes = next(s for s in demo.view("C00002").steps if s.id == "customer_created").notes
    assert [(n.by, n.note) for n in notes] == [("mario", "manca la visura")]
    with pytest.raises(InvalidInput):
        demo.checklist.add_note("C00002", "customer_created", "   ")


def test_forms_returned_complete_archiving_by_themselves(demo: Office) -> None:
    assert step(demo, "C00003", "forms_archived") == "blocked"
    demo.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    for form in ("master_data", "privacy", "dpa"):
        assert demo.checklist.form_returned("C00003", form, f"/archivio/{form}.pdf")
        assert step(demo, "C00003", "forms_archived") == "blocked"
    assert demo.checklist.form_returned("C00003", "signed_contract", "/archivio/contratto.pdf")
    archived = next(s for s in demo.view("C00003").steps if s.id == "forms_archived")
    assert (archived.status, archived.done_by) == ("done", "automatico")


def test_form_returned_is_idempotent(demo: Office) -> None:
    assert demo.checklist.form_returned("C00003", "privacy", "/archivio/p.pdf") is True
    revision = demo.revision()
    assert demo.checklist.form_returned("C00003", "privacy", "/archivio/p.pdf") is False
    assert demo.revision() == revision
    returned = [e for e in demo.audit("C00003") if e["action"] == "form.returned"]
    assert len(returned) == 1


def test_convert_keeps_prospect_data_and_history(office: Office, clock: Clock) -> None:
    pid = office.customers.add_prospect(
        Prospect(
            name="Beta Esempio Software S.r.l.",
            vat_number="22334450289",
            address=Address("Via Prova 7", "35010", "Vigonza", "PD"),
            contacts=[Contact(name="Marco", role="legal_rep", email="m@beta.example")],
            notes="visto in fiera",
        )
    )
    clock.advance(days=3)
    code = office.customers.convert(pid)
    customer = office.customer(code)
    assert (customer.prospect_id, customer.vat_number, customer.notes) == (
        pid,
        "22334450289",
        "visto in fiera",
    )
    assert customer.contacts[0].email == "m@beta.example"
    assert [e.action for e in customer.history] == ["creato", "convertito in cliente"]
    prospect = office.prospects()[0]
    assert prospect.converted_to == code
    with pytest.raises(Refused, match=code):
        office.customers.convert(pid)


def test_invalid_prospect_is_not_written(office: Office) -> None:
    with pytest.raises(InvalidInput) as err:
        office.customers.add_prospect(Prospect(name="", vat_number="123"))
    assert {p.path for p in err.value.problems} == {"name", "vat_number"}
    assert office.prospects() == []


def test_save_refuses_to_overwrite_a_newer_change(demo: Office) -> None:
    mine = demo.view("C00002")
    theirs = demo.view("C00002")
    theirs.customer.invoice_email = "fatture@studio.example"
    demo.customers.save(theirs.customer, theirs.rev)
    mine.customer.invoice_email = "altro@studio.example"
    with pytest.raises(Refused, match="collega"):
        demo.customers.save(mine.customer, mine.rev)
    assert demo.customer("C00002").invoice_email == "fatture@studio.example"


def test_save_validates_and_audits_the_diff(demo: Office) -> None:
    view = demo.view("C00003")
    view.customer.iban = "IT67A0832703200000000900001"
    with pytest.raises(InvalidInput) as err:
        demo.customers.save(view.customer, view.rev)
    assert [p.path for p in err.value.problems] == ["iban"]
    view.customer.iban = "it50 u083 2703 2000 0000 0900 001"
    demo.customers.save(view.customer, view.rev)
    assert demo.customer("C00003").iban == "IT50U0832703200000000900001"
    entry = demo.audit("C00003")[-1]
    assert entry["before"] == {"iban": ""}
    assert entry["after"] == {"iban": "IT50U0832703200000000900001"}
