"""The data folder's store: sharded TinyDB files, one lock, atomic multi-file commits.

Layout under ``<data>/store``: ``meta.json`` (format and schema version), ``lock``,
``revision`` (bumped by every commit, read cheaply by other processes), one JSON file
per shard (``office.json``, ``customers/<code>.json``, ``index/NN.json``) and, only while
a commit that touches several shards is being applied, ``journal.json``.
"""

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from safefiles import atomic_write, dump_json, ensure_dir, fsync_dir
from store.errors import StoreCorrupt, StoreError, StoreVersionError
from store.lock import locked
from store.storage import ShardStorage, Tables

log = logging.getLogger("acquisto.store")

SCHEMA_VERSION = 1
FORMAT = "acquisto-store"


class Transaction:
    """Shards read and changed while the lock is held; written by ``Store`` on commit."""

    def __init__(self, store: "Store") -> None:
        self._store = store
        self._storages: dict[str, ShardStorage] = {}

    def db(self, shard: str) -> TinyDB:
        """A fresh TinyDB over ``shard`` as it is now (no cache survives the transaction)."""
        storage = self._storages.get(shard)
        if storage is None:
            storage = ShardStorage(self._store.read_shard(shard))
            self._storages[shard] = storage
        return TinyDB(storage=lambda: storage)

    def changed(self) -> dict[str, Tables]:
        return {
            name: s.tables for name, s in self._storages.items() if s.dirty and s.tables is not None
        }


class Store:
    """Sharded TinyDB files in one folder, safe for many processes at once."""

    def __init__(self, root: Path, *, sync: bool = True) -> None:
        self.root = root
        self.sync = sync
        self._local = threading.local()

    # -- opening ---------------------------------------------------------------

    def open(self) -> "Store":
        """Create the store if the folder is new, check its version, repair a crashed commit."""
        ensure_dir(self.root)
        meta_path = self.root / "meta.json"
        with locked(self._lock_path):
            if not meta_path.exists():
                if any(p.suffix == ".json" for p in self.root.iterdir()):
                    raise StoreCorrupt(
                        f"Archivio dati {self.root}: meta.json manca ma ci sono dati; "
                        "nessun file è stato modificato."
                    )
                atomic_write(meta_path, dump_json({"format": FORMAT, "schema": SCHEMA_VERSION}))
            self._check_meta(meta_path)
            self._recover()
            for stale in self.root.rglob(".*.tmp"):  # left by a writer killed mid-write
                stale.unlink(missing_ok=True)
        return self

    def _check_meta(self, meta_path: Path) -> None:
        meta = self._load(meta_path)
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise StoreCorrupt(f"{meta_path}: non è un archivio dati di Acquisto.")
        version = meta.get("schema")
        if version != SCHEMA_VERSION:
            raise StoreVersionError(
                f"{meta_path}: versione dello schema {version!r} sconosciuta "
                f"(questa versione di Acquisto usa la {SCHEMA_VERSION}); "
                "aggiornare il programma. I dati non sono stati toccati."
            )

    @property
    def _lock_path(self) -> Path:
        return self.root / "lock"

    @property
    def _journal_path(self) -> Path:
        return self.root / "journal.json"

    # -- reading ---------------------------------------------------------------

    def shard_path(self, shard: str) -> Path:
        if not shard or ".." in shard.split("/") or shard.startswith("/"):
            raise StoreError(f"Nome di archivio non valido: {shard!r}")
        return self.root / f"{shard}.json"

    def _load(self, path: Path) -> Any:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        try:
            return json.loads(raw)
        except ValueError as exc:
            raise StoreCorrupt(
                f"Il file {path} è danneggiato ({exc}); non è stato modificato. "
                "Ripristinarlo da una copia di sicurezza."
            ) from None

    def read_shard(self, shard: str) -> Tables | None:
        """The tables of ``shard`` as last committed, or None when it does not exist."""
        data = self._load(self.shard_path(shard))
        if data is not None and not isinstance(data, dict):
            raise StoreCorrupt(f"Il file {self.shard_path(shard)} non contiene tabelle.")
        return data

    def snapshot(self, shard: str) -> TinyDB:
        """A read-only view of ``shard``: consistent, since files are replaced atomically."""
        if self._journal_path.exists():
            with locked(self._lock_path):
                self._recover()
        tables = self.read_shard(shard)
        return TinyDB(storage=lambda: ShardStorage(tables))

    def list_shards(self, folder: str) -> list[str]:
        """Names of the shards stored under ``folder``."""
        base = self.root / folder
        if not base.is_dir():
            return []
        return sorted(
            f"{folder}/{p.stem}" for p in base.glob("*.json") if not p.name.startswith(".")
        )

    def revision(self) -> int:
        """A number that changes with every commit by any process."""
        try:
            return int((self.root / "revision").read_bytes() or 0)
        except (FileNotFoundError, ValueError):
            return 0

    # -- writing ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Run a read-modify-write under the lock; commit atomically when the block ends."""
        if getattr(self._local, "active", False):
            raise RuntimeError("nested store transaction")
        self._local.active = True
        try:
            with locked(self._lock_path):
                self._recover()
                tx = Transaction(self)
                yield tx
                self._commit(tx.changed())
        finally:
            self._local.active = False

    @contextmanager
    def frozen(self) -> Iterator[None]:
        """Hold the lock with every commit whole (a half-applied one finished first): the
        files stay as they are until the block ends, for a consistent copy."""
        if getattr(self._local, "active", False):
            raise RuntimeError("nested store transaction")
        with locked(self._lock_path):
            self._recover()
            yield

    def update_file(self, path: Path, change: Callable[[bytes | None], bytes | None]) -> bool:
        """Under the store's lock, replace ``path`` (outside the store, e.g. config.toml) with
        what ``change`` makes of its current bytes, and bump the revision so that every open
        screen reloads it; ``change`` returning None writes nothing. Returns whether it wrote.
        """
        if getattr(self._local, "active", False):
            raise RuntimeError("nested store transaction")
        with locked(self._lock_path):
            try:
                current: bytes | None = path.read_bytes()
            except FileNotFoundError:
                current = None
            new = change(current)
            if new is None or new == current:
                return False
            atomic_write(path, new, sync=self.sync)
            self._bump()
            return True

    def _bump(self) -> None:
        atomic_write(self.root / "revision", str(self.revision() + 1).encode(), sync=False)

    def _commit(self, changed: dict[str, Tables]) -> None:
        if not changed:
            return
        encoded = {shard: dump_json(tables) for shard, tables in changed.items()}
        if len(changed) > 1:
            # Several files must change together: journal first, so a crash is redone. The
            # journal is {"shards": {name: tables, ...}, "complete": true}, made of the
            # shards' own bytes (each shard is encoded once).
            shards = b",".join(dump_json(name) + b":" + data for name, data in encoded.items())
            journal = b'{"shards":{' + shards + b'},"complete":true}'
            atomic_write(self._journal_path, journal, sync=self.sync)
            if self.sync:
                fsync_dir(self.root)
            try:  # from here the commit is durable: the journal redoes it if this fails
                self._apply(encoded)
                self._journal_path.unlink()
                self._bump()
            except OSError as exc:
                log.warning("salvataggio registrato, da completare alla prossima lettura: %s", exc)
            return
        self._apply(encoded)
        self._bump()

    def _apply(self, encoded: dict[str, bytes]) -> None:
        folders: set[Path] = set()
        for shard, data in encoded.items():
            path = self.shard_path(shard)
            if path.parent not in folders:
                ensure_dir(path.parent)
                folders.add(path.parent)
            atomic_write(path, data, sync=self.sync)
        if self.sync:
            for folder in folders:
                fsync_dir(folder)

    def _recover(self) -> None:
        """Finish a multi-shard commit that a crash interrupted (call with the lock held)."""
        if not self._journal_path.exists():
            return
        try:
            journal = json.loads(self._journal_path.read_bytes())
        except ValueError:
            journal = None  # torn journal: the crash came before any shard was touched
        shards = self._journal_shards(journal)
        if shards is not None:
            self._apply({name: dump_json(t) for name, t in shards.items()})
            self._bump()
        self._journal_path.unlink()

    def _journal_shards(self, journal: Any) -> dict[str, Tables] | None:
        """The shards of a complete journal of the right shape, every name inside the store;
        None for anything else (nothing is applied: a bad journal never overwrites a file)."""
        if not isinstance(journal, dict) or journal.get("complete") is not True:
            return None
        shards = journal.get("shards")
        if not isinstance(shards, dict) or not shards:
            return None
        for name, tables in shards.items():
            try:
                inside = self.shard_path(name).resolve().is_relative_to(self.root.resolve())
            except StoreError:
                inside = False
            if not inside or not isinstance(tables, dict):
                log.warning("giornale scartato: %r non è un file dell'archivio dati", name)
                return None
            if not all(isinstance(t, dict) for t in tables.values()):
                log.warning("giornale scartato: tabelle di %s malformate", name)
                return None
        return shards
