"""Crash-safe file primitives shared by store/ and archive/: atomic replace, shared modes."""

import contextlib
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


def fsync_dir(path: Path) -> None:
    """Make a rename inside ``path`` durable."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_file(path: Path, data: bytes) -> None:
    """Write ``data`` to a new or private file (a staged copy no reader opens), shared with
    the group; not made durable here."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, FILE_MODE)
    try:
        share_mode(fd)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
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
        _reserve(fd, len(data))
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(tmp, path)


def empty_file(path: Path, *, sync: bool = True) -> None:
    """Truncate ``path`` to nothing in place (its name stays), durably when ``sync``; a
    missing file is left missing."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        return
    try:
        os.ftruncate(fd, 0)
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def _reserve(fd: int, size: int) -> None:
    """Allocate the file's blocks before writing them: ext4 then does not flush the file
    when it is renamed over the old one (its "auto_da_alloc", which would cost a third of a
    small commit); where the file system cannot, nothing is done."""
    if size and hasattr(os, "posix_fallocate"):
        with contextlib.suppress(OSError):
            os.posix_fallocate(fd, 0, size)


def dump_json(value: Any) -> bytes:
    """Serialise ``value`` as compact UTF-8 JSON."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
