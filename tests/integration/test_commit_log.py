"""The commit log: one sync per commit, and every crash redone from it."""

import os
import uuid
from pathlib import Path

import pytest

from safefiles import dump_json
from store import Store, StoreCorrupt
from store.commit_log import HEADER, MAGIC, READ_AT_MOST, CommitLog, boot_id, parse
from tests.conftest import journal_settled


def put(store: Store, shard: str, value: int) -> None:
    with store.transaction() as tx:
        tx.tables(shard)["t"] = {"1": {"v": value}}


def value(root: Path, shard: str) -> int | None:
    tables = Store(root).open().read_shard(shard)
    return None if tables is None else int(tables["t"]["1"]["v"])


def log_of(root: Path) -> CommitLog:
    return CommitLog(root / "journal.log")


def test_a_commit_is_one_record_marked_applied(tmp_path: Path) -> None:
    store = Store(tmp_path).open()
    with store.transaction() as tx:
        tx.tables("customers/C1")["t"] = {"1": {"v": 1}}
        tx.tables("list/xx")["t"] = {"1": {"v": 2}}
    boot, records = parse((tmp_path / "journal.log").read_bytes())
    assert boot == boot_id()
    assert [(r.names, r.applied) for r in records] == [(["customers/C1", "list/xx"], True)]
    assert not store.journal_pending() and log_of(tmp_path).to_redo() == []


def test_a_commit_cut_short_after_its_record_is_redone_by_the_next_reader(
    tmp_path: Path,
) -> None:
    """A writer killed once its record was durable, before any shard was replaced."""
    store = Store(tmp_path).open()
    put(store, "customers/C1", 1)
    log_of(tmp_path).append({"customers/C1": dump_json({"t": {"1": {"v": 2}}}), "list/xx": None})
    assert store.journal_pending()
    assert store.snapshot("customers/C1").table("t").all() == [{"v": 2}]  # reading redoes it
    assert journal_settled(tmp_path) and (tmp_path / "journal.log").stat().st_size == 0


def test_after_a_restart_every_record_is_redone(tmp_path: Path) -> None:
    """A power cut can lose shards written since the last checkpoint although their records
    are marked applied: a log from another boot is redone whole, in order."""
    store = Store(tmp_path).open()
    put(store, "customers/C1", 1)
    put(store, "customers/C1", 2)
    put(store, "customers/C2", 3)
    (tmp_path / "customers" / "C1.json").write_bytes(b"")  # never reached the disk
    (tmp_path / "customers" / "C2.json").unlink()
    raw = bytearray((tmp_path / "journal.log").read_bytes())
    assert raw[: len(MAGIC)] == MAGIC
    raw[len(MAGIC) : HEADER] = str(uuid.uuid4()).encode()  # written before this boot
    (tmp_path / "journal.log").write_bytes(bytes(raw))
    assert Store(tmp_path).journal_pending()
    assert value(tmp_path, "customers/C1") == 2 and value(tmp_path, "customers/C2") == 3
    assert journal_settled(tmp_path)


@pytest.mark.parametrize("damage", ["cut", "crc"])
def test_a_torn_record_and_what_follows_are_dropped(tmp_path: Path, damage: str) -> None:
    store = Store(tmp_path).open()
    put(store, "customers/C1", 1)
    log = log_of(tmp_path)
    start = log.size()
    log.append({"customers/C1": dump_json({"t": {"1": {"v": 2}}})})
    log.append({"customers/C1": dump_json({"t": {"1": {"v": 3}}})})
    raw = bytearray((tmp_path / "journal.log").read_bytes())
    if damage == "cut":
        raw = raw[: start + 20]  # the machine stopped while the second record was written
    else:
        raw[start + 30] ^= 0xFF  # a byte that never reached the disk as written
    (tmp_path / "journal.log").write_bytes(bytes(raw))
    assert value(tmp_path, "customers/C1") == 1
    assert journal_settled(tmp_path)


def test_a_record_of_the_wrong_shape_is_skipped_never_applied(tmp_path: Path) -> None:
    store = Store(tmp_path).open()
    put(store, "customers/C1", 1)
    outside = tmp_path.parent / f"fuori-{uuid.uuid4().hex[:6]}"
    log = log_of(tmp_path)
    log.append({f"../{outside.name}": b"{}"})
    log.append({"customers/C1": b'"non tabelle"'})
    log.append({"customers/C1": b"[" * 100_000 + b"]" * 100_000})
    log.append({"customers/C2": dump_json({"t": {"1": {"v": 5}}})})  # a good one after them
    assert value(tmp_path, "customers/C1") == 1 and value(tmp_path, "customers/C2") == 5
    assert not outside.exists() and not (tmp_path.parent / f"{outside.name}.json").exists()
    assert journal_settled(tmp_path)


def test_the_log_is_emptied_once_past_its_bound(tmp_path: Path) -> None:
    store = Store(tmp_path, checkpoint_above=2_000).open()
    sizes = []
    for n in range(60):
        put(store, f"customers/C{n % 7}", n)
        sizes.append((tmp_path / "journal.log").stat().st_size)
    record = sizes[0]
    assert max(sizes) <= 2_000 + record and sizes.count(0) >= 2
    assert [value(tmp_path, f"customers/C{n}") for n in range(7)] == [56, 57, 58, 59, 53, 54, 55]


def test_a_large_commit_makes_the_log_durable_and_empties_it_first(tmp_path: Path) -> None:
    store = Store(tmp_path).open()
    put(store, "customers/C1", 1)
    assert (tmp_path / "journal.log").stat().st_size > 0
    with store.transaction() as tx:
        for n in range(100):
            tx.tables(f"customers/D{n}")["t"] = {"1": {"v": n}}
    assert (tmp_path / "journal.log").stat().st_size == 0
    assert value(tmp_path, "customers/C1") == 1 and value(tmp_path, "customers/D99") == 99


def test_a_log_larger_than_any_written_is_refused_untouched(tmp_path: Path) -> None:
    Store(tmp_path).open()
    log = tmp_path / "journal.log"
    with open(log, "wb") as file:
        file.truncate(READ_AT_MOST + 1)  # sparse: costs no disk
    with pytest.raises(StoreCorrupt, match="più grande di qualunque registro"):
        Store(tmp_path).open()
    assert os.stat(log).st_size == READ_AT_MOST + 1


def test_a_log_replaced_by_a_link_is_refused_and_its_target_untouched(tmp_path: Path) -> None:
    store = Store(tmp_path).open()
    put(store, "customers/C1", 1)
    target = tmp_path.parent / f"bersaglio-{uuid.uuid4().hex[:6]}"
    target.write_bytes(b"altrui")
    (tmp_path / "journal.log").unlink()
    (tmp_path / "journal.log").symlink_to(target)
    with pytest.raises(StoreCorrupt, match="non è un file regolare"):
        put(store, "customers/C1", 2)
    with pytest.raises(StoreCorrupt, match="non è un file regolare"):
        Store(tmp_path).open()
    assert target.read_bytes() == b"altrui"
    (tmp_path / "journal.log").unlink()  # what the message asks: then all is as it was
    assert value(tmp_path, "customers/C1") == 1
