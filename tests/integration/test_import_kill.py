"""A bulk import killed at random moments: all of it or none of it, the store whole."""

import json
import random
import shutil
import time
from pathlib import Path

import pytest

from procedure.demo import load_demo
from procedure.office import Office
from tests.conftest import start_on_copy, whole_run
from tests.integration.test_large_office import customer

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

KILLS = 12
BATCH = 2_000


def test_a_killed_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    template = tmp_path / "modello"
    load_demo(Office.open(template))
    document = tmp_path / "import.json"
    document.write_text(json.dumps({"customers": [customer(i) for i in range(4, 4 + BATCH)]}))
    args = ["import", str(document)]

    whole = tmp_path / "intero"
    duration = whole_run(template, whole, args)
    assert len(Office.open(whole).customer_codes()) == 3 + BATCH

    rng = random.Random(20261204)
    seen = set()
    midway: list[bool] = []
    for i in range(KILLS):
        data = tmp_path / f"kill-{i}"
        process = start_on_copy(template, data, args)
        wal = data / "store" / "acquisto.sqlite-wal"
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if wal.exists() and wal.stat().st_size > 256 << 10:
                break  # the import is writing into its transaction
            time.sleep(0.01)
        midway.append(process.poll() is None)
        time.sleep(rng.uniform(0.0, duration / 3))
        process.kill()
        process.wait()
        office = Office.open(data)
        codes = office.customer_codes()
        assert len(codes) in (3, 3 + BATCH), (i, len(codes))
        assert office.count_customers() == len(codes)  # the list agrees with the dossiers
        assert office.store.integrity() == []
        seen.add(len(codes))
        shutil.rmtree(data)
    assert 3 in seen and sum(midway) >= KILLS // 2, (seen, midway)  # killed while writing
