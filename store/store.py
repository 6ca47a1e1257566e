"""The data folder's store: TinyDB documents and typed rows in one SQLite database.

``<data>/store/acquisto.sqlite`` (with SQLite's own ``-wal`` and ``-shm`` beside it) holds
everything; durability, atomic commits and snapshot reads are SQLite's. A folder written
by the previous version (JSON shards, ``meta.json``) is converted once on opening (see
``store.migration``).
"""

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from safefiles import atomic_write, dump_json, ensure_dir, new_file
from store.errors import StoreCorrupt, StoreError, StoreVersionError
from store.sql import FORMAT, SCHEMA_VERSION, UPGRADABLE, Cursor, Database
from store.storage import DocumentStorage, Tables

DB_NAME = "acquisto.sqlite"


def check_shard(shard: str) -> str:
    if not shard or ".." in shard.split("/") or shard.startswith("/") or "\x00" in shard:
        raise StoreError(f"Nome di archivio non valido: {shard!r}")
    return shard


def damaged(what: str, why: str) -> str:
    """The Italian message of a stored document that cannot be used: what, why, that nothing
    was changed, and what to do."""
    return (
        f"{what} dell'archivio dati è danneggiato ({why}); non è stato modificato. "
        "Eseguire acquisto check per l'elenco dei danni, poi ripristinare una copia di "
        "sicurezza (acquisto restore)."
    )


def decode(body: str, where: str) -> Any:
    """A stored JSON document; raises StoreCorrupt naming ``where``."""
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise StoreCorrupt(damaged(where, str(exc))) from None


class Transaction:
    """Shards read and changed inside one SQLite write transaction; the changed ones are
    written when the block ends (or earlier, by ``spill``, still uncommitted)."""

    def __init__(self, store: "Store", cur: Cursor) -> None:
        self._store = store
        self.cur = cur
        self._storages: dict[str, DocumentStorage] = {}
        self._written = False

    @property
    def store(self) -> "Store":
        return self._store

    def db(self, shard: str) -> TinyDB:
        """A fresh TinyDB over ``shard`` as this transaction sees it."""
        storage = self._storages.get(shard)
        if storage is None:
            storage = DocumentStorage(self._store.tables(self.cur, shard))
            self._storages[shard] = storage
        return TinyDB(storage=lambda: storage)

    def tables_as_read(self, shard: str) -> Tables | None:
        self.db(shard)
        return self._storages[shard].tables

    def tables(self, shard: str) -> Tables:
        """The tables of ``shard`` to change in place (for writes too simple for TinyDB)."""
        self.db(shard)
        storage = self._storages[shard]
        if storage.tables is None:
            storage.tables = {}
        storage.dirty = True
        return storage.tables

    def delete(self, shard: str) -> None:
        """Remove ``shard`` when the transaction commits."""
        self._storages.pop(shard, None)
        self.cur.drop_doc(check_shard(shard))
        self._written = True

    def wrote(self) -> None:
        """A row was written directly (list, plan, audit): the revision moves on commit."""
        self._written = True

    def is_changed(self, shard: str) -> bool:
        storage = self._storages.get(shard)
        return storage is not None and storage.dirty

    def changed(self) -> dict[str, Tables]:
        return {
            name: s.tables for name, s in self._storages.items() if s.dirty and s.tables is not None
        }

    def spill(self) -> None:
        """Write the shards changed so far into the open transaction and let go of them in
        memory (a large import stays small); nothing is visible to others before commit."""
        for shard, tables in self.changed().items():
            self.cur.put_doc(check_shard(shard), dump_json(tables).decode("utf-8"))
            self._written = True
        self._storages = {n: s for n, s in self._storages.items() if not s.dirty}

    def finish(self) -> None:
        self.spill()
        if self._written:
            self.cur.tidy_search()
            self.cur.bump()


class Store:
    """The SQLite database of one data folder, safe for many threads and processes."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / DB_NAME
        self.db = Database(self.path)
        self.migrated: Path | None = None  # where a conversion put the old format's files
        self.upgraded = False  # this process upgraded the schema: the derived rows are made again

    # -- opening ---------------------------------------------------------------

    def open(self) -> "Store":
        """Create the database if the folder is new, convert a folder of the previous
        format, check the format and schema version."""
        from store.migration import migrate_if_needed  # it builds a Store of its own

        ensure_dir(self.root)
        self.migrated = migrate_if_needed(self)
        if self.path.is_symlink():
            raise StoreCorrupt(
                f"{self.path}: è un collegamento simbolico, che non si segue; nulla è stato "
                "letto né scritto. Rimettere al suo posto il database (acquisto restore)."
            )
        if not self.path.exists():
            if Path(f"{self.path}-wal").exists():  # its log is here: the database was lost
                raise StoreCorrupt(
                    f"{self.path}: il database manca, mentre il suo registro "
                    f"{self.path.name}-wal è ancora lì; nulla è stato letto né scritto. "
                    "Ripristinare una copia di sicurezza (acquisto restore)."
                )
            new_file(self.path)  # as the umask says, as every file of the data folder
        with self.db.reading() as cur:
            fmt, version = cur.meta("format"), cur.meta("schema")
        if fmt is None and version is None:
            self.db.create()
            return self
        if fmt != FORMAT:
            raise StoreCorrupt(f"{self.path}: non è un archivio dati di Acquisto.")
        if version in UPGRADABLE:  # an earlier schema: upgraded in place
            self.upgraded = self.db.upgrade(version)
            version = str(SCHEMA_VERSION)
        if version != str(SCHEMA_VERSION):
            raise StoreVersionError(
                f"{self.path}: versione dello schema {version!r} sconosciuta "
                f"(questa versione di Acquisto usa la {SCHEMA_VERSION}); "
                "aggiornare il programma. I dati non sono stati toccati."
            )
        return self

    # -- reading ---------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Cursor]:
        """One snapshot for every read inside the block."""
        with self.db.reading() as cur:
            yield cur

    def tables(self, cur: Cursor, shard: str) -> Tables | None:
        body = cur.doc(check_shard(shard))
        if body is None:
            return None
        data = decode(body, f"Il documento {shard}")
        if not isinstance(data, dict) or not all(
            isinstance(t, dict) and all(isinstance(d, dict) for d in t.values())
            for t in data.values()
        ):
            raise StoreCorrupt(damaged(f"Il documento {shard}", "non contiene tabelle di record"))
        return data

    def snapshot(self, shard: str) -> TinyDB:
        """A read-only TinyDB view of ``shard`` as last committed."""
        with self.reading() as cur:
            tables = self.tables(cur, shard)
        return TinyDB(storage=lambda: DocumentStorage(tables))

    def read_shard(self, shard: str) -> Tables | None:
        with self.reading() as cur:
            return self.tables(cur, shard)

    def list_shards(self, folder: str) -> list[str]:
        with self.reading() as cur:
            return cur.shards(folder.rstrip("/") + "/")

    def revision(self) -> int:
        """A number that changes with every commit by any process."""
        with self.reading() as cur:
            return cur.revision()

    def integrity(self) -> list[str]:
        """What SQLite's integrity check finds, then where the tally or the search index
        disagree with the list rows (nothing when all is whole)."""
        found = self.db.integrity()
        if found:
            return found
        with self.reading() as cur:
            return cur.derived_problems()

    def rebuild_derived(self) -> bool:
        """The tally and the search index made again from the list rows, in one commit,
        when they disagree with them; whether they did."""
        with self.db.writing() as cur:
            if not cur.derived_problems():
                return False
            cur.rebuild_derived()
            cur.bump()
            return True

    def backup_to(self, target: Path) -> None:
        self.db.backup_to(target)

    # -- writing ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """A read-modify-write in one SQLite write transaction, committed when the block
        ends; an exception writes nothing."""
        with self.db.writing() as cur:
            tx = Transaction(self, cur)
            yield tx
            tx.finish()

    def update_file(self, path: Path, change: Callable[[bytes | None], bytes | None]) -> bool:
        """Under the store's write lock, replace ``path`` (outside the store, e.g.
        config.toml) with what ``change`` makes of its current bytes, and move the revision
        on so that every open screen reloads it; ``change`` returning None writes nothing.
        Returns whether it wrote."""
        with self.db.writing() as cur:
            try:
                current: bytes | None = path.read_bytes()
            except FileNotFoundError:
                current = None
            new = change(current)
            if new is None or new == current:
                return False
            atomic_write(path, new)
            cur.bump()
            return True
