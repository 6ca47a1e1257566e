"""Reading the QR codes printed on generated forms from returned scans and files."""

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import zxingcpp
from PIL import Image, ImageOps, ImageSequence

from archive.payload import PREFIX, TooBig, Unreadable, parse

__all__ = ["PREFIX", "TooBig", "Unreadable", "pages", "parse", "read_codes"]

SCAN_DPI = 200
MAX_PAGES = 20
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 60_000_000  # an A4 page at 600 dpi is 35 million
MAX_FRAMES = 50
MAX_MEDIA_BYTES = 100 * 1024 * 1024  # pictures of a .docx, uncompressed
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow refuses twice this outright


KINDS = {".pdf": "PDF", ".docx": "documento Word (.docx)"}
BROKEN = (OSError, ValueError, EOFError, RecursionError, zipfile.BadZipFile, pypdfium2.PdfiumError)


def _pixels(width: float, height: float) -> None:
    if width * height > MAX_PIXELS:
        raise TooBig(
            f"immagine troppo grande da leggere ({int(width)}×{int(height)} pixel; al massimo "
            f"{MAX_PIXELS // 1_000_000} milioni)"
        )


def _pdf_pages(path: Path) -> Iterator[Image.Image]:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        scale = SCAN_DPI / 72
        for index in range(min(len(pdf), MAX_PAGES)):
            page = pdf[index]
            width, height = page.get_size()
            _pixels(width * scale, height * scale)  # a 333-byte PDF can ask for 8 GB
            yield page.render(scale=scale, grayscale=True).to_pil()
            page.close()
    finally:
        pdf.close()


def _image(image: Image.Image) -> Image.Image:
    _pixels(*image.size)
    return image


def _open(source: Path | io.BytesIO) -> Image.Image:
    try:
        return Image.open(source)
    except Image.DecompressionBombError:
        raise TooBig("immagine troppo grande da leggere") from None


def _image_pages(path: Path) -> Iterator[Image.Image]:
    with _open(path) as image:
        _pixels(*image.size)
        for number, frame in enumerate(ImageSequence.Iterator(image)):  # multi-page TIFF
            if number >= MAX_FRAMES:
                return
            yield ImageOps.exif_transpose(_image(frame).convert("L"))


def _docx_images(path: Path) -> Iterator[Image.Image]:
    with zipfile.ZipFile(path) as archive:
        media = [i for i in archive.infolist() if i.filename.startswith("word/media/")]
        if sum(i.file_size for i in media) > MAX_MEDIA_BYTES:
            raise TooBig("il .docx contiene immagini troppo grandi da leggere (oltre 100 MB)")
        for info in media:
            try:
                image = _open(io.BytesIO(archive.read(info)))
                yield _image(image).convert("L")
            except OSError:
                continue


def _pages(path: Path) -> Iterator[Image.Image]:
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        yield from _pdf_pages(path)
    elif suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".bmp", ".gif"):
        yield from _image_pages(path)
    elif suffix == ".docx":
        yield from _docx_images(path)


def pages(path: Path) -> Iterator[Image.Image]:
    """The images to look for a QR code in: PDF pages, image frames, a .docx's pictures.
    Raises TooBig past the limits and Unreadable for a file that is not what its name says
    (random bytes named .pdf, a .docx that is not a zip, a broken page tree)."""
    if path.stat().st_size > MAX_FILE_BYTES:
        raise TooBig("file troppo grande da leggere (oltre 100 MB)")
    try:
        yield from _pages(path)
    except PermissionError:
        raise Unreadable("file non leggibile: permesso negato") from None
    except BROKEN:
        kind = KINDS.get(path.suffix.lower(), "immagine")
        raise Unreadable(f"file non leggibile: non è un {kind} valido") from None


def read_codes(path: Path) -> list[str]:
    """Every Acquisto QR payload (``ACQ1:…``) found in the file, page by page (all of
    them: a file holding two customers' forms must not pass for the first one's).

    Raises Unreadable for a file that cannot be read, TooBig past the limits (the file
    stays for a person to assign, with that reason).
    """
    found: list[str] = []
    for image in pages(path):
        for result in zxingcpp.read_barcodes(image):
            if result.text.startswith(PREFIX) and result.text not in found:
                found.append(result.text)
    return found
