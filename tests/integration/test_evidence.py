"""A step stands for an act: it completes from the act's record, and by hand only with a
reason; ``show --json`` tells which."""

import json
from pathlib import Path

import pytest

from main import main
from procedure.errors import Refused
from procedure.model import StepState
from procedure.office import Office
from procedure.rules.definitions import StepDef
from procedure.rules.procedure_file import load_definitions
from procedure.rules.steps import ACTS
from tests.integration.test_mail import Server, office_with_smtp, smtp  # noqa: F401

ACT_STEPS = (
    "forms_sent",
    "osticket_profile",
    "contract_sent",
    "osticket_instructions_sent",
    "contracts_to_management",
    "order_to_administration",
    "licences_sent",
)


def evidence(office: Office, code: str, step: str) -> str:
    return next(s.evidence for s in office.view(code).steps if s.id == step)


def only_act_missing(office: Office, code: str, target: StepDef) -> None:
    """Every other step done and the signed contract back: only the act itself is missing."""
    with office.dossiers.edit(code) as d:
        for s in office.defs.steps:
            if s.id != target.id:
                d.customer.steps[s.id] = StepState(done=True, done_by="mario", evidence="manual")
        d.customer.steps.pop(target.id, None)
    office.checklist.form_returned(code, "signed_contract", "Contratto firmato.pdf")


def test_every_act_step_is_declared() -> None:
    defs = load_definitions()
    assert {s.id for s in defs.steps if s.act} == set(ACT_STEPS)
    assert all(s.act in ACTS for s in defs.steps if s.act)


@pytest.mark.parametrize("step_id", ACT_STEPS)
def test_an_act_step_ticked_without_its_act_needs_a_reason(demo: Office, step_id: str) -> None:
    step = demo.defs.step(step_id)
    only_act_missing(demo, "C00001", step)
    revision = demo.revision()
    with pytest.raises(Refused, match=r"non risulta registrato.*nota con il motivo"):
        demo.checklist.set_step("C00001", step_id, True)
    assert demo.revision() == revision  # nothing written
    demo.checklist.set_step("C00001", step_id, True, "fatto al telefono", "a 30 giorni")
    assert evidence(demo, "C00001", step_id) == "manual"
    state = demo.customer("C00001").steps[step_id]
    assert state.notes[-1].note.startswith("fatto al telefono")


def test_orders_to_administration_by_hand_still_need_the_billing_timing(demo: Office) -> None:
    only_act_missing(demo, "C00001", demo.defs.step("order_to_administration"))
    with pytest.raises(Refused, match="tempi di fatturazione"):
        demo.checklist.set_step("C00001", "order_to_administration", True, "a voce")
    demo.checklist.set_step("C00001", "order_to_administration", True, "a voce", "a fine mese")
    note = demo.customer("C00001").steps["order_to_administration"].notes[-1].note
    assert note == "a voce; tempi di fatturazione concordati: a fine mese"


def test_cli_refuses_a_bare_tick_and_shows_the_evidence(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(demo.settings.data_dir)
    assert main(["--data", data, "step", "C00003", "forms_sent", "done"]) == 1
    err = capsys.readouterr().err
    assert "l'invio dei moduli da compilare" in err
    assert "--note" in err
    assert main(["--data", data, "step", "C00003", "forms_sent", "done", "--note", "a mano"]) == 0
    capsys.readouterr()
    assert main(["--data", data, "show", "C00003", "--json"]) == 0
    steps = {s["id"]: s for s in json.loads(capsys.readouterr().out)["steps"]}
    assert steps["forms_sent"]["evidence"] == "manual"
    assert steps["customer_created"]["evidence"] == ""  # open


def test_contracts_to_management_waits_for_the_signed_contract(demo: Office) -> None:
    with demo.dossiers.edit("C00001") as d:
        for s in demo.defs.steps:
            if s.id in demo.defs.step("contracts_to_management").after or s.id == "order_entered":
                d.customer.steps[s.id] = StepState(done=True, done_by="mario")
    with pytest.raises(Refused, match="contratto di assistenza firmato"):
        demo.handovers.hand_over("C00001", "contracts", "Direzione")
    demo.checklist.form_returned("C00001", "signed_contract", "Contratto firmato.pdf")
    demo.handovers.hand_over("C00001", "contracts", "Direzione")
    assert evidence(demo, "C00001", "contracts_to_management") == "handover:1"
    demo.handovers.hand_over("C00001", "orders", "Marta", "alla consegna")
    assert evidence(demo, "C00001", "order_to_administration") == "handover:2"


def test_data_steps_and_automatic_steps_name_their_proof(demo: Office) -> None:
    demo.checklist.set_step("C00001", "travel_costs", True)
    assert evidence(demo, "C00001", "travel_costs") == "data"
    for form in ("master_data", "privacy", "dpa", "signed_contract", "sepa_mandate"):
        demo.checklist.form_returned("C00001", form, f"{form}.pdf")
    assert evidence(demo, "C00001", "forms_archived") == "forms"
    demo.checklist.set_step("C00001", "travel_costs", False)
    assert evidence(demo, "C00001", "travel_costs") == ""


def test_delivered_mailing_is_the_evidence(tmp_path: Path, smtp: Server) -> None:  # noqa: F811
    office = office_with_smtp(tmp_path, smtp.port)
    result = office.mail.send_bundle("C00003", "forms")
    assert result.mailing.status == "sent"
    assert evidence(office, "C00003", "forms_sent") == f"mailing:{result.mailing.id}"


def test_osticket_export_is_the_evidence_of_the_profile(demo: Office, tmp_path: Path) -> None:
    with demo.dossiers.edit("C00001") as d:
        for s in demo.defs.step("osticket_profile").after:
            d.customer.steps[s] = StepState(done=True, done_by="mario")
    demo.osticket.write_files(tmp_path / "osticket")
    assert evidence(demo, "C00001", "osticket_profile") == "osticket:export"
    assert evidence(demo, "C00002", "osticket_profile") == ""  # its earlier steps are open
