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


def test_deadlines(app: AcquistoApp, snap_compare: Any) -> None:
    async def loaded(pilot: Any) -> None:
        await pilot.press("d")
        while pilot.app.screen.rows is None:
            await pilot.pause(0.05)

    assert snap_compare(app, terminal_size=(80, 24), run_before=loaded)


def test_review(app: AcquistoApp, snap_compare: Any) -> None:
    from pathlib import Path

    from tests.integration.test_watch import _fill_docx

    office = app.office
    form = next(
        r for r in office.documents.generate("C00003", "forms").records if r.form == "master_data"
    )
    filing = office.filing
    filing.ensure_tree()
    slot = filing.slot_dir(office.customer("C00003"), "master_data")
    _fill_docx(Path(form.file), slot / "compilato.docx", {"invoice_email": "f@gamma.example"})
    filing.handle(slot / "compilato.docx")
    assert snap_compare(app, terminal_size=(80, 24), press=["down", "down", "enter", "v"])
