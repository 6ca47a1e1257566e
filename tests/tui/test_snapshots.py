"""Snapshots that guard the look of each screen at 80x24."""

from typing import Any

from tui.app import AcquistoApp


def test_customer_list(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24))


def test_customer_steps(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "down", "down"])


def test_note_dialog(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["down", "enter", "n"])
