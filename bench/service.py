"""Service benchmark: what a colleague's screen asks of the shared service, through its
socket, against the same call on an Office in the caller's own process.

Builds a data folder of N customers, starts ``acquisto server`` on it in a process of its
own, and times, from a client of the socket and in-process: opening a customer (``view``),
a page of the list (``dashboard``), adding a note (a write), and the settings. Prints the
medians; the last line is ``ratio: N`` = in-process median ÷ through the service, summed
over the figures (below 1: what the socket costs).

    .venv/bin/python bench/service.py [--customers 2000] [--runs 41]
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.store import dossier  # noqa: E402
from procedure.demo import DEMO  # noqa: E402
from procedure.office import Office  # noqa: E402
from procedure.remote.client import RemoteOffice  # noqa: E402
from procedure.remote.protocol import SOCKET_NAME  # noqa: E402


def median_ms(action: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def figures(office: Any, runs: int) -> dict[str, float]:
    notes = iter(range(10**9))
    return {
        "open a customer (view)": median_ms(lambda: office.view("C00042"), runs),
        "a page of the list (dashboard, 40 lines)": median_ms(
            lambda: office.dashboard(limit=40), runs
        ),
        "add a note (one commit)": median_ms(
            lambda: office.checklist.add_note("C00042", "forms_sent", f"nota {next(notes)}"), runs
        ),
        "the settings": median_ms(lambda: office.settings, runs),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=41)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="acquisto-bench-service-") as tmp:
        data = Path(tmp) / "data"
        office = Office.open(data, user="bench")
        office.exchange.import_document({"products": DEMO["products"]})
        office.exchange.import_document({"customers": [dossier(i) for i in range(args.customers)]})
        service = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "--data", str(data), "server", "--no-watch"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            assert service.stdout is not None
            if "in ascolto" not in service.stdout.readline():
                raise SystemExit("il servizio non è partito")
            remote = RemoteOffice(data / SOCKET_NAME)
            local = figures(office, args.runs)
            served = figures(remote, args.runs)
        finally:
            service.terminate()
            service.wait(timeout=30)
    print(f"{args.customers} customers, median of {args.runs} runs each")
    for label in local:
        print(
            f"{label}: {served[label]:.2f} ms through the service, {local[label]:.2f} ms in-process"
        )
    print(f"ratio: {sum(local.values()) / sum(served.values()):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
