"""A mailing and the steps it completes are one act: killed at any moment, `acquisto mail`
leaves a dossier that is not sent with its steps open, sent with its steps done, or of
unknown fate with its steps open; never sent with its steps open."""

import random
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from procedure.office import Office
from tests.conftest import start_on_copy, whole_run
from tests.integration.test_mail import Server, office_with_smtp

pytestmark = pytest.mark.slow
KILLS = 30
STEPS = {
    "forms": ("C00003", ("forms_sent",)),
    "contracts": ("C00001", ("contract_sent", "osticket_instructions_sent")),
}


@pytest.fixture
def slow_smtp() -> Iterator[Server]:
    server = Server()
    server.inbox.hold = 0.2  # the server takes its time to answer the message
    server.start()
    yield server
    server.stop()


def prepared(tmp_path: Path, port: int) -> Path:
    """A data folder where both mailings can go: steps before them done, documents made."""
    office = office_with_smtp(tmp_path / "template", port)
    for step in ("travel_costs", "contract_schedule", "osticket_profile", "crm_software_contracts"):
        office.checklist.set_step("C00001", step, True, note="in prova")
    office.documents.generate("C00003", "forms")
    office.documents.generate("C00001", "contract")
    office.documents.generate("C00001", "osticket")
    return office.settings.data_dir


def fate(data: Path, bundle: str) -> tuple[str, bool]:
    """The bundle's mailing status ("" when none) and whether all its steps are done."""
    code, steps = STEPS[bundle]
    customer = Office.open(data).customer(code)
    statuses = [m.status for m in customer.mailings if m.bundle == bundle]
    done = [bool(customer.steps.get(s) and customer.steps[s].done) for s in steps]
    assert all(done) or not any(done), "half of the bundle's steps recorded"
    return (statuses[-1] if statuses else ""), all(done)


@pytest.mark.parametrize("bundle", ["forms", "contracts"])
def test_killed_mailing_never_sent_with_steps_open(
    tmp_path: Path, slow_smtp: Server, bundle: str
) -> None:
    template = prepared(tmp_path, slow_smtp.port)
    code, _ = STEPS[bundle]
    rng = random.Random(f"{bundle}-kills")
    args = ["mail", code, bundle]

    # one uninterrupted run tells how long the whole act takes here
    whole = tmp_path / "whole"
    duration = whole_run(template, whole, args)
    assert fate(whole, bundle) == ("sent", True)

    seen: set[tuple[str, bool]] = set()
    for i in range(KILLS):
        data = tmp_path / f"kill-{i}"
        process = start_on_copy(template, data, args)
        time.sleep(rng.uniform(0.0, duration * 1.5))  # a third after the end, whatever the load
        process.kill()
        process.wait()
        status, steps_done = fate(data, bundle)
        assert (status, steps_done) in {
            ("", False),  # killed before the mailing was recorded
            ("queued", False),  # recorded, not sent
            ("sending", False),  # handed to the server: fate unknown
            ("sent", True),  # delivered and its steps done, in one commit
        }, (i, status, steps_done)
        seen.add((status, steps_done))
        shutil.rmtree(data)
    assert len(seen) >= 2, f"the kills all landed at one moment: {seen}"
