"""PDF from .docx: Microsoft Word through docx2pdf where it exists, else LibreOffice headless."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
            inputs = []
            for i, doc in enumerate(documents):  # copies: names may repeat across folders
                copy = work / "in" / f"{i}.docx"
                shutil.copyfile(doc, copy)
                inputs.append(copy)
            # A profile of its own: two conversions sharing one lose PDFs.
            profile = (work / "profile").as_uri()
            command = [
                self.binary,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(work / "out"),
                *map(str, inputs),
            ]
            self._run(command)
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
            raise PdfError(
                f"{self.name} non ha risposto entro {self.timeout:.0f} s ed è stato fermato."
            ) from None


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


def find_converter(timeout: float = 120) -> Converter | None:
    """Word where docx2pdf can drive it, else LibreOffice if installed, else None."""
    if sys.platform in ("win32", "darwin"):
        try:
            import docx2pdf  # noqa: F401

            return Word()
        except ImportError:
            pass
    for binary in ("soffice", "libreoffice"):
        found = shutil.which(binary)
        if found:
            return LibreOffice(found, timeout)
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
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # ended while we looked
        if int(fields[2]) == group and fields[0] != "Z":
            return True
    return False
