"""`f` on the dashboard shows the procedure in force, read only and in words: the shipped
one, or the company's own copy with its added step."""

import re
from pathlib import Path

from textual.widgets import DataTable, OptionList, Static

from procedure.config.locations import TEMPLATES_DIR
from procedure.office import Office
from tests.conftest import Clock
from tests.integration.test_company_procedure import SURVEY
from tests.integration.test_survey_step import SURVEY_STEP, SURVEY_TEXT
from tests.tui.conftest import RecordingApp, wait_for
from tui.screens.customer import CustomerScreen
from tui.screens.deadlines import DeadlinesScreen
from tui.screens.procedure_steps import ProcedureScreen


async def shown(data: Path) -> str:
    app = RecordingApp(Office.open(data, clock=Clock(), user="mario"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ProcedureScreen))
        text = str(app.screen.query_one("#procedure-text").render())
        await pilot.press("escape")
        assert await wait_for(pilot, lambda: not isinstance(app.screen, ProcedureScreen))
        return text


async def test_the_procedure_in_force_is_shown_in_words(data: Path) -> None:
    text = await shown(data)
    assert "Procedura in uso: fornita con il programma, 15 passi." in text
    assert "15. Invio licenze software" in text
    assert "Richiede: un indirizzo e-mail del cliente." in text
    assert "Si completa con l'invio dei moduli da compilare per e-mail" in text
    assert "m invia «moduli da compilare»" in text
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # no internal name (has_email…)
    folder = data / "modelli"
    folder.mkdir(exist_ok=True)
    shipped = (TEMPLATES_DIR / "procedure.toml").read_text(encoding="utf-8")
    (folder / "procedure.toml").write_text(shipped + SURVEY, encoding="utf-8")
    text = await shown(data)
    assert "Procedura in uso: dell'azienda (modelli/procedure.toml), 16 passi." in text
    assert "16. Questionario di soddisfazione" in text
    assert "Dopo: «Invio licenze software». Richiede: nulla." in text


async def test_a_step_of_the_company_shows_with_its_day(data: Path) -> None:
    """The survey 30 days after the licences, added in the company's copy: step 16 on the
    customer screen with the day it opens, among the steps due beside the deadlines, and
    told in words on the procedure screen."""
    folder = data / "modelli"
    folder.mkdir(exist_ok=True)
    (folder / "survey.txt").write_text(SURVEY_TEXT, encoding="utf-8")
    shipped = (TEMPLATES_DIR / "procedure.toml").read_text(encoding="utf-8")
    (folder / "procedure.toml").write_text(shipped + SURVEY_STEP, encoding="utf-8")
    office = Office.open(data, clock=Clock(), user="mario")
    office.checklist.set_step("C00001", "licences_sent", True, note="consegnate a mano")
    app = RecordingApp(office)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ProcedureScreen))
        text = str(app.screen.query_one("#procedure-text").render())
        assert "Richiede: 30 giorni dopo «Invio licenze software»." in text
        assert "Si completa con l'invio per e-mail «Questionario di soddisfazione»" in text
        assert "m invia «Questionario di soddisfazione»" in text
        await pilot.press("escape", "d")
        assert await wait_for(pilot, lambda: isinstance(app.screen, DeadlinesScreen))
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        assert await wait_for(pilot, lambda: screen.steps is not None)
        table = screen.query_one("#steps-due", DataTable)
        assert table.display and table.row_count == 1
        assert [str(c) for c in table.get_row_at(0)][:3] == [
            "19/04/2025",
            "Questionario di soddisfazione",
            "C00001",
        ]
        await pilot.press("escape", "enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerScreen))
        customer = app.screen
        assert isinstance(customer, CustomerScreen)
        options = customer.query_one(OptionList)
        assert await wait_for(pilot, lambda: options.option_count == 16)
        assert "16. Questionario di soddisfazione" in str(options.get_option_at_index(15).prompt)
        await pilot.press(*["down"] * 15)
        assert await wait_for(pilot, lambda: "Da fare dal 19/04/2025" in detail(customer))


def detail(screen: CustomerScreen) -> str:
    return str(screen.query_one("#detail", Static).render())
