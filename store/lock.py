"""The cross-process lock that serialises every write to a data folder."""

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from safefiles import FILE_MODE, share_mode

_thread_lock = threading.RLock()


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (and this process's thread lock)."""
    with _thread_lock:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE)
        try:
            share_mode(fd)
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the flock
