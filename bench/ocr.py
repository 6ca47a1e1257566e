"""OCR benchmark: telling whose a scan without QR code is, on a real generated form printed
at 200 dpi, turned upside down and saved as JPEG.

Baseline: one Tesseract call over the whole page (then matching). Ours: the page turned
upright, its top read first, reading stopped once a customer is found. Also prints how
long filing a QR-coded scan takes while the OCR thread reads another. Medians of --runs;
the last line is ``ratio: N`` = baseline ÷ ours.

    .venv/bin/python bench/ocr.py [--runs 5]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypdfium2
import pytesseract
from PIL import ImageDraw

from archive import ocr
from archive.qr import pages, read_codes
from procedure.demo import load_demo
from procedure.office import Office
from procedure.rules.identify import suggest
from procedure.services.archiving.intake import Reader

TARGET = 5.0  # seconds for one scanned page


def scan_of(pdf: str, target: Path) -> None:
    page = pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72, grayscale=True).to_pil()
    ImageDraw.Draw(page).rectangle([page.width - 400, 0, page.width, 500], fill=255)  # no QR
    page.rotate(180).save(target, "JPEG", quality=75, dpi=(200, 200))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if not ocr.available():
        sys.exit("Tesseract non installato: apt-get install tesseract-ocr tesseract-ocr-ita")
    with tempfile.TemporaryDirectory() as tmp:
        office = Office.open(Path(tmp) / "data", user="bench")
        load_demo(office)
        records = office.documents.generate("C00002", "forms", pdf=True).records
        privacy = next(r for r in records if r.form == "privacy")
        image = Path(tmp) / "scan.jpg"
        scan_of(privacy.pdf, image)
        intake = office.intake
        parties, titles, ours = intake.parties(), intake.titles(), intake.ours()
        whole, staged = [], []
        for _ in range(args.runs):
            start = time.perf_counter()
            page = ocr.upright(next(iter(pages(image))))
            text = pytesseract.image_to_string(page, lang=ocr.LANGUAGE)
            baseline = suggest([(1, text)], parties, titles, ours)
            whole.append(time.perf_counter() - start)
            start = time.perf_counter()
            found = suggest(ocr.parts(image), parties, titles, ours)
            staged.append(time.perf_counter() - start)
            assert found is not None and baseline is not None and found.code == "C00002"
        office.filing.ensure_tree()
        qr_scan = office.filing.intake / "con QR.pdf"
        qr_scan.write_bytes(Path(privacy.pdf).read_bytes())
        reader = Reader(intake)
        reader.submit(image)
        start = time.perf_counter()
        filed = office.filing.handle(qr_scan)
        during = time.perf_counter() - start
        reader.todo.join()
        assert filed.outcome == "returned" and read_codes(filed.path)
    ours_s, base_s = statistics.median(staged), statistics.median(whole)
    print(f"whole page in one Tesseract call: {base_s:.2f} s (median of {args.runs})")
    print(f"one scanned page, top first, stop when found: {ours_s:.2f} s (target {TARGET:.0f} s)")
    print(f"a QR-coded scan filed while OCR runs: {during:.2f} s")
    print(f"ratio: {base_s / ours_s:.2f}")


if __name__ == "__main__":
    main()
