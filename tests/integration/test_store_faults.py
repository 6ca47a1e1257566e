"""A store file that is wrong-shaped, unreadable, missing or a symlink, and the system's own
errors (a full disk, a read-only disk, no permission): every command answers in Italian,
names the file and what to do, never with a traceback, and nothing changes."""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from main import main
from procedure.demo import load_demo
from procedure.errors import os_message
from procedure.office import Office
from tests.conftest import ROOT, raw_sql, store_dump

WRONG_SHAPES = [
    '{"dossier": 5}',
    '{"dossier": {"1": 5}}',
    '{"dossier": {"1": {"customer": 5, "rev": 1}}}',
    '{"dossier": {"1": {"customer": {"code": "C00002"}, "rev": "uno"}}}',
    '{"dossier": {"1": {"customer": {"code": "C00002", "contracts": 7}, "rev": 1}}}',
    "[]",
]


def run(office: Office, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data", str(office.settings.data_dir), *args])
    out, err = capsys.readouterr()
    return code, out + err


@pytest.mark.parametrize("body", WRONG_SHAPES)
def test_a_wrong_shaped_dossier_is_named_by_every_command(
    demo: Office, capsys: pytest.CaptureFixture[str], body: str
) -> None:
    raw_sql(demo, "UPDATE docs SET body = ? WHERE shard = 'customers/C00002'", body)
    before = store_dump(demo)
    for args in (("show", "C00002"), ("check",), ("check", "--repair"), ("export",)):
        code, said = run(demo, capsys, *args)
        assert code != 0 and "Traceback" not in said, (args, said)
        assert "C00002" in said and "danneggiato" in said, (args, said)
        assert "acquisto restore" in said, (args, said)
    code, said = run(demo, capsys, "show", "C00001")  # the others still open
    assert code == 0 and "Alfa" in said
    assert store_dump(demo) == before


def test_a_database_that_is_a_symlink_is_not_followed(
    demo: Office, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = demo.store.path
    elsewhere = tmp_path / "altrove.sqlite"
    demo.store.db.close()
    shutil.move(db, elsewhere)
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    db.symlink_to(elsewhere)
    code, said = run(demo, capsys, "list")
    assert code == 2 and "collegamento simbolico" in said and str(db) in said
    assert "Traceback" not in said


def test_a_lost_database_beside_its_wal_is_not_replaced_by_an_empty_one(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    db = demo.store.path
    raw_sql(demo, "PRAGMA wal_checkpoint(PASSIVE)")
    demo.store.db.close()
    wal = Path(f"{db}-wal")
    if not wal.exists():  # the last connection's close may have folded it in
        wal.write_bytes(b"\0" * 32)  # the log is there, its database gone
    db.unlink()
    code, said = run(demo, capsys, "list")
    assert code == 2 and "manca" in said and "acquisto restore" in said
    assert not db.exists()  # not made again, empty, over the log


# -- the system's own errors ---------------------------------------------------------------

ROOT_ONLY = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("mount") is None,
    reason="needs root to mount a small tmpfs",
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 4 MB tmpfs, unmounted after the test."""
    point = tmp_path / "disco"
    point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(point)])
    if done.returncode != 0:
        pytest.skip("tmpfs cannot be mounted here")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], check=True)


def cli(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``acquisto`` in a process of its own, as a person runs it."""
    command = [sys.executable, str(ROOT / "main.py"), "--data", str(data), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=ROOT)


def demo_on(disk: Path) -> tuple[Office, Path]:
    """The demo's data folder on ``disk``, its database closed (other processes use it)."""
    data = disk / "dati"
    office = Office.open(data, user="mario")
    load_demo(office)
    office.store.db.close()
    return office, data


def fill(disk: Path) -> Path:
    """Take every free byte of ``disk``."""
    filler = disk / "riempitivo"
    with filler.open("wb") as f:
        try:
            while True:
                f.write(b"\0" * 65536)
                f.flush()
        except OSError:
            pass
    return filler


@ROOT_ONLY
def test_a_full_disk_is_told_in_italian_and_changes_nothing(small_disk: Path) -> None:
    office, data = demo_on(small_disk)
    before = store_dump(office)
    filler = fill(small_disk)
    note = cli(data, "note", "C00001", "forms_sent", "x" * 100_000)
    docs = cli(data, "docs", "C00003", "forms")
    for done in (note, docs):
        assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
        assert "disco è pieno" in done.stderr and "Errno" not in done.stderr, done.stderr
    assert store_dump(office) == before
    filler.unlink()
    assert cli(data, "note", "C00001", "forms_sent", "dopo").returncode == 0


@ROOT_ONLY
def test_a_read_only_disk_is_told_in_italian_and_changes_nothing(small_disk: Path) -> None:
    office, _ = demo_on(small_disk)
    before = store_dump(office)
    view = small_disk.parent / "sola-lettura"  # the same folder, mounted read-only
    view.mkdir()
    subprocess.run(["mount", "--bind", str(small_disk), str(view)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(view)], check=True)
        done = cli(view / "dati", "note", "C00001", "forms_sent", "in sola lettura")
    finally:
        subprocess.run(["umount", "-l", str(view)], check=True)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "sola lettura" in done.stderr and "Errno" not in done.stderr, done.stderr
    assert store_dump(office) == before


@pytest.mark.parametrize(
    ("number", "says"),
    [
        (28, "il disco è pieno"),
        (13, "permesso negato"),
        (30, "il disco è in sola lettura"),
        (5, "errore di lettura o scrittura del disco"),
    ],
)
def test_the_system_s_errors_read_in_italian(tmp_path: Path, number: int, says: str) -> None:
    err = OSError(number, os.strerror(number), str(tmp_path / "Contratto.pdf"))
    message = os_message(err)
    assert message == f"{tmp_path / 'Contratto.pdf'}: {says}; l'operazione non è stata fatta."


def test_a_wrong_shaped_catalogue_is_named(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_sql(demo, "UPDATE docs SET body = ? WHERE shard = 'catalogue'", json.dumps({"x": [1]}))
    code, said = run(demo, capsys, "show", "C00001")
    assert code != 0 and "Traceback" not in said
    assert "catalogue" in said and "danneggiato" in said


WITHOUT_OVERRIDE = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--"]
NO_OVERRIDE = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root and setpriv to run without the right to read any file",
)


@NO_OVERRIDE
def test_a_database_without_permission_is_told_in_italian(demo: Office) -> None:
    """The database readable by nobody (a process without root's override of file
    permissions reads it as a colleague would): named, in Italian, and left as it was."""
    demo.store.db.close()
    before = store_dump(demo)
    files = [p for p in demo.store.path.parent.iterdir() if p.is_file()]
    for path in files:
        path.chmod(0o000)
    try:
        command = [sys.executable, str(ROOT / "main.py"), "--data", str(demo.settings.data_dir)]
        done = subprocess.run(
            [*WITHOUT_OVERRIDE, *command, "show", "C00001"],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    finally:
        for path in files:
            path.chmod(0o660)
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    assert f"{demo.store.path}: il database non si può aprire (permesso negato)" in done.stderr
    assert "Errno" not in done.stderr and "unable" not in done.stderr
    assert store_dump(demo) == before


@NO_OVERRIDE
def test_an_archive_folder_without_permission_is_told_in_italian(demo: Office) -> None:
    demo.filing.ensure_tree()
    folder = demo.filing.customer_dir(demo.customer("C00003"))
    folder.mkdir(parents=True, exist_ok=True)
    demo.store.db.close()
    before = store_dump(demo)
    folders = [folder, *(p for p in folder.rglob("*") if p.is_dir())]
    for each in folders:
        each.chmod(0o555)
    try:
        command = [sys.executable, str(ROOT / "main.py"), "--data", str(demo.settings.data_dir)]
        done = subprocess.run(
            [*WITHOUT_OVERRIDE, *command, "docs", "C00003", "forms"],
            capture_output=True, text=True, timeout=120, cwd=ROOT,
        )  # fmt: skip
    finally:
        for each in folders:
            each.chmod(0o775)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert "permesso negato" in done.stderr and "Errno" not in done.stderr, done.stderr
    assert store_dump(demo) == before
