"""The archive watcher as a service: one elected process per data folder files returned
forms (over the Office: it runs the filing, the inbox and the osTicket queue together)."""

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from archive.election import Leadership
from archive.watcher import Watcher
from procedure.mail.imap import MailboxError
from procedure.office import Office
from procedure.services.archiving.filing import UNRECOGNISED, Filed, Filing
from procedure.services.archiving.intake import Intake, Reader

Report = Callable[[Filed], None]
log = logging.getLogger("acquisto.archive")
IDLE_LIMIT = 300.0  # an IDLE is renewed well within the 29 minutes RFC 2177 allows


def make_watcher(
    office: Office,
    filing: Filing,
    report: Report | None = None,
    reader: Reader | None = None,
    before_rescan: Callable[[], object] | None = None,
) -> Watcher:
    """A watcher over the archive with the settings of ``config.toml``; files no QR code
    identifies go to ``reader`` for OCR, off the watcher's own thread."""
    s = office.settings

    def on_file(path: Path) -> bool:
        filed = filing.handle(path)
        if reader is not None and filed.outcome == UNRECOGNISED:
            reader.submit(path)
        if report is not None:
            report(filed)
        return not filed.retry

    return Watcher(
        s.archive_root,
        on_file,
        s.data_dir / "watch-state.json",
        delay=s.archive.stability_seconds,
        polling=s.archive.watch_mode == "polling",
        poll_interval=s.archive.poll_seconds,
        rescan_every=s.archive.rescan_minutes * 60,
        before_rescan=before_rescan or filing.ensure_tree,
    )


def scan(
    office: Office,
    report: Report | None = None,
    wait: bool = True,
    errors: list[str] | None = None,
) -> int:
    """One full pass over the archive (``acquisto scan``); returns how many files were taken
    and adds to ``errors`` what went wrong with the files it could not take."""
    filing = Filing(office, office.checklist)
    filing.ensure_tree()
    watcher = make_watcher(office, filing, report)
    taken = watcher.scan_once(wait=wait)
    if errors is not None:
        errors.extend(watcher.errors)
    return taken


class WatchService:
    """Runs the watcher while this process holds the data folder's watcher lock; another
    process takes over when this one stops."""

    def __init__(self, office: Office, report: Report | None = None, retry: float = 5.0) -> None:
        self.office = office
        self.report = report
        self.retry = retry
        self.leadership = Leadership(office.settings.data_dir / "watch.lock")
        self.stopping = threading.Event()
        self.leading = threading.Event()

    def run(self) -> None:
        """Block until ``stop``: wait for the lock, then watch."""
        while not self.stopping.is_set():
            if self.leadership.try_acquire():
                break
            self.stopping.wait(self.retry)
        else:
            return
        try:
            filing = Filing(self.office, self.office.checklist)
            filing.ensure_tree()
            reader = Reader(Intake(self.office, filing, self.office.inbox))

            def before_rescan() -> None:  # every few minutes: new folders, queued tickets
                filing.ensure_tree()
                self.office.osticket.flush_tickets()

            watcher = make_watcher(self.office, filing, self.report, reader, before_rescan)
            watcher.start()
            if self.office.inbox.boxes():
                threading.Thread(target=self.read_mail, name="acquisto-inbox", daemon=True).start()
            self.leading.set()
            while not self.stopping.wait(self.retry):
                if not watcher.alive():  # never a lock held by a process that files nothing
                    log.error("sorveglianza dell'archivio interrotta: riavviata")
                    watcher.stop()
                    watcher = make_watcher(self.office, filing, self.report, reader, before_rescan)
                    watcher.start()
            watcher.stop()
        finally:
            self.leading.clear()
            self.leadership.release()

    def read_mail(self) -> None:
        """The mailboxes, read while this process watches: a pass, then a wait for news
        (IMAP IDLE, at most ``poll_seconds``), until ``stop``."""
        pause = self.office.inbox.boxes()[0][1].poll_seconds
        while not self.stopping.is_set():
            try:
                done = self.office.inbox.run_once()
                for problem in done.problems:
                    log.warning("posta in arrivo: %s", problem)
                if not self.office.inbox.wait(min(pause, IDLE_LIMIT)):
                    self.stopping.wait(pause)
            except MailboxError as exc:
                log.warning("posta in arrivo: %s", exc)
                self.stopping.wait(pause)
            except Exception:  # one bad message never stops the reading of the others
                log.exception("posta in arrivo: lettura non riuscita")
                self.stopping.wait(pause)

    def start_thread(self) -> threading.Thread:
        thread = threading.Thread(target=self.run, name="acquisto-watch-service", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        self.stopping.set()
