"""Waiting for something to read, on any descriptor: poll(2), not select(2), which refuses
descriptors past 1023 (a long-running TUI or watcher may well hold that many)."""

import select
from typing import Any


def readable(source: Any, seconds: float) -> bool:
    """Whether ``source`` (a socket, a pipe, a file object or descriptor) has something to
    read within ``seconds``."""
    poller = select.poll()
    poller.register(source, select.POLLIN)
    return bool(poller.poll(max(seconds, 0) * 1000))
