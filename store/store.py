"""The data folder's store: sharded TinyDB files, one lock, atomic multi-file commits.

Layout under ``<data>/store``: ``meta.json`` (format and schema version), ``lock``,
``revision`` (bumped by every commit, read cheaply by other processes), one JSON file
per shard (``office.json``, ``customers/<code>.json``, ``list/<bucket>.json``),
``journal.log`` (the commit log, see ``store.commit_log``) and ``journal.json``, which holds
something only while a large commit is being applied.

A commit of a few shards appends their contents to the commit log, syncs the log only, then
replaces the shards. A large one (an import of thousands of dossiers) first makes the log's
shards durable and empties it, writes each shard once, to a hidden staged file beside it,
makes them durable with one file-system sync, and journals only the renames in
``journal.json``: all or nothing either way.
"""

import ctypes
import json
import logging
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from safefiles import (
    FILE_MODE,
    atomic_write,
    dump_json,
    empty_file,
    ensure_dir,
    fsync_dir,
    share_mode,
    write_file,
)
from store.commit_log import CHECKPOINT_ABOVE, CommitLog, LogTooLarge
from store.errors import StoreCorrupt, StoreError, StoreVersionError
from store.lock import locked
from store.storage import ShardStorage, Tables

log = logging.getLogger("acquisto.store")

SCHEMA_VERSION = 1
FORMAT = "acquisto-store"
STAGE_ABOVE = 64  # a commit of more shards than this is staged, not journalled whole
STAGED_NAME = re.compile(r"\.[A-Za-z0-9_.-]{1,80}\.[0-9a-f]{12}\.stage")
LEFTOVER = (".*.tmp", ".*.stage")  # written by a process killed before it could finish


class Transaction:
    """Shards read and changed while the lock is held; written by ``Store`` on commit."""

    def __init__(self, store: "Store") -> None:
        self._store = store
        self._storages: dict[str, ShardStorage] = {}
        self._staged: dict[str, Path] = {}  # shard -> its new content, already on disk
        self._deleted: set[str] = set()
        self.id = uuid.uuid4().hex[:12]
        self.journalled = False  # from then on the staged files belong to the journal

    def db(self, shard: str) -> TinyDB:
        """A fresh TinyDB over ``shard`` as it is now (no cache survives the transaction)."""
        storage = self._storages.get(shard)
        if storage is None:
            if shard in self._deleted:
                tables = None
            elif shard in self._staged:
                tables = self._store.load_tables(self._staged[shard])
            else:
                tables = self._store.read_shard(shard)
            storage = ShardStorage(tables)
            self._storages[shard] = storage
        return TinyDB(storage=lambda: storage)

    @property
    def store(self) -> "Store":
        return self._store

    def tables_as_read(self, shard: str) -> Tables | None:
        """The tables of ``shard`` in this transaction, not to be changed."""
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
        self._staged.pop(shard, None)
        self._deleted.add(shard)

    def spill(self) -> None:
        """Write the shards changed so far to staged files and let go of them in memory
        (a large import stays small in memory); nothing is visible before the commit."""
        for shard, tables in self.changed().items():
            self._staged[shard] = self._store.stage(shard, tables, self.id)
            self._deleted.discard(shard)
        self._storages = {n: s for n, s in self._storages.items() if not s.dirty}

    def changed(self) -> dict[str, Tables]:
        return {
            name: s.tables for name, s in self._storages.items() if s.dirty and s.tables is not None
        }

    def staged(self) -> dict[str, Path]:
        return dict(self._staged)

    def deleted(self) -> set[str]:
        return set(self._deleted)

    def discard(self) -> None:
        """Remove the staged files of a transaction that will not commit."""
        if self.journalled:
            return
        for path in self._staged.values():
            path.unlink(missing_ok=True)
        self._staged.clear()


class Store:
    """Sharded TinyDB files in one folder, safe for many processes at once."""

    def __init__(
        self, root: Path, *, sync: bool = True, checkpoint_above: int = CHECKPOINT_ABOVE
    ) -> None:
        self.root = root
        self.sync = sync
        self.checkpoint_above = checkpoint_above
        self._log = CommitLog(root / "journal.log", sync=sync)
        self._local = threading.local()
        self._folders: set[Path] = set()  # known to exist

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
            for folder in (self.root, self.root / "list"):  # customers/: see leftovers()
                for pattern in LEFTOVER:
                    for stale in folder.glob(pattern):
                        stale.unlink(missing_ok=True)
        return self

    def leftovers(self) -> list[Path]:
        """Temporary and staged files that a killed writer left anywhere in the store (call
        with the lock held: then no writer is running)."""
        return sorted(p for pattern in LEFTOVER for p in self.root.rglob(pattern))

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

    def load_tables(self, path: Path) -> Tables | None:
        data = self._load(path)
        if data is not None and not isinstance(data, dict):
            raise StoreCorrupt(f"Il file {path} non contiene tabelle.")
        return data

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
        return self.load_tables(self.shard_path(shard))

    def journal_pending(self) -> bool:
        """Whether a commit may need finishing: a large commit's journal holds it, or the
        commit log has a record to redo."""
        return self._staged_pending() or self._log.pending()

    def _staged_pending(self) -> bool:
        try:
            return os.stat(self._journal_path).st_size > 0
        except FileNotFoundError:
            return False

    def _done_with_journal(self) -> None:
        """The large commit is applied: empty its journal, durably (a journal of renames
        that came back after a crash would remove shards written since)."""
        empty_file(self._journal_path, sync=self.sync)

    def settle(self) -> None:
        """Finish a commit that a crash left half-applied, if any, before reading."""
        if self.journal_pending():
            with locked(self._lock_path):
                self._recover()

    def snapshot(self, shard: str) -> TinyDB:
        """A read-only view of ``shard``: consistent, since files are replaced atomically."""
        self.settle()
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
                try:
                    yield tx
                    self._commit(tx)
                except BaseException:
                    tx.discard()
                    raise
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
        """Write the next revision over the old one in place (a rename per commit costs as
        much as the rest of a small commit). Readers only compare it with what they saw: a
        read caught mid-write gives another number, so at worst one extra reload."""
        value = f"{self.revision() + 1:020d}".encode()
        fd = os.open(self.root / "revision", os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
        try:
            share_mode(fd)
            os.pwrite(fd, value, 0)
        finally:
            os.close(fd)

    def stage(self, shard: str, tables: Tables, txid: str) -> Path:
        """Write ``shard``'s new tables beside it under a hidden name; returns that path."""
        path = self.shard_path(shard)
        staged = path.with_name(f".{path.name}.{txid}.stage")
        if path.parent not in self._folders:
            self._folders.add(ensure_dir(path.parent))
        write_file(staged, dump_json(tables))
        return staged

    def _commit(self, tx: Transaction) -> None:
        if tx.staged() or len(tx.changed()) > STAGE_ABOVE:
            tx.spill()
            self._commit_staged(tx)
            return
        changed, deleted = tx.changed(), tx.deleted()
        if not changed and not deleted:
            return
        encoded: dict[str, bytes | None] = {n: dump_json(t) for n, t in changed.items()}
        encoded.update(dict.fromkeys(deleted))
        mark = self._log.append(encoded)
        try:  # from here the commit is durable: the log redoes it if this fails
            self._apply(encoded, sync=False)
            self._log.mark_applied(mark)
            self._bump()
        except OSError as exc:
            log.warning("salvataggio registrato, da completare alla prossima lettura: %s", exc)
            return
        if self._log.size() > self.checkpoint_above:
            self._checkpoint()

    def _checkpoint(self) -> None:
        """Make every shard the commit log wrote durable, then empty the log."""
        if self._log.size() == 0:
            return
        if self.sync:
            paths = [self.shard_path(n) for n in self._log.names() if self._inside(n)]
            _sync_files(paths, each=True)
            for folder in {p.parent for p in paths} | {self.root}:  # root: new folders
                if folder.is_dir():
                    fsync_dir(folder)
        self._log.clear()

    def _commit_staged(self, tx: Transaction) -> None:
        """Every shard already staged: make them durable at once, journal the renames,
        rename. The journal is {"moves": {name: staged file name}, "deleted": [...],
        "complete": true}."""
        staged, deleted = tx.staged(), tx.deleted()
        if not staged and not deleted:
            return
        self._checkpoint()  # the log's commits come first, durably, before this journal
        if self.sync:
            _sync_files(list(staged.values()))
        journal = {
            "moves": {name: path.name for name, path in staged.items()},
            "deleted": sorted(deleted),
            "complete": True,
        }
        atomic_write(self._journal_path, dump_json(journal), sync=self.sync)
        if self.sync:
            fsync_dir(self.root)
        tx.journalled = True
        try:
            self._move(staged)
            self._apply(dict.fromkeys(deleted))
            self._done_with_journal()
            self._bump()
        except OSError as exc:
            log.warning("salvataggio registrato, da completare alla prossima lettura: %s", exc)

    def _move(self, staged: dict[str, Path]) -> None:
        folders: set[Path] = set()
        for shard, path in staged.items():
            target = self.shard_path(shard)
            try:
                os.replace(path, target)
            except FileNotFoundError:
                continue  # moved already, by the commit that a crash interrupted
            folders.add(target.parent)
        if self.sync:
            for folder in folders:
                fsync_dir(folder)

    def _apply(self, encoded: dict[str, bytes | None], *, sync: bool | None = None) -> None:
        sync = self.sync if sync is None else sync
        folders: set[Path] = set()
        for shard, data in encoded.items():
            path = self.shard_path(shard)
            if data is None:
                path.unlink(missing_ok=True)
                folders.add(path.parent)
                continue
            if path.parent not in folders:
                ensure_dir(path.parent)
                folders.add(path.parent)
            atomic_write(path, data, sync=sync)
        if sync:
            for folder in folders:
                if folder.is_dir():
                    fsync_dir(folder)

    def _recover(self) -> None:
        """Finish a commit that a crash interrupted (call with the lock held): a large one's
        journal first (the log was empty when it began), then the log's records."""
        if self._staged_pending():
            self._recover_staged()
        if self._log.pending():
            self._redo_log()

    def _redo_log(self) -> None:
        try:
            records = self._log.to_redo()
        except LogTooLarge:
            raise StoreCorrupt(
                f"Il file {self._log.path} è più grande di qualunque registro di Acquisto; "
                "non è stato modificato. Controllarne la provenienza."
            ) from None
        for record in records:
            try:
                shards = self._journal_shards({"shards": json.loads(record.data), "complete": True})
            except (ValueError, RecursionError):
                shards = None
            if shards is None:
                log.warning("registro: un salvataggio malformato è stato scartato")
                continue
            self._apply(
                {n: dump_json(t) if t is not None else None for n, t in shards.items()}, sync=False
            )
        self._checkpoint()
        if records:
            self._bump()

    def _recover_staged(self) -> None:
        """A large commit's journal of renames (or, from an older version of Acquisto, a
        journal of whole shards)."""
        try:
            journal = json.loads(self._journal_path.read_bytes())
        except (ValueError, RecursionError):
            journal = None  # torn journal: the crash came before any shard was touched
        shards = self._journal_shards(journal)
        moves = self._journal_moves(journal)
        if shards is not None:
            self._apply({n: dump_json(t) if t is not None else None for n, t in shards.items()})
            self._bump()
        elif moves is not None:
            self._move(moves[0])
            self._apply(dict.fromkeys(moves[1]))
            self._bump()
        self._done_with_journal()

    def _inside(self, name: Any) -> bool:
        try:
            return isinstance(name, str) and self.shard_path(name).resolve().is_relative_to(
                self.root.resolve()
            )
        except StoreError:
            return False

    def _journal_moves(self, journal: Any) -> tuple[dict[str, Path], list[str]] | None:
        """The renames and removals of a complete staged journal of the right shape, every
        name inside the store and every staged file one of ours; None for anything else."""
        if not isinstance(journal, dict) or journal.get("complete") is not True:
            return None
        moves, deleted = journal.get("moves"), journal.get("deleted", [])
        if not isinstance(moves, dict) or not isinstance(deleted, list):
            return None
        staged: dict[str, Path] = {}
        for name, file in moves.items():
            if not self._inside(name) or not isinstance(file, str):
                log.warning("giornale scartato: %r non è un file dell'archivio dati", name)
                return None
            if not STAGED_NAME.fullmatch(file):
                log.warning("giornale scartato: %r non è un file preparato da Acquisto", file)
                return None
            staged[name] = self.shard_path(name).with_name(file)
        if not all(self._inside(name) for name in deleted):
            log.warning("giornale scartato: elimina file fuori dall'archivio dati")
            return None
        return staged, deleted

    def _journal_shards(self, journal: Any) -> dict[str, Tables | None] | None:
        """The shards of a complete journal of the right shape, every name inside the store;
        None for anything else (nothing is applied: a bad journal never overwrites a file)."""
        if not isinstance(journal, dict) or journal.get("complete") is not True:
            return None
        shards = journal.get("shards")
        if not isinstance(shards, dict) or not shards:
            return None
        for name, tables in shards.items():
            if not self._inside(name) or not (tables is None or isinstance(tables, dict)):
                log.warning("giornale scartato: %r non è un file dell'archivio dati", name)
                return None
            if tables is not None and not all(isinstance(t, dict) for t in tables.values()):
                log.warning("giornale scartato: tabelle di %s malformate", name)
                return None
        return shards


def _sync_files(paths: list[Path], *, each: bool = False) -> None:
    """Make the files durable: one by one when they are few (or ``each``: then a file that
    is gone is skipped), else with one sync of their file system (far cheaper than
    thousands of fsyncs)."""
    if each or len(paths) <= STAGE_ABOVE:
        for path in paths:
            try:
                fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            except FileNotFoundError:
                continue
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return
    libc = ctypes.CDLL(None, use_errno=True)  # the C library the interpreter runs on
    syncfs = getattr(libc, "syncfs", None)
    fd = os.open(paths[0].parent, os.O_RDONLY)
    try:
        if syncfs is None or syncfs(fd) != 0:
            os.sync()
    finally:
        os.close(fd)
