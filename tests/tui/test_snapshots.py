"""Snapshots that guard the look of each screen at 80x24."""

from typing import Any

from tui.app import AcquistoApp


def test_customer_list(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24))


def test_customer_steps(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "down", "down"])


def test_note_dialog(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["down", "enter", "n"])


def test_master_record_form(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["down", "down", "enter", "down", "e"])


def test_prospects(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["p"])


def test_catalogue(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["k"])


def test_intake(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["i"])


def test_mail_preview(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["down", "down", "enter", "m"])


def test_payment_terms(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["k", "t"])


def test_history(app: AcquistoApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["enter", "l"])
