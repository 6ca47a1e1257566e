"""A TinyDB storage that lives for one transaction: read once, write once on commit."""

from typing import Any

from tinydb.storages import Storage

Tables = dict[str, dict[str, Any]]


class ShardStorage(Storage):
    """Holds one shard's tables in memory while a transaction runs.

    TinyDB reads and writes its whole storage on every table operation; this storage
    answers those from memory, so a transaction costs one file read and at most one
    atomic file write, done by the store at commit.
    """

    def __init__(self, tables: Tables | None) -> None:
        self.tables = tables
        self.dirty = False

    def read(self) -> Tables | None:
        return self.tables

    def write(self, data: Tables) -> None:
        self.tables = data
        self.dirty = True

    def close(self) -> None:
        pass
