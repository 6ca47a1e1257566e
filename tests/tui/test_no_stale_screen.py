"""Back on the customer screen, whichever way the screen above was left, the steps are the
store's at once: never the reason of a moment ago (the periodic refresh is switched off)."""

from pathlib import Path

from textual.widgets import DataTable

from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp, wait_for
from tui.screens.customer import CustomerScreen


async def test_esc_from_a_screen_above_shows_what_changed_meanwhile(data: Path) -> None:
    config = data / "config.toml"
    config.write_text(
        config.read_text().replace("refresh_seconds = 1.0", "refresh_seconds = 3600.0")
    )
    app = RecordingApp(Office.open(data, clock=Clock(), user="mario"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # the first customer of the dashboard
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.view is not None
        code = screen.code
        todo = next(s for s in screen.view.steps if s.status == "todo" and not s.act)
        await pilot.press("l")  # the history, left with Esc (a pop, not a dismiss)
        await pilot.pause()
        assert app.screen is not screen
        colleague = Office.open(data, clock=Clock(), user="anna")
        colleague.checklist.set_step(code, todo.id, True)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.view is not None
        shown = next(s for s in screen.view.steps if s.id == todo.id)
        assert shown.status == "done" and shown.done_by == "anna"


async def test_tab_shows_where_the_keys_go(app: RecordingApp) -> None:
    """Tab moves the keys to the detail pane: its frame turns double (visible without
    colour), the steps' frame goes back to single."""
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        steps = app.screen.query_one("#steps")
        detail = app.screen.query_one("#detail-pane")
        assert steps.has_focus and steps.styles.border_top[0] == "double"
        await pilot.press("tab")
        await pilot.pause()
        assert detail.has_focus and detail.styles.border_top[0] == "double"
        assert steps.styles.border_top[0] == "round"


async def test_o_switches_a_column_in_sight_at_80_columns(app: RecordingApp) -> None:
    view = app.office.view("C00003")  # a real customer's address is long
    view.customer.contacts[0].email = "amministrazione.fatturazione@gammaprovalogistica.example"
    app.office.customers.save(view.customer, view.rev)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter", "e")  # Gamma, "Invio moduli": contacts
        await pilot.pause()
        table = app.screen.query_one(DataTable)
        before = "".join(s.text for s in table.render_line(1))
        await pilot.press("o")
        switched = lambda: "".join(s.text for s in table.render_line(1)) != before  # noqa: E731
        assert await wait_for(pilot, switched)
        header = "".join(s.text for s in table.render_line(0))
        assert "osTicket" in header  # drawn, not scrolled off to the right
        assert ("sì" in "".join(s.text for s in table.render_line(1))) != ("sì" in before)
