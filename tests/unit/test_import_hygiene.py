"""The headless packages stay headless, and only store/ talks to TinyDB."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _modules(package: str) -> list[str]:
    """Every module of ``package``, subpackages included."""
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        out.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return out


@pytest.mark.parametrize("package", ["procedure", "store", "archive", "cli"])
def test_headless_packages_do_not_import_textual(package: str) -> None:
    modules = _modules(package)
    assert len(modules) > 3
    code = (
        f"import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_only_store_imports_tinydb() -> None:
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("procedure", "archive", "tui", "cli", "templates")
        for path in (ROOT / folder).rglob("*.py")
        if "tinydb" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []
    assert (ROOT / "main.py").read_text(encoding="utf-8").count("tinydb") == 0
