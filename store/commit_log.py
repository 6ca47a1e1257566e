"""The store's commit log, ``journal.log``: a commit is durable once its record is.

A commit appends one record (the new bytes of every shard it changes, or null for a shard it
removes) and makes the log durable with one ``fdatasync``; the shards are then replaced by
rename without syncing each, and the record is marked applied. So a step costs one sync,
not one per file and folder.

Redoing a record is harmless (it holds whole shards), so recovery is simple:

- a process killed mid-commit leaves its record unmarked: the next process redoes it;
- after a crash of the machine, shards written since the last checkpoint may not have
  reached the disk although their records are marked: the log starts with the boot it was
  written in, and a log from another boot is redone whole, in order;
- when the log grows past a bound, the shards it names are synced and it is emptied (a
  checkpoint), so the redo after a crash stays short.

A record: ``R``, the lengths of its names and of its data and their CRC-32 (three
little-endian 32-bit numbers), the names (a JSON list), the data (a JSON object of the shards'
tables), one byte ``-`` (written) or ``+`` (applied). A record that is cut short or fails
its CRC, and anything after it, never completed: it is dropped.
"""

import errno
import json
import os
import stat
import struct
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from safefiles import FILE_MODE, dump_json, empty_file, fsync_dir, share_mode
from store.errors import StoreCorrupt

MAGIC = b"AQJ1"
BOOT_WIDTH = 36
HEADER = len(MAGIC) + BOOT_WIDTH
FRAME = struct.Struct("<III")  # names length, data length, CRC-32 of names + data
WRITTEN, APPLIED = b"-", b"+"
CHECKPOINT_ABOVE = 8 << 20  # bytes of log after which its shards are synced and it is emptied
READ_AT_MOST = 256 << 20  # a longer log is not one the store wrote


class LogTooLarge(Exception):
    """The log is larger than any the store writes (``READ_AT_MOST``)."""


@dataclass(frozen=True)
class Record:
    names: list[str]
    data: bytes  # {"shard": tables or null, ...}
    applied: bool


@cache
def boot_id() -> bytes:
    """This boot of the machine (Linux's boot id; empty where the kernel gives none)."""
    try:
        raw = Path("/proc/sys/kernel/random/boot_id").read_bytes()[:BOOT_WIDTH]
    except OSError:
        return b" " * BOOT_WIDTH
    return raw.strip().ljust(BOOT_WIDTH)[:BOOT_WIDTH]


def encode(encoded: dict[str, bytes | None]) -> bytes:
    """One record of the shards' new bytes (None removes a shard), not yet applied."""
    names = dump_json(list(encoded))
    data = (
        b"{"
        + b",".join(
            dump_json(name) + b":" + (content if content is not None else b"null")
            for name, content in encoded.items()
        )
        + b"}"
    )
    crc = zlib.crc32(data, zlib.crc32(names))
    return b"R" + FRAME.pack(len(names), len(data), crc) + names + data + WRITTEN


def parse(raw: bytes) -> tuple[bytes, list[Record]]:
    """The boot a log was written in and its whole records, in order."""
    boot = raw[len(MAGIC) : HEADER] if raw[: len(MAGIC)] == MAGIC else b""
    records: list[Record] = []
    at = HEADER
    while at < len(raw):
        head = at + 1 + FRAME.size
        if raw[at : at + 1] != b"R" or head > len(raw):
            break
        names_len, data_len, crc = FRAME.unpack_from(raw, at + 1)
        end = head + names_len + data_len
        if end + 1 > len(raw) or raw[end : end + 1] not in (WRITTEN, APPLIED):
            break
        names, data = raw[head : head + names_len], raw[head + names_len : end]
        if zlib.crc32(data, zlib.crc32(names)) != crc:
            break
        try:
            listed = json.loads(names)
        except ValueError:
            break
        if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
            break
        records.append(Record(listed, data, raw[end : end + 1] == APPLIED))
        at = end + 1
    return boot, records


class CommitLog:
    """``journal.log`` in the store's folder; every method runs with the store's lock held,
    except ``pending``, which any reader may ask."""

    def __init__(self, path: Path, *, sync: bool = True) -> None:
        self.path = path
        self.sync = sync

    def _open(self, flags: int) -> int:
        """The log's descriptor; a link or anything but a regular file is refused."""
        try:
            fd = os.open(self.path, flags | os.O_NOFOLLOW | os.O_NONBLOCK, FILE_MODE)
        except OSError as exc:
            if exc.errno not in (errno.ELOOP, errno.ENXIO):  # a link; a FIFO with no reader
                raise
            fd = -1
        if fd < 0 or not stat.S_ISREG(os.fstat(fd).st_mode):
            if fd >= 0:
                os.close(fd)
            raise StoreCorrupt(
                f"{self.path} non è un file regolare: il registro dei salvataggi è stato "
                "sostituito. Nessun file è stato modificato; rimuoverlo e riprovare."
            )
        return fd

    def append(self, encoded: dict[str, bytes | None]) -> int:
        """Write the record of a commit and make it durable; returns where its mark is."""
        record = encode(encoded)
        fd = self._open(os.O_RDWR | os.O_CREAT)
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                share_mode(fd)
                record = MAGIC + boot_id() + record
            written = 0
            while written < len(record):
                written += os.pwrite(fd, record[written:], size + written)
            if self.sync:
                os.fdatasync(fd)
        finally:
            os.close(fd)
        if self.sync and size == 0:
            fsync_dir(self.path.parent)  # a new (or newly emptied) log: its name is durable
        return size + len(record) - 1

    def mark_applied(self, mark: int) -> None:
        """Every shard of the record is replaced: a reader need not redo it."""
        fd = self._open(os.O_WRONLY)
        try:
            os.pwrite(fd, APPLIED, mark)
        finally:
            os.close(fd)

    def size(self) -> int:
        try:
            return os.stat(self.path).st_size
        except FileNotFoundError:
            return 0

    def pending(self) -> bool:
        """Whether a record may need redoing: its commit was cut short, or the machine has
        restarted since it was written (its shards may not have reached the disk)."""
        try:
            fd = self._open(os.O_RDONLY)
        except FileNotFoundError:
            return False
        try:
            size = os.fstat(fd).st_size
            if size == 0:
                return False
            return os.pread(fd, 1, size - 1) != APPLIED or os.pread(fd, HEADER, 0) != (
                MAGIC + boot_id()
            )
        finally:
            os.close(fd)

    def to_redo(self) -> list[Record]:
        """The records to apply again: from another boot all of them, else the unmarked."""
        boot, records = parse(self._read())
        if boot != boot_id():
            return records
        return [r for r in records if not r.applied]

    def names(self) -> set[str]:
        """Every shard the log's records wrote (for a checkpoint)."""
        return {name for record in parse(self._read())[1] for name in record.names}

    def _read(self) -> bytes:
        try:
            fd = self._open(os.O_RDONLY)
        except FileNotFoundError:
            return b""
        with os.fdopen(fd, "rb") as file:
            if os.fstat(fd).st_size > READ_AT_MOST:
                raise LogTooLarge(str(self.path))
            return file.read(READ_AT_MOST)

    def clear(self) -> None:
        """Empty the log once its shards are durable (the emptying durable too)."""
        empty_file(self.path, sync=self.sync)
