"""Listing the archive's candidate files: every file in a form slot or in the intake folder.

A full listing opens every slot folder, one per form per customer (half a million at
100,000 customers). A rescan can do with less: a slot folder whose status has not changed
since the previous listing began (its ctime, which any file added, removed or renamed in it
moves, is older), and which held no candidate then, holds none now, so it is not opened.
Times are compared on the archive's own file system: the listing starts by touching the
archive root and reading back the time it got, so a network share with another clock is
judged by its own. A slot that held candidates is always listed again (a file rewritten in
place does not move its folder's time).
"""

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from archive.intake import ignored
from archive.layout import INTAKE, RECEIVED

INTAKE_DEPTH = 3  # scanners file into sub-folders of "Da archiviare" (by date, by device)
SETTLE_NS = 2_000_000_000  # a clock stepped back by less than this still misses nothing

File = tuple[str, int, int]  # path relative to the root, size, mtime_ns


@dataclass
class Listing:
    files: list[File] = field(default_factory=list)
    busy: set[str] = field(default_factory=set)  # slots that held a candidate
    skipped: int = 0  # slots not opened, unchanged and empty since the previous listing


def start_listing(root: Path) -> int | None:
    """The archive file system's time now (the root is touched to read it); None when the
    root cannot be touched, and then the next listing opens every slot."""
    try:
        os.utime(root)
        return os.stat(root).st_ctime_ns
    except OSError:
        return None


def listing(
    root: Path,
    since: int | None = None,
    busy: frozenset[str] = frozenset(),
    settle_ns: int = SETTLE_NS,
) -> Listing:
    """The candidate files under ``root``, walked without following symbolic links; with
    ``since`` (when the previous listing began, on the archive's clock) slots unchanged
    since ``settle_ns`` before then and not among ``busy`` are not opened."""
    out = Listing()
    try:
        top = list(os.scandir(root))
    except FileNotFoundError:
        return out
    unchanged_before = None if since is None else since - settle_ns
    for entry in top:
        if not entry.is_dir(follow_symlinks=False):
            continue
        if entry.name == INTAKE:
            out.files += _files(entry.path, INTAKE, depth=INTAKE_DEPTH)
            continue
        _slots(entry, unchanged_before, busy, out)
    return out


def _slots(
    customer: os.DirEntry[str], unchanged_before: int | None, busy: frozenset[str], out: Listing
) -> None:
    """The candidates in one customer's slots, into ``out``."""
    try:
        slots = list(os.scandir(os.path.join(customer.path, RECEIVED)))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for slot in slots:
        if not slot.is_dir(follow_symlinks=False):
            continue
        rel = f"{customer.name}/{RECEIVED}/{slot.name}"
        if unchanged_before is not None and rel not in busy:
            try:
                if slot.stat(follow_symlinks=False).st_ctime_ns < unchanged_before:
                    out.skipped += 1
                    continue
            except FileNotFoundError:
                continue
        found = _files(slot.path, rel)
        if found:
            out.files += found
            out.busy.add(rel)


def candidates(root: Path) -> list[File]:
    """Every file in a form slot or in the intake folder: (relative path, size, mtime_ns)."""
    return listing(root).files


def intake_files(root: Path) -> list[File]:
    """The files waiting in the intake folder alone (no walk of the customers' folders)."""
    return _files(os.path.join(root, INTAKE), INTAKE, depth=INTAKE_DEPTH)


@dataclass(frozen=True)
class Entry:
    """Anything in the intake folder but a folder: a regular file or what is not one."""

    rel: str  # relative to the archive root
    regular: bool
    size: int


def intake_entries(root: Path) -> list[Entry]:
    """Everything a colleague or a scanner left in the intake folder (and its sub-folders),
    editor litter and links, FIFOs and devices too: listed, never opened or followed."""
    out: list[Entry] = []
    for rel, st in _walk(os.path.join(root, INTAKE), INTAKE, INTAKE_DEPTH):
        out.append(Entry(rel, stat.S_ISREG(st.st_mode), st.st_size))
    return sorted(out, key=lambda e: e.rel)


def _walk(folder: str, rel: str, depth: int) -> Iterator[tuple[str, os.stat_result]]:
    """(relative path, lstat) of every entry of ``folder`` but folders, and of its
    sub-folders ``depth`` levels down; links are never followed."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError, PermissionError):
        return
    for e in entries:
        try:
            st = e.stat(follow_symlinks=False)
        except OSError:  # gone meanwhile
            continue
        if stat.S_ISDIR(st.st_mode):
            if depth and not ignored(e.name):  # a hidden folder holds nobody's scan
                yield from _walk(e.path, f"{rel}/{e.name}", depth - 1)
            continue
        yield f"{rel}/{e.name}", st


def _files(folder: str, rel: str, depth: int = 0) -> list[File]:
    """The regular files of ``folder`` (and of its sub-folders ``depth`` levels down) but
    editor litter; links, FIFOs and devices are never taken."""
    return [
        (path, st.st_size, st.st_mtime_ns)
        for path, st in _walk(folder, rel, depth)
        if stat.S_ISREG(st.st_mode) and not ignored(os.path.basename(path))
    ]
