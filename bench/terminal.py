"""A program in a pseudo-terminal, as tmux or an SSH session gives it, read back through a
terminal emulator (pyte): keys are written as a terminal writes them, and a figure runs
from the key written to the screen settled (nothing on it changed for ``QUIET`` seconds),
the time taken being that of the last change. Nothing is subtracted.

A change is one of the characters or of the styles of the cells (a cursor moving down a
table changes no character). The one change that is not counted is a text cursor's blink:
a single cell whose character stays and whose style alone toggles."""

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import termios
import time
from collections.abc import Callable, Mapping

import pyte

QUIET = 0.25  # a screen whose text has not changed for this long has settled
KEYS = {  # what a terminal writes for each key
    "enter": b"\r",
    "escape": b"\x1b",
    "down": b"\x1b[B",
    "up": b"\x1b[A",
    "right": b"\x1b[C",
    "home": b"\x1b[H",
    "ctrl+p": b"\x10",
    "ctrl+s": b"\x13",
    "ctrl+q": b"\x11",
    "slash": b"/",
    "space": b" ",
}


class Terminal:
    """``argv`` running in a pty of ``size`` (columns, rows)."""

    def __init__(
        self, argv: list[str], env: Mapping[str, str], size: tuple[int, int] = (120, 36)
    ) -> None:
        columns, rows = size
        self.started = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: its terminal's size set before the program asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
            os.execve(argv[0], argv, dict(env))
        self.pid, self.fd = pid, fd
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.shown = self.text()
        self.cells = self._cells()

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def _cells(self) -> list[tuple[str, str, str, bool, bool]]:
        buffer, out = self.screen.buffer, []
        for y in range(self.screen.lines):
            line = buffer[y]
            for x in range(self.screen.columns):
                c = line[x]
                out.append((c.data, c.fg, c.bg, c.reverse, c.bold))
        return out

    def _changed(self) -> bool:
        """Whether the screen changed since last asked, a cursor's blink apart."""
        cells = self._cells()
        differ = [(a, b) for a, b in zip(self.cells, cells, strict=True) if a != b]
        self.cells = cells
        blink = len(differ) == 1 and differ[0][0][0] == differ[0][1][0]
        return bool(differ) and not blink

    def press(self, key: str) -> float:
        """Write ``key`` (a name of ``KEYS`` or a character); the moment it was written."""
        data = KEYS.get(key, key.encode())
        start = time.perf_counter()
        os.write(self.fd, data)
        return start

    def settle(
        self,
        since: float,
        ready: Callable[[str], bool] = lambda _: True,
        timeout: float = 120,
        changes: bool = True,
    ) -> float:
        """Seconds from ``since`` to the last change of the screen, once ``ready`` holds on
        its text and nothing has changed for ``QUIET`` seconds (``changes`` False: a key
        that may change nothing, such as Home on the first row, settles unchanged too)."""
        last = None
        while True:
            waited = select.select([self.fd], [], [], QUIET)[0]
            now = time.perf_counter()
            if waited:
                try:
                    data = os.read(self.fd, 1 << 16)
                except OSError:
                    data = b""
                if not data:
                    raise SystemExit(f"the program ended; its screen was:\n{self.text()}")
                self.stream.feed(data)
                if self._changed():
                    self.shown, last = self.text(), now
            elif (last is not None or not changes) and ready(self.shown):
                return (last or now) - since
            if now - since > timeout:
                raise SystemExit(f"the screen never settled as expected:\n{self.shown}")

    def key(
        self, key: str, ready: Callable[[str], bool] = lambda _: True, changes: bool = True
    ) -> float:
        """Press ``key`` and return the seconds until the screen settled."""
        return self.settle(self.press(key), ready, changes=changes)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            done, _ = os.waitpid(self.pid, os.WNOHANG)
            if done:
                break
            with contextlib.suppress(OSError):  # keep the pty drained while it ends
                if select.select([self.fd], [], [], 0.1)[0]:
                    os.read(self.fd, 1 << 16)
        else:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        os.close(self.fd)
