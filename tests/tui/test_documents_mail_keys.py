"""Keys `g` (documents of the step) and `m` (preview and send its mailing) in a worker."""

from datetime import datetime
from pathlib import Path

from textual.widgets import Label

from procedure.model import MailReceipt
from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import wait_for
from tui.app import AcquistoApp
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.mail_preview import MailPreviewDialog
from tui.screens.customer import CustomerScreen


async def open_gamma(pilot) -> CustomerScreen:  # type: ignore[no-untyped-def]
    await pilot.press("down", "down", "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CustomerScreen) and screen.code == "C00003"
    return screen


async def test_g_generates_the_step_documents(app: AcquistoApp) -> None:
    office: Office = app.office
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_gamma(pilot)
        await pilot.press("g")  # on "Invio moduli da compilare"
        assert await wait_for(pilot, lambda: not screen.busy and bool(
            office.customer("C00003").documents), seconds=60)  # fmt: skip
        titles = [d.title for d in office.customer("C00003").documents]
        assert titles == ["Raccolta Dati Anagrafici", "Informativa privacy"]  # DPA: with contract
        await pilot.press("down", "down", "down", "g")  # "Codifica trasferta": no documents
        await pilot.pause()
        assert not screen.busy
        assert len(office.customer("C00003").documents) == 2


async def test_m_previews_then_sends(app: AcquistoApp) -> None:
    office: Office = app.office
    async with app.run_test(size=(80, 24)) as pilot:
        await open_gamma(pilot)
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, MailPreviewDialog)
        assert dialog.preview.to == ["gammaprova@pec.example"]
        assert dialog.preview.subject.endswith("moduli da compilare per l'attivazione")
        await pilot.press("escape")
        assert office.customer("C00003").mailings == []  # cancelled: nothing recorded
        await pilot.press("m", "enter")

        def sent() -> bool:
            mailings = office.customer("C00003").mailings
            return bool(mailings) and mailings[0].status == "sent"

        assert await wait_for(pilot, sent, seconds=60)
        assert office.customer("C00003").steps["forms_sent"].done


async def test_contracts_of_an_ended_term_are_made_only_once_confirmed(data: Path) -> None:
    """Gamma's contract ran to 31/03/2026: on 01/05/2026 `g` on "Invio contratto" asks
    first; `n` makes nothing, `s` makes them."""
    office = Office.open(data, clock=Clock(datetime(2026, 5, 1, 9, 0)), user="mario")
    app = AcquistoApp(office)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_gamma(pilot)
        await pilot.press(*["down"] * 7)
        assert screen.selected is not None and screen.selected.id == "contract_sent"
        await pilot.press("g")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), seconds=30)
        assert "CT-2025-004 (scaduto il 31/03/2026)" in app.screen.question  # type: ignore[attr-defined]
        await pilot.press("n")
        await pilot.pause()
        assert office.customer("C00003").documents == []  # nothing made without a yes
        await pilot.press("g")
        assert await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), seconds=30)
        await pilot.press("s")
        assert await wait_for(pilot, lambda: not screen.busy and bool(
            office.customer("C00003").documents), seconds=120)  # fmt: skip
        titles = [d.title for d in office.customer("C00003").documents]
        assert "Contratto Assistenza SW su Modulo CT-2025-004" in titles


async def test_m_after_a_bounce_says_why_and_the_new_mailing_settles_it(app: AcquistoApp) -> None:
    office: Office = app.office
    first = office.mail.send_bundle("C00003", "forms").mailing
    why = "gammaprova@pec.example: 550 5.1.1 User unknown"
    office.mail.noticed("C00003", first.id, MailReceipt("mancato-recapito", "k1", None, why))
    assert not office.customer("C00003").steps["forms_sent"].done  # reopened by the bounce
    assert office.list_customers()[2].open_mail == 1
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("/", *"Gamma", "enter", "enter")  # filtered: the row of mail to settle
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CustomerScreen) and screen.code == "C00003"
        assert screen.selected is not None and screen.selected.id == "forms_sent"
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, MailPreviewDialog)
        assert dialog.preview.undelivered == f"L'invio precedente non è stato consegnato: {why}"
        shown = [str(label.render()) for label in dialog.query(Label)]
        assert shown[0].startswith("(!) L'invio precedente non è stato consegnato")
        await pilot.press("enter")

        def sent_again() -> bool:
            mailings = office.customer("C00003").mailings
            return len(mailings) == 2 and mailings[1].status == "sent"

        assert await wait_for(pilot, sent_again, seconds=60)
    old, new = office.customer("C00003").mailings
    assert old.replaced_by == new.id and old.status == "bounced"
    assert office.customer("C00003").steps["forms_sent"].evidence == f"mailing:{new.id}"
    assert office.list_customers()[2].open_mail == 0
