"""The archive's watcher beside the TUI, in a process of its own (``acquisto watch``): its
rescans of a large archive, its OCR and its mail never share the TUI's interpreter, so
the keys are answered at the same speed while it works. It ends with the TUI: it stops
when its standard input closes, which the kernel does when the TUI ends, however it ends."""

import subprocess
import sys
from pathlib import Path


class WatcherProcess:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start ``acquisto watch`` on the data folder: it waits its turn if another process
        already watches, as any watcher does."""
        self.process = subprocess.Popen(
            [sys.executable, "-m", "main", "--data", str(self.data_dir), "watch", "--with-parent"],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def stop(self, within: float = 15) -> None:
        """Close its input (it stops at once) and wait for it; a watcher that does not end
        within ``within`` seconds is killed."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.stdin is not None:
            process.stdin.close()
        try:
            process.wait(within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
