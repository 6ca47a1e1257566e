"""Two real Unix users of one group share a data folder under Debian's default umask 022:
each one's files are usable by the other (run as root, which creates them; else skipped)."""

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from procedure.office import Office
from tests.conftest import ROOT

# names of this run's own: two test runs side by side must not add and remove each other's
GROUP = f"acqp{os.getpid()}"
USERS = (f"acqa{os.getpid()}", f"acqb{os.getpid()}")

pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("useradd") is None or shutil.which("runuser") is None,
        reason="needs root to create two users",
    ),
]


@pytest.fixture
def shared() -> Iterator[Path]:
    """A folder of the office group, setgid, with two users in that group."""
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    for user in USERS:
        if subprocess.run(["id", user], capture_output=True).returncode != 0:
            subprocess.run(["useradd", "-M", "-N", "-g", GROUP, "-s", "/bin/sh", user], check=True)
    base = Path(tempfile.mkdtemp(prefix="acquisto-gruppo-", dir="/tmp"))
    gid = int(subprocess.run(["getent", "group", GROUP], capture_output=True, text=True,
                             check=True).stdout.split(":")[2])  # fmt: skip
    os.chown(base, 0, gid)
    base.chmod(0o2770)
    try:
        yield base / "data"
    finally:
        shutil.rmtree(base, ignore_errors=True)
        for user in USERS:
            subprocess.run(["userdel", user], capture_output=True)
        subprocess.run(["groupdel", GROUP], capture_output=True)


def _open_to_others(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in [*path.resolve().parents])


def interpreter() -> tuple[str, str]:
    """A Python the two users may run, and the PYTHONPATH that gives it our packages: ours,
    or the system's of the same version when ours lies under a private home (pyenv)."""
    site = sysconfig.get_paths()["purelib"]
    if _open_to_others(Path(sys.executable)):
        return sys.executable, str(ROOT)
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        pytest.skip("nessun Python accessibile agli altri utenti")
    return str(system), f"{ROOT}:{site}"


def as_user(user: str, *args: str) -> subprocess.CompletedProcess[str]:
    python, path = interpreter()
    command = shlex.join(["env", f"PYTHONPATH={path}", python, *args])
    return subprocess.run(
        ["runuser", "-u", user, "--", "sh", "-c", f"umask 022; exec {command}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_two_colleagues_share_one_folder_under_umask_022(shared: Path) -> None:
    anna, bruno = USERS
    steps = [
        (anna, ("demo",)),
        (bruno, ("step", "C00001", "travel_costs", "done")),
        (anna, ("note", "C00001", "travel_costs", "km verificati")),
        (anna, ("licence", "issue", "C00001")),
        (bruno, ("licence", "issue", "C00002")),  # the signing key is the group's
        (bruno, ("scan",)),
        (anna, ("backup", str(shared.parent / "copia.tar.gz"))),
        (bruno, ("check",)),
    ]
    for user, args in steps:
        result = as_user(user, "main.py", "--data", str(shared), *args)
        assert result.returncode == 0, f"{user} {args}: {result.stderr}"
    log = (
        "from pathlib import Path; from procedure.office import Office; "
        f"print(Office.open(Path({str(shared)!r})).log_file().touch())"
    )
    for user in USERS:  # each TUI opens its own log: none blocks the other
        run = as_user(user, "-c", log)
        assert run.returncode == 0, run.stderr
    assert {p.name for p in (shared / "log").iterdir()} == {f"acquisto-{u}.log" for u in USERS}


def test_the_audit_names_the_account_not_what_the_environment_claims(tmp_path: Path) -> None:
    """USER and LOGNAME are anybody's to set: a command run with USER=direttore is recorded
    under the account the kernel says runs it."""
    import pwd

    data = str(tmp_path / "data")
    env = {**os.environ, "USER": "direttore", "LOGNAME": "direttore"}
    subprocess.run(
        [sys.executable, "main.py", "--data", data, "demo"],
        env=env,
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    office = Office.open(Path(data), user="controllo")
    entries = office.office_audit() + office.audit("C00001")
    assert entries and {e["user"] for e in entries} == {pwd.getpwuid(os.geteuid()).pw_name}
