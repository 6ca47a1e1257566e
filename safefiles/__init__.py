"""Crash-safe file primitives shared by store/ and archive/: atomic replace, shared modes."""

import contextlib
import ctypes
import errno
import functools
import json
import os
import stat
from pathlib import Path
from typing import Any

FILE_MODE = 0o664
DIR_MODE = 0o2775  # setgid: new files keep the folder's group, so colleagues share them


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) group-writable; return it."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(PermissionError):  # someone else's folder: theirs to set
            os.chmod(path, DIR_MODE)
    return path


def share_mode(fd: int) -> None:
    """Make a file we just opened group-writable, whatever the umask (not ours: left alone)."""
    with contextlib.suppress(PermissionError):
        os.fchmod(fd, FILE_MODE)


def new_file(path: Path) -> None:
    """Create ``path`` empty and shared with the group; an existing name (a file or a link
    planted there) is an error, never followed."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    try:
        share_mode(fd)
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never a mix.
    A file that exists keeps its mode (one an administrator tightened stays tight); a new
    one is group-writable."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        mode = FILE_MODE
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with contextlib.suppress(PermissionError):
            os.fchmod(fd, mode)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


RENAME_NOREPLACE = 1
AT_FDCWD = -100


def rename_noreplace(source: Path, target: Path) -> bool:
    """Rename ``source`` to ``target`` in one step, never replacing a file there (Linux
    renameat2 with RENAME_NOREPLACE): a crash leaves the file at one name or the other,
    never both. Raises FileExistsError when ``target`` is taken; returns False where the
    system or the file system cannot do it (the caller then does it another way)."""
    function = getattr(_libc(), "renameat2", None)
    if function is None:
        return False
    if function(AT_FDCWD, os.fsencode(source), AT_FDCWD, os.fsencode(target), RENAME_NOREPLACE):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.EXDEV, errno.ENOTSUP):
            return False
        raise OSError(code, os.strerror(code), str(target))
    return True


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def dump_json(value: Any) -> bytes:
    """Serialise ``value`` as compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


# What the system's errors mean, in Italian: every message about a failed file operation
# (the store's, the archive's, the CLI's and the TUI's) says it with these words.
OS_REASONS = {
    errno.ENOSPC: "il disco è pieno",
    errno.EDQUOT: "lo spazio concesso sul disco è esaurito",
    errno.EACCES: "permesso negato",
    errno.EPERM: "operazione non permessa",
    errno.EROFS: "il disco è in sola lettura",
    errno.EIO: "errore di lettura o scrittura del disco",
    errno.ENOENT: "non esiste",
    errno.ELOOP: "è un collegamento simbolico, che non si segue",
    errno.ENOTDIR: "non è una cartella",
    errno.EISDIR: "è una cartella, non un file",
    errno.EEXIST: "esiste già",
    errno.ENAMETOOLONG: "nome troppo lungo",
    errno.EMFILE: "troppi file aperti",
}


def os_reason(exc: OSError) -> str:
    """What went wrong, in Italian (the system's own words for an error not in the table)."""
    return OS_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__
