"""`f` on the dashboard shows the procedure in force, read only and in words: the shipped
one, or the company's own copy with its added step."""

import re
from pathlib import Path

from procedure.config.locations import TEMPLATES_DIR
from procedure.office import Office
from tests.conftest import Clock
from tests.integration.test_company_procedure import SURVEY
from tests.tui.conftest import RecordingApp, wait_for
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
