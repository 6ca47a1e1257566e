"""Keys `g` (documents of the step) and `m` (preview and send its mailing) in a worker."""

from procedure.office import Office
from tests.tui.conftest import wait_for
from tui.app import AcquistoApp
from tui.screens.customer import CustomerScreen
from tui.screens.mail_preview import MailPreviewDialog


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
