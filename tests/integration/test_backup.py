"""Backups while colleagues work: consistent, restorable, and holding every change that was
acknowledged before the backup began."""

import subprocess
import sys
import tarfile
import time
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(600)


def acked(files: list[Path]) -> set[str]:
    return {line for f in files if f.exists() for line in f.read_text().splitlines()}


def test_backup_while_four_processes_write_restores_whole(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = demo.settings.data_dir
    stop = tmp_path / "stop"
    acks = [tmp_path / f"acks-{i}" for i in range(4)]
    codes = ["C00001", "C00002", "C00003", "C00001"]
    noter = [sys.executable, "-m", "tests.integration.noter", str(data)]
    procs = [
        subprocess.Popen([*noter, code, f"collega{i}", str(ack), str(stop)], cwd=ROOT)
        for i, (code, ack) in enumerate(zip(codes, acks, strict=True))
    ]
    try:
        deadline = time.monotonic() + 120
        while any(len(acked([a])) < 3 for a in acks) and time.monotonic() < deadline:
            time.sleep(0.05)  # real processes at work: wait for their first commits
        before = acked(acks)  # acknowledged before the backup begins
        assert len(before) >= 12
        backup = tmp_path / "copia.tar.gz"
        assert main(["--data", str(data), "backup", str(backup)]) == 0
    finally:
        stop.touch()
        for p in procs:
            assert p.wait(120) == 0
    with tarfile.open(backup) as tar:  # the shards, frozen; never a journal written in place
        members = set(tar.getnames())
    assert "store/customers/C00001.json" in members and "store/journal.log" not in members
    restored = tmp_path / "ripristino"
    assert main(["--data", str(restored), "restore", str(backup)]) == 0
    capsys.readouterr()
    assert main(["--data", str(restored), "check"]) == 0, capsys.readouterr().out
    office = Office.open(restored)
    notes = {
        n.note
        for code in ("C00001", "C00002", "C00003")
        for n in office.customer(code).steps["forms_sent"].notes
    }
    assert before <= notes


def test_restore_only_into_an_empty_folder_and_only_inside_it(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import tarfile

    backup = tmp_path / "copia.tar.gz"
    assert main(["--data", str(demo.settings.data_dir), "backup", str(backup)]) == 0
    assert main(["--data", str(demo.settings.data_dir), "restore", str(backup)]) == 1
    assert "non è vuota" in capsys.readouterr().err
    evil = tmp_path / "cattiva.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("../fuori.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"ciao"[:3]))
    assert main(["--data", str(tmp_path / "vuota"), "restore", str(evil)]) == 1
    assert not (tmp_path / "fuori.txt").exists()
