"""Chasing: outstanding forms, reminders at most once per interval, dry runs."""

from email import message_from_bytes, policy
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from procedure.rules.chasing import outstanding


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str]:
    code = main(["--data", str(data), *args])
    return code, capsys.readouterr().out


def test_reminders_once_per_interval(capsys: pytest.CaptureFixture[str], demo: Office) -> None:
    data = demo.settings.data_dir
    demo.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    demo.checklist.form_sent(
        "C00003", "privacy"
    )  # on the fixture's date, long before the CLI's today
    code, out = run(capsys, data, "remind", "--dry-run")
    assert code == 0
    lines = out.splitlines()
    prefix = "C00003 Gamma Prova Logistica S.p.A.: sollecito per"
    assert any(line.startswith(prefix) for line in lines)
    assert "Informativa privacy" in out and "Raccolta Dati Anagrafici" in out
    assert not list(data.glob("outbox/*.eml"))  # a dry run sends nothing
    code, out = run(capsys, data, "remind")
    assert "C00003 Gamma Prova Logistica S.p.A.: sollecito inviato" in out
    (eml,) = [p for p in (data / "outbox").glob("*.eml") if "C00003" in p.name]
    body = message_from_bytes(eml.read_bytes(), policy=policy.default).get_body()
    assert body is not None
    text = body.get_content()
    assert "- Nomina a Responsabile del trattamento (art. 28 GDPR)" in text
    assert "Contratto di assistenza firmato" in text
    assert "C00003" not in run(capsys, data, "remind", "--dry-run")[1]  # chased today
    ctx = demo.context(demo.customer("C00003"))
    assert {o.form: o.reminders for o in outstanding(ctx)}["privacy"] == 1


def test_customers_without_forms_sent_are_not_chased(
    capsys: pytest.CaptureFixture[str], demo: Office
) -> None:
    code, out = run(capsys, demo.settings.data_dir, "remind", "--dry-run")
    assert code == 0
    assert "C00003" not in out  # forms never sent: nothing to chase yet
