"""Archive in the TUI: returned-form notices, intake assignment, review, chasing."""

import zipfile
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import DataTable

from procedure.office import Office
from tests.integration.test_watch import _fill_docx
from tests.tui.conftest import RecordingApp, listed, wait_for
from tests.tui.test_snapshots import returned_master_data
from tui.dialogs.confirm import ConfirmDialog
from tui.screens.customer import CustomerScreen
from tui.screens.intake import AssignDialog, IntakeScreen
from tui.screens.review import ReviewScreen


async def test_open_tuis_announce_returned_forms(app: RecordingApp, data: Path) -> None:
    colleague = Office.open(data, user="giulia")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        colleague.checklist.form_returned("C00003", "privacy", "/archivio/privacy.pdf")

        expected = "Gamma Prova Logistica S.p.A.: rientrato «Informativa privacy (art. 13 GDPR)»"

        def announced() -> bool:
            return any(n.message == expected for n in app.notes)

        assert await wait_for(pilot, announced, seconds=5)


async def test_intake_assigns_with_two_choices(app: RecordingApp) -> None:
    filing = app.office.filing
    filing.ensure_tree()
    (filing.intake / "scansione.pdf").write_bytes(b"%PDF-1.4 no code")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one(DataTable).row_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, AssignDialog)
        await pilot.press(*"gamma", "enter")  # the customer
        await pilot.press("down", "enter")  # the second form of the pack: privacy
        forms = app.office.customer
        assert await wait_for(pilot, lambda: "privacy" in forms("C00003").forms)  # moved, filed
        assert isinstance(app.screen, IntakeScreen)
        record = app.office.customer("C00003").forms["privacy"]
        assert record.returned_at is not None and record.file.endswith("scansione.pdf")
        assert filing.unrecognised() == []


async def test_intake_offers_the_text_suggestion_and_c_confirms_it(app: RecordingApp) -> None:
    from tests.integration.test_ocr_intake import scanned

    office = app.office
    records = office.documents.generate("C00002", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    office.filing.ensure_tree()
    scanned(privacy.pdf, 180).save(office.filing.intake / "scan.jpg", "JPEG", dpi=(200, 200))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert await wait_for(pilot, lambda: bool(screen.waiting), seconds=120)  # OCR done
        (waiting,) = screen.waiting.values()
        assert waiting.suggestion is not None
        assert (waiting.suggestion.code, waiting.suggestion.form) == ("C00002", "privacy")
        assert office.customer("C00002").forms.get("privacy") is None  # not filed on a guess
        await pilot.press("c")
        filed = lambda: office.customer("C00002").forms.get("privacy") is not None  # noqa: E731
        assert await wait_for(pilot, filed, seconds=30)


async def test_review_accepts_and_rejects_field_by_field(app: RecordingApp) -> None:
    office = app.office
    form = next(
        r for r in office.documents.generate("C00003", "forms").records if r.form == "master_data"
    )
    filing = office.filing
    filing.ensure_tree()
    slot = filing.slot_dir(office.customer("C00003"), "master_data")
    _fill_docx(Path(form.file), slot / "compilato.docx",
               {"invoice_email": "fatture@gammaprova.example",
                "contact.it.name": "Ivo Rete"})  # fmt: skip
    filing.handle(slot / "compilato.docx")
    assert zipfile.is_zipfile(slot / "compilato.docx")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert await wait_for(pilot, lambda: bool(screen.offered))  # read off the event loop
        assert [p.tag for p in screen.offered] == ["invoice_email", "contact.it.name"]
        await pilot.press("a", "x", "s")
        assert await wait_for(pilot, lambda: office.customer("C00003").invoice_email != "")
        customer = office.customer("C00003")
        assert customer.invoice_email == "fatture@gammaprova.example"
        assert all(k.role != "it" for k in customer.contacts)
        assert customer.forms["master_data"].reviewed == customer.forms["master_data"].file


async def gammas_review(pilot: Pilot[None]) -> ReviewScreen:
    """Gamma's review of its returned form, its proposals loaded."""
    await pilot.press("down", "down", "enter", "v")
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    assert await wait_for(pilot, lambda: bool(screen.offered))
    return screen


async def test_review_at_80_columns_keeps_the_choice_and_accepts_all(app: RecordingApp) -> None:
    office = app.office
    long_mail = "amministrazione.fatturazione.elettronica@gammaprovalogistica.example"
    returned_master_data(office, {"invoice_email": long_mail, "contact.it.name": "Ivo Rete",
                                  "contact.it.email": "ivo@gamma.example"})  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await gammas_review(pilot)
        text = "\n".join(s.text for s in screen._compositor.render_strips())
        for header in ("Scelta", "Campo", "Attuale", "Proposto", "Problema"):
            assert header in text
        assert long_mail in text  # whole, under the table, for the selected field
        await pilot.press("t")  # first, what it will accept
        assert isinstance(app.screen, ConfirmDialog)
        question = app.screen.question
        # every field is accepted by it: the same answer registers them
        assert question.startswith("Accettare 3 campi dal modulo rientrato e registrarli?")
        assert f"→ {long_mail}" in question and "→ Ivo Rete" in question
        assert set(screen.decisions.values()) == {None}  # nothing yet
        await pilot.press("s")
        assert set(screen.decisions.values()) == {True}
        assert await wait_for(pilot, lambda: office.customer("C00003").invoice_email == long_mail)
        assert any(k.name == "Ivo Rete" for k in office.customer("C00003").contacts)


async def test_accept_all_leaves_fields_with_a_problem_and_registers_nothing(
    app: RecordingApp,
) -> None:
    office = app.office
    returned_master_data(office, {"invoice_email": "non è un indirizzo",
                                  "contact.it.name": "Ivo Rete"})  # fmt: skip
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await gammas_review(pilot)
        await pilot.press("t")
        assert isinstance(app.screen, ConfirmDialog)
        question = app.screen.question
        assert question.startswith("Accettare 1 campo dal modulo rientrato?")  # not registered
        assert "Resta da decidere 1 campo con un problema." in question
        await pilot.press("s")
        assert await wait_for(pilot, lambda: app.screen is screen)
        assert sorted(map(str, screen.decisions.values())) == ["None", "True"]
        await pilot.pause()
        assert office.customer("C00003").invoice_email != "non è un indirizzo"
        assert not any(k.name == "Ivo Rete" for k in office.customer("C00003").contacts)


async def test_r_chases_the_selected_customer(app: RecordingApp) -> None:
    office = app.office
    office.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash", *"gamma", "enter", "r")

        def chased() -> bool:
            mailings = office.customer("C00003").mailings
            return bool(mailings) and mailings[0].bundle == "reminder"

        assert await wait_for(pilot, chased, seconds=10)


async def test_overdue_customers_come_first(app: RecordingApp) -> None:
    office = app.office
    office.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    office.checklist.form_sent("C00003", "privacy")
    office.clock.advance(days=8)  # type: ignore[attr-defined]  # a week and a day later
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        rows = listed(app)
        late = [r[3].endswith("!") for r in rows]
        assert late == sorted(late, reverse=True)  # every late customer before the others
        assert "C00003" in [r[0] for r in rows if r[3].endswith("!")]
