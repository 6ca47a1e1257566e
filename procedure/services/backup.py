"""Backups while colleagues work: ``acquisto backup FILE`` and ``restore FILE``.

The store is copied with SQLite's online backup (one consistent commit, while colleagues
go on writing); the compressed archive is then written from that copy. With the store go
``config.toml``, the licence keys, the stored messages (``mail/``, resent byte for byte),
the company's templates (``modelli/``) and an index of the archive's files (path, size,
time); the archive's files themselves only when asked.

Restoring is all or nothing: every member is checked (a regular file or a folder, a
relative name that stays inside) and unpacked into a temporary folder beside the target,
which is renamed into place only when all of them are; a refused backup leaves nothing.
The checks are ours, so they hold on every Python 3.11 (``tarfile``'s ``filter=`` came in
3.11.4; Debian 12 has 3.11.2).
"""

import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from archive.listing import candidates
from procedure.errors import Refused
from procedure.folder import DataFolder
from safefiles import FILE_MODE, current_umask, ensure_dir

WITH_STORE = ("config.toml", "keys", "mail", "modelli")
ARCHIVE_INDEX = "indice-archivio.json"
SKIP = {"lock"}  # a lock file is per machine, never restored
MEMBER_AT_MOST = 4 << 30  # a member larger than this is not one a backup holds


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

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def backup(self, target: Path, with_archive: bool = False) -> Made:
        """Write a .tar.gz snapshot to ``target`` (atomically: a temporary name, renamed)."""
        data = self.folder.settings.data_dir
        with tempfile.TemporaryDirectory(prefix=".backup-", dir=data) as tmp:
            frozen = Path(tmp)
            store = self.folder.store
            ensure_dir(frozen / "store")
            store.backup_to(frozen / "store" / store.path.name)
            files = 1
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
        root = self.folder.settings.archive_root
        listed = [
            {"file": rel, "size": size, "mtime_ns": mtime} for rel, size, mtime in candidates(root)
        ]
        (frozen / ARCHIVE_INDEX).write_text(json.dumps(listed, ensure_ascii=False, indent=1))
        if not with_files or not root.is_dir():
            return 1
        return 1 + _link_tree(root, frozen / "archivio")


def restore(source: Path, data_dir: Path) -> int:
    """Unpack the backup ``source`` into ``data_dir``, which must be empty or missing, all
    or nothing; returns how many files. Raises Refused (nothing is left behind then)."""
    if data_dir.is_symlink() or (data_dir.exists() and any(data_dir.iterdir())):
        raise Refused(f"{data_dir} non è vuota: si ripristina solo in una cartella vuota.")
    ensure_dir(data_dir.parent)
    temp = Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.ripristino-", dir=data_dir.parent))
    try:
        files = _unpack(source, temp)
        if not files:
            raise Refused(f"{source}: la copia di sicurezza non contiene alcun file.")
        _share(temp)
        if data_dir.exists():
            data_dir.rmdir()  # empty, checked above
        os.rename(temp, data_dir)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    return files


def _member_path(root: Path, member: tarfile.TarInfo, source: Path) -> Path:
    """Where ``member`` goes under ``root``; raises Refused for anything but a regular
    file or a folder with a relative name that stays inside."""
    name = member.name
    parts = Path(name).parts
    if (
        not (member.isfile() or member.isdir())
        or not name
        or Path(name).is_absolute()
        or ".." in parts
        or "\x00" in name
        or member.size > MEMBER_AT_MOST
    ):
        raise Refused(
            f"{source}: copia di sicurezza rifiutata, il membro {name!r} non è un file o una "
            "cartella dentro la cartella dati; nulla è stato ripristinato."
        )
    return root.joinpath(*parts)


def _unpack(source: Path, root: Path) -> int:
    files = 0
    try:
        with tarfile.open(source, "r:gz") as tar:
            for member in tar:
                path = _member_path(root, member, source)
                if member.isdir():
                    path.mkdir(parents=True, exist_ok=True)
                    continue
                path.parent.mkdir(parents=True, exist_ok=True)
                data = tar.extractfile(member)
                if data is None:
                    continue
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
                with os.fdopen(fd, "wb") as out:
                    shutil.copyfileobj(data, out)
                os.chmod(path, member.mode & 0o770 & ~current_umask())  # as the umask allows
                os.utime(path, (member.mtime, member.mtime))
                files += 1
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise Refused(
            f"{source}: copia di sicurezza non leggibile ({exc}); nulla è stato ripristinato."
        ) from None
    return files


def _share(data_dir: Path) -> None:
    """As the program makes its files (the umask's modes); the licence keys keep theirs."""
    mask = current_umask()
    for path in [data_dir, *data_dir.rglob("*")]:
        if path.is_symlink() or "keys" in path.relative_to(data_dir).parts[:1]:
            continue
        os.chmod(path, (0o777 if path.is_dir() else FILE_MODE) & ~mask)
