"""The shared mode's service: one process serves the data folder over its socket; the
commands work through it as they do alone; what a caller sends is read as hostile input
(only the services' methods by name, only plain data and records); settings go out
without their secrets."""

import os
import pickle
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from main import main
from procedure.config.config_file import prepare_data_folder
from procedure.demo import load_demo
from procedure.errors import NotFound, Refused, StoreError
from procedure.folder import account_name
from procedure.office import Office
from procedure.remote.client import RemoteOffice
from procedure.remote.protocol import HEADER, SOCKET_NAME, receive, request, send
from tests.conftest import ROOT, admin_settings
from tests.integration.test_mail import Server

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A demo data folder and its service running in a process of its own; the commands of
    this process go through it (ACQUISTO_SERVER)."""
    data = tmp_path / "data"
    load_demo(Office.open(data, user="mario"))
    (data / "segreti").mkdir(exist_ok=True)
    (data / "segreti" / "posta.txt").write_text("segretissima\n")
    (data / "segreti" / "posta.txt").chmod(0o600)
    admin_settings(
        data,
        '[smtp]\nhost = "127.0.0.1"\nport = 2525\nsecurity = "none"\n'
        'sender = "a@b.example"\nuser = "u"\npassword_file = "posta.txt"\n',
    )
    service = subprocess.Popen(
        [sys.executable, "main.py", "--data", str(data), "server", "--no-watch"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert service.stdout is not None
    line = service.stdout.readline()  # the service says it listens once it does
    assert "in ascolto" in line, line
    monkeypatch.setenv("ACQUISTO_SERVER", str(data / SOCKET_NAME))
    try:
        yield data
    finally:
        service.terminate()
        service.wait(timeout=30)


def test_the_commands_work_through_the_service(
    served: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(served), "note", "C00001", "travel_costs", "km verificati"]) == 0
    assert main(["--data", str(served), "show", "C00001"]) == 0
    assert "Alfa Test Meccanica" in capsys.readouterr().out
    assert main(["--data", str(served), "step", "C00001", "nessuno", "done"]) == 2
    assert "Passo 'nessuno' inesistente" in capsys.readouterr().err
    alone = Office.open(served, user="controllo")  # what the service wrote is in the store
    notes = alone.customer("C00001").steps["travel_costs"].notes
    assert notes[-1].note == "km verificati"


def test_settings_go_out_without_their_secrets(served: Path) -> None:
    remote = RemoteOffice(served / SOCKET_NAME)
    assert remote.settings.smtp.host == "127.0.0.1"
    assert remote.settings.smtp.password == ""
    assert prepare_data_folder(served).smtp.password == "segretissima"  # the service has it


def ask(path: Path, payload: bytes) -> tuple[str, object]:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(path))
        send(sock, payload)
        kind, value = pickle.loads(receive(sock, 1 << 24))
    return kind, value


class Planted:
    """A pickle that would run a command wherever it is loaded with the stock pickle."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch {self.marker}",)


def test_a_request_that_would_run_code_is_refused_and_runs_nothing(
    served: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "eseguito"
    payload = pickle.dumps(("customer", False, (Planted(marker),), {}))
    kind, value = ask(served / SOCKET_NAME, payload)
    assert kind == "error" and isinstance(value, StoreError)
    assert "posix.system non ammesso" in str(value) or "os.system non ammesso" in str(value)
    assert not marker.exists()  # loading it would have run it, before the answer came


@pytest.mark.parametrize(
    "path", ["store", "dossiers", "_reader", "dossiers.edit", "mail.delivery", "checklist.folder"]
)
def test_only_the_services_methods_are_served(served: Path, path: str) -> None:
    kind, value = ask(served / SOCKET_NAME, request(path, False, (), {}))
    assert kind == "error" and isinstance(value, NotFound)
    assert "non è un servizio offerto" in str(value)


def test_an_oversized_or_broken_request_leaves_the_service_serving(served: Path) -> None:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(served / SOCKET_NAME))
        sock.sendall(HEADER.pack(1 << 30))  # a gigabyte announced: the service hangs up
        assert sock.recv(16) == b""
    kind, value = ask(served / SOCKET_NAME, b"\x00" * 8)  # framed, but no request
    assert kind == "error" and "richiesta non ammessa" in str(value)
    assert RemoteOffice(served / SOCKET_NAME).count_customers() == 3


@pytest.fixture
def slow_mail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Path, Server]]:
    """A demo data folder served with a wait limit of 4 s, its mail going to a real SMTP
    server that takes 15 s to accept a message."""
    smtp = Server()
    smtp.start()
    smtp.inbox.hold = 15.0  # far past the wait limit, on a busy machine too
    data = tmp_path / "data"
    load_demo(Office.open(data, user="mario"))
    admin_settings(
        data,
        f'[smtp]\nhost = "127.0.0.1"\nport = {smtp.port}\nsecurity = "none"\n'
        'sender = "Delta Test <acquisto@deltatest.example>"\n',
    )
    service = subprocess.Popen(
        [sys.executable, "main.py", "--data", str(data), "server", "--no-watch",
         "--wait-limit", "4"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    assert service.stdout is not None
    assert "in ascolto" in service.stdout.readline()
    monkeypatch.setenv("ACQUISTO_SERVER", str(data / SOCKET_NAME))
    try:
        yield data, smtp
    finally:
        service.terminate()
        service.wait(timeout=30)
        smtp.stop()


def test_a_request_behind_a_long_one_is_told_who_holds_it_then_gives_up(
    slow_mail: tuple[Path, Server],
) -> None:
    """While one colleague's mailing holds the service (its SMTP server is slow), another's
    request is told within 2 s who is served and since when, and gives up at the stated
    limit with nothing done."""
    data, smtp = slow_mail
    said: list[str] = []
    waiting = RemoteOffice(data / SOCKET_NAME)
    waiting.waiting = said.append
    sender = RemoteOffice(data / SOCKET_NAME)
    mailing = threading.Thread(target=sender.mail.send_bundle, args=("C00001", "forms"))
    mailing.start()
    assert smtp.inbox.received.wait(60)  # the mailing is being sent: it holds the service
    with pytest.raises(StoreError, match="nulla è stato fatto"):
        waiting.checklist.add_note("C00001", "travel_costs", "in attesa")
    mailing.join(60)
    (text,) = said  # told while it waited (the service says it at 2 s), then refused
    user = account_name(os.geteuid())
    assert re.fullmatch(
        rf"Il servizio è occupato da {user} \(mail\.send_bundle\) dalle \d\d:\d\d:\d\d", text
    )
    steps = Office.open(data, user="controllo").customer("C00001").steps
    notes = steps["travel_costs"].notes if "travel_costs" in steps else []
    assert all(n.note != "in attesa" for n in notes)  # nothing was done
    assert len(smtp.inbox.messages) == 1  # the mailing itself went, once


def test_the_service_opens_no_file_a_caller_names_outside_the_archive(
    served: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The service reads and writes as its own account: a path a caller names must lie in
    the archive or the export folder (else a colleague could have it read the secrets, or
    write over the store); backups are the service account's to make."""
    remote = RemoteOffice(served / SOCKET_NAME)
    for path in (served / "segreti" / "posta.txt", Path("/etc/passwd"), served / "store"):
        with pytest.raises(Refused, match="il servizio apre solo file dell'archivio"):
            remote.product_import.read(path)
    with pytest.raises(Refused, match="il servizio apre solo file dell'archivio"):
        remote.osticket.write_files(served / "store")
    intake = served / "archivio" / "Da archiviare"
    link = intake / "scorciatoia.csv"
    link.symlink_to(served / "segreti" / "posta.txt")  # inside by name, outside in fact
    with pytest.raises(Refused, match="il servizio apre solo file dell'archivio"):
        remote.product_import.read(link)
    assert main(["--data", str(served), "backup", str(tmp_path / "copia.tar.gz")]) == 1
    assert "li esegue l'utente del servizio" in capsys.readouterr().err
    assert not (tmp_path / "copia.tar.gz").exists()
