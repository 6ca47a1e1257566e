"""Where each kind of record lives among the shards, and how it is read and written.

A ``UnitOfWork`` is the only way to write: it holds the store's lock for one ``with``
block and commits everything it changed at once. The TinyDB transaction inside it never
leaves this package.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
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
INDEX = "index"
OLD_BUCKET = re.compile(r"[0-9]{2}")  # the 64 hashed buckets of the first layout
Data = dict[str, Any]


def dossier_shard(code: str) -> str:
    return f"customers/{code}"


def index_shard(code: str) -> str:
    """The list-line bucket of ``code``: codes that differ only in their last two
    characters (C01200…C01299) share one, so a bucket holds at most a hundred lines of
    numbered codes however many customers there are, and a write rewrites only it."""
    return f"{INDEX}/{code[:-2]}xx"


def upgrade_index(store: Store) -> None:
    """Move the list lines of the first layout (64 hashed buckets, each rewritten whole at
    every write) into code buckets: one commit, the old files removed in it."""
    old = [s for s in store.list_shards(INDEX) if OLD_BUCKET.fullmatch(s.split("/", 1)[1])]
    if not old:
        return
    with store.transaction() as tx:
        for shard in old:
            lines = tx.db(shard).table("customers").all()
            tx.delete(shard)
            for line in lines:
                code = str(line["code"])
                tx.db(index_shard(code)).table("customers").upsert(dict(line), Query().code == code)


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

    def put_customer(self, code: str, data: Data, summary: Data) -> None:
        self.tx.tables(dossier_shard(code))["dossier"] = {"1": data}
        self.put_summary(code, summary)

    def put_summary(self, code: str, summary: Data) -> None:
        """The customer's list line (alone: rebuilding the index from the dossiers)."""
        _put_line(self.tx.tables(index_shard(code)), {**summary, "code": code})

    def drop_summary(self, code: str) -> None:
        """Remove a list line whose dossier does not exist."""
        self.tx.db(index_shard(code)).table("customers").remove(Query().code == code)

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


def _put_line(tables: dict[str, Any], line: Data) -> None:
    """Replace the list line with ``line``'s code in a bucket, or add it (as TinyDB would:
    documents keyed by increasing numbers)."""
    lines = tables.setdefault("customers", {})
    for key, old in lines.items():
        if old.get("code") == line["code"]:
            lines[key] = line
            return
    lines[str(max((int(k) for k in lines), default=0) + 1)] = line


def _terms(db: TinyDB) -> list[Data] | None:
    doc = _one(db, "terms")
    return list(doc["terms"]) if doc is not None else None


@contextmanager
def unit_of_work(store: Store) -> Iterator[UnitOfWork]:
    """Hold the lock, yield the records, commit every change at once when the block ends."""
    with store.transaction() as tx:
        yield UnitOfWork(tx)


class Reader:
    """Lock-free reads of committed records (files are replaced atomically)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def customer(self, code: str) -> Data | None:
        return _one(self.store.snapshot(dossier_shard(code)), "dossier")

    def customer_audit(self, code: str) -> list[Data]:
        return [dict(d) for d in self.store.snapshot(dossier_shard(code)).table("audit").all()]

    def customer_codes(self) -> list[str]:
        return sorted(s.split("/", 1)[1] for s in self.store.list_shards("customers"))

    def summaries(self) -> list[Data]:
        """Every list line, read straight from the bucket files (no TinyDB per bucket)."""
        self.store.settle()
        out: list[Data] = []
        for shard in self.store.list_shards(INDEX):
            lines = (self.store.read_shard(shard) or {}).get("customers")
            if isinstance(lines, dict):
                out.extend(line for line in lines.values() if isinstance(line, dict))
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
