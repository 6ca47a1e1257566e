"""Reading the text of a scan with Tesseract (Italian language data, from Debian's
tesseract-ocr-ita) through pytesseract: pages turned upright first, the top of a page
apart from the rest (where a form's title and the customer's identifiers are), every call
under a time limit."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytesseract
from PIL import Image

from archive.qr import pages

LANGUAGE = "ita"
TIMEOUT = 30  # seconds per Tesseract call: a page that takes longer is left unread
TOP = 0.4  # the share of the page read first
MAX_PAGES = 3
# Tesseract's OpenMP threads fight each other on a small server: one thread per call is
# several times faster (measured by bench/ocr.py), and leaves the other core to colleagues.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


class OcrUnavailable(Exception):
    """Tesseract or its Italian data is not installed (Italian message)."""


def available() -> bool:
    try:
        return LANGUAGE in pytesseract.get_languages(config="")
    except (pytesseract.TesseractNotFoundError, OSError):
        return False


def upright(image: Image.Image) -> Image.Image:
    """The page turned the right way up (scans come in at 90, 180 or 270 degrees)."""
    try:
        osd = pytesseract.image_to_osd(image, output_type=pytesseract.Output.DICT, timeout=TIMEOUT)
    except (pytesseract.TesseractError, RuntimeError):  # too little text to tell
        return image
    rotate = int(osd.get("rotate", 0))
    return image.rotate(-rotate, expand=True, fillcolor=255) if rotate else image


def _text(image: Image.Image) -> str:
    try:
        return str(pytesseract.image_to_string(image, lang=LANGUAGE, timeout=TIMEOUT))
    except (pytesseract.TesseractError, RuntimeError):
        return ""
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable(
            "Tesseract non è installato: apt-get install tesseract-ocr tesseract-ocr-ita"
        ) from None


def parts(path: Path, skip: int = 0, max_pages: int = MAX_PAGES) -> Iterator[tuple[int, str]]:
    """(page number, text) of the file's pages, each page as its top, then its rest, after
    the first ``skip`` parts (already read): a reader that finds what it needs early stops
    early."""
    for number, image in enumerate(pages(path), 1):
        if number > max_pages:
            return
        if skip >= 2 * number:
            continue
        page = upright(image)
        width, height = page.size
        cut = int(height * TOP)
        if skip < 2 * number - 1:
            yield number, _text(page.crop((0, 0, width, cut)))
        yield number, _text(page.crop((0, cut, width, height)))
