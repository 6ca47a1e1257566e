"""A TinyDB storage over one SQLite document: read once per transaction, written on commit."""

from typing import Any

from tinydb.storages import Storage

Tables = dict[str, dict[str, Any]]


class DocumentStorage(Storage):
    """One shard's tables held in memory while a transaction runs.

    TinyDB reads and writes its whole storage on every table operation; this storage
    answers those from memory, so a transaction costs one SELECT of the shard and at most
    one UPSERT, done by the store at commit (inside SQLite's transaction).
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
