"""The TUI's watcher runs as a process of its own (``acquisto watch --with-parent``): it
files what lands in the archive, and it ends, its lock released, when its input closes,
as it does when the TUI that started it ends. A real process over a real folder."""

import os
import time
from pathlib import Path

from archive.election import Leadership
from procedure.office import Office
from tui.watcher_process import WatcherProcess


def quick(data: Path) -> None:
    config = data / "config.toml"
    config.write_text(
        config.read_text().replace("stability_seconds = 3.0", "stability_seconds = 0.2")
    )


def returned(data: Path, code: str, form: str) -> bool:
    state = Office.open(data, user="test").customer(code).forms.get(form)
    return bool(state and state.returned_at)


def test_the_tuis_watcher_files_a_return_and_ends_with_its_input(demo: Office) -> None:
    data = demo.settings.data_dir
    quick(data)
    demo.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    demo.checklist.form_sent("C00003", "privacy")
    watcher = WatcherProcess(data)
    watcher.start()
    process = watcher.process
    assert process is not None
    try:
        lock = Leadership(data / "watch.lock")
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:  # it takes the lock
            if not lock.try_acquire():
                break
            lock.release()
            time.sleep(0.1)
        own = os.getpriority(os.PRIO_PROCESS, 0)
        assert os.getpriority(os.PRIO_PROCESS, process.pid) == min(own + 10, 19)  # yields
        slot = demo.filing.slot_dir(demo.customer("C00003"), "privacy")
        deadline = time.monotonic() + 60
        while not slot.is_dir() and time.monotonic() < deadline:  # its tree, made once it
            time.sleep(0.1)  # watches (at its lower priority: later on a busy machine)
        (slot / "scansione.pdf").write_bytes(b"%PDF-1.4 scan")
        deadline = time.monotonic() + 60
        while not returned(data, "C00003", "privacy") and time.monotonic() < deadline:
            time.sleep(0.1)
        assert returned(data, "C00003", "privacy")
    finally:
        watcher.stop()
    assert process.returncode == 0  # it stopped by itself once its input closed
    assert Leadership(data / "watch.lock").try_acquire()  # and its lock is free again
