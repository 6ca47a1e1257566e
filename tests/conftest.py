"""Shared fixtures: an Office on a temporary data folder with a fixed clock and user."""

import json
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from main import main
from procedure.demo import load_demo
from procedure.office import Office

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: datetime = datetime(2025, 3, 20, 9, 30)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def office(tmp_path: Path, clock: Clock) -> Office:
    return Office.open(tmp_path / "data", clock=clock, user="mario")


@pytest.fixture
def demo(office: Office) -> Office:
    load_demo(office)
    return office


def admin_settings(data: Path, text: str) -> Path:
    """Write the administrator's settings (SMTP, osTicket URL) as the administrator would:
    DATA/segreti/amministrazione.toml, mode 644."""
    folder = data / "segreti"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "amministrazione.toml"
    path.write_text(text)
    path.chmod(0o644)
    return path


def raw_sql(office: Office, statement: str, *args: object) -> list[tuple[object, ...]]:
    """Run ``statement`` on the data folder's database behind the program's back (as a
    damaged disk or a hostile hand would); returns its rows."""
    import sqlite3

    with sqlite3.connect(office.store.path) as conn:
        rows = conn.execute(statement, args).fetchall()
    return rows


def store_dump(office: Office) -> list[tuple[object, ...]]:
    """Every row of every table of the store: equal dumps, equal stores."""
    return [
        (table, *row)
        for table in ("meta", "docs", "audit", "list", "tally", "plans")
        for row in raw_sql(office, f"SELECT * FROM {table} ORDER BY 1")
    ]


def exported(demo: Office, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    """The store as ``acquisto export`` writes it."""
    capsys.readouterr()
    assert main(["--data", str(demo.settings.data_dir), "export"]) == 0
    doc: dict[str, Any] = json.loads(capsys.readouterr().out)
    return doc


def imported(demo: Office, doc: dict[str, Any], tmp_path: Path, capsys) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    """``acquisto import`` of ``doc``: its exit code and what it said on stderr."""
    capsys.readouterr()
    path = tmp_path / "import.json"
    path.write_text(json.dumps(doc))
    code = main(["--data", str(demo.settings.data_dir), "import", str(path)])
    return code, capsys.readouterr().err


def whole_run(template: Path, data: Path, args: list[str]) -> float:
    """``acquisto --data data args…`` run to its end on a copy of ``template``: seconds it
    took (how long the act takes here, under this machine's load)."""
    shutil.copytree(template, data)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "main.py", "--data", str(data), *args], cwd=ROOT)
    assert done.returncode == 0
    return time.monotonic() - started


def start_on_copy(template: Path, data: Path, args: list[str]) -> "subprocess.Popen[bytes]":
    """``acquisto --data data args…`` started on a copy of ``template``, its output
    discarded (a process to kill midway)."""
    shutil.copytree(template, data)
    return subprocess.Popen(
        [sys.executable, "main.py", "--data", str(data), *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
