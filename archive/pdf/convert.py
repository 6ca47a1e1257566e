"""PDF from .docx: Microsoft Word through docx2pdf where it exists, else LibreOffice headless."""

import atexit
import contextlib
import functools
import json
import logging
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from safefiles import current_umask
from safefiles.waiting import readable

log = logging.getLogger("acquisto.pdf")

INSTALL_HINT = (
    "PDF non prodotti: nessun convertitore. Installare LibreOffice "
    "(sudo apt-get install libreoffice-writer-nogui); i .docx sono stati creati."
)


class PdfError(Exception):
    """A conversion failed; the message says which documents (Italian)."""


class LibreOffice:
    """Converts many documents in one soffice run, on a private profile, under a timeout."""

    name = "LibreOffice"

    def __init__(self, binary: str, timeout: float = 120) -> None:
        self.binary = binary
        self.timeout = timeout
        self.last_group = 0  # the process group of the last run (its id is soffice's pid)

    def convert(self, documents: list[Path]) -> list[Path]:
        """A PDF beside each document; raises PdfError naming those not written."""
        if not documents:
            return []
        with tempfile.TemporaryDirectory(prefix="acquisto-pdf-") as tmp:
            work = Path(tmp)
            (work / "in").mkdir()
            (work / "out").mkdir()
            inputs = []
            for i, doc in enumerate(documents):  # copies: names may repeat across folders
                copy = work / "in" / f"{i}.docx"
                shutil.copyfile(doc, copy)
                inputs.append(copy)
            self._convert(work, inputs)
            outputs, missing = [], []
            for i, doc in enumerate(documents):
                pdf = work / "out" / f"{i}.pdf"
                if not pdf.exists() or pdf.stat().st_size == 0:  # soffice exits 0 regardless
                    missing.append(doc.name)
                    continue
                target = doc.with_suffix(".pdf")
                shutil.move(pdf, target)
                outputs.append(target)
            if missing:
                raise PdfError(f"{self.name} non ha prodotto il PDF di: {', '.join(missing)}")
            return outputs

    def _convert(self, work: Path, inputs: list[Path]) -> None:
        """``work/in/N.docx`` into ``work/out/N.pdf``: one soffice run on a profile of its own
        (two conversions sharing one lose PDFs)."""
        command = [
            self.binary,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work / "out"),
            *map(str, inputs),
        ]
        self._run(command)

    def _run(self, command: list[str]) -> None:
        process = subprocess.Popen(
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed whole on timeout
        )
        self.last_group = process.pid
        try:
            process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process.pid)
            process.wait()
            raise PdfError(self._silent()) from None

    def _silent(self) -> str:
        return f"{self.name} non ha risposto entro {self.timeout:.0f} s ed è stato fermato."


class _Ended(Exception):
    """The warm LibreOffice's worker ended before it answered (LibreOffice crashed)."""


class WarmLibreOffice(LibreOffice):
    """One LibreOffice kept running and reused: the first conversion starts it (a few
    seconds), the next ones take a tenth of a second each instead of a cold start.

    A worker under LibreOffice's own Python (``uno_worker.py``) drives it over a named pipe
    that only this user can open; it ends when this process does (its stdin closes). A
    worker that fails or stops answering is killed with its LibreOffice, and the next
    conversion starts a new one."""

    def __init__(self, binary: str, python: str, timeout: float = 120) -> None:
        super().__init__(binary, timeout)
        self.python = python
        self._worker: subprocess.Popen[str] | None = None
        self._home: tempfile.TemporaryDirectory[str] | None = None
        self._lock = threading.Lock()
        self.pipe = ""  # the named pipe LibreOffice listens on (a new name at each start)

    def warm_up(self) -> None:
        """Start LibreOffice now, if it is not running, so the next conversion is quick; a
        failure is left for that conversion to report."""
        with self._lock:
            if self._worker is None:
                try:
                    self._start()
                except (OSError, PdfError):
                    self.close()

    def _convert(self, work: Path, inputs: list[Path]) -> None:
        with self._lock:
            for doc in inputs:
                request = {"in": str(doc), "out": str(work / "out" / f"{doc.stem}.pdf")}
                try:  # a PDF not written is named by the caller
                    self._ask(self._running(), json.dumps(request))
                except _Ended:  # LibreOffice ended meanwhile (a crash): once more, anew
                    self._ask(self._running(), json.dumps(request))
        umask = current_umask()
        for pdf in (work / "out").iterdir():  # the modes a cold run gives, not the worker's
            pdf.chmod(0o666 & ~umask)

    def _running(self) -> "subprocess.Popen[str]":
        """The worker, started anew if it never was or has ended."""
        worker = self._worker
        if worker is None or worker.poll() is not None:
            self.close()
            worker = self._start()
        return worker

    def _start(self) -> "subprocess.Popen[str]":
        self._home = tempfile.TemporaryDirectory(prefix="acquisto-office-")
        self.pipe = f"acquisto_{secrets.token_hex(16)}"
        worker = subprocess.Popen(
            [
                self.python,
                str(Path(__file__).with_name("uno_worker.py")),
                self.binary,
                (Path(self._home.name) / "profile").as_uri(),
                self.pipe,
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,  # worker and LibreOffice in one group, killed together
        )
        self._worker = worker
        self.last_group = worker.pid
        self._ask(worker, None)  # {"ready": true} once LibreOffice listens
        return worker

    def _ask(self, worker: "subprocess.Popen[str]", request: str | None) -> dict[str, object]:
        """Send ``request`` (None: only read) and read the answer line within the timeout;
        a worker that does not answer is stopped."""
        assert worker.stdin is not None and worker.stdout is not None
        silent = False  # no answer within the timeout, as against a worker that ended
        answer = None
        deadline = time.monotonic() + self.timeout
        try:
            if request is not None:
                worker.stdin.write(request + "\n")
                worker.stdin.flush()
            while answer is None:
                left = deadline - time.monotonic()
                ready = readable(worker.stdout, left)
                silent = not ready
                line = worker.stdout.readline() if ready else ""
                if not line:
                    break  # silent past the timeout, or its output closed: it ended
                answer = _answer(line)
        except OSError:
            answer = None
        if not isinstance(answer, dict):
            if not silent:  # its pipes closed: it is ending, if not ended already
                with contextlib.suppress(subprocess.TimeoutExpired):
                    worker.wait(timeout=10)
            ended = worker.poll() is not None
            self.close()
            if ended and request is not None:
                raise _Ended
            raise PdfError(self._silent() if not ended else f"{self.name} si è chiuso.")
        return answer

    def close(self) -> None:
        """End the worker and its LibreOffice (also done when this process ends)."""
        worker, self._worker = self._worker, None
        if worker is not None:
            if worker.stdin is not None:
                with contextlib.suppress(OSError):  # already gone
                    worker.stdin.close()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _kill_group(worker.pid)
                worker.wait()
            if worker.stdout is not None:
                worker.stdout.close()
            _remove_socket(Path(f"/tmp/OSL_PIPE_{os.getuid()}_{self.pipe}"))  # if killed
        if self._home is not None:
            self._home.cleanup()
            self._home = None


class Word:
    """Microsoft Word through docx2pdf (Windows and macOS only)."""

    name = "Microsoft Word"

    def convert(self, documents: list[Path]) -> list[Path]:
        from docx2pdf import convert

        outputs = []
        for doc in documents:
            target = doc.with_suffix(".pdf")
            convert(str(doc), str(target))
            if not target.exists():
                raise PdfError(f"Word non ha prodotto il PDF di {doc.name}")
            outputs.append(target)
        return outputs


Converter = LibreOffice | Word

_warm: WarmLibreOffice | None = None  # this process's warm LibreOffice, once asked for


def find_converter(timeout: float = 120, warm: bool = False) -> Converter | None:
    """Word where docx2pdf can drive it, else LibreOffice if installed, else None.

    ``warm`` (a process that converts again and again: the TUI, the service) gives the one
    LibreOffice this process keeps running, where LibreOffice's Python has ``uno``
    (Debian: python3-uno); else a cold LibreOffice per conversion."""
    global _warm
    if sys.platform in ("win32", "darwin"):
        try:
            import docx2pdf  # noqa: F401

            return Word()
        except ImportError:
            pass
    for binary in ("soffice", "libreoffice"):
        found = shutil.which(binary)
        if not found:
            continue
        if warm:
            if _warm is None and (python := uno_python(found)):
                _warm = WarmLibreOffice(found, python, timeout)
                atexit.register(_warm.close)
            if _warm is not None:
                return _warm
        return LibreOffice(found, timeout)
    return None


@functools.cache
def uno_python(soffice: str) -> str | None:
    """The Python that can import LibreOffice's ``uno``: the one shipped in LibreOffice's
    own folder (builds from libreoffice.org), or the system's (Debian's python3-uno)."""
    for python in (Path(os.path.realpath(soffice)).with_name("python"), Path("/usr/bin/python3")):
        if not python.is_file():
            continue
        check = subprocess.run(
            [str(python), "-c", "import uno"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
        if check.returncode == 0:
            return str(python)
    return None


def timed(converter: Converter, documents: list[Path]) -> tuple[list[Path], float]:
    """Convert and return the PDFs with the seconds it took (for benchmarks and progress)."""
    start = time.perf_counter()
    return converter.convert(documents), time.perf_counter() - start


def _kill_group(group: int, within: float = 5.0) -> None:
    """SIGKILL every process of ``group`` and return once none of them runs any more (a
    killed process ends a moment later; at most ``within`` seconds are waited)."""
    deadline = time.monotonic() + within
    while True:
        try:
            os.killpg(group, signal.SIGKILL)
        except ProcessLookupError:
            return
        if not _running_in(group) or time.monotonic() > deadline:
            return
        time.sleep(0.01)


def _running_in(group: int) -> bool:
    """Whether a process of ``group`` still runs (a zombie has ended; without /proc, none is
    known to)."""
    for status in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = status.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False


def _answer(line: str) -> dict[str, object] | None:
    """The worker's answer on ``line``; anything else (not a JSON object) is logged and
    passed over."""
    try:
        answer = json.loads(line)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        log.warning("LibreOffice: riga inattesa dal convertitore: %r", line[:200])
        return None
    return answer


def _remove_socket(path: Path) -> None:
    """Remove the socket a killed LibreOffice left behind (ours only: another user's file of
    that name, or a file that is not a socket, stays)."""
    with contextlib.suppress(OSError):
        found = path.lstat()
        if stat.S_ISSOCK(found.st_mode) and found.st_uid == os.getuid():
            path.unlink()
