"""`acquisto serve`: the browser page is Italian and loads nothing from the internet (its
fonts come from the same server). A real server process, read over real HTTP."""

import contextlib
import re
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.integration.imap_server import free_port


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--data", str(tmp_path / "d"), "serve",
         "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(600):  # up to a minute on a busy machine: each try waits 0.1 s
            if process.poll() is not None:
                raise AssertionError(f"acquisto serve ended with {process.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError):
                _pause(process)
        yield url
    finally:
        process.terminate()
        process.wait(30)


def _pause(process: "subprocess.Popen[bytes]") -> None:
    """Wait a tenth of a second, or less if the server ends."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(0.1)


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, response.read()


def test_the_page_speaks_italian_and_loads_only_from_this_server(served: str) -> None:
    status, body = get(served)
    page = body.decode()
    assert status == 200
    assert '<html lang="it">' in page
    assert "<title>Acquisto</title>" in page
    for italian in (">Avvia<", ">Sessione terminata.<", ">Riavvia<"):
        assert italian in page
    for english in (">Start<", "Session ended", ">Restart<", "Textual Application"):
        assert english not in page
    # every address the page loads is this server's (the SVG's namespace is not loaded)
    addresses = re.findall(r"""(?:href|src)=["']([^"']+)""", page)
    addresses += re.findall(r"""url\(["']?([^"')]+)""", page)
    assert addresses
    for address in addresses:
        assert not re.match(r"[a-z]+://", address) or address.startswith(served), address
    fonts = [a for a in addresses if a.endswith(".ttf")]
    assert len(fonts) == 2
    for font in fonts:
        status, data = get(served.rstrip("/") + font if font.startswith("/") else font)
        assert status == 200 and len(data) > 10_000  # the font itself, not an error page
