"""TUI fixtures: the app over a demo data folder, and a helper to wait for a state."""

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class Note:
    message: str
    title: str
    severity: str


class RecordingApp(AcquistoApp):
    """The app, keeping every notification it shows (through its public ``notify``)."""

    def __init__(self, office: Office, colours: int = 1 << 24) -> None:
        super().__init__(office, colours=colours)
        self.notes: list[Note] = []

    def notify(self, message: str, *, title: str = "", severity: str = "information",
               **kwargs: Any) -> None:  # fmt: skip
        self.notes.append(Note(message, title, severity))
        super().notify(message, title=title, severity=severity, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def app(data: Path) -> RecordingApp:
    return RecordingApp(Office.open(data, clock=Clock(), user="mario"))


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], seconds: float = 5) -> bool:
    """Let the app run until ``condition`` holds; False if it never did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def listed(app: AcquistoApp) -> list[list[str]]:
    """The dashboard's lines, each cut back into its fields (a line is one cell, laid out
    in the columns of COLUMNS)."""
    from textual.widgets import DataTable

    from tui.screens.customers import COLUMNS

    table = app.screen.query_one(DataTable)
    out = []
    for i in range(table.row_count):
        (line,) = table.get_row_at(i)
        text, fields, start = str(line), [], 0
        for _, width in COLUMNS:
            fields.append(text[start : start + width].strip())
            start += width + 2
        out.append(fields)
    return out
