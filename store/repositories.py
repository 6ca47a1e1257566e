"""Where each kind of record lives in the database, and how it is read and written.

A ``UnitOfWork`` is the only way to write: one SQLite write transaction for one ``with``
block, committed at its end. A ``Reader`` reads committed records; inside
``Reader.snapshot()`` every read sees one and the same commit.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Document

from safefiles import dump_json
from store import aggregates
from store.errors import StoreCorrupt
from store.list_queries import ListQuery
from store.sql import LIST_NAMES, Cursor, Row
from store.store import Store, Transaction, damaged, decode

CATALOGUE = "catalogue"
TERMS = "terms"
PROSPECTS = "prospects"
COUNTERS = "counters"
PINS = "pins"  # fingerprints of keys, recorded when they are made
SEEN = "seen"  # values the office has typed, offered again while typing (CRM tab 3)
SEEN_MOST = 200  # values kept per field: the first ones seen
CUSTOMERS = "customers/"
MAIL_IN = "mail_in/"  # what the office mailbox brought: one shard per message or attachment
OFFICE = ""  # the audit code of office-wide entries
Data = dict[str, Any]
ListRow = dict[str, Any]


def dossier_shard(code: str) -> str:
    return f"{CUSTOMERS}{code}"


def _one(db: TinyDB, table: str) -> Data | None:
    doc = db.table(table).get(doc_id=1)
    return dict(doc) if isinstance(doc, dict) else None


def _dossier(db: TinyDB, code: str) -> Data | None:
    """The stored dossier of ``code`` (its ``customer`` record and ``rev``); raises
    StoreCorrupt when it has another shape."""
    data = _one(db, "dossier")
    if data is None:
        return None
    rev = data.get("rev")
    if (
        not isinstance(data.get("customer"), dict)
        or isinstance(rev, bool)
        or not isinstance(rev, int)
    ):
        raise StoreCorrupt(
            damaged(f"Il documento della scheda {code}", "non ha la forma di una scheda")
        )
    return data


def _set_one(db: TinyDB, table: str, data: Data) -> None:
    db.table(table).upsert(Document(data, doc_id=1))


def _seen(db: TinyDB) -> dict[str, list[str]]:
    """The values seen so far, by field path, in the order first seen."""
    doc = _one(db, "seen") or {}
    return {str(k): [str(x) for x in v] for k, v in doc.items() if isinstance(v, list)}


def _terms(db: TinyDB) -> list[Data] | None:
    doc = _one(db, "terms")
    return list(doc["terms"]) if doc is not None else None


def _entries(rows: list[str], where: str) -> list[Data]:
    out = []
    for body in rows:
        entry = decode(body, where)
        if isinstance(entry, dict):
            out.append(entry)
    return out


def _audit_json(entry: Data) -> str:
    return dump_json(entry).decode("utf-8")


class UnitOfWork:
    """Reads and writes of records inside one transaction, committed once by ``unit_of_work``."""

    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    @property
    def tx(self) -> Transaction:
        return self._tx

    def spill(self) -> None:
        """Put what was changed so far into the open transaction and out of memory (for a
        unit that writes thousands of dossiers); nothing is visible before the commit."""
        self.tx.spill()

    # customers
    def customer(self, code: str) -> Data | None:
        return _dossier(self.tx.db(dossier_shard(code)), code)

    def put_customer(self, code: str, data: Data, row: ListRow) -> None:
        self.tx.tables(dossier_shard(code))["dossier"] = {"1": data}
        self.put_list_row(code, row)

    def put_list_row(self, code: str, row: ListRow) -> None:
        """The customer's list row (alone: rebuilding the list from the dossiers)."""
        self.tx.cur.put_list_row(code, row)
        self.tx.wrote()

    def drop_list_row(self, code: str) -> None:
        """Remove a list row (and billing plan) whose dossier does not exist."""
        self.tx.cur.drop_list_row(code)
        self.tx.wrote()

    def list_row(self, code: str) -> ListRow | None:
        """The customer's list row as stored."""
        row = self.tx.cur.list_row(code)
        return dict(zip(("code", *LIST_NAMES), row, strict=True)) if row else None

    def put_plan(self, code: str, plan: str, head: str, months: aggregates.Months) -> None:
        """The customer's billing plan, what it was made with, its invoices per month."""
        self.tx.cur.put_plan(code, plan, head, months)
        self.tx.wrote()

    def customer_audit(self, code: str, entry: Data) -> None:
        self.tx.cur.add_audit(code, _audit_json(entry))
        self.tx.wrote()

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

    def catalogue_version(self) -> int | None:
        """Tells one committed catalogue from another without reading it; None once this
        unit has changed it."""
        if self.tx.is_changed(CATALOGUE):
            return None
        return self.tx.cur.doc_version(CATALOGUE)

    def office_audit(self, entry: Data) -> None:
        self.tx.cur.add_audit(OFFICE, _audit_json(entry))
        self.tx.wrote()

    def payment_terms(self) -> list[Data] | None:
        """The company's payment-terms catalogue, or None while it has never been edited."""
        return _terms(self.tx.db(TERMS))

    def put_payment_terms(self, terms: list[Data]) -> None:
        _set_one(self.tx.db(TERMS), "terms", {"terms": terms})

    def seen(self) -> dict[str, list[str]]:
        return _seen(self.tx.db(SEEN))

    def remember(self, values: dict[str, str]) -> None:
        """Add the values not seen before (written only when one is new)."""
        known = self.seen()
        added = False
        for field, value in values.items():
            have = known.setdefault(field, [])
            if value and value not in have and len(have) < SEEN_MOST:
                have.append(value)
                added = True
        if added:
            _set_one(self.tx.db(SEEN), "seen", known)

    def pin(self, name: str) -> str:
        doc = self.tx.db(PINS).table("pins").get(Query().name == name)
        return str(doc["value"]) if isinstance(doc, dict) else ""

    def put_pin(self, name: str, value: str) -> None:
        self.tx.db(PINS).table("pins").upsert({"name": name, "value": value}, Query().name == name)

    def mail_in(self, key: str) -> Data | None:
        """What was recorded of an incoming message or attachment (None: nothing yet)."""
        return _one(self.tx.db(MAIL_IN + key), "mail_in")

    def put_mail_in(self, key: str, data: Data) -> None:
        _set_one(self.tx.db(MAIL_IN + key), "mail_in", data)

    def _counter(self, name: str) -> int:
        doc = self.tx.db(COUNTERS).table("counters").get(Query().name == name)
        return int(doc["value"]) if isinstance(doc, dict) else 0

    def _set_counter(self, name: str, value: int) -> None:
        self.tx.db(COUNTERS).table("counters").upsert(
            {"name": name, "value": value}, Query().name == name
        )

    def next_number(self, counter: str) -> int:
        """The next value of ``counter`` (unique across processes: the write lock is held)."""
        value = self._counter(counter) + 1
        self._set_counter(counter, value)
        return value

    def bump_counter(self, counter: str, seen: int) -> None:
        """Make sure ``counter`` never hands out ``seen`` or anything below it."""
        if seen > self._counter(counter):
            self._set_counter(counter, seen)


@contextmanager
def unit_of_work(store: Store) -> Iterator[UnitOfWork]:
    """One write transaction: yield the records, commit every change at once at the end."""
    with store.transaction() as tx:
        yield UnitOfWork(tx)


class Reader:
    """Reads of committed records; those inside one ``snapshot()`` block see one commit."""

    def __init__(self, store: Store) -> None:
        self.store = store

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        with self.store.reading():
            yield

    @contextmanager
    def _cur(self) -> Iterator[Cursor]:
        with self.store.reading() as cur:
            yield cur

    def _db(self, shard: str) -> TinyDB:
        return self.store.snapshot(shard)

    def customer(self, code: str) -> Data | None:
        return _dossier(self._db(dossier_shard(code)), code)

    def customer_version(self, code: str) -> int:
        """Tells one committed version of a dossier from another without reading it (0: no
        such dossier)."""
        with self._cur() as cur:
            return cur.doc_version(dossier_shard(code))

    def catalogues_version(self) -> tuple[int, int]:
        """Tells the committed product and payment-terms catalogues from others without
        reading them (a step leaves them as they were)."""
        with self._cur() as cur:
            return (cur.doc_version(CATALOGUE), cur.doc_version(TERMS))

    def seen(self) -> dict[str, list[str]]:
        return _seen(self._db(SEEN))

    def customer_audit(self, code: str) -> list[Data]:
        with self._cur() as cur:
            return _entries(cur.audit(code), f"Il registro delle modifiche di {code}")

    def office_audit(self) -> list[Data]:
        with self._cur() as cur:
            return _entries(cur.audit(OFFICE), "Il registro delle modifiche dell'ufficio")

    def audit_mark(self) -> int:
        with self._cur() as cur:
            return cur.audit_mark()

    def audit_since(self, mark: int) -> list[tuple[int, str, Data]]:
        """(number, customer code or "", entry) of the audit entries after ``mark``."""
        with self._cur() as cur:
            return [
                (i, code, entry)
                for i, code, body in cur.audit_since(mark)
                if isinstance(entry := decode(body, "Il registro delle modifiche"), dict)
            ]

    def customer_codes(self) -> list[str]:
        with self._cur() as cur:
            return [s[len(CUSTOMERS) :] for s in cur.shards(CUSTOMERS)]

    def list_rows(
        self, *, search: str = "", order: str = "code", limit: int = -1, offset: int = 0
    ) -> list[Row]:
        """List rows, each (code, *LIST_NAMES): all of them, or a page, or those whose code
        or name holds ``search``."""
        with self._cur() as cur:
            return cur.list_rows(search=search.casefold(), order=order, limit=limit, offset=offset)

    def list_page(self, query: ListQuery) -> tuple[list[Row], int]:
        with self._cur() as cur:
            return cur.list_page(query)

    def list_states(self, query: ListQuery) -> dict[str, int]:
        with self._cur() as cur:
            return cur.list_states(query)

    def list_patterns(self) -> list[tuple[str, str]]:
        with self._cur() as cur:
            return cur.list_patterns()

    def list_terms(self) -> list[str]:
        with self._cur() as cur:
            return cur.list_terms()

    def terms_counts(self) -> list[tuple[str, int]]:
        """(stored contract terms, how many customers have them), from the tally."""
        with self._cur() as cur:
            return [(terms, n) for terms, n in cur.tally("terms") if terms]

    def list_with_terms(self, terms: frozenset[str]) -> list[tuple[str, str, str]]:
        with self._cur() as cur:
            return cur.list_with_terms(terms)

    def list_with_patterns(self, patterns: frozenset[str]) -> list[tuple[str, str, str]]:
        with self._cur() as cur:
            return cur.list_with_patterns(patterns)

    def list_row(self, code: str) -> Row | None:
        with self._cur() as cur:
            return cur.list_row(code)

    def list_count(self) -> int:
        with self._cur() as cur:
            return cur.list_count()

    def list_codes(self) -> list[str]:
        with self._cur() as cur:
            return cur.list_codes()

    def plans(self) -> list[tuple[str, str]]:
        """Every billing plan with its customer's code."""
        with self._cur() as cur:
            return cur.plans()

    def plan_totals(self, first: str, last: str) -> list[tuple[str, str, int, int]]:
        """(plan head, month, invoices, taxable cents) summed over the plans, for the months
        ``first`` to ``last`` (YYYY-MM)."""
        with self._cur() as cur:
            return aggregates.totals(cur, first, last)

    def plan_heads(self) -> list[tuple[str, int]]:
        """(plan head, how many customers' plans have it)."""
        with self._cur() as cur:
            return aggregates.heads(cur)

    def codes_outside(self, heads: list[str]) -> list[str]:
        """The customers whose plan has none of ``heads``, or who have none."""
        with self._cur() as cur:
            return aggregates.codes_outside(cur, heads)

    def waiting_days(self) -> list[tuple[str, int]]:
        """(ISO day, how many forms sent that day are not back yet)."""
        with self._cur() as cur:
            return cur.tally("sent")

    def products(self) -> list[Data]:
        return [dict(d) for d in self._db(CATALOGUE).table("products").all()]

    def prospects(self) -> list[Data]:
        return [dict(d) for d in self._db(PROSPECTS).table("prospects").all()]

    def payment_terms(self) -> list[Data] | None:
        return _terms(self._db(TERMS))

    def mail_in(self, key: str) -> Data | None:
        return _one(self._db(MAIL_IN + key), "mail_in")

    def pin(self, name: str) -> str:
        doc = self._db(PINS).table("pins").get(Query().name == name)
        return str(doc["value"]) if isinstance(doc, dict) else ""


def list_row_of(row: Row) -> ListRow:
    """A stored list row as a mapping of its columns."""
    return dict(zip(("code", *LIST_NAMES), row, strict=True))


__all__ = ["LIST_NAMES", "Reader", "UnitOfWork", "list_row_of", "unit_of_work"]
