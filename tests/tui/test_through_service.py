"""The screens through the shared service: the same keys do the same, the service records
the change under the account the kernel names, and a change made by another colleague
reaches the screen because the service says so (no polling)."""

import os
from pathlib import Path
from typing import cast

import pytest

from main import main
from procedure.folder import account_name
from procedure.office import Office
from procedure.remote.client import RemoteOffice
from procedure.remote.protocol import SOCKET_NAME
from tests.integration.test_service import served  # noqa: F401  (fixture)
from tests.tui.conftest import RecordingApp, listed, wait_for
from tui.screens.customer import CustomerScreen

pytestmark = pytest.mark.timeout(300)


def done_by(data: Path, code: str, step: str) -> str:
    state = Office.open(data, user="controllo").customer(code).steps.get(step)
    return state.done_by if state and state.done else ""


async def test_a_step_completed_on_the_screen_is_recorded_by_the_service(
    served: Path,  # noqa: F811
) -> None:
    app = RecordingApp(cast(Office, RemoteOffice(served / SOCKET_NAME)))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerScreen))
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        assert await wait_for(pilot, lambda: screen.selected is not None)
        await pilot.press("down", "down", "down")
        assert await wait_for(
            pilot, lambda: screen.selected is not None and screen.selected.id == "travel_costs"
        )
        await pilot.press("space")
        assert await wait_for(pilot, lambda: done_by(served, "C00001", "travel_costs") != "", 20)
    assert done_by(served, "C00001", "travel_costs") == account_name(os.geteuid())


async def test_another_colleagues_change_reaches_the_list_when_the_service_says_so(
    served: Path,  # noqa: F811
) -> None:
    app = RecordingApp(cast(Office, RemoteOffice(served / SOCKET_NAME)))
    async with app.run_test(size=(100, 30)) as pilot:
        assert await wait_for(pilot, lambda: len(listed(app)) == 3, 20)
        before = {row[0]: row[2] for row in listed(app)}
        assert before["C00001"] == "3/15"
        args = ["--data", str(served), "step", "C00001", "travel_costs", "done"]
        assert main(args) == 0  # another process, through the service
        assert await wait_for(
            pilot, lambda: {r[0]: r[2] for r in listed(app)}["C00001"] == "4/15", 20
        )
