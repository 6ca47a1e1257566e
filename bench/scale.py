"""Scale benchmark: the office's everyday work at 10,000 and at 100,000 customers.

Builds both data folders once (dossiers with contracts, orders, steps and forms like the
demo's, through the bulk import; every customer's archive folders), then measures at both
sizes, in the same run: complete a step, the list's first page and two filters (queries:
down to one customer, and a word that ten times more customers hold at ten times the
size), the whole list at start-up, open a customer (``show``), ``billing`` for a year,
``deadlines``, ``remind --dry-run``, a full archive rescan (``scan``), and the TUI's first
screen and one filter keystroke. Every figure is the median of ``--runs`` runs (a step, the
page and the filters: of ``--runs`` × 20, the queries after as many warm-up calls and
before the rescans, the steps taken at the two sizes in turn, their mean printed too); a
rescan after the first opens only the slot folders changed since, so the first is printed
apart. Prints each figure at both sizes with their ratio, whether each
figure at the larger size stays within 1.5× of the smaller (left out: what reads or prints
every customer or a share of the office, ``EVERY_CUSTOMER``), then ``ratio: N``, the
smallest of target ÷ measured at the larger size.

    .venv/bin/python bench/scale.py [--sizes 10000 100000] [--runs 5] [--keep DIR]

``--keep DIR`` builds the folders under DIR once and measures them again on later runs (a
rerun after a change of code that leaves the data format alone).
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import dossier, time_ours
from bench.tui import built_apart
from bench.tui import measure as measure_tui
from main import main as cli
from procedure.demo import DEMO
from procedure.office import Office

TARGETS = {  # seconds, at the larger size
    "step": 0.005,
    "page": 0.05,
    "filter": 0.05,
    "show": 0.05,
    "billing": 3.0,
    "deadlines": 1.0,
    "tui start": 0.8,
    "tui keystroke": 0.1,
}
# What reads or prints every customer, or a share of the office (grows with it): the whole
# list, billing, remind, the rescans; ``deadlines`` prints every customer with a notice
# deadline within 120 days (in the bench's office, every customer); a filter on a word of
# one customer in ten thousand matches ten times more customers at ten times the size.
EVERY_CUSTOMER = ("billing", "rescan", "rescan first", "remind", "list", "deadlines", "filter many")
LABELS = {
    "step": "complete a step",
    "page": "the dashboard's first page (40 rows, action first: a query)",
    "filter": "the dashboard filtered by name down to one customer, 04217 (a query)",
    "filter many": "the dashboard filtered by a word 11 and 20 names hold (a query)",
    "list": "list every customer at start-up",
    "show": "open a customer (show)",
    "billing": "billing for a year",
    "deadlines": "deadlines",
    "remind": "remind --dry-run",
    "rescan": "full archive rescan (scan)",
    "rescan first": "the first rescan, every slot opened",
    "step mean": "complete a step, mean",
    "tui start": "TUI first screen interactive",
    "tui keystroke": "TUI filter keystroke",
}
BATCH = 20_000  # customers per import: memory stays flat however large the office


def build(folder: Path, customers: int) -> float:
    """The data folder with ``customers`` dossiers and their archive folders; seconds."""
    start = time.perf_counter()
    office = Office.open(folder, user="bench")
    office.exchange.import_document({"products": DEMO["products"]})
    for first in range(0, customers, BATCH):
        batch = [dossier(i) for i in range(first, min(customers, first + BATCH))]
        office.exchange.import_document({"customers": batch})
    office.filing.ensure_tree()
    os.sync()  # the build's gigabytes written back now, not during the measures
    return time.perf_counter() - start


def timed(action: Callable[[], object], runs: int, warm: int = 0) -> float:
    """The median of ``runs`` timings of ``action``, after ``warm`` untimed calls."""
    for _ in range(warm):
        action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def command(folder: Path, *args: str) -> Callable[[], object]:
    """Run ``acquisto --data folder args…`` as a user would (its output discarded)."""

    def run() -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            code = cli(["--data", str(folder), *args])
        if code not in (0, None):
            raise SystemExit(f"acquisto {' '.join(args)}: uscita {code}")

    return run


def step_samples(folders: dict[int, Path], count: int) -> dict[int, list[float]]:
    """``count`` steps completed at each size in turn, one here, one there, so that both
    sizes are measured under the same conditions (the disk's, the machine's)."""
    offices = {size: Office.open(folder, user="bench") for size, folder in folders.items()}
    codes = {size: office.customer_codes() for size, office in offices.items()}
    samples: dict[int, list[float]] = {size: [] for size in folders}
    for i in range(count):
        for size, office in offices.items():
            samples[size] += time_ours(office, codes[size], 1, first=i)
    return samples


def measure(folder: Path, customers: int, runs: int, steps: list[float]) -> dict[str, float]:
    office = Office.open(folder, user="bench")
    codes = office.customer_codes()
    year = office.clock().year
    (folder / "watch-state.json").unlink(missing_ok=True)  # no listing before: every slot
    one = "prova 04217"  # one customer's name at both sizes: no other has its number
    queries = runs * 20  # each under a millisecond: many samples, after as many warm-up calls
    figures = {
        "step": statistics.median(steps),
        "step mean": statistics.mean(steps),
        "page": timed(lambda: office.dashboard(limit=40), queries, queries),
        "filter": timed(lambda: office.dashboard(one, limit=40), queries, queries),
        "filter many": timed(lambda: office.dashboard("prova 0042", limit=40), queries, queries),
        "rescan first": timed(command(folder, "scan"), 1),
        "list": timed(lambda: Office.open(folder, user="bench").list_customers(), runs),
        "show": timed(command(folder, "show", codes[len(codes) // 2]), runs),
        "billing": timed(
            command(folder, "billing", "--from", f"{year}-01-01", "--to", f"{year}-12-31"), runs
        ),
        "deadlines": timed(command(folder, "deadlines"), runs),
        "remind": timed(command(folder, "remind", "--dry-run"), runs),
        "rescan": timed(command(folder, "scan"), runs),
    }
    tui = [measure_tui(folder, customers, None) for _ in range(runs)]
    figures["tui start"] = statistics.median(t["start"] for t in tui)
    figures["tui keystroke"] = statistics.median(t["keystroke"] for t in tui)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the folders here once, then reuse")
    args = parser.parse_args()
    small, large = args.sizes
    results: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folders = {size: (args.keep or Path(tmp)) / f"data-{size}" for size in (small, large)}
        for size, folder in folders.items():
            if args.keep is not None and (folder / "store").is_dir():
                print(f"{size} customers in {folder} (built before)", flush=True)
            else:
                start = time.perf_counter()
                built_apart(folder, size, build)
                print(f"built {size} customers in {time.perf_counter() - start:.0f} s", flush=True)
        steps = step_samples(folders, args.runs * 20)
        for size, folder in folders.items():
            results[size] = measure(folder, size, args.runs, steps[size])
        report(results, small, large, args.runs)  # before a million folders are removed


def report(results: dict[int, dict[str, float]], small: int, large: int, runs: int) -> None:
    print(f"medians of {runs} runs; ratio = {large} ÷ {small}")
    for key, label in LABELS.items():
        a, b = results[small][key] * 1000, results[large][key] * 1000
        target = f" (target ≤ {TARGETS[key] * 1000:.0f} ms)" if key in TARGETS else ""
        print(f"{label}: {a:.1f} ms at {small}, {b:.1f} ms at {large}, ×{b / a:.2f}{target}")
    for key in LABELS:
        if key not in EVERY_CUSTOMER:
            growth = results[large][key] / results[small][key]
            verdict = "yes" if growth <= 1.5 else "no"
            print(f"{LABELS[key]} at {large} within 1.5× of {small}: {verdict} (×{growth:.2f})")
    print(f"ratio: {min(TARGETS[k] / results[large][k] for k in TARGETS):.2f}")


if __name__ == "__main__":
    main()
