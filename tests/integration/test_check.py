"""``acquisto check``: the data folder verified; ``--repair`` rebuilds what is derived."""

import sqlite3
from pathlib import Path

import pytest

from main import main
from procedure.office import Office


def check(office: Office, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--data", str(office.settings.data_dir), "check", *extra])
    return code, capsys.readouterr().out


def sql(office: Office, statement: str, *args: object) -> None:
    """Change the database behind the program's back, as a damaged disk or a hostile
    hand would."""
    with sqlite3.connect(office.store.path) as conn:
        conn.execute(statement, args)


def test_a_whole_folder_passes(demo: Office, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = check(demo, capsys)
    assert (code, out) == (0, "Controllate 3 schede cliente: nessun problema.\n")


def test_a_lost_list_is_rebuilt_never_shown_empty(demo: Office) -> None:
    sql(demo, "DELETE FROM list")
    assert [s.code for s in demo.list_customers()] == ["C00001", "C00002", "C00003"]
    assert demo.count_customers() == 3


def test_a_wrong_list_row_is_found_and_repaired(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(demo, "UPDATE list SET forms_returned = 4 WHERE code = 'C00002'")
    code, out = check(demo, capsys)
    assert code == 1 and "C00002: la riga dell'elenco non corrisponde alla scheda" in out
    code, out = check(demo, capsys, "--repair")
    assert code == 0, out
    (row,) = [s for s in demo.list_customers() if s.code == "C00002"]
    assert row.forms_returned == 0


def test_a_list_row_without_a_dossier_is_found_and_removed(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    sql(demo, "DELETE FROM docs WHERE shard = 'customers/C00003'")
    code, out = check(demo, capsys)
    assert code == 1 and "C00003: nell'elenco ma senza scheda" in out
    code, out = check(demo, capsys, "--repair")
    assert code == 0, out
    assert [s.code for s in demo.list_customers()] == ["C00001", "C00002"]


def test_a_damaged_document_and_a_missing_scan_are_reported(
    demo: Office, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demo.checklist.form_returned("C00003", "privacy", str(tmp_path / "sparito.pdf"))
    sql(demo, "UPDATE docs SET body = '{ rotto' WHERE shard = 'prospects'")
    code, out = check(demo, capsys)
    assert code == 1
    assert "prospects dell'archivio dati è danneggiato" in out
    assert "C00003: il modulo privacy indica" in out and "sparito.pdf, che non esiste" in out


def test_the_demo_ledger_names_a_file_that_exists(demo: Office) -> None:
    record = demo.customer("C00001").forms["master_data"]
    assert record.file and Path(record.file).is_file()
    Path(record.file).unlink()
    report = demo_check(demo)
    assert any("C00001: il modulo master_data indica" in p for p in report)


def demo_check(office: Office) -> list[str]:
    from procedure.services.check import Check

    return Check(office).run().problems


def test_sqlite_integrity_check_is_run(demo: Office, capsys: pytest.CaptureFixture[str]) -> None:
    """A damaged index (rows the table has and the index lacks) is what SQLite's own check
    finds: ``check`` reports it."""
    with sqlite3.connect(demo.store.path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'list_vat'").fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    with demo.store.path.open("r+b") as f:  # wipe the index's root page: cells gone
        f.seek((root[0] - 1) * page_size)
        f.write(bytes([0x0A]) + bytes(7) + bytes(page_size - 8))
    code, out = check(demo, capsys)
    assert code == 1 and "acquisto.sqlite" in out


def test_counts_that_disagree_with_the_rows_are_found_and_made_again(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    """The counts the dashboard reads (rows, per progress, per contract terms) are kept by
    triggers; counts changed behind them are found by ``check`` and made again."""
    states = demo.list_states()
    sql(demo, "UPDATE tally SET n = n + 7 WHERE kind = 'rows'")
    sql(demo, "DELETE FROM tally WHERE kind = 'pattern'")
    assert demo.dashboard(limit=1).total == 10
    code, out = check(demo, capsys)
    assert code == 1 and "i conteggi dell'elenco non corrispondono alle righe" in out
    code, out = check(demo, capsys, "--repair")
    assert code == 0, out
    assert demo.dashboard(limit=1).total == 3
    assert demo.list_states() == states


def test_a_search_index_that_lost_a_row_is_found_and_made_again(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    name = demo.customer("C00002").name
    word = name.split()[0]
    assert "C00002" in [s.code for s in demo.dashboard(word).rows]
    sql(demo, "DELETE FROM list_search WHERE code = 'C00002'")
    assert "C00002" not in [s.code for s in demo.dashboard(word).rows]
    code, out = check(demo, capsys)
    assert code == 1 and "l'indice di ricerca dell'elenco non corrisponde alle righe" in out
    code, out = check(demo, capsys, "--repair")
    assert code == 0, out
    assert "C00002" in [s.code for s in demo.dashboard(word).rows]
