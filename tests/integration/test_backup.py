"""Backups while colleagues work: consistent, restorable, and holding every change that was
acknowledged before the backup began."""

import io
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
    backup_while_four_processes_write(demo.settings.data_dir, tmp_path, capsys)


def backup_while_four_processes_write(
    data: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four real processes add notes while ``backup`` runs: the backup restores into a
    folder that ``check`` passes, holding every note acknowledged before it began."""
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
    with tarfile.open(backup) as tar:  # SQLite's online backup: one file, whole
        members = set(tar.getnames())
    assert "store/acquisto.sqlite" in members
    assert not {m for m in members if m.endswith(("-wal", "-shm"))}
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


def _tar(path: Path, members: list[tuple[str, bytes | None]]) -> Path:
    """A .tar.gz of ``members`` (name, bytes; None makes a symbolic link to /etc/passwd)."""
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize("bad_first", [True, False])
def test_a_refused_restore_leaves_nothing_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bad_first: bool
) -> None:
    good = [("config.toml", b"[azienda]\n"), ("modelli/nota.txt", b"ciao")]
    bad = [("../fuori.txt", b"via")]
    backup = _tar(tmp_path / "mista.tar.gz", bad + good if bad_first else good + bad)
    target = tmp_path / "vuota"
    assert main(["--data", str(target), "restore", str(backup)]) == 1
    assert "nulla è stato ripristinato" in capsys.readouterr().err
    assert not target.exists() and not (tmp_path / "fuori.txt").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["mista.tar.gz"]


def test_a_backup_of_only_a_link_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = _tar(tmp_path / "link.tar.gz", [("config.toml", None)])
    assert main(["--data", str(tmp_path / "vuota"), "restore", str(backup)]) == 1
    assert "config.toml" in capsys.readouterr().err
    assert not (tmp_path / "vuota").exists()


def test_restore_only_into_an_empty_folder_and_only_inside_it(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
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
