"""The one-time conversion of a store of the previous format (schema 1: a folder of JSON
shards with ``meta.json``, a commit log ``journal.log`` and a journal of renames
``journal.json``) into the SQLite database, all or nothing.

The old state is read as the previous version would have recovered it: the shard files,
then a large commit's journal of renames, then every whole record of the commit log in
order (each holds whole shards, so applying them again is harmless). Dossiers, catalogues,
counters, pins, prospects and audit entries are copied into a new database under a
temporary name, which is renamed into place only once it is complete; the old files are
then moved aside into a dated folder. The list and the billing plans are derived: the
Office makes them again from the dossiers.
"""

import contextlib
import fcntl
import json
import os
import re
import stat
import struct
import zlib
from datetime import datetime
from pathlib import Path
from typing import Any

from safefiles import dump_json, ensure_dir, new_file
from store.errors import StoreCorrupt, StoreVersionError
from store.sql import Database, is_database

OLD_FORMAT, OLD_SCHEMA = "acquisto-store", 1
DERIVED = ("list", "plans", "index")  # made again from the dossiers
OLD_NAMES = ("meta.json", "revision", "lock", "journal.log", "journal.json")
MAGIC, HEADER = b"AQJ1", 40  # the commit log's header: magic and boot id
FRAME = struct.Struct("<III")
STAGED_NAME = re.compile(r"\.[A-Za-z0-9_.-]{1,80}\.[0-9a-f]{12}\.stage")
READ_AT_MOST = 256 << 20
AUDIT = "audit"


def _load(path: Path) -> Any:
    try:
        return json.loads(path.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise StoreCorrupt(
            f"{path} è danneggiato ({exc}): l'archivio dati del formato precedente non si "
            "può convertire. Nessun file è stato modificato; ripristinare una copia di "
            "sicurezza con la versione precedente di Acquisto."
        ) from None


def _shard_name(root: Path, path: Path) -> str:
    return str(path.relative_to(root).with_suffix(""))


def _wanted(name: Any) -> bool:
    return (
        isinstance(name, str)
        and ".." not in name.split("/")
        and not name.startswith("/")
        and name.split("/", 1)[0] not in DERIVED
    )


def _records(raw: bytes) -> list[dict[str, Any]]:
    """The whole records of a commit log, in order (a torn or damaged one ends them)."""
    out: list[dict[str, Any]] = []
    at = HEADER if raw[: len(MAGIC)] == MAGIC else len(raw)
    while at + 1 + FRAME.size <= len(raw) and raw[at : at + 1] == b"R":
        names_len, data_len, crc = FRAME.unpack_from(raw, at + 1)
        head = at + 1 + FRAME.size
        end = head + names_len + data_len
        if end + 1 > len(raw) or raw[end : end + 1] not in (b"-", b"+"):
            break
        names, data = raw[head : head + names_len], raw[head + names_len : end]
        if zlib.crc32(data, zlib.crc32(names)) != crc:
            break
        try:
            shards = json.loads(data)
        except (ValueError, RecursionError):
            break
        if isinstance(shards, dict):
            out.append(shards)
        at = end + 1
    return out


def _regular(path: Path) -> bytes:
    """The bytes of a regular file (a link, a FIFO or anything else is refused)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        fd = -1
    if fd < 0 or not stat.S_ISREG(os.fstat(fd).st_mode):
        if fd >= 0:
            os.close(fd)
        raise StoreCorrupt(f"{path} non è un file regolare; nessun file è stato modificato.")
    with os.fdopen(fd, "rb") as f:
        raw = f.read(READ_AT_MOST + 1)
    if len(raw) > READ_AT_MOST:
        raise StoreCorrupt(f"{path} è più grande di qualunque registro di Acquisto.")
    return raw


def _check_meta(root: Path) -> None:
    meta = _load(root / "meta.json")
    if not isinstance(meta, dict) or meta.get("format") != OLD_FORMAT:
        raise StoreCorrupt(f"{root / 'meta.json'}: non è un archivio dati di Acquisto.")
    if meta.get("schema") != OLD_SCHEMA:
        raise StoreVersionError(
            f"{root / 'meta.json'}: versione dello schema {meta.get('schema')!r} sconosciuta; "
            "aggiornare il programma. I dati non sono stati toccati."
        )


def old_state(root: Path) -> dict[str, Any]:
    """Every shard of an old-format store as the previous version would read it."""
    _check_meta(root)
    shards: dict[str, Any] = {}
    for path in sorted(root.glob("*.json")) + sorted((root / "customers").glob("*.json")):
        if not path.name.startswith(".") and path.name not in ("meta.json", "journal.json"):
            shards[_shard_name(root, path)] = _load(path)
    journal = root / "journal.json"
    if journal.is_file() and journal.stat().st_size:
        _apply_journal(root, shards, journal)
    log = root / "journal.log"
    for record in _records(_regular(log)) if log.exists() else []:
        _overlay(shards, record)
    return {n: t for n, t in shards.items() if _wanted(n)}


def _overlay(shards: dict[str, Any], changed: dict[str, Any]) -> None:
    """Apply one commit's whole shards (None removes one)."""
    for name, tables in changed.items():
        if not _wanted(name):
            continue
        if tables is None:
            shards.pop(name, None)
        else:
            shards[name] = tables


def _apply_journal(root: Path, shards: dict[str, Any], path: Path) -> None:
    try:
        journal = json.loads(path.read_bytes())
    except (ValueError, RecursionError):
        return  # torn: the crash came before any shard was touched
    if not isinstance(journal, dict) or journal.get("complete") is not True:
        return
    if isinstance(journal.get("shards"), dict):
        _overlay(shards, journal["shards"])
    moves = journal.get("moves")
    staged = {}
    for name, file in moves.items() if isinstance(moves, dict) else ():
        path = (root / f"{name}.json").with_name(str(file))
        if STAGED_NAME.fullmatch(str(file)) and path.is_file():
            staged[name] = _load(path)
    deleted = journal.get("deleted")
    _overlay(shards, {**staged, **dict.fromkeys(deleted if isinstance(deleted, list) else [])})


def _write(db: Database, shards: dict[str, Any]) -> None:
    with db.writing() as cur:
        for name, tables in shards.items():
            if not isinstance(tables, dict):
                raise StoreCorrupt(f"{name}: non contiene tabelle; nessun file è stato modificato.")
            code = name.split("/", 1)[1] if name.startswith("customers/") else ""
            audit = tables.pop(AUDIT, None) if (code or name == AUDIT) else None
            if isinstance(audit, dict):
                for key in sorted(audit, key=lambda k: int(k) if k.isdigit() else 0):
                    cur.add_audit(code, dump_json(audit[key]).decode("utf-8"))
            if name != AUDIT:
                cur.put_doc(name, dump_json(tables).decode("utf-8"))
        cur.bump()


def _convert(shards: dict[str, Any], target: Path) -> None:
    """Write ``shards`` into a new database under a temporary name, renamed to ``target``
    once complete (nothing is left behind when it fails)."""
    temp = target.with_name(f".{target.name}.conversione")
    leftovers = [temp, *(Path(f"{temp}{suffix}") for suffix in ("-wal", "-shm", "-journal"))]
    for stale in leftovers:
        stale.unlink(missing_ok=True)
    try:
        new_file(temp)
        db = Database(temp)
        db.create()
        _write(db, shards)
        db.close()
        os.replace(temp, target)
    finally:
        for stale in leftovers:
            stale.unlink(missing_ok=True)


def migrate_if_needed(store: Any) -> Path | None:
    """Convert the old-format store in ``store.root``, if there is one, into
    ``store.path``; returns the folder the old files were moved into (None when there was
    nothing to convert). Raises StoreCorrupt, leaving every old file as it was."""
    root: Path = store.root
    if not (root / "meta.json").exists():
        if any(p.suffix == ".json" for p in root.iterdir() if not p.name.startswith(".")):
            raise StoreCorrupt(
                f"Archivio dati {root}: meta.json manca ma ci sono dati; "
                "nessun file è stato modificato."
            )
        return None
    lock = os.open(root / "lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o664)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # no process of the previous version is writing
        if not is_database(store.path):
            _convert(old_state(root), store.path)
        return _move_aside(root)
    finally:
        os.close(lock)


def _move_aside(root: Path) -> Path:
    """Move the old format's files into ``formato-precedente-<date>``; returns it."""
    aside = ensure_dir(root / f"formato-precedente-{datetime.now():%Y%m%d-%H%M%S}")
    for path in sorted(root.iterdir()):
        old = path.suffix in (".json", ".tmp", ".stage") or path.name in OLD_NAMES
        folder = path.is_dir() and path.name in ("customers", *DERIVED)
        if (old or folder) and not path.name.startswith("formato-precedente-"):
            with contextlib.suppress(OSError):
                os.replace(path, aside / path.name)
    return aside
