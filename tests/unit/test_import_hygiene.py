"""The headless packages stay headless, and only store/ talks to TinyDB."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize("package", ["procedure", "store", "archive"])
def test_headless_packages_do_not_import_textual(package: str) -> None:
    modules = sorted(
        f"{package}.{p.stem}" for p in (ROOT / package).glob("*.py") if p.stem != "__init__"
    )
    code = (
        f"import importlib, sys\n"
        f"for m in {[package, *modules]!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_only_store_imports_tinydb() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("procedure", "archive", "tui", "templates")
        for path in (ROOT / folder).rglob("*.py")
        if "tinydb" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert (ROOT / "main.py").read_text(encoding="utf-8").count("tinydb") == 0


def test_no_module_over_400_lines() -> None:
    long = [
        (str(p.relative_to(ROOT)), n)
        for folder in ("procedure", "store", "archive", "tui")
        for p in (ROOT / folder).rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    ]
    assert long == []
