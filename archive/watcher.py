"""Watching the archive tree: events are hints, stability decides, rescans catch the rest.

One thread drains watchdog's events (native inotify, or polling for network shares where
inotify sees nothing) and the periodic full rescans into a set of candidate files; a file
is handed to ``on_file`` once its size and mtime have been stable for ``delay`` seconds.
Files already handled (same size and mtime) are remembered in a state file, with when the
last listing began and which slots held files then, so a rescan opens only the slots that
changed since (see ``archive.listing``).
"""

import collections
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from pathlib import Path, PurePath

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from archive.intake import StabilityTracker, ignored, place, shown
from archive.listing import listing, start_listing
from safefiles import atomic_write

log = logging.getLogger("acquisto.archive")
MAX_ERRORS = 100

OnFile = Callable[[Path], bool | None]  # False: not handled, taken again on a later pass


class KnownFiles:
    """Files already handled, by path relative to the root, with the size and mtime seen;
    when the last whole listing began and the slots that held candidates then.

    A colleague can write this file as any in the data folder: forged, it can make a rescan
    pass over files (as it could before it held listings), never write or move one."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, tuple[int, int]] = {}
        self.listed_at: int | None = None
        self.busy: frozenset[str] = frozenset()
        self.dirty = False
        try:
            raw = json.loads(path.read_bytes())
            files = raw.get("files", {}) if raw.get("version") == 2 else raw
            self.files = {str(k): (int(v[0]), int(v[1])) for k, v in files.items()}
            if raw.get("version") == 2 and raw.get("listed_at") is not None:
                self.listed_at = int(raw["listed_at"])
                self.busy = frozenset(str(rel) for rel in raw["busy"])
        except (FileNotFoundError, ValueError, TypeError, IndexError, KeyError, AttributeError):
            self.files, self.listed_at, self.busy = {}, None, frozenset()  # one slower rescan

    def known(self, rel: str, size: int, mtime_ns: int) -> bool:
        return self.files.get(rel) == (size, mtime_ns)

    def add(self, rel: str, size: int, mtime_ns: int) -> None:
        self.files[rel] = (size, mtime_ns)
        self.dirty = True

    def listed(self, started: int | None, busy: set[str]) -> None:
        """A whole listing began at ``started`` (the archive's clock) and found ``busy``."""
        self.listed_at, self.busy = started, frozenset(busy)
        self.dirty = True

    def save(self) -> None:
        if self.dirty:
            state = {
                "version": 2,
                "files": self.files,
                "listed_at": self.listed_at,
                "busy": sorted(self.busy),
            }
            # ASCII escapes keep a name that is not UTF-8 (its bytes as lone surrogates)
            data = json.dumps(state, ensure_ascii=True, separators=(",", ":")).encode("ascii")
            atomic_write(self.path, data, sync=False)
            self.dirty = False


class _Hints(FileSystemEventHandler):
    def __init__(self, sink: "queue.Queue[str]") -> None:
        self.sink = sink

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        for path in (event.src_path, getattr(event, "dest_path", "")):
            if path:
                self.sink.put(os.fsdecode(path))


class Watcher:
    """Hands each whole new file in a slot or in the intake folder to ``on_file`` once."""

    def __init__(
        self,
        root: Path,
        on_file: OnFile,
        state: Path,
        *,
        before_rescan: Callable[[], object] | None = None,
        delay: float = 3.0,
        polling: bool = False,
        poll_interval: float = 2.0,
        rescan_every: float = 300.0,
        tick: float = 0.2,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root.resolve()
        self.on_file = on_file
        self.known = KnownFiles(state)
        self.stability = StabilityTracker(delay, clock)
        self.polling = polling
        self.poll_interval = poll_interval
        self.rescan_every = rescan_every
        self.before_rescan = before_rescan
        self.tick = tick
        self.clock = clock
        self.hints: queue.Queue[str] = queue.Queue()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._observer: BaseObserver | None = None
        self.errors: collections.deque[str] = collections.deque(maxlen=MAX_ERRORS)

    # -- one pass, usable without threads ----------------------------------------

    def rescan(self) -> int:
        """Put every not-yet-handled file among the candidates; return how many."""
        added = 0
        started = start_listing(self.root)
        found = listing(self.root, self.known.listed_at, self.known.busy)
        self.known.listed(started, found.busy)
        for rel, size, mtime_ns in found.files:
            if not self.known.known(rel, size, mtime_ns):
                self.stability.observe(str(self.root / rel), size, mtime_ns)
                added += 1
        return added

    def process(self) -> int:
        """Hand over the candidates that are stable now; return how many were handed over."""
        while True:
            try:
                path = self.hints.get_nowait()
            except queue.Empty:
                break
            self._hint(path)
        handed = 0
        for path in self.stability.pending():
            try:
                st = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                self.stability.forget(path)  # moved away or deleted
                continue
            if not self.stability.observe(path, st.st_size, st.st_mtime_ns):
                continue
            self.stability.forget(path)
            try:
                handled = self.on_file(Path(path))
            except Exception as exc:  # one bad file must not stop the watcher
                self._failed(f"{shown(path)}: {exc}")
                handled = False  # not marked: the next rescan tries it again
            handed += 1
            if handled is False:
                continue
            rel = str(PurePath(path).relative_to(self.root))
            try:
                st = os.stat(path, follow_symlinks=False)
                self.known.add(rel, st.st_size, st.st_mtime_ns)
            except FileNotFoundError:
                pass  # moved into its slot: the slot copy is handled as its own file
        self.known.save()
        return handed

    def _failed(self, message: str) -> None:
        """A file the pass could not take: logged with its traceback, kept for the caller
        to tell (the most recent ones)."""
        log.exception("archivio: %s", message)
        self.errors.append(message)

    def _hint(self, path: str) -> None:
        try:
            rel = PurePath(path).relative_to(self.root)
        except ValueError:
            return
        if ignored(rel.name) or place(rel).kind == "other":
            return
        try:
            st = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            return
        regular = os.path.isfile(path) and not os.path.islink(path)
        if regular and not self.known.known(str(rel), st.st_size, st.st_mtime_ns):
            self.stability.observe(path, st.st_size, st.st_mtime_ns)

    def scan_once(self, wait: bool = True) -> int:
        """A full pass (``acquisto scan``): rescan, then wait for files to settle."""
        self.rescan()
        handed = self.process()
        deadline = self.clock() + self.stability.delay + 1
        while wait and self.stability.pending() and self.clock() < deadline:
            time.sleep(min(self.tick, max(0.0, self.stability.delay / 4)))
            handed += self.process()
        return handed

    # -- running in the background ------------------------------------------------

    def start(self) -> None:
        observer: BaseObserver = (
            PollingObserver(timeout=self.poll_interval) if self.polling else Observer()
        )
        observer.schedule(_Hints(self.hints), str(self.root), recursive=True)
        observer.start()
        self._observer = observer
        self._thread = threading.Thread(target=self._run, name="acquisto-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        next_rescan = self.clock()
        while not self._stop.is_set():
            try:
                self._pass(next_rescan <= self.clock())
            except Exception as exc:  # the watcher goes on at the next tick, whatever failed
                self._failed(f"passata dell'archivio non riuscita: {exc}")
            if next_rescan <= self.clock():
                next_rescan = self.clock() + self.rescan_every
            self._stop.wait(self.tick)

    def _pass(self, rescan: bool) -> None:
        if rescan:
            if self.before_rescan is not None:
                try:
                    self.before_rescan()  # e.g. folders for customers added meanwhile
                except Exception as exc:
                    self._failed(str(exc))
            self.rescan()
        self.process()

    def alive(self) -> bool:
        """Whether the watching thread runs (it was started and has not died)."""
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        self._stop.set()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join(5)
        if self._thread is not None:
            self._thread.join(5)
        self.known.save()
