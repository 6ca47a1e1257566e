"""The benchmarks still run (on a small size): their figures are read by people, not tests."""

import subprocess
import sys

from tests.conftest import ROOT


def test_store_benchmark_prints_a_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "bench/store.py", "--customers", "60", "--runs", "5",
         "--baseline-runs", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("ratio: ")
    assert float(last.split()[1]) > 0
    assert "list 60 customers" in result.stdout
