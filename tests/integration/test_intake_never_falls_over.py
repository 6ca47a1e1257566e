"""Intake that never falls over: whatever lands in "Da archiviare" (bytes that are no PDF, a
.docx that is no zip, a FIFO, a link, an empty file, a name that is not UTF-8, an envelope
with three signers, a file nobody may read) is listed by ``intake --json`` with its reason,
and ``scan`` and ``watch`` go on filing the good files beside it."""

import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from tests.conftest import ROOT
from tests.integration.signing import make_party, parallel
from tests.integration.test_store_faults import NO_OVERRIDE, WITHOUT_OVERRIDE
from tests.integration.test_watch import returned, wait_until

pytestmark = pytest.mark.timeout(300)
LOOP = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""
BAD_NAME = b"scansione \xff\xfe.pdf"
EXPECTED = {
    "casuale.pdf": "file non leggibile: non è un PDF valido",
    "finto.docx": "file non leggibile: non è un documento Word (.docx) valido",
    "ciclo.pdf": "file non leggibile: non è un PDF valido",
    "vuoto.pdf": "file vuoto",
    "tubo.pdf": "non è un file regolare",
    "collegamento.pdf": "non è un file regolare",
    "~$bozza.docx": "file temporaneo o nascosto: ignorato",
    "tre firme.txt.p7m": "nessun codice QR di Acquisto leggibile",
    "scansione \\xff\\xfe.pdf": "nome del file non in UTF-8: rinominarlo",
}


def drop_bad_files(office: Office) -> Path:
    """Every kind of bad file in the intake folder; returns that folder."""
    office.filing.ensure_tree()
    intake = office.filing.intake
    noise = random.Random(27)
    (intake / "casuale.pdf").write_bytes(noise.randbytes(5000))
    (intake / "finto.docx").write_bytes(noise.randbytes(3000))
    (intake / "ciclo.pdf").write_bytes(LOOP)
    (intake / "vuoto.pdf").write_bytes(b"")
    (intake / "~$bozza.docx").write_bytes(b"x")
    os.mkfifo(intake / "tubo.pdf")
    (intake / "collegamento.pdf").symlink_to("/etc/hostname")
    parties = [make_party(), make_party("Luigi Bianchi"), make_party("Anna Verdi")]
    (intake / "tre firme.txt.p7m").write_bytes(parallel(parties, b"documento senza codice QR"))
    with open(os.path.join(os.fsencode(intake), BAD_NAME), "wb") as f:
        f.write(noise.randbytes(2000))
    return intake


def good_file(office: Office) -> bytes:
    """A generated privacy notice, its QR code on it: a return ``scan`` files by itself."""
    records = office.documents.generate("C00002", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    return Path(privacy.pdf).read_bytes()


def handled(office: Office) -> str:
    """What the watcher's state file says it has handled ("" before its first pass)."""
    state = office.settings.data_dir / "watch-state.json"
    return state.read_text() if state.exists() else ""


def intake_rows(data: str, capsys: pytest.CaptureFixture[str]) -> dict[str, dict]:  # type: ignore[type-arg]
    capsys.readouterr()
    assert main(["--data", data, "intake", "--json"]) == 0
    return {Path(r["file"]).name: r for r in json.loads(capsys.readouterr().out)}


def test_scan_and_intake_list_every_bad_file_with_its_reason(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    intake = drop_bad_files(demo)
    (intake / "buono.pdf").write_bytes(good_file(demo))
    data = str(demo.settings.data_dir)
    capsys.readouterr()
    assert main(["--data", data, "scan"]) == 0  # no error: every file had an answer
    said = capsys.readouterr().out
    assert "C00002 privacy rientrato" in said
    assert "scansione \\xff\\xfe.pdf" in said  # shown escaped, never a crash
    assert returned(demo, "C00002", "privacy")
    rows = intake_rows(data, capsys)
    assert set(rows) == set(EXPECTED)  # every one, and the good file gone to its slot
    for name, reason in EXPECTED.items():
        assert reason in rows[name]["reason"], (name, rows[name])
    assert "tre firme.txt.p7m" in os.listdir(intake)  # the envelope waits, whole


def test_watch_goes_on_filing_beside_bad_files(demo: Office) -> None:
    intake = drop_bad_files(demo)
    config = demo.settings.config_path
    config.write_text(
        config.read_text().replace("stability_seconds = 3.0", "stability_seconds = 0.2")
    )
    command = [sys.executable, "main.py", "--data", str(demo.settings.data_dir), "watch"]
    watcher = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert wait_until(lambda: "scansione" in handled(demo), 120)  # the bad name passed
        (intake / "buono.pdf").write_bytes(good_file(demo))
        assert wait_until(lambda: returned(demo, "C00002", "privacy"), 120)
        assert watcher.poll() is None  # alive, and still the one watching
    finally:
        watcher.send_signal(signal.SIGTERM)
        _, err = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, err
    assert b"Traceback" not in err


@NO_OVERRIDE
def test_a_file_nobody_may_read_is_listed_and_taken_once_readable(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hard link to a file its owner keeps unreadable: told, and not marked handled, so
    that once its permissions are mended the next pass takes it."""
    demo.filing.ensure_tree()
    secret = tmp_path / "segreto.pdf"
    secret.write_bytes(good_file(demo))
    secret.chmod(0o000)
    os.link(secret, demo.filing.intake / "collegamento fisico.pdf")
    data = str(demo.settings.data_dir)
    command = [sys.executable, str(ROOT / "main.py"), "--data", data]
    for args in (["scan"], ["intake", "--json"]):
        done = subprocess.run(
            [*WITHOUT_OVERRIDE, *command, *args], capture_output=True, text=True, timeout=120,
            cwd=ROOT,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert "file non leggibile: permesso negato" in done.stdout
        assert "Traceback" not in done.stderr
    assert not returned(demo, "C00002", "privacy")
    secret.chmod(0o644)
    capsys.readouterr()
    assert main(["--data", data, "scan"]) == 0
    assert returned(demo, "C00002", "privacy")  # taken now: it was never marked handled
