"""The procedure's rules: order, needs, evidence, and the reasons users read."""

from datetime import datetime
from pathlib import Path

import pytest

from procedure.config.locations import TEMPLATES_DIR
from procedure.model import Address, Contact, Contract, Customer, FormRecord, StepState
from procedure.rules.conditions import Context, required_forms
from procedure.rules.definitions import DefinitionError
from procedure.rules.procedure_file import load_definitions
from procedure.rules.steps import due_by_evidence, next_step, step_views, why_not_done, why_not_undo

DEFS = load_definitions()
NOW = datetime(2025, 3, 20, 9, 30)


def ctx(customer: Customer) -> Context:
    return Context(customer, DEFS, {})


def done(*ids: str) -> dict[str, StepState]:
    return {i: StepState(done=True, done_by="mario", done_at=NOW) for i in ids}


def test_fifteen_steps_in_procedure_order() -> None:
    assert [s.id for s in DEFS.steps] == [
        "forms_sent", "customer_created", "order_entered", "travel_costs",
        "contract_schedule", "osticket_profile", "crm_software_contracts", "contract_sent",
        "osticket_instructions_sent", "crm_software_division", "forms_archived",
        "master_data_completed", "contracts_to_management", "order_to_administration",
        "licences_sent",
    ]  # fmt: skip


def test_new_customer_without_email_is_blocked_with_a_reason() -> None:
    views = step_views(ctx(Customer(code="C1", name="Nuovo")))
    first = views[0]
    assert first.status == "blocked"
    assert "e-mail" in first.reason
    assert views[1].reason == "Prima completare: «Invio moduli da compilare»."
    assert next_step(views) == first


def test_step_needs_are_explained() -> None:
    c = Customer(code="C1", name="Nuovo", pec="x@pec.example", steps=done("forms_sent"))
    reason = why_not_done(ctx(c), DEFS.step("customer_created"))
    assert reason is not None
    assert reason.startswith("Anagrafica incompleta, mancano: Partita IVA")
    assert "CAP" in reason


def test_done_step_cannot_be_done_again() -> None:
    c = Customer(code="C1", name="X", pec="x@pec.example", steps=done("forms_sent"))
    assert "già completato" in (why_not_done(ctx(c), DEFS.step("forms_sent")) or "")


def test_undo_refused_while_a_dependant_is_done() -> None:
    c = Customer(code="C1", name="X", steps=done("forms_sent", "customer_created"))
    reason = why_not_undo(ctx(c), DEFS.step("forms_sent"))
    assert (
        reason == "Riaprire prima i passi che dipendono da questo: «Creazione anagrafica cliente»."
    )
    assert why_not_undo(ctx(c), DEFS.step("customer_created")) is None
    assert "non è completato" in (why_not_undo(ctx(c), DEFS.step("order_entered")) or "")


def test_forms_required_depend_on_terms_and_contracts() -> None:
    plain = Customer(code="C1", name="X", payment_terms="BB30FM")
    assert [f.id for f in required_forms(ctx(plain))] == [
        "master_data",
        "privacy",
    ]  # no DPA: no support
    sdd = Customer(
        code="C2",
        name="X",
        payment_terms="SDD-CORE",
        contracts=[Contract(number="K1", type="software")],
    )
    ids = [f.id for f in required_forms(ctx(sdd))]
    assert ids == ["master_data", "privacy", "dpa", "sepa_mandate", "signed_contract"]


def test_forms_archived_completes_by_evidence_only() -> None:
    c = Customer(code="C1", name="X", pec="x@pec.example", steps=done("forms_sent"))
    step = DEFS.step("forms_archived")
    assert "Moduli non ancora rientrati" in (why_not_done(ctx(c), step) or "")
    assert due_by_evidence(ctx(c)) == []
    for form in ("master_data", "privacy", "dpa"):
        c.forms[form] = FormRecord(returned_at=NOW, file=f"/archivio/{form}.pdf")
    assert due_by_evidence(ctx(c)) == [step]


def test_returned_without_file_does_not_count() -> None:
    c = Customer(code="C1", name="X", steps=done("forms_sent"))
    for form in ("master_data", "privacy", "dpa"):
        c.forms[form] = FormRecord(returned_at=NOW)
    assert due_by_evidence(ctx(c)) == []


def test_osticket_needs_a_user_with_email() -> None:
    c = Customer(
        code="C1",
        name="X",
        address=Address(),
        contacts=[Contact(name="A", email="a@x.example")],
        steps=done("forms_sent", "customer_created", "order_entered", "contract_schedule"),
    )
    assert "osTicket" in (why_not_done(ctx(c), DEFS.step("osticket_profile")) or "")
    c.contacts[0].osticket = True
    assert why_not_done(ctx(c), DEFS.step("osticket_profile")) is None


def _copy_templates(tmp_path: Path) -> Path:
    for f in TEMPLATES_DIR.glob("*.toml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_unknown_condition_in_procedure_file_is_reported(tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    path = folder / "procedure.toml"
    path.write_text(path.read_text().replace('"has_order"', '"has_unicorn"'))
    with pytest.raises(DefinitionError, match="has_unicorn"):
        load_definitions(folder)


def test_dependency_on_a_later_step_is_reported(tmp_path: Path) -> None:
    folder = _copy_templates(tmp_path)
    path = folder / "procedure.toml"
    text = path.read_text().replace(
        'after = []\nneeds = ["has_email"]', 'after = ["licences_sent"]'
    )
    path.write_text(text)
    with pytest.raises(DefinitionError, match="licences_sent"):
        load_definitions(folder)


def test_sdd_terms_need_iban_and_a_matching_mandate() -> None:
    from datetime import date

    from procedure.model import SepaMandate
    from procedure.rules.conditions import payment_terms_set

    c = Customer(code="C1", name="X", payment_terms="SDD-B2B", steps=done("forms_sent"))
    reason = payment_terms_set(ctx(c)) or ""
    assert "IBAN" in reason and "UMR" in reason and "data di firma" in reason
    c.iban = "IT78O0200802457000000100025"
    c.sepa_mandate = SepaMandate("DTI-1", date(2025, 6, 25), "CORE")
    assert "mandato B2B" in (payment_terms_set(ctx(c)) or "")
    c.sepa_mandate.scheme = "B2B"
    assert payment_terms_set(ctx(c)) is None


def test_riba_terms_need_the_customer_bank() -> None:
    from procedure.model import Invoicing
    from procedure.rules.conditions import payment_terms_set

    c = Customer(code="C1", name="X", payment_terms="RB60FM")
    assert "ABI e CAB o IBAN" in (payment_terms_set(ctx(c)) or "")
    c.invoicing = Invoicing(abi="08327", cab="03200")
    assert payment_terms_set(ctx(c)) is None
