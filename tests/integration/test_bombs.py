"""Files built to exhaust the reader: a tiny PDF with a huge page, a zip-bomb .docx, a PNG
of a billion pixels. ``scan`` with its memory limited to 1 GB gets through them, and each
stays in Da archiviare with its reason."""

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfWriter

from main import main
from procedure.office import Office
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(600)


def bombs(folder: Path) -> None:
    writer = PdfWriter()
    writer.add_blank_page(width=14400, height=14400)  # 200 inches a side
    with (folder / "pagina enorme.pdf").open("wb") as fh:
        writer.write(fh)
    with zipfile.ZipFile(folder / "bomba.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        with z.open("word/media/image1.png", "w", force_zip64=True) as member:
            chunk = bytes(16 * 1024 * 1024)
            for _ in range(20):  # 320 MB of zeros, a few hundred KB compressed
                member.write(chunk)
    Image.new("1", (40000, 30000)).save(folder / "miliardo.png", optimize=True)


@pytest.mark.skipif(shutil.which("prlimit") is None, reason="prlimit (util-linux) missing")
def test_scan_within_one_gigabyte_leaves_each_bomb_with_its_reason(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    demo.filing.ensure_tree()
    bombs(demo.filing.intake)
    data = str(demo.settings.data_dir)
    limited = ["prlimit", f"--as={1024**3}", sys.executable, "main.py", "--data", data, "scan"]
    subprocess.run(limited, cwd=ROOT, check=True, timeout=120, capture_output=True)
    capsys.readouterr()
    assert main(["--data", data, "intake", "--json"]) == 0
    reasons = {Path(r["file"]).name: r["reason"] for r in json.loads(capsys.readouterr().out)}
    assert set(reasons) == {"pagina enorme.pdf", "bomba.docx", "miliardo.png"}
    assert "troppo grand" in reasons["pagina enorme.pdf"]
    assert "troppo grand" in reasons["bomba.docx"]
    assert "troppo grand" in reasons["miliardo.png"]
