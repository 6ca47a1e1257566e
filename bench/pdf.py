"""PDF benchmark: 20 documents in one LibreOffice run vs one LibreOffice process per document.

Both sides use a fresh private profile per run, as the application does. Prints both
totals and the time per document; the last line is ``ratio: N`` = one-per-document ÷ batch.

    .venv/bin/python bench/pdf.py [--documents 20]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.pdf import LibreOffice, find_converter
from procedure.demo import load_demo
from procedure.office import Office

KINDS = ("forms", "contract", "osticket", "order")


def documents(folder: Path, count: int) -> list[Path]:
    """``count`` real documents of the demo customers (forms, contracts, instructions…)."""
    office = Office.open(folder / "data", user="bench")
    load_demo(office)
    out: list[Path] = []
    while len(out) < count:
        for code in ("C00001", "C00002", "C00003"):
            for kind in KINDS:
                made = office.documents.generate(code, kind, backdated=True)  # sample dates
                out += [Path(r.file) for r in made.records]
    return out[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    args = parser.parse_args()
    converter = find_converter()
    if not isinstance(converter, LibreOffice):
        sys.exit("LibreOffice non installato: sudo apt-get install libreoffice-writer-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        docs = documents(Path(tmp), args.documents)
        start = time.perf_counter()
        for doc in docs:
            converter.convert([doc])
        single = time.perf_counter() - start
        for pdf in Path(tmp).rglob("*.pdf"):
            pdf.unlink()
        start = time.perf_counter()
        pdfs = converter.convert(docs)
        batch = time.perf_counter() - start
        assert len(pdfs) == len(docs)
    n = len(docs)
    print(f"one LibreOffice process per document: {single:.2f} s ({single / n:.2f} s/document)")
    print(f"one LibreOffice run for all {n}: {batch:.2f} s ({batch / n:.2f} s/document)")
    print(f"ratio: {single / batch:.1f}")


if __name__ == "__main__":
    main()
