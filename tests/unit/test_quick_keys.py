"""What the TUI does so that a key is answered quickly: the cycle collector set aside from
what the start made and run less often, the IBAN registry loaded ahead of the first form,
Textual's own validation (which restyles every field) left out. Each runs in a process of
its own: a test run must not keep the collector so tuned."""

import subprocess
import sys

from tests.conftest import ROOT


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_the_collector_is_quieted_once_the_app_started() -> None:
    out = _run(
        "import gc\n"
        "from tui.app import GC_ALLOCATIONS, quiet_collector\n"
        "before = gc.get_threshold()[0], gc.get_freeze_count()\n"
        "quiet_collector()\n"
        "print(before, (gc.get_threshold()[0], gc.get_freeze_count() > 10000), GC_ALLOCATIONS)"
    )
    assert out == "(700, 0) (20000, True) 20000"


def test_the_iban_registry_is_loaded_ahead_of_the_first_form() -> None:
    out = _run(
        "import sys\n"
        "from procedure.rules.validation import prepare\n"
        "before = 'schwifty' in sys.modules\n"
        "prepare()\n"
        "print(before, 'schwifty' in sys.modules)"
    )
    assert out == "False True"


async def test_form_fields_are_not_restyled_by_textual_validation() -> None:
    from textual.app import App, ComposeResult

    from tui.widgets.italian import Input

    class Form(App[None]):
        def compose(self) -> ComposeResult:
            yield Input("IT60X0542811101000000123456", id="ours")
            yield Input("x", id="asked", validate_on=["changed"])

    async with Form().run_test() as pilot:
        await pilot.pause()
        ours, asked = pilot.app.query_one("#ours", Input), pilot.app.query_one("#asked", Input)
        assert ours.validate_on == set() and not ours.has_class("-valid")
        assert asked.has_class("-valid")  # Textual's validation, where a form asks for it
