"""Backups while colleagues work: ``acquisto backup FILE`` and ``restore FILE``.

The store is copied consistently: under its lock every store file is hard-linked into a
private folder (files are only ever replaced by rename, so a link is a frozen copy), which
takes a moment however big the store; the compressed archive is then written from those
links with the lock released. With the store go ``config.toml``, the licence keys, the
stored messages (``mail/``, resent byte for byte), the company's templates (``modelli/``)
and an index of the archive's files (path, size, time); the archive's files themselves
only when asked. Restoring unpacks into an empty folder and refuses any member that would
land outside it.
"""

import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from archive.listing import candidates
from procedure.errors import Refused
from safefiles import DIR_MODE, FILE_MODE, ensure_dir

if TYPE_CHECKING:
    from procedure.office import Office

WITH_STORE = ("config.toml", "keys", "mail", "modelli")
ARCHIVE_INDEX = "indice-archivio.json"
SKIP = {"lock"}  # the store's lock file is per machine, never restored
# The store's journals are written in place (a link would see later commits) and hold
# nothing once the store is frozen: the shards are the whole state.
STORE_SKIP = SKIP | {"journal.log", "journal.json"}


@dataclass(frozen=True)
class Made:
    path: Path
    files: int


def _link_tree(source: Path, target: Path, skip: set[str] = SKIP) -> int:
    """Hard-link (or copy, across file systems) every regular file of ``source``."""
    count = 0
    for path in sorted(source.rglob("*")):
        if path.is_symlink() or not path.is_file() or path.name in skip:
            continue
        dest = target / path.relative_to(source)
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, dest)
        except OSError:
            shutil.copy2(path, dest)
        count += 1
    return count


class Backups:
    """Snapshots of one data folder, and restoring one into an empty folder."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def backup(self, target: Path, with_archive: bool = False) -> Made:
        """Write a .tar.gz snapshot to ``target`` (atomically: a temporary name, renamed)."""
        data = self.office.settings.data_dir
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=data) as tmp:
            frozen = Path(tmp)
            with self.office.store.frozen():
                files = _link_tree(self.office.settings.store_dir, frozen / "store", STORE_SKIP)
            for name in WITH_STORE:
                source = data / name
                if source.is_file() and not source.is_symlink():
                    shutil.copy2(source, frozen / name)
                    files += 1
                elif source.is_dir():
                    files += _link_tree(source, frozen / name)
            files += self._archive(frozen, with_archive)
            ensure_dir(target.parent)
            partial = target.with_name(f".{target.name}.parziale")
            with tarfile.open(partial, "w:gz") as tar:
                for path in sorted(frozen.rglob("*")):
                    if path.is_file():
                        tar.add(path, arcname=str(path.relative_to(frozen)), recursive=False)
            os.replace(partial, target)
        return Made(target, files)

    def _archive(self, frozen: Path, with_files: bool) -> int:
        root = self.office.settings.archive_root
        listed = [
            {"file": rel, "size": size, "mtime_ns": mtime} for rel, size, mtime in candidates(root)
        ]
        (frozen / ARCHIVE_INDEX).write_text(json.dumps(listed, ensure_ascii=False, indent=1))
        if not with_files or not root.is_dir():
            return 1
        return 1 + _link_tree(root, frozen / "archivio")


def restore(source: Path, data_dir: Path) -> int:
    """Unpack the backup ``source`` into ``data_dir``, which must be empty or missing;
    returns how many files. Raises Refused."""
    if data_dir.exists() and any(data_dir.iterdir()):
        raise Refused(f"{data_dir} non è vuota: si ripristina solo in una cartella vuota.")
    try:
        with tarfile.open(source, "r:gz") as tar:
            members = [m for m in tar.getmembers() if m.isfile() or m.isdir()]
            ensure_dir(data_dir)
            tar.extractall(data_dir, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise Refused(f"{source}: copia di sicurezza non leggibile ({exc}).") from None
    _share(data_dir)
    return sum(1 for m in members if m.isfile())


def _share(data_dir: Path) -> None:
    """Group-usable again, as the program makes its files (unpacking drops group write);
    the licence keys keep their own modes."""
    for path in [data_dir, *data_dir.rglob("*")]:
        if path.is_symlink() or "keys" in path.relative_to(data_dir).parts[:1]:
            continue
        os.chmod(path, DIR_MODE if path.is_dir() else FILE_MODE)
