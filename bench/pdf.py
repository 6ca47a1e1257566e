"""PDF benchmark: 20 documents in one LibreOffice run vs one LibreOffice process per document,
then a mailing's PDFs (the forms bundle) on the warm LibreOffice the TUI keeps running vs a
cold run, as the median of ``--runs`` mailings each.

The cold runs use a fresh private profile per run, as a one-off command does. The last line
is ``ratio: N`` = the mailing's cold time ÷ its warm time (the warm LibreOffice started
beforehand, as the TUI does once its first screen is up).

    .venv/bin/python bench/pdf.py [--documents 20] [--runs 5]
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.pdf.convert import LibreOffice, find_converter
from bench.store import dossier
from procedure.demo import DEMO, load_demo
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


def mailing(folder: Path, warm: bool, runs: int) -> float:
    """The median seconds of a first forms mailing (documents, PDFs, message) over ``runs``
    customers of the bench's full dossiers, none mailed before."""
    office = Office.open(folder, user="bench")
    first = 200 if warm else 100  # customers of their own: a resend reuses the PDFs
    batch = [dossier(i) for i in range(first, first + runs)]
    office.exchange.import_document({"products": DEMO["products"], "customers": batch})
    office.warm_pdf = warm
    if warm:
        office.documents.warm_up()
    times = []
    for c in batch:
        start = time.perf_counter()
        result = office.mail.send_bundle(c["code"], "forms", backdated=True)
        times.append(time.perf_counter() - start)
        assert result.documents and all(d.pdf for d in result.documents), result.warning
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--runs", type=int, default=5)
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
        cold = mailing(Path(tmp) / "data", warm=False, runs=args.runs)
        warm = mailing(Path(tmp) / "data", warm=True, runs=args.runs)
    n = len(docs)
    print(f"one LibreOffice process per document: {single:.2f} s ({single / n:.2f} s/document)")
    print(f"one LibreOffice run for all {n}: {batch:.2f} s ({batch / n:.2f} s/document)")
    print(f"a forms mailing, cold LibreOffice: {cold:.2f} s (median of {args.runs})")
    print(f"a forms mailing, warm LibreOffice: {warm:.2f} s (target ≤ 1.5 s)")
    print(f"ratio: {cold / warm:.1f}")


if __name__ == "__main__":
    main()
