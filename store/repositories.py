"""Where each kind of record lives among the shards, and how it is read and written.

A ``UnitOfWork`` is the only way to write: it holds the store's lock for one ``with``
block and commits everything it changed at once. The TinyDB transaction inside it never
leaves this package.
"""

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from store.store import Store, Transaction

CATALOGUE = "catalogue"
TERMS = "terms"
PROSPECTS = "prospects"
COUNTERS = "counters"
OFFICE_AUDIT = "audit"
PINS = "pins"  # fingerprints of keys, recorded when they are made
LIST = "list"
PLANS = "plans"
OLD_INDEX = "index"  # list lines of the first layout: 64 hashed buckets of JSON objects
Data = dict[str, Any]


def dossier_shard(code: str) -> str:
    return f"customers/{code}"


def list_shard(code: str) -> str:
    """The bucket of ``code``'s list line: codes that differ only in their last two
    characters (C01200…C01299) share one, so a bucket holds at most a hundred lines of
    numbered codes however many customers there are, and a write rewrites only it."""
    return f"{LIST}/{code[:-2]}xx"


def plan_shard(code: str) -> str:
    """The bucket of ``code``'s billing plan (bucketed as the list lines)."""
    return f"{PLANS}/{code[:-2]}xx"


def upgrade_index(store: Store) -> None:
    """Remove the list lines of the first layout (each of its 64 buckets was rewritten whole
    at every write) in one commit: the list is then rebuilt from the dossiers."""
    old = store.list_shards(OLD_INDEX)
    if not old:
        return
    with store.transaction() as tx:
        for shard in old:
            tx.delete(shard)
    with contextlib.suppress(OSError):  # a file of someone else's left inside: kept
        (store.root / OLD_INDEX).rmdir()


def _one(db: TinyDB, table: str) -> Data | None:
    doc = db.table(table).get(doc_id=1)
    return dict(doc) if isinstance(doc, dict) else None


def _set_one(db: TinyDB, table: str, data: Data) -> None:
    db.table(table).upsert(Document(data, doc_id=1))


class UnitOfWork:
    """Reads and writes of records inside one transaction, committed once by ``unit_of_work``."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    @property
    def tx(self) -> Transaction:
        return self._tx

    def spill(self) -> None:
        """Put what was changed so far on disk, out of sight until the commit, and out of
        memory (for a unit that writes thousands of dossiers)."""
        self.tx.spill()

    # customers
    def customer(self, code: str) -> Data | None:
        return _one(self.tx.db(dossier_shard(code)), "dossier")

    def put_customer(self, code: str, data: Data, summary: str) -> None:
        self.tx.tables(dossier_shard(code))["dossier"] = {"1": data}
        self.put_summary(code, summary)

    def put_summary(self, code: str, line: str) -> None:
        """The customer's list line (alone: rebuilding the list from the dossiers)."""
        self.tx.tables(list_shard(code)).setdefault("lines", {})[code] = line

    def drop_summary(self, code: str) -> None:
        """Remove a list line (and billing plan) whose dossier does not exist."""
        self.tx.tables(list_shard(code)).setdefault("lines", {}).pop(code, None)
        self.tx.tables(plan_shard(code)).setdefault("plans", {}).pop(code, None)

    def summary(self, code: str) -> str | None:
        """The customer's list line as stored."""
        line = (self.tx.tables_as_read(list_shard(code)) or {}).get("lines", {}).get(code)
        return line if isinstance(line, str) else None

    def put_plan(self, code: str, plan: str) -> None:
        self.tx.tables(plan_shard(code)).setdefault("plans", {})[code] = plan

    def customer_audit(self, code: str, entry: Data) -> None:
        self.tx.db(dossier_shard(code)).table("audit").insert(entry)

    # office-wide records
    def prospect(self, pid: str) -> Data | None:
        doc = self.tx.db(PROSPECTS).table("prospects").get(Query().id == pid)
        return dict(doc) if isinstance(doc, dict) else None

    def put_prospect(self, data: Data) -> None:
        self.tx.db(PROSPECTS).table("prospects").upsert(data, Query().id == data["id"])

    def put_product(self, data: Data) -> None:
        self.tx.db(CATALOGUE).table("products").upsert(data, Query().code == data["code"])

    def products(self) -> list[Data]:
        return [dict(d) for d in self.tx.db(CATALOGUE).table("products").all()]

    def catalogue_version(self) -> tuple[int, ...] | None:
        """Tells one committed catalogue from another without reading it (a replaced file
        is a new file); None once this unit has changed it."""
        if CATALOGUE in self.tx.changed():
            return None
        return _identity(self.tx.store.shard_path(CATALOGUE))

    def office_audit(self, entry: Data) -> None:
        self.tx.db(OFFICE_AUDIT).table("audit").insert(entry)

    def payment_terms(self) -> list[Data] | None:
        """The company's payment-terms catalogue, or None while it has never been edited."""
        return _terms(self.tx.db(TERMS))

    def put_payment_terms(self, terms: list[Data]) -> None:
        _set_one(self.tx.db(TERMS), "terms", {"terms": terms})

    def pin(self, name: str) -> str:
        doc = self.tx.db(PINS).table("pins").get(Query().name == name)
        return str(doc["value"]) if isinstance(doc, dict) else ""

    def put_pin(self, name: str, value: str) -> None:
        self.tx.db(PINS).table("pins").upsert({"name": name, "value": value}, Query().name == name)

    def _counter(self, name: str) -> int:
        doc = self.tx.db(COUNTERS).table("counters").get(Query().name == name)
        return int(doc["value"]) if isinstance(doc, dict) else 0

    def _set_counter(self, name: str, value: int) -> None:
        self.tx.db(COUNTERS).table("counters").upsert(
            {"name": name, "value": value}, Query().name == name
        )

    def next_number(self, counter: str) -> int:
        """The next value of ``counter`` (unique across processes: the lock is held)."""
        value = self._counter(counter) + 1
        self._set_counter(counter, value)
        return value

    def bump_counter(self, counter: str, seen: int) -> None:
        """Make sure ``counter`` never hands out ``seen`` or anything below it."""
        if seen > self._counter(counter):
            self._set_counter(counter, seen)


def _terms(db: TinyDB) -> list[Data] | None:
    doc = _one(db, "terms")
    return list(doc["terms"]) if doc is not None else None


@contextmanager
def unit_of_work(store: Store) -> Iterator[UnitOfWork]:
    """Hold the lock, yield the records, commit every change at once when the block ends."""
    with store.transaction() as tx:
        yield UnitOfWork(tx)


def _identity(path: Path) -> tuple[int, ...]:
    """Which committed file is at ``path`` (a replaced file is a new file)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)


class Reader:
    """Lock-free reads of committed records (files are replaced atomically)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def customer(self, code: str) -> Data | None:
        return _one(self.store.snapshot(dossier_shard(code)), "dossier")

    def catalogues_version(self) -> tuple[int, ...]:
        """Tells the committed product and payment-terms catalogues from others without
        reading them (a replaced file is a new file): a step leaves them as they were."""
        self.store.settle()
        paths = (self.store.shard_path(CATALOGUE), self.store.shard_path(TERMS))
        return _identity(paths[0]) + _identity(paths[1])

    def customer_audit(self, code: str) -> list[Data]:
        return [dict(d) for d in self.store.snapshot(dossier_shard(code)).table("audit").all()]

    def customer_codes(self) -> list[str]:
        return sorted(s.split("/", 1)[1] for s in self.store.list_shards("customers"))

    def summaries(self) -> list[tuple[str, str]]:
        """Every list line with its code, read straight from the bucket files."""
        return self._strings(LIST, "lines")

    def plans(self) -> list[tuple[str, str]]:
        """Every billing plan with its customer's code."""
        return self._strings(PLANS, "plans")

    def _strings(self, folder: str, table: str) -> list[tuple[str, str]]:
        self.store.settle()
        out: list[tuple[str, str]] = []
        for shard in self.store.list_shards(folder):
            values = (self.store.read_shard(shard) or {}).get(table)
            if isinstance(values, dict):
                out.extend(item for item in values.items() if isinstance(item[1], str))
        return out

    def products(self) -> list[Data]:
        return [dict(d) for d in self.store.snapshot(CATALOGUE).table("products").all()]

    def prospects(self) -> list[Data]:
        return [dict(d) for d in self.store.snapshot(PROSPECTS).table("prospects").all()]

    def office_audit(self) -> list[Data]:
        return [dict(d) for d in self.store.snapshot(OFFICE_AUDIT).table("audit").all()]

    def payment_terms(self) -> list[Data] | None:
        return _terms(self.store.snapshot(TERMS))

    def pin(self, name: str) -> str:
        doc = self.store.snapshot(PINS).table("pins").get(Query().name == name)
        return str(doc["value"]) if isinstance(doc, dict) else ""
