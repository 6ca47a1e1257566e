"""Waiting for something to read works on any descriptor, past the 1023 select(2) takes
(a long-running watcher or TUI may hold more)."""

import os
import socket

from safefiles.waiting import readable


def test_a_socket_past_descriptor_1023_is_waited_on() -> None:
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    ours, theirs = socket.socketpair()
    try:
        assert ours.fileno() > 1023
        assert not readable(ours, 0)  # nothing yet
        theirs.sendall(b"* 1 EXISTS\r\n")
        assert readable(ours, 5)
    finally:
        ours.close()
        theirs.close()
        for fd in held:
            os.close(fd)
