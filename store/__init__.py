"""Persistence: TinyDB on a locked, atomic, sharded storage shared by many processes."""

from store.errors import StoreCorrupt, StoreError, StoreVersionError
from store.repositories import Reader, UnitOfWork, unit_of_work, upgrade_index
from store.store import SCHEMA_VERSION, Store

__all__ = [
    "SCHEMA_VERSION",
    "Reader",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreVersionError",
    "UnitOfWork",
    "unit_of_work",
    "upgrade_index",
]
