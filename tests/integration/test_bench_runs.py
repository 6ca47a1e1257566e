"""The benchmarks still run (on a small size): their figures are read by people, not tests."""

import shutil
import subprocess
import sys

import pytest

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


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_pdf_benchmark_prints_a_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "bench/pdf.py", "--documents", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert result.stdout.strip().splitlines()[-1].startswith("ratio: ")


def test_watch_benchmark_prints_a_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "bench/watch.py", "--delay", "0.2", "--poll", "0.2", "--samples", "1",
         "--customers", "50", "--files", "100"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("ratio: ")
    assert any(line.startswith("rescan 50 customers") for line in lines)


def test_tui_benchmark_prints_a_ratio() -> None:
    result = subprocess.run(
        [sys.executable, "bench/tui.py", "--customers", "200"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("ratio: ")
    assert any(line.startswith("filter keystroke") for line in lines)
