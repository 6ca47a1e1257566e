"""TUI fixtures: the app over a demo data folder, and a helper to wait for a state."""

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot

from procedure.demo import load_demo
from procedure.office import Office
from tests.conftest import Clock
from tui.app import AcquistoApp


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    load_demo(Office.open(folder, clock=Clock(), user="anna"))
    return folder


@pytest.fixture
def app(data: Path) -> AcquistoApp:
    return AcquistoApp(Office.open(data, clock=Clock(), user="mario"))


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5) -> bool:
    """Let the app run until ``condition`` holds; False if it never did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()
