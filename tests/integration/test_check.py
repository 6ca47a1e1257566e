"""``acquisto check``: the data folder verified; ``--repair`` rebuilds what is derived."""

import json
import shutil
from pathlib import Path

import pytest

from main import main
from procedure.office import Office


def check(office: Office, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data", str(office.settings.data_dir), "check", *extra])
    return code, capsys.readouterr().out


def test_a_whole_folder_passes(demo: Office, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(demo, capsys)
    assert (code, out) == (0, "Controllate 3 schede cliente: nessun problema.\n")


def test_a_lost_index_is_rebuilt_never_shown_empty(demo: Office) -> None:
    shutil.rmtree(demo.settings.store_dir / "list")
    assert [s.code for s in demo.list_customers()] == ["C00001", "C00002", "C00003"]
    assert list((demo.settings.store_dir / "list").glob("*.json"))


def test_list_lines_of_an_older_format_are_made_again(demo: Office) -> None:
    """The first layout's 64 hashed buckets are removed at start-up and the list rebuilt
    from the dossiers; a line of an unknown format is made again from its dossier."""
    store = demo.settings.store_dir
    shutil.rmtree(store / "list")
    (store / "index").mkdir()
    (store / "index" / "07.json").write_text('{"customers": {"1": {"code": "C00001"}}}')
    office = Office.open(demo.settings.data_dir, user="anna")
    assert not (store / "index").exists()
    assert [s.code for s in office.list_customers()] == ["C00001", "C00002", "C00003"]
    (bucket,) = (store / "list").glob("*.json")
    data = json.loads(bucket.read_text())
    data["lines"]["C00002"] = "L1\x1fC00002\x1fvecchia riga"
    bucket.write_text(json.dumps(data))
    (row,) = [s for s in office.list_customers() if s.code == "C00002"]
    assert row.total == 15 and row.name == office.customer("C00002").name


def test_a_wrong_list_line_is_found_and_repaired(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    (bucket,) = (demo.settings.store_dir / "list").glob("*.json")
    data = json.loads(bucket.read_text())
    fields = data["lines"]["C00002"].split("\x7f")
    fields[3] = "14"  # steps done
    data["lines"]["C00002"] = "\x7f".join(fields)
    bucket.write_text(json.dumps(data))
    code, out = check(demo, capsys)
    assert code == 1 and "C00002: la riga dell'elenco non corrisponde alla scheda" in out
    code, out = check(demo, capsys, "--repair")
    assert code == 0, out
    (row,) = [s for s in demo.list_customers() if s.code == "C00002"]
    assert row.done == 1


def test_a_damaged_file_and_a_missing_scan_are_reported(
    demo: Office, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demo.checklist.form_returned("C00003", "privacy", str(tmp_path / "sparito.pdf"))
    (demo.settings.store_dir / "prospects.json").write_text("{ rotto")
    code, out = check(demo, capsys)
    assert code == 1
    assert "prospects.json è danneggiato" in out
    assert "C00003: il modulo privacy indica" in out and "sparito.pdf, che non esiste" in out


def test_files_left_by_a_killed_writer_are_found_and_removed(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    left = demo.settings.store_dir / "customers" / ".C00001.json.0123456789ab.stage"
    left.write_text("{half")
    code, out = check(demo, capsys)
    assert code == 1 and "file temporaneo di un salvataggio interrotto" in out
    code, out = check(demo, capsys, "--repair")
    assert code == 0 and not left.exists()
