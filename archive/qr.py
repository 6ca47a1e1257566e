"""Reading the QR codes printed on generated forms from returned scans and files."""

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import zxingcpp
from PIL import Image, ImageOps, ImageSequence

PREFIX = "ACQ1:"
SCAN_DPI = 200
MAX_PAGES = 20


def _pdf_pages(path: Path) -> Iterator[Image.Image]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            yield page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
            page.close()
    finally:
        pdf.close()


def _image_pages(path: Path) -> Iterator[Image.Image]:
    with Image.open(path) as image:
        for frame in ImageSequence.Iterator(image):  # multi-page TIFF
            yield ImageOps.exif_transpose(frame.convert("L"))


def _docx_images(path: Path) -> Iterator[Image.Image]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("word/media/"):
                try:
                    yield Image.open(io.BytesIO(archive.read(name))).convert("L")
                except OSError:
                    continue


def pages(path: Path) -> Iterator[Image.Image]:
    """The images to look for a QR code in: PDF pages, image frames, a .docx's pictures."""
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        yield from _pdf_pages(path)
    elif suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif"):
        yield from _image_pages(path)
    elif suffix == ".docx":
        yield from _docx_images(path)


def read_codes(path: Path) -> list[str]:
    """Every Acquisto QR payload (``ACQ1:…``) found in the file, page by page (all of
    them: a file holding two customers' forms must not pass for the first one's).

    Returns [] for files that cannot be read (the file stays for a person to assign).
    """
    found: list[str] = []
    try:
        for image in pages(path):
            for result in zxingcpp.read_barcodes(image):
                if result.text.startswith(PREFIX) and result.text not in found:
                    found.append(result.text)
    except (OSError, ValueError, zipfile.BadZipFile, pypdfium2.PdfiumError):
        return []
    return found


def parse(payload: str) -> tuple[str, str] | None:
    """(customer code, form id) of ``ACQ1:<code>:<form>``, or None."""
    parts = payload.split(":")
    if len(parts) != 3 or parts[0] + ":" != PREFIX or not parts[1] or not parts[2]:
        return None
    return parts[1], parts[2]
