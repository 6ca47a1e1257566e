"""Crash-safe file primitives shared by store/ and archive/: atomic replace, exclusive
creation, regular files read without following links, the folders colleagues drop into.

Modes are the umask's: a person alone (umask 077) keeps everything to themselves; the
shared service (umask 027) lets the office group read what it makes, and nobody else."""

import contextlib
import ctypes
import errno
import functools
import hashlib
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

FILE_MODE = 0o666  # what the umask leaves of it
PRIVATE_MODE = 0o600  # keys and the like: the owner's alone, whatever the umask
DROP_MODES: dict[str, int] = {}  # "mode": the folders colleagues drop into (the service's)


def current_umask() -> int:
    """This process's umask, read without changing it (threads may be creating files)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


def ensure_dir(path: Path, drop: bool = False) -> Path:
    """Create ``path`` (and parents) as the umask says; return it. A ``drop`` folder (where
    scanners and colleagues put files) is made writable by the office group when this
    process is the shared service."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True)
    if drop and "mode" in DROP_MODES:
        with contextlib.suppress(PermissionError):  # someone else's folder: theirs to set
            os.chmod(path, DROP_MODES["mode"])
    return path


def new_file(path: Path) -> None:
    """Create ``path`` empty, as the umask says; an existing name (a file or a link planted
    there) is an error, never followed."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE))


def atomic_write(path: Path, data: bytes, *, sync: bool = True, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never a mix.
    A regular file that exists keeps its mode (one an administrator tightened stays
    tight); a new one gets ``mode`` (group-writable by default). The temporary file has an
    unpredictable name and is created exclusively, never through a link planted in the
    folder; a link at ``path`` itself is replaced, never followed."""
    wanted = _mode_of(path, mode)
    fd, tmp = exclusive_temporary(path, wanted)
    try:
        with contextlib.suppress(PermissionError):
            os.fchmod(fd, wanted)  # the umask narrowed it at creation
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    os.close(fd)
    os.replace(tmp, path)


def _mode_of(path: Path, mode: int | None) -> int:
    """The mode a new version of ``path`` gets: that of the regular file there, else
    ``mode`` (else the shared one)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return FILE_MODE if mode is None else mode
    if stat.S_ISREG(st.st_mode):
        return stat.S_IMODE(st.st_mode)
    return FILE_MODE if mode is None else mode


def exclusive_temporary(path: Path, mode: int = 0o600) -> tuple[int, Path]:
    """A new file beside ``path`` with an unpredictable name, opened for writing
    (O_EXCL|O_NOFOLLOW: nothing planted under that name is ever opened); (fd, its path)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(16):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path))


def open_lock(path: Path) -> int:
    """The descriptor of the lock file ``path``, created if missing: never through a link
    (ELOOP), only a regular file; its mode is set only when this process made it."""
    flags = os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        fd = os.open(path, flags | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        fd = os.open(path, flags)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EISDIR, "non è un file regolare", str(path))
    return fd


MOST_ATTACHMENT_BYTES = 64 << 20  # a generated document is a few hundred KB


def read_regular(path: Path, most: int = MOST_ATTACHMENT_BYTES) -> bytes:
    """The bytes of the regular file at ``path``, never through a link (ELOOP) nor from a
    FIFO or a device, at most ``most`` of them (ValueError beyond)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise ValueError("non è un file regolare")
        data = fh.read(most + 1)
    if len(data) > most:
        raise ValueError(f"più di {most} byte")
    return data


def read_as_made(path: Path, sha256: str) -> bytes:
    """The bytes of ``path`` when they are those whose SHA-256 was recorded when the file
    was made (any regular file when none was: a record older than the digests); ValueError
    when they differ."""
    data = read_regular(path)
    if sha256 and hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError("il contenuto è cambiato dopo la produzione")
    return data


def file_digest(path: Path) -> str:
    """The SHA-256 of the regular file at ``path`` (read as ``read_regular`` reads)."""
    return hashlib.sha256(read_regular(path)).hexdigest()


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
