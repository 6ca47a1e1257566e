"""The warm LibreOffice: started once, reused for every conversion, reachable only by its
user, replaced when it dies, gone when closed. Real LibreOffice, real PDFs."""

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from archive.pdf.convert import PdfError, WarmLibreOffice, find_converter, uno_python
from procedure.office import Office
from tests.integration.test_documents import _alive_in_group

SOFFICE = shutil.which("soffice")
PYTHON = uno_python(SOFFICE) if SOFFICE else None

pytestmark = pytest.mark.skipif(
    PYTHON is None, reason="LibreOffice and python3-uno are installed by .ci/run"
)


@pytest.fixture
def warm() -> Iterator[WarmLibreOffice]:
    assert SOFFICE and PYTHON
    converter = WarmLibreOffice(SOFFICE, PYTHON, timeout=120)
    yield converter
    converter.close()


def text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return out.stdout


def test_one_libreoffice_converts_again_and_again(demo: Office, warm: WarmLibreOffice) -> None:
    forms = [Path(r.file) for r in demo.documents.generate("C00001", "forms").records]
    first = warm.convert(forms[:1])
    group = warm.last_group
    assert _alive_in_group(group)  # still running after the conversion
    again = warm.convert(forms[1:])
    assert warm.last_group == group  # the same LibreOffice, not a new one
    assert [p.suffix for p in first + again] == [".pdf"] * len(forms)
    assert "Alfa" in text(first[0])
    # its pipe is a socket only this user can connect to
    socket = Path(f"/tmp/OSL_PIPE_{os.getuid()}_{warm.pipe}")
    assert socket.is_socket() and socket.stat().st_mode & 0o077 == 0
    # the PDFs carry the modes a cold conversion gives, not the worker's private ones
    assert first[0].stat().st_mode & 0o777 == 0o666 & ~_umask()


def test_a_bad_document_is_named_and_the_next_converts(
    demo: Office, warm: WarmLibreOffice, tmp_path: Path
) -> None:
    good = Path(demo.documents.generate("C00001", "osticket").records[0].file)
    bad = tmp_path / "rotto.docx"
    bad.write_bytes(b"PK\x03\x04 a torn zip")
    with pytest.raises(PdfError, match=r"rotto\.docx"):
        warm.convert([bad])
    group = warm.last_group
    assert warm.convert([good])[0].read_bytes().startswith(b"%PDF")
    assert warm.last_group == group


def test_a_dead_libreoffice_is_replaced(demo: Office, warm: WarmLibreOffice) -> None:
    doc = Path(demo.documents.generate("C00001", "osticket").records[0].file)
    warm.convert([doc])
    dead = warm.last_group
    os.killpg(dead, signal.SIGKILL)
    while _alive_in_group(dead):
        pass  # killed: gone in a moment
    socket = Path(f"/tmp/OSL_PIPE_{os.getuid()}_{warm.pipe}")
    assert warm.convert([doc])[0].read_bytes().startswith(b"%PDF")
    assert warm.last_group != dead
    assert not socket.exists()  # the dead one's socket removed, not left in /tmp


def test_a_libreoffice_killed_as_it_is_asked_is_replaced(
    demo: Office, warm: WarmLibreOffice
) -> None:
    doc = Path(demo.documents.generate("C00001", "osticket").records[0].file)
    warm.convert([doc])
    dead = warm.last_group
    os.killpg(dead, signal.SIGKILL)  # not waited for: the next request meets it dying
    assert warm.convert([doc])[0].read_bytes().startswith(b"%PDF")
    assert warm.last_group != dead


def test_a_process_holding_many_files_still_converts(demo: Office, warm: WarmLibreOffice) -> None:
    """A long-running TUI may hold more than 1023 descriptors: the worker's pipes are then
    past what select(2) takes (a full suite once ran into it), never past poll(2)."""
    doc = Path(demo.documents.generate("C00001", "osticket").records[0].file)
    held = [os.open(os.devnull, os.O_RDONLY) for _ in range(1100)]
    try:
        assert warm.convert([doc])[0].read_bytes().startswith(b"%PDF")
        assert warm.pipe and max(held) > 1023
    finally:
        for fd in held:
            os.close(fd)


def test_closing_ends_worker_and_libreoffice(demo: Office, warm: WarmLibreOffice) -> None:
    doc = Path(demo.documents.generate("C00001", "osticket").records[0].file)
    warm.convert([doc])
    group, socket = warm.last_group, Path(f"/tmp/OSL_PIPE_{os.getuid()}_{warm.pipe}")
    warm.close()
    assert _alive_in_group(group) == []
    assert not socket.exists()


def test_the_office_asks_for_the_warm_one_only_when_told(demo: Office) -> None:
    assert not isinstance(find_converter(), WarmLibreOffice)
    warm = find_converter(warm=True)
    assert isinstance(warm, WarmLibreOffice)
    assert find_converter(warm=True) is warm  # one per process
    demo.warm_pdf = True
    result = demo.documents.generate("C00001", "osticket", pdf=True)
    assert result.warning == ""
    assert warm.last_group and _alive_in_group(warm.last_group)
    assert "Alfa" in text(Path(result.records[0].pdf))


def _umask() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("Umask:"):
            return int(line.split()[1], 8)
    raise AssertionError("no umask in /proc/self/status")
