"""F1 on every screen, forms included: every key of the screen, scrollable by keyboard at
80×24; F1 or Esc closes it."""

from textual.widgets import Static

from tests.tui.conftest import RecordingApp
from tui.dialogs.help import HelpScreen
from tui.forms.editor import EditorScreen
from tui.widgets.italian import VerticalScroll


def shown(app: RecordingApp) -> str:
    return str(app.screen.query_one("#help-text", Static).render())


async def test_f1_lists_every_key_and_scrolls_by_keyboard(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "f1")  # on a customer: the steps' keys
        assert isinstance(app.screen, HelpScreen)
        text = shown(app)
        for key in ("Riapri", "Nota", "Storico", "Indietro", "Aiuto", "Comandi"):
            assert key in text, key
        assert "Spazio      Completa (non ora)" in text  # the first step is done already
        scroll = app.screen.query_one(VerticalScroll)
        assert scroll.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("pagedown")
        await pilot.pause()
        assert scroll.scroll_y > 0
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_f1_works_inside_a_form(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter", "down", "e")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = shown(app)
        assert "Salva" in text and "Campo successivo" in text
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen)  # back in the form, nothing lost
