"""The store: atomic commits, refusal of corrupt or unknown stores, journal recovery."""

import json
from pathlib import Path

import pytest

from safefiles import dump_json
from store import Store, StoreCorrupt, StoreVersionError
from tests.conftest import journal_settled


def open_store(root: Path) -> Store:
    return Store(root).open()


def test_commit_writes_shards_and_bumps_revision(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    before = store.revision()
    with store.transaction() as tx:
        tx.db("customers/C1").table("dossier").insert({"name": "Alfa"})
        tx.db("list/xx").table("lines").insert({"code": "C1"})
    assert store.revision() == before + 1
    assert store.snapshot("customers/C1").table("dossier").all() == [{"name": "Alfa"}]
    assert journal_settled(tmp_path)


def test_exception_leaves_store_unchanged(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 1})
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 2})
        raise RuntimeError("boom")
    assert store.snapshot("office").table("t").all() == [{"v": 1}]


def test_read_only_transaction_writes_nothing(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    revision = store.revision()
    with store.transaction() as tx:
        tx.db("office").table("t").all()
    assert store.revision() == revision
    assert not (tmp_path / "office.json").exists()


def test_a_fresh_tinydb_per_transaction_sees_other_writers(tmp_path: Path) -> None:
    first, second = open_store(tmp_path), open_store(tmp_path)
    for i in range(3):
        with first.transaction() as tx:
            tx.db("office").table("t").insert({"i": i})
        with second.transaction() as tx:
            tx.db("office").table("t").insert({"j": i})
    ids = [d.doc_id for d in first.snapshot("office").table("t").all()]
    assert ids == [1, 2, 3, 4, 5, 6]


def test_corrupt_shard_is_refused_and_not_overwritten(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 1})
    path = tmp_path / "office.json"
    path.write_bytes(b'{"t": {"1": {"v"')
    with pytest.raises(StoreCorrupt, match=r"office\.json"):
        store.snapshot("office")
    with pytest.raises(StoreCorrupt), store.transaction() as tx:
        tx.db("office").table("t").insert({"v": 2})
    assert path.read_bytes() == b'{"t": {"1": {"v"'


def test_unknown_schema_version_is_refused(tmp_path: Path) -> None:
    open_store(tmp_path)
    (tmp_path / "meta.json").write_bytes(dump_json({"format": "acquisto-store", "schema": 99}))
    with pytest.raises(StoreVersionError, match="99"):
        open_store(tmp_path)


def test_data_without_meta_is_refused(tmp_path: Path) -> None:
    (tmp_path / "office.json").write_text("{}")
    with pytest.raises(StoreCorrupt, match=r"meta\.json"):
        open_store(tmp_path)
    assert not (tmp_path / "meta.json").exists()


def test_complete_journal_is_redone_on_open(tmp_path: Path) -> None:
    """A writer killed after its journal but before all shards: the next open finishes it."""
    store = open_store(tmp_path)
    with store.transaction() as tx:
        tx.db("a").table("t").insert({"v": "old"})
        tx.db("b").table("t").insert({"v": "old"})
    journal = {
        "shards": {"a": {"t": {"1": {"v": "new"}}}, "b": {"t": {"1": {"v": "new"}}}},
        "complete": True,
    }
    (tmp_path / "journal.json").write_bytes(dump_json(journal))
    (tmp_path / "a.json").write_bytes(dump_json(journal["shards"]["a"]))  # "b" not yet
    reopened = open_store(tmp_path)
    assert reopened.snapshot("b").table("t").all() == [{"v": "new"}]
    assert journal_settled(tmp_path)


def test_stale_temp_files_are_cleared_on_open(tmp_path: Path) -> None:
    open_store(tmp_path)
    (tmp_path / ".office.json.123.tmp").write_text("half")
    open_store(tmp_path)
    assert not (tmp_path / ".office.json.123.tmp").exists()


def test_files_are_group_writable(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with store.transaction() as tx:
        tx.db("customers/C1").table("dossier").insert({"v": 1})
    assert (tmp_path / "customers" / "C1.json").stat().st_mode & 0o060 == 0o060
    assert (tmp_path / "customers").stat().st_mode & 0o070 == 0o070
    assert json.loads((tmp_path / "meta.json").read_text())["schema"] == 1


def test_shard_names_cannot_escape(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    with pytest.raises(Exception, match="non valido"):
        store.shard_path("../outside")


def _many(tx_db: object, count: int) -> None:
    for i in range(count):
        tx_db(f"customers/C{i:03d}").table("dossier").insert({"n": i})  # type: ignore[operator]


def test_a_large_commit_is_staged_and_all_or_nothing(tmp_path: Path) -> None:
    """More shards than STAGE_ABOVE: written once each to staged files, one journal of
    renames; an exception before the commit leaves neither shards nor staged files."""
    store = open_store(tmp_path)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        _many(tx.db, 100)
        tx.spill()
        assert list((tmp_path / "customers").glob(".*.stage"))
        raise RuntimeError("boom")
    assert store.list_shards("customers") == []
    assert not list(tmp_path.rglob(".*.stage"))
    with store.transaction() as tx:
        _many(tx.db, 100)
    assert len(store.list_shards("customers")) == 100
    assert store.snapshot("customers/C099").table("dossier").all() == [{"n": 99}]
    assert not list(tmp_path.rglob(".*.stage")) and journal_settled(tmp_path)


def test_a_staged_commit_killed_midway_is_finished_on_open(tmp_path: Path) -> None:
    store = open_store(tmp_path)
    (tmp_path / "customers").mkdir()
    staged = tmp_path / "customers" / ".C1.json.0123456789ab.stage"
    staged.write_bytes(dump_json({"dossier": {"1": {"n": "new"}}}))
    (tmp_path / "customers" / "C2.json").write_bytes(dump_json({"dossier": {"1": {"n": 2}}}))
    journal = {
        "moves": {"customers/C1": staged.name},
        "deleted": ["customers/C2"],
        "complete": True,
    }
    (tmp_path / "journal.json").write_bytes(dump_json(journal))
    store = open_store(tmp_path)
    assert store.snapshot("customers/C1").table("dossier").all() == [{"n": "new"}]
    assert store.list_shards("customers") == ["customers/C1"]
    assert not staged.exists() and journal_settled(tmp_path)


@pytest.mark.parametrize(
    "journal",
    [
        {"moves": {"../outside": ".x.json.0123456789ab.stage"}, "complete": True},
        {"moves": {"customers/C1": "../../etc/passwd"}, "complete": True},
        {
            "moves": {"customers/C1": ".C1.json.0123456789ab.stage"},
            "deleted": ["../x"],
            "complete": True,
        },
        {"moves": {"customers/C1": ".C1.json.0123456789ab.stage"}},
    ],
)
def test_a_staged_journal_of_the_wrong_shape_is_dropped(
    tmp_path: Path, journal: dict[str, object]
) -> None:
    open_store(tmp_path)
    (tmp_path / "customers").mkdir()
    (tmp_path / "customers" / ".C1.json.0123456789ab.stage").write_text("{}")
    (tmp_path / "journal.json").write_bytes(dump_json(journal))
    store = open_store(tmp_path)
    assert store.list_shards("customers") == [] and journal_settled(tmp_path)


def test_a_note_touches_its_dossier_and_one_list_bucket_only(tmp_path: Path) -> None:
    """However many customers there are, a note on a step rewrites the customer's dossier,
    the bucket of its list line and the revision; the billing plan stays (nothing in it
    changed)."""
    from procedure.demo import load_demo
    from procedure.office import Office

    office = Office.open(tmp_path / "data")
    load_demo(office)
    store = tmp_path / "data" / "store"

    def files() -> dict[str, tuple[int, int]]:
        return {
            str(p.relative_to(store)): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in store.rglob("*")
            if p.is_file()
        }

    before = files()
    office.checklist.add_note("C00002", "forms_sent", "telefonato")
    after = files()
    changed = {name for name in after if before.get(name) != after[name]}
    # and the commit log, which holds the note's record until a checkpoint empties it
    assert changed == {"customers/C00002.json", "list/C000xx.json", "revision", "journal.log"}
    assert journal_settled(store)
