"""The benchmarks still run (on a small size): their figures are read by people, not tests."""

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def bench(*args: str, timeout: float = 300) -> list[str]:
    """The lines a benchmark printed; its last must be ``ratio: N``."""
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        check=True,
    )  # fmt: skip
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("ratio: ")
    assert float(lines[-1].split()[1]) > 0
    return lines


def test_store_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/store.py", "--customers", "60", "--runs", "5", "--baseline-runs", "2")
    assert any("list 60 customers" in line for line in lines)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_pdf_benchmark_prints_a_ratio() -> None:
    bench("bench/pdf.py", "--documents", "3")


def test_watch_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/watch.py", "--delay", "0.2", "--poll", "0.2", "--samples", "1",
                  "--customers", "50", "--files", "100")  # fmt: skip
    assert any(line.startswith("rescan 50 customers") for line in lines)


def test_tui_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/tui.py", "--customers", "200", "--runs", "1", timeout=600)
    for label in ("filter keystroke", "open the master-record form", "a mailing with PDFs"):
        assert any(line.startswith(label) for line in lines), label


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is installed by .ci/run")
def test_ocr_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/ocr.py", "--runs", "1")
    assert any(line.startswith("one scanned page") for line in lines)


def test_scale_benchmark_prints_every_figure_at_both_sizes() -> None:
    lines = bench("bench/scale.py", "--sizes", "30", "60", "--runs", "1")
    for label in ("complete a step", "billing for a year", "full archive rescan", "TUI filter"):
        assert any(line.startswith(label) and "at 30" in line and "at 60" in line for line in lines)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is installed by .ci/run")
def test_signature_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/signatures.py", "--runs", "1")
    assert any(line.startswith("5 signatures and a timestamp") for line in lines)


def test_inbox_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/inbox.py", "--messages", "2", "--runs", "1")
    assert any("filed by QR code" in line for line in lines)


def test_service_benchmark_prints_a_ratio() -> None:
    lines = bench("bench/service.py", "--customers", "60", "--runs", "3")
    assert any(line.startswith("open a customer (view):") for line in lines)
