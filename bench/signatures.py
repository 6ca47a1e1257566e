"""Signature benchmark: the verdict on signed returns as a court would give it, on a generated
contract signed five times and timestamped, and on a privacy notice in a .p7m signed by
three people side by side.

Baseline: what a quick look costs, pyHanko on the first signature alone, its difference
analysis skipped (what Acquisto did before it checked every signature). Ours: every
signature and timestamp, the difference analysis of each, revocation data looked for.
The ratio (baseline ÷ ours) is the price of the whole verdict: below 1, by design.
Medians of --runs.

    .venv/bin/python bench/signatures.py [--runs 5]
"""

import argparse
import asyncio
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import async_validate_pdf_signature

from archive.signatures.pades import pdf_signatures
from archive.signatures.verify import context, open_envelope
from procedure.demo import load_demo
from procedure.office import Office
from tests.integration.signing import make_party, parallel, sign_pdf, timestamp_pdf


def first_only(data: bytes) -> bool:
    """The baseline: the first signature, no difference analysis."""

    async def check() -> bool:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        first = reader.embedded_regular_signatures[0]
        status = await async_validate_pdf_signature(first, context([]), skip_diff=True)
        return bool(status.intact and status.valid)

    return asyncio.run(check())


def median(runs: int, job: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        office = Office.open(Path(tmp) / "data", user="bench")
        load_demo(office)
        made = office.documents.generate("C00001", "contract", pdf=True, backdated=True)
        records = made.records  # the sample contracts may have ended: made all the same
        contract = next(r for r in records if r.form == "signed_contract")
        pdf = Path(contract.pdf).read_bytes()
    parties = [make_party(f"Firmatario {n}") for n in range(5)]
    signed = pdf
    for n, party in enumerate(parties):
        signed = sign_pdf(signed, party, f"Firma{n}")
    signed = timestamp_pdf(signed, make_party("TSA di prova", serial="", tsa=True))
    envelope = parallel(parties[:3], pdf)
    verdicts = pdf_signatures(signed, [])
    assert len(verdicts) == 6 and all(v.valid for v in verdicts) and first_only(signed)
    assert len(open_envelope(envelope, []).signatures) == 3
    base = median(args.runs, lambda: first_only(signed))
    ours = median(args.runs, lambda: pdf_signatures(signed, []))
    cades = median(args.runs, lambda: open_envelope(envelope, []))
    print(f"first signature only, no difference analysis: {base * 1000:.0f} ms")
    print(f"5 signatures and a timestamp, each with its difference analysis: {ours * 1000:.0f} ms")
    print(f".p7m with 3 signers, each checked: {cades * 1000:.0f} ms")
    print(f"ratio: {base / ours:.2f}")


if __name__ == "__main__":
    main()
