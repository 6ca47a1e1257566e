"""Notice deadlines and renewals, reached with `d` from the customer list."""

from datetime import datetime
from pathlib import Path

from textual.widgets import DataTable

from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import wait_for
from tui.app import AcquistoApp
from tui.screens.customers import CustomersScreen
from tui.screens.deadlines import DeadlinesScreen


async def test_d_lists_deadlines_soonest_first(data: Path) -> None:
    app = AcquistoApp(Office.open(data, clock=Clock(datetime(2025, 11, 1, 9, 0)), user="mario"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("d")
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        assert await wait_for(pilot, lambda: screen.rows is not None)
        table = screen.query_one(DataTable)
        got = [[str(c) for c in table.get_row_at(i)][:4] for i in range(table.row_count)]
        # Gamma ends 31/03/2026 (90 days' notice), Alfa HW 14/03/2026 (60); Alfa SW is
        # aligned and renews by itself: its term runs to 31/12/2026, notice by 02/10/2026,
        # beyond the 120 days shown
        assert got == [
            ["31/12/2025", "31/03/2026", "rinnovo tacito", "CT-2025-004"],
            ["13/01/2026", "14/03/2026", "rinnovo tacito", "CT-2025-002"],
        ]
        await pilot.press("escape")
        assert isinstance(app.screen, CustomersScreen)
