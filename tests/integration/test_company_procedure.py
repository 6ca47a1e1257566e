"""The company's own procedure (DATA/modelli/procedure.toml) is the one in force, read
again when it changes; one that does not validate is not used, and is said in Italian
naming the step and the key (at start in the TUI, by ``acquisto check``)."""

from pathlib import Path

import pytest

from main import main
from procedure.config.locations import TEMPLATES_DIR
from procedure.errors import Refused
from procedure.office import Office

SURVEY = """
[[steps]]
id = "survey_sent"
title = "Questionario di soddisfazione"
description = "Chiedere al cliente come è andata."
after = ["licences_sent"]
needs = []
"""


def company_copy(office: Office, text: str) -> Path:
    folder = office.settings.data_dir / "modelli"
    folder.mkdir(exist_ok=True)
    path = folder / "procedure.toml"
    path.write_text(text, encoding="utf-8")
    return path


def shipped() -> str:
    return (TEMPLATES_DIR / "procedure.toml").read_text(encoding="utf-8")


def test_a_step_added_in_the_company_copy_is_in_force_and_goes_with_it(demo: Office) -> None:
    assert len(demo.view("C00003").steps) == 15
    path = company_copy(demo, shipped() + SURVEY)
    steps = demo.view("C00003").steps
    assert [s.title for s in steps][-1] == "Questionario di soddisfazione"
    assert len(steps) == 16 and demo.procedure_problem == ""
    line = next(s for s in demo.list_customers() if s.code == "C00003")
    assert line.total == 16  # the list's lines count the procedure in force
    with pytest.raises(Refused, match="Prima completare: «Invio licenze software»"):
        demo.checklist.set_step("C00003", "survey_sent", True, note="telefonata")  # its after
    path.unlink()  # the shipped procedure again: the step is gone from every view
    assert len(demo.view("C00003").steps) == 15
    assert next(s for s in demo.list_customers() if s.code == "C00003").total == 15


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('needs = ["has_order"]', 'needs = ["has_unicorn"]', "condizione ignota has_unicorn"),
        ('id = "travel_costs"', 'id = "order_entered"', "order_entered è dichiarato due volte"),
        ('mailing = "licences"', "mailing = 3", "mailing deve essere un testo"),
        ('act = "mailing_forms"', 'act = "mailing_forms"\ncolore = "blu"', "chiave 'colore'"),
    ],
)
def test_a_company_copy_that_does_not_validate_is_not_used(
    demo: Office, capsys: pytest.CaptureFixture[str], old: str, new: str, said: str
) -> None:
    assert old in shipped()
    company_copy(demo, shipped().replace(old, new, 1) + SURVEY)
    assert len(demo.defs.steps) == 15  # the shipped procedure, not the broken copy
    assert said in demo.procedure_problem
    assert "Si usa la procedura fornita con il programma" in demo.procedure_problem
    capsys.readouterr()
    assert main(["--data", str(demo.settings.data_dir), "check"]) == 1
    assert said in capsys.readouterr().out


def test_a_company_copy_too_large_is_not_read(demo: Office) -> None:
    company_copy(demo, shipped() + "#" * (1 << 20))
    assert len(demo.defs.steps) == 15
    assert "più di 1048576 byte" in demo.procedure_problem
