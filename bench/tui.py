"""TUI benchmark at 10,000 and 100,000 customers, driven by Textual's Pilot: first screen
interactive, one filter keystroke, opening a customer, opening another; each the median of
``--runs`` fresh starts. The last line is ``ratio: N``, the smallest of target ÷ measured
over every figure printed at every size (≥ 1 means every target is met).

    .venv/bin/python bench/tui.py [--customers 10000 100000] [--runs 5] [--keep DIR]

``--keep DIR`` builds the folders under DIR once and measures them again on later runs.
"""

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.pilot import Pilot
from textual.widgets import DataTable

from bench.store import dossier
from procedure.demo import DEMO
from procedure.office import Office
from tui.app import AcquistoApp
from tui.screens.customer import CustomerScreen

TARGETS = {"start": 1.5, "keystroke": 0.1, "open": 0.15, "open again": 0.15}
LABELS = {
    "start": "first screen interactive",
    "keystroke": "filter keystroke",
    "open": "open a customer (first)",
    "open again": "open another customer",
}


async def _open(app: AcquistoApp, pilot: Pilot[None]) -> float:
    start = time.perf_counter()
    await pilot.press("enter")
    while not (isinstance(app.screen, CustomerScreen) and app.screen.view is not None):
        if time.perf_counter() - start > 30:
            raise SystemExit("the customer screen never opened")
        await pilot.pause(0.002)
    await pilot.pause()
    return time.perf_counter() - start


async def measure(folder: Path, customers: int) -> tuple[dict[str, float], float]:
    """The three figures, and what Pilot itself costs per key (a key that does nothing)."""
    start = time.perf_counter()
    app = AcquistoApp(Office.open(folder, user="bench"))
    async with app.run_test(size=(120, 36)) as pilot:
        while not (app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count):
            await pilot.pause(0.005)
        first = time.perf_counter() - start
        await pilot.press("slash")
        noop, keystrokes = [], []
        for key in f"C{int(customers * 0.95):05d}"[:5]:  # narrows to about ten customers
            t = time.perf_counter()
            await pilot.press("right")  # moves the cursor at the end of the text: nothing
            noop.append(time.perf_counter() - t)
            t = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            keystrokes.append(time.perf_counter() - t)
        await pilot.press("enter", "down")
        opened = await _open(app, pilot)
        await pilot.press("escape", "down")
        again = await _open(app, pilot)
    overhead = statistics.median(noop)
    figures = {
        "start": first,
        "keystroke": statistics.median(keystrokes) - overhead,
        "open": opened - overhead,
        "open again": again - overhead,
    }
    return figures, overhead


def build(folder: Path, customers: int) -> None:
    office = Office.open(folder, user="bench")
    for start in range(0, customers, 10_000):  # in slices: the import holds one in memory
        batch = [dossier(i) for i in range(start, min(start + 10_000, customers))]
        office.exchange.import_document({"products": DEMO["products"], "customers": batch})
    os.sync()  # the build written back now, not during the measures


def built_apart(folder: Path, customers: int, how: Callable[[Path, int], object] = build) -> None:
    """``how`` builds in a process of its own: the measures start from a fresh process, as
    a user's TUI does, not from one holding what the build left behind."""
    process = multiprocessing.get_context("spawn").Process(target=how, args=(folder, customers))
    process.start()
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"build of {customers} customers failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the folders here once, then reuse")
    args = parser.parse_args()
    ratios = []
    for customers in args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            folder = (args.keep or Path(tmp)) / f"data-{customers}"
            if args.keep is None or not (folder / "store").is_dir():
                built_apart(folder, customers)
            runs = [asyncio.run(measure(folder, customers)) for _ in range(args.runs)]
        figures = {k: statistics.median(f[k] for f, _ in runs) for k in TARGETS}
        overhead = statistics.median(o for _, o in runs)
        print(
            f"{customers} customers, median of {args.runs} runs; Pilot's own cost per key "
            f"(a key that does nothing): {overhead * 1000:.0f} ms, subtracted from the key "
            "figures below"
        )
        for key, value in figures.items():
            print(f"{LABELS[key]}: {value * 1000:.0f} ms (target ≤ {TARGETS[key] * 1000:.0f} ms)")
            ratios.append(TARGETS[key] / value)
    print(f"ratio: {min(ratios):.2f}")


if __name__ == "__main__":
    main()
