"""Errors raised by the store, with messages meant for the user (Italian)."""


class StoreError(Exception):
    """The data folder cannot be used as it is."""


class StoreCorrupt(StoreError):
    """A store file cannot be read: it is never overwritten."""


class StoreVersionError(StoreError):
    """The store was written by a version of Acquisto this one does not know."""


class StoreBusy(StoreError):
    """Another writer held the database longer than the busy timeout: nothing was done."""
