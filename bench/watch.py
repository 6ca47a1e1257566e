"""Watcher benchmark: latency from a file's last write to the form returned in the store
(native and polling, against the stability delay), a rescan of 10,000 customers × 6 slots
holding 20,000 files, and QR recognition of a one-page 200-dpi scan.

Each figure is printed against its target; the last line is ``ratio: N`` = native target
latency (delay + 1 s) ÷ measured native latency.

    .venv/bin/python bench/watch.py [--delay 3] [--poll 2] [--customers 10000] [--files 20000]
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import segno
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from archive.layout import RECEIVED
from archive.listing import candidates
from archive.qr import read_codes
from archive.watcher import Watcher
from procedure.demo import load_demo
from procedure.office import Office
from procedure.watching import make_watcher

FORMS = ("privacy", "dpa", "master_data")


def latency(folder: Path, delay: float, polling: bool, poll: float, samples: int) -> float:
    """Median seconds from the last write of a file in a slot to the form being returned."""
    office = Office.open(folder, user="bench")
    load_demo(office)
    filing = office.filing
    filing.ensure_tree()
    watcher = make_watcher(office, filing)
    watcher.stability.delay, watcher.polling, watcher.poll_interval = delay, polling, poll
    watcher.tick = 0.1
    watcher.start()
    results = []
    try:
        for i in range(samples):
            code, form = ("C00003", "C00002", "C00001")[i % 3], FORMS[i % len(FORMS)]
            target = filing.slot_dir(office.customer(code), form) / f"scan {i}.pdf"
            with target.open("wb") as out:
                out.write(b"%PDF scan " * 1000)
            written = time.monotonic()
            while True:
                record = office.customer(code).forms.get(form)
                if record and record.file == str(target):
                    break
                if time.monotonic() - written > delay + poll + 30:
                    raise SystemExit(f"{target} never showed as returned")
                time.sleep(0.01)
            results.append(time.monotonic() - written)
    finally:
        watcher.stop()
    return statistics.median(results)


def build_tree(root: Path, customers: int, files: int) -> None:
    slots = [
        "Raccolta Dati Anagrafici",
        "Informativa privacy",
        "Nomina Responsabile trattamento",
        "Mandato SEPA",
        "Contratto firmato",
        "Altro",
    ]
    made = 0
    for i in range(customers):
        base = root / f"Cliente {i:05d} S.r.l. - C{i:05d}" / RECEIVED
        for j, slot in enumerate(slots):
            folder = base / slot
            folder.mkdir(parents=True)
            if made < files and (i * 6 + j) % max(1, (customers * 6) // files) == 0:
                (folder / "scansione.pdf").write_bytes(b"x")
                made += 1


def rescan_time(root: Path, state: Path) -> tuple[float, float, int]:
    """(cold walk, steady-state rescan, files): the steady state knows every file already."""
    watcher = Watcher(root, lambda _: None, state)
    start = time.perf_counter()
    found = candidates(root)
    cold = time.perf_counter() - start
    for rel, size, mtime in found:
        watcher.known.add(rel, size, mtime)
    watcher.known.save()
    watcher = Watcher(root, lambda _: None, state)  # a fresh process: state read from disk
    start = time.perf_counter()
    pending = watcher.rescan()
    steady = time.perf_counter() - start
    assert pending == 0
    return cold, steady, len(found)


def qr_time(folder: Path) -> float:
    """Worst of a JPEG and a PDF one-page scan at 200 dpi."""
    payload = "ACQ1:C00001:master_data"
    page = Image.new("L", (1654, 2339), 255)
    buf = io.BytesIO()
    segno.make(payload, error="m").save(buf, kind="png", scale=8, border=4)
    qr = Image.open(io.BytesIO(buf.getvalue())).convert("L").resize((190, 190))
    page.paste(qr, (1264, 200))
    page = page.rotate(2, expand=True, fillcolor=255)
    jpeg, pdf = folder / "scan.jpg", folder / "scan.pdf"
    page.save(jpeg, quality=60)
    page.convert("RGB").save(pdf, resolution=200)
    worst = 0.0
    for path in (jpeg, pdf):
        start = time.perf_counter()
        assert read_codes(path) == [payload]
        worst = max(worst, time.perf_counter() - start)
    return worst


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delay", type=float, default=3.0)
    parser.add_argument("--poll", type=float, default=2.0)
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=20_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        native = latency(base / "native", args.delay, False, args.poll, args.samples)
        polled = latency(base / "polling", args.delay, True, args.poll, args.samples)
        root = base / "tree"
        build_tree(root, args.customers, args.files)
        cold, steady, count = rescan_time(root, base / "state.json")
        qr = qr_time(base)
        os.sync()
    target_native = args.delay + 1
    target_polled = args.delay + args.poll + 1
    print(f"stability delay {args.delay:.1f} s, poll interval {args.poll:.1f} s")
    print(f"latency native: {native:.2f} s (target ≤ {target_native:.1f} s)")
    print(f"latency polling: {polled:.2f} s (target ≤ {target_polled:.1f} s)")
    print(
        f"rescan {args.customers} customers × 6 slots, {count} files: {steady:.2f} s "
        f"(target ≤ 3 s); first walk with nothing known {cold:.2f} s"
    )
    print(f"QR of a one-page 200-dpi scan: {qr:.2f} s (target ≤ 1 s)")
    print(f"ratio: {target_native / native:.2f}")


if __name__ == "__main__":
    main()
