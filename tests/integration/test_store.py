"""The store on SQLite: atomic commits, one snapshot per read, refusal of damaged or unknown
databases, a torn WAL frame, and the one-time conversion of the previous format."""

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from procedure.config.locations import TEMPLATES_DIR
from procedure.demo import load_demo
from procedure.office import Office
from procedure.services.money.trends import Trends
from store import Store, StoreCorrupt, StoreVersionError
from tests.integration.test_company_procedure import SURVEY

FORMAT_1 = Path(__file__).resolve().parent.parent / "data" / "formato-1" / "store"


def open_store(root: Path) -> Store:
    return Store(root).open()


def test_commit_writes_documents_and_bumps_revision(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    before = store.revision()
    with store.transaction() as tx:
        tx.db("customers/C1").table("dossier").insert({"name": "Alfa"})
        tx.db("prospects").table("prospects").insert({"id": "P1"})
    assert store.revision() == before + 1
    assert store.snapshot("customers/C1").table("dossier").all() == [{"name": "Alfa"}]
    assert store.list_shards("customers") == ["customers/C1"]


def test_exception_leaves_store_unchanged(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 1})
    revision = store.revision()
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 2})
        tx.spill()  # already inside SQLite's transaction: rolled back with it
        raise RuntimeError("boom")
    assert store.snapshot("office").table("t").all() == [{"v": 1}]
    assert store.revision() == revision


def test_read_only_transaction_writes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    revision = store.revision()
    with store.transaction() as tx:
        tx.db("office").table("t").all()
    assert store.revision() == revision
    assert store.read_shard("office") is None


def test_a_fresh_tinydb_per_transaction_sees_other_writers(tmp_path: Path) -> None:
    first, second = open_store(tmp_path), open_store(tmp_path)
    for i in range(3):
        with first.transaction() as tx:
            tx.db("office").table("t").insert({"i": i})
        with second.transaction() as tx:
            tx.db("office").table("t").insert({"j": i})
    ids = [d.doc_id for d in first.snapshot("office").table("t").all()]
    assert ids == [1, 2, 3, 4, 5, 6]


def test_a_reading_sees_one_commit_while_another_lands(tmp_path: Path) -> None:
    """Everything read inside one reading comes from the same commit, though another
    process's store commits a change of two documents meanwhile."""
    reader, writer = open_store(tmp_path), open_store(tmp_path)
    with writer.transaction() as tx:
        tx.db("a").table("t").insert({"v": "old"})
        tx.db("b").table("t").insert({"v": "old"})
    with reader.reading():
        first = reader.snapshot("a").table("t").all()
        with writer.transaction() as tx:
            tx.db("a").table("t").update({"v": "new"})
            tx.db("b").table("t").update({"v": "new"})
        second = reader.snapshot("b").table("t").all()
        assert first == second == [{"v": "old"}]
    assert reader.snapshot("b").table("t").all() == [{"v": "new"}]


def test_a_damaged_document_is_refused_and_not_overwritten(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 1})
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE docs SET body = ? WHERE shard = 'office'", ('{"t": {"1": {"v"',))
    with pytest.raises(StoreCorrupt, match="office"):
        store.snapshot("office")
    with pytest.raises(StoreCorrupt), store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 2})
    with sqlite3.connect(store.path) as conn:
        body = conn.execute("SELECT body FROM docs WHERE shard = 'office'").fetchone()[0]
    assert body == '{"t": {"1": {"v"'


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema'")
    with pytest.raises(StoreVersionError, match="99"):
        open_store(tmp_path)


SCHEMA_3 = (  # what schema 4 added: the monthly totals of the plans and the forms waiting
    "DROP TABLE plan_months; DROP TABLE plan_totals; DROP TABLE waiting; "
    "DROP TRIGGER plan_out; DELETE FROM tally WHERE kind = 'sent'; DROP INDEX plans_head; "
    "ALTER TABLE plans DROP COLUMN head; UPDATE meta SET value = '3' WHERE key = 'schema';"
)


def test_a_database_of_schema_3_gets_its_monthly_totals_once(tmp_path: Path) -> None:
    """Schema 3 had no totals for Andamento: the first open adds the tables and makes the
    plans and list rows again, so that the charts read the same as before, from the
    totals; a colleague's process opening it afterwards finds it done."""
    office = Office.open(tmp_path, user="mario")
    load_demo(office)
    office.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    office.checklist.form_sent("C00003", "privacy")
    today = office.clock().date()
    before = Trends(office, office.billing).compute(today)
    assert sum(before.invoices) > 0 and sum(before.ages.values()) > 0
    with sqlite3.connect(office.store.path) as conn:
        conn.executescript(SCHEMA_3)
    again = Office.open(tmp_path, user="mario")
    assert again.store.upgraded
    with sqlite3.connect(again.store.path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("5",)
        assert conn.execute("SELECT count(*) FROM plans WHERE head = ''").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM plan_totals").fetchone()[0] > 0
    assert again.codes_outside([h for h, _ in again.plan_heads()]) == []
    assert Trends(again, again.billing).compute(today) == before
    assert again.store.integrity() == []
    assert not Office.open(tmp_path, user="mario").store.upgraded


def test_a_database_of_the_previous_schema_gets_its_tally_once(tmp_path: Path) -> None:
    """Schema 2 had no tally: the first open counts the rows already there, in one commit,
    and the triggers keep the counts from then on."""
    office = Office.open(tmp_path, user="mario")
    load_demo(office)
    with sqlite3.connect(office.store.path) as conn:
        conn.executescript(
            SCHEMA_3 + "DROP TABLE tally; DROP TRIGGER tally_in; DROP TRIGGER tally_out; "
            "DROP TRIGGER tally_pattern; DROP TRIGGER tally_terms; "
            "UPDATE meta SET value = '2' WHERE key = 'schema';"
        )
    again = Office.open(tmp_path, user="mario")
    with sqlite3.connect(again.store.path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("5",)
        assert conn.execute("SELECT n FROM tally WHERE kind = 'rows'").fetchone() == (3,)
    assert again.store.integrity() == []
    again.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    assert again.store.integrity() == []
    assert again.dashboard(limit=1).total == 3


def test_a_database_that_is_not_acquisto_is_refused(tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "acquisto.sqlite") as conn:
        conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
        conn.execute("INSERT INTO meta VALUES ('format', 'altro')")
    with pytest.raises(StoreCorrupt, match="non è un archivio dati di Acquisto"):
        open_store(tmp_path)


def test_a_file_that_is_not_a_database_is_refused_in_italian(tmp_path: Path) -> None:
    (tmp_path / "acquisto.sqlite").write_bytes(b"questo non e' un database" * 100)
    with pytest.raises(StoreCorrupt, match="danneggiato"):
        open_store(tmp_path)
    assert (tmp_path / "acquisto.sqlite").read_bytes().startswith(b"questo")


def test_data_without_meta_is_refused(tmp_path: Path) -> None:
    (tmp_path / "office.json").write_text("{}")
    with pytest.raises(StoreCorrupt, match=r"meta\.json"):
        open_store(tmp_path)
    assert not (tmp_path / "acquisto.sqlite").exists()


def test_the_database_has_the_modes_the_umask_gives(tmp_path: Path) -> None:
    """The service's umask (027): the office group reads the database, only the service
    writes it, nobody else sees it; the program never widens that."""
    old = os.umask(0o027)
    try:
        store = open_store(tmp_path)
        with store.transaction() as tx:
            tx.db("customers/C1").table("dossier").insert({"v": 1})
    finally:
        os.umask(old)
    assert store.path.stat().st_mode & 0o777 == 0o640


def test_shard_names_cannot_escape(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with pytest.raises(Exception, match="non valido"):
        store.read_shard("../outside")


def test_a_large_commit_is_all_or_nothing(tmp_path: Path) -> None:
    """Thousands of documents spilled into the open transaction: an exception before the
    commit leaves none of them."""
    store = open_store(tmp_path)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        for i in range(2000):
            tx.db(f"customers/C{i:04d}").table("dossier").insert({"n": i})
            if i % 500 == 499:
                tx.spill()
        raise RuntimeError("boom")
    assert store.list_shards("customers") == []
    with store.transaction() as tx:
        for i in range(2000):
            tx.db(f"customers/C{i:04d}").table("dossier").insert({"n": i})
    assert len(store.list_shards("customers")) == 2000


def _wal_with_two_commits(tmp_path: Path) -> tuple[Path, Path]:
    """A database whose WAL holds two commits (copied while its writer still has it open,
    as a power cut would leave it): the note "uno", then "due"."""
    store = open_store(tmp_path / "live")
    with store.transaction() as tx:
        tx.db("office").table("t").insert({"note": "uno"})
    with store.transaction() as tx:
        tx.db("office").table("t").update({"note": "due"})
    copy = tmp_path / "copia"
    copy.mkdir()
    for name in (store.path.name, f"{store.path.name}-wal"):
        shutil.copyfile(store.path.parent / name, copy / name)
    return copy, copy / f"{store.path.name}-wal"


def test_a_garbled_last_wal_frame_opens_at_the_last_whole_commit(tmp_path: Path) -> None:
    copy, wal = _wal_with_two_commits(tmp_path)
    assert open_store(copy).snapshot("office").table("t").all() == [{"note": "due"}]
    copy, wal = _wal_with_two_commits(tmp_path / "di-nuovo")
    raw = bytearray(wal.read_bytes())
    page_size = int.from_bytes(raw[8:12], "big")
    frame = 24 + page_size
    assert (len(raw) - 32) % frame == 0 and len(raw) > 32 + frame
    raw[-page_size // 2] ^= 0xFF  # the last frame's page no longer matches its checksum
    wal.write_bytes(bytes(raw))
    store = open_store(copy)
    assert store.snapshot("office").table("t").all() == [{"note": "uno"}]
    assert store.integrity() == []


def test_a_folder_of_the_previous_format_is_converted_once(tmp_path: Path) -> None:
    """The demo written by the previous version (JSON shards and its commit log), with a
    dossier whose file never reached the disk (its record is in the log): converted all at
    once by the first open, the old files moved aside into a dated folder."""
    data = tmp_path / "data"
    shutil.copytree(FORMAT_1, data / "store")
    (data / "store" / "customers" / "C00002.json").unlink()  # only the log has it now
    office = Office.open(data)
    assert office.migrated is not None and office.migrated.parent == data / "store"
    assert office.migrated.name.startswith("formato-precedente-")
    assert (office.migrated / "meta.json").is_file()
    assert (office.migrated / "journal.log").is_file()
    assert sorted(p.name for p in (data / "store").iterdir() if not p.name.startswith("."))[:1] == [
        "acquisto.sqlite"
    ]
    assert not (data / "store" / "meta.json").exists()
    assert [s.code for s in office.list_customers()] == ["C00001", "C00002", "C00003"]
    note = office.customer("C00002").steps["forms_sent"].notes[-1]
    assert note.note == "telefonato il 20/03"
    assert [e["target"] for e in office.audit("C00002")][-1] == "forms_sent"
    assert office.office_audit() and office.prospects()
    assert set(office.products()) >= {"GEST-BASE", "GEST-MAG"}
    assert office.billing_plans()
    again = Office.open(data)
    assert again.migrated is None
    assert again.customer("C00001") == office.customer("C00001")


def test_a_damaged_folder_of_the_previous_format_is_left_as_it_was(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FORMAT_1, data / "store")
    dossier = data / "store" / "customers" / "C00001.json"
    dossier.write_text("{ rotto")
    before = {p: p.read_bytes() for p in (data / "store").rglob("*") if p.is_file()}
    with pytest.raises(StoreCorrupt, match=r"C00001\.json"):
        Office.open(data)
    after = {p: p.read_bytes() for p in (data / "store").rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if p.name != "lock"} == {
        p: b for p, b in before.items() if p.name != "lock"
    }
    assert not (data / "store" / "acquisto.sqlite").exists()
    assert json.loads((data / "store" / "meta.json").read_text())["schema"] == 1


def test_a_database_of_schema_4_records_the_customers_who_finished(tmp_path: Path) -> None:
    """Schema 4's dossiers did not say which customers finished: the upgrade records it
    (in the dossier, with the procedure's steps), so that a step the company adds later
    does not reopen them; customers in progress get it."""
    office = Office.open(tmp_path, user="mario")
    load_demo(office)
    with office.dossiers.unit() as unit:  # a customer who finished under schema 4
        data = unit.customer("C00003")
        assert data is not None
        every = {s.id: {"done": True, "done_by": "mario"} for s in office.defs.steps}
        data["customer"]["steps"] = every
        unit.put_customer("C00003", data, unit.list_row("C00003") or {})
    with sqlite3.connect(office.store.path) as conn:
        conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    again = Office.open(tmp_path, user="mario")
    assert again.store.upgraded
    finished = again.customer("C00003").finished
    assert finished is not None and finished.steps == [s.id for s in again.defs.steps]
    assert again.customer("C00001").finished is None
    folder = tmp_path / "modelli"
    folder.mkdir(exist_ok=True)
    shipped = (TEMPLATES_DIR / "procedure.toml").read_text(encoding="utf-8")
    (folder / "procedure.toml").write_text(shipped + SURVEY, encoding="utf-8")
    lines = {s.code: s for s in again.list_customers()}
    assert (lines["C00003"].progress, lines["C00003"].next_title) == (
        "15/15",
        "Procedura completata",
    )
    assert lines["C00001"].total == 16
    assert len(again.view("C00003").steps) == 15 and len(again.view("C00001").steps) == 16
