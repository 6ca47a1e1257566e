"""A change made elsewhere (a colleague, the watcher) refreshes what is on screen without
holding the keys up: the list reads in a worker thread, and a customer's screen reads
again only when its own dossier (or the catalogues, the settings, the day) changed."""

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp, listed, wait_for
from tui.screens.customer import CustomerScreen
from tui.screens.customers import CustomersScreen


def no_timer(data: Path) -> Office:
    """The office with the periodic check switched off: the test calls it when it wants."""
    config = data / "config.toml"
    config.write_text(
        config.read_text().replace("refresh_seconds = 1.0", "refresh_seconds = 3600.0")
    )
    return Office.open(data, clock=Clock(), user="mario")


def watched(office: Office, name: str, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Each later call of ``office.<name>``: whether it ran on the main thread (the event
    loop's). The call itself is the real one."""
    calls: list[bool] = []
    real: Callable[..., Any] = getattr(office, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        calls.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(office, name, recorded)
    return calls


async def test_a_colleagues_change_reaches_the_list_off_the_event_loop(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = RecordingApp(no_timer(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        before = {row[0]: row[2] for row in listed(app)}
        calls = watched(app.office, "dashboard", monkeypatch)
        colleague = Office.open(data, clock=Clock(), user="anna")
        colleague.checklist.set_step("C00003", "forms_sent", True, note="in prova")
        app.check_store()

        def updated() -> bool:
            return {row[0]: row[2] for row in listed(app)}["C00003"] != before["C00003"]

        assert await wait_for(pilot, updated)
        assert calls and not any(calls)  # read in a worker, never on the loop


async def test_a_refresh_read_for_another_filter_is_not_shown(data: Path) -> None:
    app = RecordingApp(no_timer(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomersScreen)
        stale = screen.read("", screen.sort)  # read before the user typed
        await pilot.press("slash", *"gamma")
        assert [row[0] for row in listed(app)] == ["C00003"]
        screen.show(stale)
        assert [row[0] for row in listed(app)] == ["C00003"]  # the filter's rows stay


async def test_a_customer_screen_reads_again_only_for_its_own_change(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = RecordingApp(no_timer(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # C00001
        assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerScreen))
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.code == "C00001"
        views = watched(app.office, "view", monkeypatch)
        colleague = Office.open(data, clock=Clock(), user="anna")
        colleague.checklist.add_note("C00002", "forms_sent", "di un altro cliente")
        app.check_store()
        await pilot.pause()
        assert views == []  # another customer's change: nothing read again
        colleague.checklist.add_note("C00001", "forms_sent", "nota della collega")
        app.check_store()
        assert await wait_for(pilot, lambda: len(views) == 1)
        assert not any(views)  # read in a worker
        assert await wait_for(
            pilot,
            lambda: (
                screen.view is not None
                and any("nota della collega" in n.note for s in screen.view.steps for n in s.notes)
            ),
        )
        assert screen.view is not None
        notes = next(s for s in screen.view.steps if s.id == "forms_sent").notes
        assert any("nota della collega" in n.note for n in notes)


async def test_opening_a_customer_reads_off_the_event_loop(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Opening a customer, and coming back to it from a form, read the dossier in a worker;
    the customer shown before does not stay in sight meanwhile."""
    app = RecordingApp(no_timer(data))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        views = watched(app.office, "view", monkeypatch)
        stamps = watched(app.office, "view_stamp", monkeypatch)
        await pilot.press("enter")  # C00001
        assert await wait_for(pilot, lambda: isinstance(app.screen, CustomerScreen))
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        assert await wait_for(pilot, lambda: screen.view is not None)
        await pilot.press("escape", "down", "enter")  # C00002
        assert await wait_for(pilot, lambda: screen.code == "C00002")
        title = str(screen.query_one("#customer-title").render())
        assert "C00001" not in title
        assert await wait_for(pilot, lambda: screen.view is not None)
        assert screen.view is not None and screen.view.customer.code == "C00002"
        assert len(views) >= 2 and not any(views) and stamps and not any(stamps)
