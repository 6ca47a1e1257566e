"""The customer screen: complete, reopen, annotate steps with keys; see others' changes."""

from pathlib import Path

from textual.widgets import OptionList, Static

from procedure.office import Office
from tests.tui.conftest import RecordingApp, listed, wait_for
from tui.dialogs.note import NoteDialog
from tui.screens.customer import CustomerScreen


def step_done(app: RecordingApp, code: str, step_id: str) -> bool:
    state = app.office.customer(code).steps.get(step_id)
    return bool(state and state.done)


async def open_customer(pilot, row: int) -> CustomerScreen:  # type: ignore[no-untyped-def]
    await pilot.press(*["down"] * row, "enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CustomerScreen)
    return screen


async def test_space_completes_and_u_reopens(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customer(pilot, 0)
        await pilot.press("down", "down", "down")
        assert screen.selected is not None and screen.selected.id == "travel_costs"
        await pilot.press("space")
        assert await wait_for(pilot, lambda: step_done(app, "C00001", "travel_costs"))
        assert app.office.customer("C00001").steps["travel_costs"].done_by == "mario"
        option = screen.query_one(OptionList).get_option_at_index
        assert await wait_for(pilot, lambda: "[x]  4." in str(option(3).prompt))
        # the cursor went on to the next step still open
        steps = app.office.view("C00001").steps
        following = next(i for i, s in enumerate(steps) if i > 3 and s.status != "done")
        assert screen.query_one(OptionList).highlighted == following
        await pilot.press(*["up"] * (following - 3))
        await pilot.press("u")
        assert await wait_for(pilot, lambda: not step_done(app, "C00001", "travel_costs"))


async def test_enter_completes_too(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_customer(pilot, 1)
        await pilot.press("down", "enter")
        assert await wait_for(pilot, lambda: step_done(app, "C00002", "customer_created"))


async def test_blocked_step_says_why_and_changes_nothing(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customer(pilot, 2)
        await pilot.press("down", "down")
        detail = str(screen.query_one("#detail", Static).render())
        assert "Perché è bloccato: Prima completare: «Creazione anagrafica cliente»." in detail
        revision = app.office.revision()
        await pilot.press("space")
        assert await wait_for(pilot, lambda: bool(app.notes))  # the refusal came back
        assert app.office.revision() == revision
        assert not step_done(app, "C00003", "order_entered")
        assert [n.message for n in app.notes] == [
            "Prima completare: «Creazione anagrafica cliente»."
        ]


async def test_an_act_step_ticked_by_hand_asks_its_reason_and_says_so(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customer(pilot, 2)  # Gamma: forms not yet mailed
        await pilot.press("space")
        assert isinstance(app.screen, NoteDialog)  # the act is missing: a reason is asked
        await pilot.press("escape")
        assert not step_done(app, "C00003", "forms_sent")  # no reason, no tick
        await pilot.press("space", *"consegnati a mano in sede", "enter")
        assert await wait_for(pilot, lambda: step_done(app, "C00003", "forms_sent"))
        state = app.office.customer("C00003").steps["forms_sent"]
        assert (state.evidence, state.notes[-1].note) == ("manual", "consegnati a mano in sede")
        option = screen.query_one(OptionList).get_option_at_index
        assert await wait_for(pilot, lambda: "(a mano)" in str(option(0).prompt))
        await pilot.press("up")  # the cursor had gone on to the next step
        detail = str(screen.query_one("#detail", Static).render())
        assert "Prova: completato a mano" in detail


async def test_n_adds_a_note(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await open_customer(pilot, 2)
        await pilot.press("n")
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"chiamato il cliente", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CustomerScreen)
        notes = app.office.customer("C00003").steps["forms_sent"].notes
        assert [(n.by, n.note) for n in notes] == [("mario", "chiamato il cliente")]
        await pilot.press("n", *"da buttare", "escape")
        assert len(app.office.customer("C00003").steps["forms_sent"].notes) == 1


async def test_changes_by_another_process_appear(app: RecordingApp, data: Path) -> None:
    colleague = Office.open(data, user="giulia")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_customer(pilot, 2)
        colleague.checklist.set_step("C00003", "forms_sent", True, note="in prova")

        def shown() -> bool:
            prompt = str(screen.query_one(OptionList).get_option_at_index(0).prompt)
            return prompt.startswith("[x]")

        assert await wait_for(pilot, shown, seconds=3)
        assert screen.view is not None and screen.view.steps[0].done_by == "giulia"
        await pilot.press("escape")
        colleague.checklist.set_step("C00003", "forms_sent", False)

        assert await wait_for(pilot, lambda: listed(app)[2][2] == "0/15", seconds=3)


async def test_forms_ledger_beside_the_forms_steps(app: RecordingApp) -> None:
    app.office.checklist.form_sent("C00002", "privacy")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_customer(pilot, 1)
        detail = str(screen.query_one("#detail", Static).render())
        assert "[ ] Informativa privacy (art. 13 GDPR): manca dal 20/03/2025" in detail
        assert "[ ] Mandato SEPA SDD: manca (non ancora inviato)" in detail


async def test_l_shows_documents_mailings_and_audit(app: RecordingApp) -> None:
    from tui.screens.history import HistoryScreen

    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_customer(pilot, 0)
        await pilot.press("down", "down", "down", "space")
        code = screen.code
        assert await wait_for(pilot, lambda: "travel_costs" in app.office.customer(code).steps)
        await pilot.press("l")
        assert isinstance(app.screen, HistoryScreen)
        text = str(app.screen.query_one("#history-text", Static).render())
        assert "Registro delle modifiche" in text
        assert "mario: passo completato «Codifica trasferta chilometrica»" in text
        assert "travel_costs" not in text and "step.done" not in text
        await pilot.press("escape")
        assert app.screen is screen
