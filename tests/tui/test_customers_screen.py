"""The customer list: progress, filter as you type, Enter opens the customer."""

from textual.widgets import Input

from tests.tui.conftest import listed
from tui.app import AcquistoApp
from tui.screens.customer import CustomerScreen
from tui.screens.customers import CustomersScreen


def rows(app: AcquistoApp) -> list[list[str]]:
    return listed(app)


async def test_list_shows_progress_and_next_step(app: AcquistoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        assert [r[:4] for r in rows(app)] == [
            ["C00001", "Alfa Test Meccanica S.r.l.", "3/15", "1/4"],
            ["C00002", "Studio Esempio di Giulia E…", "1/15", "0/5"],
            ["C00003", "Gamma Prova Logistica S.p.…", "0/15", "0/4"],
        ]
        assert rows(app)[2][4] == "Invio moduli da compilare"


async def test_filter_as_you_type_then_enter_opens(app: AcquistoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        assert app.focused is app.screen.query_one(Input)
        await pilot.press(*"gam")
        assert [r[0] for r in rows(app)] == ["C00003"]
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)
        assert app.screen.code == "C00003"
        await pilot.press("escape")
        assert isinstance(app.screen, CustomersScreen)
        await pilot.press("escape")
        assert len(rows(app)) == 3


async def test_filter_matches_every_word(app: AcquistoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"studio giulia")
        assert [r[0] for r in rows(app)] == ["C00002"]
        await pilot.press(*" zzz")
        assert rows(app) == []


async def test_a_letter_more_narrows_and_a_letter_less_widens(app: AcquistoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"c0000")
        assert len(rows(app)) == 3
        await pilot.press("3")
        assert [r[0] for r in rows(app)] == ["C00003"]
        await pilot.press("backspace", "1")
        assert [r[0] for r in rows(app)] == ["C00001"]
        await pilot.press("backspace", "backspace")
        assert len(rows(app)) == 3


async def test_empty_store_explains_how_to_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from procedure.office import Office

    app = AcquistoApp(Office.open(tmp_path / "empty"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#empty-hint")
        assert hint.display
        assert "make demo" in str(hint.render())


async def test_demo_store_hides_the_hint(app: AcquistoApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#empty-hint").display
