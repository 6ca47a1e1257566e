"""The issue's acceptance: a company adds, in its own procedure.toml, "Questionario di
soddisfazione" 30 days after the licences went out, with a mail text of its own; no code
changes. It is step 16 for customers in progress, due on the 30th day (fake clock),
completed by its mailing (a tick by hand needs a reason), shown in list, show, deadlines;
removing it from the copy makes it disappear the same way."""

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from main import main
from procedure.errors import Refused
from procedure.office import Office
from procedure.rules.steps import BLOCKED, DONE, TODO
from tests.conftest import Clock
from tests.integration.test_company_procedure import company_copy, shipped
from tests.integration.test_mail import Server, office_with_smtp, parse

SURVEY_STEP = """
[[steps]]
id = "survey_sent"
title = "Questionario di soddisfazione"
description = "Trenta giorni dopo le licenze, chiedere al cliente com'è andata."
after = ["licences_sent"]
needs = ["days_after(licences_sent, 30)"]
act = "mailing_survey"
mailing = "survey"
"""
SURVEY_TEXT = """Oggetto: {{ company.name }} - com'è andata?

Gentile cliente {{ customer.name }},
ci dica in due righe com'è andata l'installazione.
"""


def cli(office: Office, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    capsys.readouterr()
    assert main(["--data", str(office.settings.data_dir), *args]) == 0
    return capsys.readouterr().out


def survey(office: Office, code: str = "C00001") -> tuple[str, str]:
    view = office.view(code)
    (step,) = [s for s in view.steps if s.id == "survey_sent"]
    assert view.steps[-1] is step and len(view.steps) == 16
    return step.status, step.reason


def with_survey(tmp_path: Path, smtp: Server) -> tuple[Office, Clock]:
    office = office_with_smtp(tmp_path, smtp.port)
    (office.settings.data_dir / "modelli").mkdir(exist_ok=True)
    (office.settings.data_dir / "modelli" / "survey.txt").write_text(SURVEY_TEXT, "utf-8")
    company_copy(office, shipped() + SURVEY_STEP)
    assert office.procedure_problem == ""
    assert isinstance(office.clock, Clock)
    return office, office.clock


def test_the_survey_is_due_thirty_days_after_the_licences_and_done_by_its_mailing(
    tmp_path: Path, smtp: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    office, clock = with_survey(tmp_path, smtp)
    status, reason = survey(office)
    assert (status, reason) == (BLOCKED, "Prima completare: «Invio licenze software».")
    assert "1/16" in cli(office, capsys, "list")
    office.mail.send_bundle("C00001", "licences")
    due = clock.now.date() + timedelta(days=30)
    status, reason = survey(office)
    assert (status, reason) == (BLOCKED, f"Da fare dal {due:%d/%m/%Y}.")
    with pytest.raises(Refused, match="Da fare dal"):
        office.mail.send_bundle("C00001", "survey")
    # the reminders beside the deadlines say it, from 30 days before (the office's clock)
    today = clock.now.date()
    assert office.checklist.steps_due(today, 29) == []
    (reminder,) = office.checklist.steps_due(today, 30)
    assert (reminder.day, reminder.code, reminder.step) == (due, "C00001", "survey_sent")
    # the command's own clock is the real one, past that day: the step is due
    assert f"{due:%d/%m/%Y} passo «Questionario di soddisfazione» da fare · C00001" in cli(
        office, capsys, "deadlines", "--days", "0"
    )
    entries = json.loads(cli(office, capsys, "deadlines", "--json"))
    (entry,) = [e for e in entries if e["kind"] == "step"]
    assert (entry["customer"], entry["step"], entry["due_on"]) == (
        "C00001",
        "survey_sent",
        str(due),
    )

    clock.now += timedelta(days=29)
    assert survey(office)[0] == BLOCKED
    clock.now += timedelta(days=1)  # the 30th day: due, without anyone writing the dossier
    assert survey(office) == (TODO, "")
    line = next(s for s in office.list_customers() if s.code == "C00001")
    assert line.total == 16 and "survey_sent" not in {
        s.code for s in office.list_customers() if s.next_blocked and s.next_step == "survey_sent"
    }
    assert "Questionario di soddisfazione" in cli(office, capsys, "show", "C00001")

    with pytest.raises(Refused, match="si completa con l'invio per e-mail «Questionario"):
        office.checklist.set_step("C00001", "survey_sent", True)  # a bare tick: refused
    result = office.mail.send_bundle("C00001", "survey")
    message = parse(smtp.inbox.messages[-1][1])
    assert (
        message["Subject"] == "Delta Test - com'è andata?" or "com'è andata?" in message["Subject"]
    )
    assert "Alfa Test Meccanica" in message.get_body().get_content()
    view = office.view("C00001")
    step = view.steps[-1]
    assert (step.status, step.evidence) == (DONE, f"mailing:{result.mailing.id}")
    assert "com'è andata?" in step.proof
    assert "Questionario" not in cli(office, capsys, "deadlines", "--days", "365")


def test_a_tick_by_hand_needs_a_reason_and_records_it(tmp_path: Path, smtp: Server) -> None:
    office, clock = with_survey(tmp_path, smtp)
    office.mail.send_bundle("C00001", "licences")
    clock.now += timedelta(days=30)
    office.checklist.set_step("C00001", "survey_sent", True, note="risposto al telefono")
    step = office.view("C00001").steps[-1]
    assert (step.status, step.evidence) == (DONE, "manual")
    assert "risposto al telefono" in step.notes[-1].note


def test_removing_the_step_from_the_copy_makes_it_disappear(
    tmp_path: Path, smtp: Server, capsys: pytest.CaptureFixture[str]
) -> None:
    office, _clock = with_survey(tmp_path, smtp)
    office.mail.send_bundle("C00001", "licences")
    assert "Questionario" in cli(office, capsys, "show", "C00001")
    company_copy(office, shipped())  # the company takes it out again
    assert [s.id for s in office.view("C00001").steps][-1] == "licences_sent"
    assert len(office.view("C00001").steps) == 15
    assert "/15" in cli(office, capsys, "list") and "/16" not in cli(office, capsys, "list")
    assert "Questionario" not in cli(office, capsys, "show", "C00001")
    assert "Questionario" not in cli(office, capsys, "deadlines", "--days", "365")
    with pytest.raises(Exception, match="survey"):
        office.mail.send_bundle("C00001", "survey")


def test_a_survey_without_its_mail_text_is_not_used(demo: Office) -> None:
    company_copy(demo, shipped() + SURVEY_STEP)
    assert len(demo.defs.steps) == 15
    assert "il passo survey_sent: mailing = 'survey', ma manca il testo" in demo.procedure_problem


@pytest.mark.parametrize(
    ("needs", "said"),
    [
        ("days_after(order_entered, 30)", "il passo order_entered deve essere anche in after"),
        ("days_after(licences_sent, trenta)", "si scrive days_after(passo, giorni)"),
        ("from_date(31/12/2026)", "si scrive from_date(AAAA-MM-GG)"),
        ("weeks_after(licences_sent, 4)", "si scrive days_after(passo, giorni) oppure"),
    ],
)
def test_a_calendar_condition_written_wrong_is_named(demo: Office, needs: str, said: str) -> None:
    (demo.settings.data_dir / "modelli").mkdir(exist_ok=True)
    (demo.settings.data_dir / "modelli" / "survey.txt").write_text(SURVEY_TEXT, "utf-8")
    company_copy(demo, shipped() + SURVEY_STEP.replace("days_after(licences_sent, 30)", needs))
    assert len(demo.defs.steps) == 15
    problem = demo.procedure_problem
    assert "il passo survey_sent: " in problem and said in problem


def test_from_a_date_on(demo: Office, clock: Clock) -> None:
    """A procedure that changes on a date: the step opens on that day."""
    (demo.settings.data_dir / "modelli").mkdir(exist_ok=True)
    (demo.settings.data_dir / "modelli" / "survey.txt").write_text(SURVEY_TEXT, "utf-8")
    on = date(2025, 4, 1)
    step = SURVEY_STEP.replace("days_after(licences_sent, 30)", f"from_date({on})")
    company_copy(demo, shipped() + step.replace('after = ["licences_sent"]', "after = []"))
    assert demo.procedure_problem == ""
    assert survey(demo, "C00003") == (BLOCKED, "Da fare dal 01/04/2025.")
    clock.now = clock.now.replace(year=2025, month=4, day=1)
    assert survey(demo, "C00003") == (TODO, "")
