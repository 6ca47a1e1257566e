"""Snapshots that guard the look of every screen at 80x24, each in three renderings: the
default (true colour), a terminal of 16 colours, and NO_COLOR."""

from pathlib import Path
from typing import Any

import pytest

from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp

RENDERINGS = {"colori": 1 << 24, "16colori": 16, "senzacolore": 1 << 24}
STEP_2 = ["down", "down", "enter", "down"]  # Gamma (C00003), step 2
SCREENS: dict[str, list[str]] = {
    "customer_list": [],
    "help_panel": ["f1"],
    "command_palette": ["ctrl+p"],
    "customer_steps": ["enter", "down", "down"],
    "customer_help": ["enter", "f1"],
    "note_dialog": ["down", "enter", "n"],
    "master_record_form": [*STEP_2, "e"],
    "form_help": [*STEP_2, "e", "f1"],
    "master_record_error": [*STEP_2, "e", "tab", "end", "backspace"],
    "unsaved_changes": [*STEP_2, "e", "x", "escape"],
    "orders": [*STEP_2, "down", "e"],
    "order_lines": [*STEP_2, "down", "e", "r"],
    "handover_dialog": ["enter", *["down"] * 12, "e"],
    "prospects": ["p"],
    "catalogue": ["k"],
    "product_form": ["k", "enter"],
    "intake": ["i"],
    "mail_preview": ["down", "down", "enter", "m"],
    "payment_terms": ["k", "t"],
    "history": ["enter", "l"],
}


@pytest.fixture(params=sorted(RENDERINGS))
def rendered(
    request: pytest.FixtureRequest, data: Path, monkeypatch: pytest.MonkeyPatch
) -> RecordingApp:
    if request.param == "senzacolore":
        monkeypatch.setenv("NO_COLOR", "1")  # read when the app is made
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    office = Office.open(data, clock=Clock(), user="mario")
    return RecordingApp(office, colours=RENDERINGS[request.param])


@pytest.mark.parametrize("screen", sorted(SCREENS))
def test_screen(rendered: RecordingApp, screen: str, snap_compare: Any) -> None:
    assert snap_compare(rendered, terminal_size=(80, 24), press=SCREENS[screen])


def test_deadlines(rendered: RecordingApp, snap_compare: Any) -> None:
    async def loaded(pilot: Any) -> None:
        await pilot.press("d")
        while pilot.app.screen.rows is None:
            await pilot.pause(0.05)

    assert snap_compare(rendered, terminal_size=(80, 24), run_before=loaded)


def returned_master_data(office: Office, values: dict[str, str] | None = None) -> None:
    """Gamma's master-data form comes back filled (``values`` by field tag), waiting for
    review."""
    from tests.integration.test_watch import _fill_docx

    form = next(
        r for r in office.documents.generate("C00003", "forms").records if r.form == "master_data"
    )
    filing = office.filing
    filing.ensure_tree()
    slot = filing.slot_dir(office.customer("C00003"), "master_data")
    filled = values or {"invoice_email": "f@gamma.example"}
    _fill_docx(Path(form.file), slot / "compilato.docx", filled)
    filing.handle(slot / "compilato.docx")


REVIEW = ["down", "down", "enter", "v"]


def test_review(rendered: RecordingApp, snap_compare: Any) -> None:
    returned_master_data(rendered.office)
    assert snap_compare(rendered, terminal_size=(80, 24), press=REVIEW)


def test_review_accept_all_summary(rendered: RecordingApp, snap_compare: Any) -> None:
    """What `t` will accept, shown before it does, readable at 80 columns."""
    long_mail = "amministrazione.fatturazione.elettronica@gammaprovalogistica.example"
    returned_master_data(
        rendered.office,
        {"invoice_email": long_mail, "contact.it.name": "Ivo Rete", "bic": "BCITITMM"},
    )

    async def summary(pilot: Any) -> None:
        await pilot.press(*REVIEW)
        while not pilot.app.screen.offered:
            await pilot.pause(0.05)
        await pilot.press("t")

    assert snap_compare(rendered, terminal_size=(80, 24), run_before=summary)


def test_trends(rendered: RecordingApp, snap_compare: Any) -> None:
    """Andamento at 80x24: figures on top, the first chart below."""

    async def drawn(pilot: Any) -> None:
        await pilot.press("a")
        while pilot.app.screen.trend is None:
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(rendered, terminal_size=(80, 24), run_before=drawn)
