"""Real processes on one data folder: no lost update, and SIGKILL never tears the store."""

import multiprocessing
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from procedure.demo import load_demo
from procedure.office import Office
from procedure.rules.conditions import Context
from procedure.rules.progress import summarize
from tests.conftest import ROOT

pytestmark = pytest.mark.slow

STEPS = ("order_to_administration", "travel_costs")


def test_eight_processes_hundred_changes_each(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load_demo(Office.open(data))
    eight_processes_hundred_changes_each(data, "C00001")


def eight_processes_hundred_changes_each(data: Path, code: str) -> None:
    """Eight real processes toggle two steps of ``code`` a hundred times each: every change
    saw the one before it, and each is audited once."""
    before = Office.open(data).customer(code)
    audit_before = len(Office.open(data).audit(code))
    history_before = {s: len(before.steps[s].history) if s in before.steps else 0 for s in STEPS}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.integration.toggler",
                str(data),
                code,
                STEPS[i % 2],
                "100",
                f"user{i}",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(8)
    ]
    try:
        for p in procs:
            out, _ = p.communicate(timeout=240)
            assert p.returncode == 0, out
    finally:
        for p in procs:  # none is left running whatever happened
            p.kill()
            p.wait()
    office = Office.open(data)
    customer = office.customer(code)
    for step_id in STEPS:
        history = customer.steps[step_id].history[history_before[step_id] :]
        assert len(history) == 400
        # strictly alternating: every change saw the one before it
        first = "undo" if before.steps.get(step_id) and before.steps[step_id].done else "done"
        other = "done" if first == "undo" else "undo"
        assert [e.action for e in history] == [first, other] * 200
        assert {e.by for e in history} == {f"user{i}" for i in range(8) if STEPS[i % 2] == step_id}
    changes = [e for e in office.audit(code)[audit_before:] if e["target"] in STEPS]
    assert len(changes) == 800
    for step_id in STEPS:  # an even number of toggles: each step ends as it began
        was = bool(before.steps.get(step_id) and before.steps[step_id].done)
        assert customer.steps[step_id].done == was


def _writer(data: Path, code: str, conn: "multiprocessing.connection.Connection") -> None:
    office = Office.open(data, user="writer")
    done = office.customer(code).steps.get("travel_costs")
    state = bool(done and done.done)
    while True:
        state = not state
        office.checklist.set_step(code, "travel_costs", state)
        conn.send(state)


def test_sigkill_at_random_moments_never_tears_the_store(tmp_path: Path) -> None:
    data = tmp_path / "data"
    load_demo(Office.open(data))
    sigkill_at_random_moments(data, "C00001")


def sigkill_at_random_moments(data: Path, code: str) -> None:
    """A writer toggling a step of ``code``, killed 100 times at random moments: the store
    opens intact each time, with every acknowledged change and the list row in step."""
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20251127)
    start = Office.open(data).customer(code).steps.get("travel_costs")
    offset = len(start.history) if start else 0
    confirmed = 0
    for _ in range(100):
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_writer, args=(data, code, child))
        proc.start()
        child.close()
        parent.poll(5)  # the writer is running; now let it go on for a random while
        os.kill(proc.pid, 0)
        import time

        time.sleep(rng.uniform(0, 0.03))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        while parent.poll():
            try:
                parent.recv()
            except EOFError:
                break
            confirmed += 1
        parent.close()

        office = Office.open(data)  # opens intact: recovers a half-applied commit if any
        customer = office.customer(code)
        history = customer.steps["travel_costs"].history[offset:]
        # old or new state: every acknowledged change is there, at most one more
        assert confirmed <= len(history) <= confirmed + 1
        confirmed = len(history)
        first, other = ("undo", "done") if start and start.done else ("done", "undo")
        assert [e.action for e in history] == [first, other] * (len(history) // 2) + (
            [first] if len(history) % 2 else []
        )
        assert customer.steps["travel_costs"].done == (
            (len(history) % 2 == 1) != bool(start and start.done)
        )
        # the list line agrees with the dossier
        (row,) = [s for s in office.find_customers(code) if s.code == code]
        assert row == summarize(Context(customer, office.defs, office.products()))
    assert Office.open(data).store.integrity() == []
    assert confirmed > 100  # the writer really wrote between kills


def _issue(data: Path, codes: list[str]) -> None:

    office = Office.open(data, user=f"p{os.getpid()}")
    for code in codes:
        office.licences.issue(code)


def test_licence_numbers_are_unique_across_processes(tmp_path: Path) -> None:

    data = tmp_path / "data"
    office = Office.open(data)
    load_demo(office)
    doc: dict[str, list[object]] = {"customers": []}
    for i in range(8):
        doc["customers"].append({"code": f"L{i}", "name": f"Licenze {i}",
                                 "orders": [{"number": f"O{i}", "lines": [
                                     {"product_code": "GEST-BASE", "quantity": "1"},
                                     {"product_code": "GEST-MAG", "quantity": "2"}]}]})  # fmt: skip
    office.exchange.import_document(doc)
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_issue, args=(data, [f"L{i}", f"L{i + 4}"])) for i in range(4)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    numbers = [lic.number for c in office.all_customers() for lic in c.licences]
    assert len(numbers) == 16
    year = office.clock().year
    assert sorted(numbers) == [f"LIC-{year}-{n:06d}" for n in range(1, 17)]
