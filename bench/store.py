"""Store benchmark: complete one step with 10,000 full dossiers, ours vs stock TinyDB.

Builds the same dossiers in an Acquisto data folder (SQLite, WAL, one fsync a commit) and in one
stock TinyDB ``JSONStorage`` file, completes a step in each, and lists every customer with
its progress as the TUI does at start-up. Prints the medians; the last line is
``ratio: N`` = baseline median ÷ ours.

    .venv/bin/python bench/store.py [--customers 10000] [--runs 41] [--baseline-runs 5]
"""

import argparse
import copy
import statistics
import sys
import tempfile
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

from stdnum import luhn
from tinydb import TinyDB
from tinydb.storages import JSONStorage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procedure.demo import DEMO
from procedure.model import Customer, StepState
from procedure.office import Office
from procedure.serial import from_data, to_data

STEPS_DONE = ("forms_sent", "customer_created", "order_entered", "order_to_administration")


def vat_number(i: int) -> str:
    base = f"{1000000 + i:07d}028"
    return base + luhn.calc_check_digit(base)


def dossier(i: int) -> dict[str, Any]:
    """A full dossier: master record, contacts, sites, orders, contracts, CRM, steps, forms."""
    c: dict[str, Any] = copy.deepcopy(DEMO["customers"][i % 3])
    c["code"] = f"C{i + 1:05d}"
    c["name"] = f"Cliente di Prova {i + 1:05d} S.r.l."
    c["vat_number"] = c["tax_code"] = vat_number(i)
    c["kind"] = "company"
    c["software_division"] = {
        "products": ["GEST-BASE", "GEST-MAG"],
        "edition": "Professional",
        "version": "12.4",
        "workstations": 8,
        "server_name": "SRV-GEST",
        "server_os": "Windows Server 2022",
        "db_engine": "SQL Server",
        "db_version": "2019",
        "installed_on": "2025-04-10",
        "technician": "Paolo Tecnico",
        "licence_numbers": ["LIC-2025-000123"],
        "remote_tool": "AnyDesk",
        "remote_id": "123 456 789",
        "software_contact": "Piero Rete",
    }
    at = "2025-03-20T09:30:00"
    event = {"at": at, "by": "mario", "action": "done", "note": "controllato"}
    c["steps"] = {
        s: {"done": True, "done_by": "mario", "done_at": at, "notes": [event], "history": [event]}
        for s in STEPS_DONE
    }
    c["forms"] = {"master_data": {"sent_at": at}}  # a return comes with its file, not by import
    return c


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def build_ours(folder: Path, customers: list[dict[str, Any]]) -> Office:
    office = Office.open(folder, user="bench")
    office.exchange.import_document({"products": DEMO["products"], "customers": customers})
    return office


def time_ours(office: Office, codes: list[str], runs: int, first: int = 0) -> list[float]:
    samples: list[float] = []
    for i in range(first, first + runs):
        code = codes[(i * 7919) % len(codes)]
        state = office.customer(code).steps.get("travel_costs")  # as a screen shows it first
        done = not (state and state.done)  # complete it, or reopen it if done already
        start = time.perf_counter()
        office.checklist.set_step(code, "travel_costs", done)
        samples.append(time.perf_counter() - start)
    return samples


def time_listing(folder: Path, runs: int) -> tuple[list[float], int]:
    samples, count = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        office = Office.open(folder, user="bench")  # a TUI starting up
        count = len(office.list_customers())
        samples.append(time.perf_counter() - start)
    return samples, count


def build_baseline(path: Path, office: Office, codes: list[str]) -> TinyDB:
    """The same dossiers in one stock TinyDB JSONStorage file."""
    docs = {
        str(n): {"rev": 1, "customer": to_data(office.customer(code))}
        for n, code in enumerate(codes, 1)
    }
    JSONStorage(str(path)).write({"customers": docs})
    return TinyDB(str(path), storage=JSONStorage)


def time_baseline(db: TinyDB, count: int, runs: int) -> list[float]:
    table = db.table("customers")
    samples = []
    for i in range(runs):
        doc_id = (i * 7919) % count + 1
        start = time.perf_counter()

        def complete(doc: MutableMapping[str, Any]) -> None:
            customer = from_data(Customer, doc["customer"])
            customer.steps["travel_costs"] = StepState(done=True, done_by="bench")
            doc["customer"] = to_data(customer)
            doc["rev"] += 1

        table.update(complete, doc_ids=[doc_id])
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=41)
    parser.add_argument("--baseline-runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "data"
        start = time.perf_counter()
        office = build_ours(folder, [dossier(i) for i in range(args.customers)])
        codes = [s.code for s in office.list_customers()]
        print(f"built {len(codes)} dossiers in {time.perf_counter() - start:.1f} s")

        ours = median_ms(time_ours(office, codes, args.runs))
        listing, listed = time_listing(folder, 5)
        baseline_db = build_baseline(Path(tmp) / "stock.json", office, codes)
        size = (Path(tmp) / "stock.json").stat().st_size / 1e6
        baseline = median_ms(time_baseline(baseline_db, len(codes), args.baseline_runs))

    print(f"complete a step, ours (TinyDB documents in SQLite, WAL): {ours:.2f} ms median")
    print(f"complete a step, stock TinyDB JSONStorage ({size:.0f} MB file): {baseline:.1f} ms")
    print(f"list {listed} customers with progress at start-up: {median_ms(listing):.0f} ms")
    print(f"ratio: {baseline / ours:.1f}")


if __name__ == "__main__":
    main()
