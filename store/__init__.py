"""Persistence: TinyDB documents and typed list rows in one SQLite database (WAL)."""

from store.errors import StoreBusy, StoreCorrupt, StoreError, StoreVersionError
from store.list_queries import ListQuery
from store.repositories import Reader, UnitOfWork, list_row_of, unit_of_work
from store.sql import LIST_NAMES, SCHEMA_VERSION
from store.store import Store, damaged

__all__ = [
    "LIST_NAMES",
    "SCHEMA_VERSION",
    "ListQuery",
    "Reader",
    "Store",
    "StoreBusy",
    "StoreCorrupt",
    "StoreError",
    "StoreVersionError",
    "UnitOfWork",
    "damaged",
    "list_row_of",
    "unit_of_work",
]
