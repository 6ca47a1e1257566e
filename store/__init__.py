"""Persistence: TinyDB on a locked, atomic, sharded storage shared by many processes."""

from store.errors import StoreCorrupt, StoreError, StoreVersionError
from store.store import SCHEMA_VERSION, Store, Transaction

__all__ = [
    "SCHEMA_VERSION",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreVersionError",
    "Transaction",
]
