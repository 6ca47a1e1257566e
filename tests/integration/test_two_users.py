"""Two real Unix users of one group share a data folder under Debian's default umask 022:
each one's files are usable by the other (run as root, which creates them; else skipped)."""

import json
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
PID = os.getpid()
GROUP = f"acqg{PID}"  # the office group
USERS = (f"acqa{PID}", f"acqb{PID}")  # two colleagues, U1 and U2
OUTSIDER = f"acqx{PID}"  # a user of the machine outside the office group
SERVICE = f"acqs{PID}"  # the service's system account

pytestmark = [
    pytest.mark.timeout(600),
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("useradd") is None or shutil.which("runuser") is None,
        reason="needs root to create the users",
    ),
]


@pytest.fixture
def office_service() -> Iterator[Path]:
    """The README's set-up in a temporary folder: a demo data folder handed to the shared
    service by ``install-service``, the service running as its account (as its systemd unit
    runs it), two colleagues in the office group and a user outside it."""
    subprocess.run(["groupadd", "-f", GROUP], check=True)
    for user in USERS:
        subprocess.run(["useradd", "-M", "-N", "-g", GROUP, "-s", "/bin/sh", user], check=True)
    subprocess.run(["useradd", "-M", "-U", "-s", "/bin/sh", OUTSIDER], check=True)
    base = Path(tempfile.mkdtemp(prefix="acquisto-servizio-", dir="/tmp"))
    base.chmod(0o755)
    data = base / "data"
    service = None
    try:
        subprocess.run([sys.executable, "main.py", "--data", str(data), "demo"], cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
        installed = subprocess.run(
            [sys.executable, "main.py", "--data", str(data), "install-service",
             "--user", SERVICE, "--group", GROUP, "--unit", str(base / "acquisto.service")],
            cwd=ROOT, capture_output=True, text=True,
        )  # fmt: skip
        assert installed.returncode == 0, installed.stderr
        assert "systemctl daemon-reload" in installed.stdout
        unit = (base / "acquisto.service").read_text()
        assert f"User={SERVICE}" in unit and f"--group {GROUP}" in unit and "UMask=0027" in unit
        service = start_as(SERVICE, "main.py", "--data", str(data), "server", "--group", GROUP)
        yield data
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        shutil.rmtree(base, ignore_errors=True)
        for user in (*USERS, OUTSIDER, SERVICE):
            subprocess.run(["userdel", user], capture_output=True)
        for group in (GROUP, OUTSIDER, SERVICE):
            subprocess.run(["groupdel", group], capture_output=True)


def _open_to_others(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in [*path.resolve().parents])


def interpreter() -> tuple[str, str]:
    """A Python the users may run, and the PYTHONPATH that gives it our packages: ours, or
    the system's of the same version when ours lies under a private home (pyenv)."""
    site = sysconfig.get_paths()["purelib"]
    if _open_to_others(Path(sys.executable)):
        return sys.executable, str(ROOT)
    system = Path(f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}")
    if not system.exists():
        pytest.skip("nessun Python accessibile agli altri utenti")
    return str(system), f"{ROOT}:{site}"


def _command(user: str, args: tuple[str, ...], env: str = "") -> list[str]:
    python, path = interpreter()
    command = shlex.join(["env", f"PYTHONPATH={path}", *env.split(), python, *args])
    return ["runuser", "-u", user, "--", "sh", "-c", f"umask 022; exec {command}"]


def as_user(user: str, *args: str, env: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        _command(user, args, env), cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def start_as(user: str, *args: str) -> subprocess.Popen[str]:
    """A process of ``user``'s that says when it listens (the service)."""
    process = subprocess.Popen(
        _command(user, args), cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "in ascolto" in line, line + process.stdout.read()
    return process


def audit(data: Path, code: str) -> list[dict[str, str]]:
    """The audit entries of ``code``, read by the service's account (the only one that can)."""
    script = (
        "import json; from pathlib import Path; from procedure.office import Office; "
        f"print(json.dumps(Office.open(Path({str(data)!r})).audit({code!r})))"
    )
    result = as_user(SERVICE, "-c", script)
    assert result.returncode == 0, result.stderr
    return list(json.loads(result.stdout))


def test_colleagues_work_through_the_service_which_names_each_by_the_kernel(
    office_service: Path,
) -> None:
    """U1's change is U1's in the audit and done_by, whatever U1's or U2's process claims
    (USER, LOGNAME); the commands are the same as alone."""
    u1, u2 = USERS
    data = str(office_service)
    claim = f"USER={u2} LOGNAME={u2}"  # U1's process says it is U2
    done = as_user(u1, "main.py", "--data", data, "step", "C00001", "travel_costs", "done",
                   env=claim)  # fmt: skip
    assert done.returncode == 0, done.stderr
    noted = as_user(u2, "main.py", "--data", data, "note", "C00001", "travel_costs", "ok",
                    env=f"USER={u1} LOGNAME={u1}")  # fmt: skip
    assert noted.returncode == 0, noted.stderr
    shown = as_user(u2, "main.py", "--data", data, "show", "C00001", "--json")
    assert shown.returncode == 0, shown.stderr
    steps = {s["id"]: s for s in json.loads(shown.stdout)["steps"]}
    assert steps["travel_costs"]["done_by"] == u1
    entries = audit(office_service, "C00001")
    done_by = {
        e["user"] for e in entries if e["target"] == "travel_costs" and e["action"] == "step.done"
    }
    noted_by = {e["user"] for e in entries if e["action"] == "step.note"}
    assert (done_by, noted_by) == ({u1}, {u2}), entries


def test_nobody_writes_the_record_but_the_service(office_service: Path) -> None:
    """What colleagues could do to each other by writing the shared folder: plant links
    where the program writes, swap the licence key, read or replace the store, change the
    archive's root. None of it can be done: the folder is the service's."""
    u1, u2 = USERS
    data = office_service
    issued = as_user(u1, "main.py", "--data", str(data), "licence", "issue", "C00001")
    assert issued.returncode == 0, issued.stderr  # the service made the signing key
    for target in (
        "store/x",
        "keys/x",
        "keys/licence-signing.pem",
        "config.toml",
        "archivio/x",
        "store/acquisto.sqlite",
    ):
        attempt = as_user(u2, "-c", f"open({str(data / target)!r}, 'a')")
        assert attempt.returncode != 0 and "PermissionError" in attempt.stderr, target
    planted = as_user(u2, "-c", f"import os; os.symlink('/etc/passwd', {str(data / '.x.tmp')!r})")
    assert planted.returncode != 0 and "PermissionError" in planted.stderr
    made = as_user(u1, "main.py", "--data", str(data), "docs", "C00001", "order")
    assert made.returncode == 0, made.stderr  # made by the service, in the archive
    (document,) = [Path(line) for line in made.stdout.splitlines() if line.endswith(".docx")]
    for attempt in (
        f"open({str(document)!r}, 'wb')",  # overwrite it
        f"import os; os.unlink({str(document)!r})",  # replace it with a link
        f"import os; os.symlink('/etc/passwd', {str(document.parent / 'x.pdf')!r})",
    ):
        swapped = as_user(u2, "-c", attempt)
        assert swapped.returncode != 0 and "PermissionError" in swapped.stderr, attempt
    # what they may do: drop a scan in Da archiviare/
    intake = data / "archivio" / "Da archiviare"
    dropped = as_user(u1, "-c", f"open({str(intake / 'scansione.pdf')!r}, 'wb').write(b'%PDF')")
    assert dropped.returncode == 0, dropped.stderr


def test_a_colleague_cannot_open_the_database_to_hold_its_locks(office_service: Path) -> None:
    """Reading the database would let a colleague hold its locks (a read lock on the WAL's
    shared memory stops every writer): the store is the service's alone."""
    u1, _ = USERS
    for target in ("store", "store/acquisto.sqlite", "store/acquisto.sqlite-shm"):
        path = str(office_service / target)
        read = as_user(u1, "-c", f"import os; os.listdir({path!r}) if os.path.isdir({path!r}) "
                       f"else open({path!r}, 'rb')")  # fmt: skip
        assert read.returncode != 0 and "PermissionError" in read.stderr, target


def test_a_user_outside_the_group_reads_nothing_and_is_told(office_service: Path) -> None:
    data = office_service
    listed = as_user(OUTSIDER, "main.py", "--data", str(data), "list")
    assert listed.returncode == 2
    assert "il servizio di Acquisto non risponde (permesso negato)" in listed.stderr
    for target in ("store/acquisto.sqlite", "config.toml"):
        read = as_user(OUTSIDER, "-c", f"open({str(data / target)!r}).read()")
        assert read.returncode != 0 and "PermissionError" in read.stderr, target


def test_a_personal_data_folder_others_may_write_is_refused(tmp_path: Path) -> None:
    """Personal mode: the folder must be the user's and closed to others' writing; one a
    group shares is refused, saying how to make it personal or install the service."""
    data = tmp_path / "data"
    Office.open(data, user="mario")
    data.chmod(0o2775)
    result = subprocess.run(
        [sys.executable, "main.py", "--data", str(data), "list"], cwd=ROOT, capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 2
    assert "modificabile da altri utenti (permessi 2775)" in result.stderr
    assert f"chmod -R go-rwx {data}" in result.stderr and "servizio condiviso" in result.stderr
    data.chmod(0o700)  # the documented command, in short
    again = subprocess.run([sys.executable, "main.py", "--data", str(data), "list"], cwd=ROOT,
                           capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0, again.stderr


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
