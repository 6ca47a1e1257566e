"""A real IMAP server for the tests: Debian's Dovecot on 127.0.0.1, started with a
temporary configuration and maildir (installed by .ci/system-packages)."""

import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PASSWORD = "segreta-di-prova"
DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"

CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
log_path = {root}/dovecot.log
default_internal_user = {internal}
default_internal_group = {internal_group}
default_login_user = {login}
first_valid_uid = 1
first_valid_gid = 1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    """One running server; each test gets a mailbox user of its own."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="acquisto-dovecot-"))
        self.root.chmod(0o755)
        self.port = free_port()
        if os.geteuid() == 0:  # Dovecot refuses root for its login and mail processes
            mail = pwd.getpwnam("dovecot")
            login, internal = "dovenull", "dovecot"
        else:
            mail = pwd.getpwuid(os.geteuid())
            login = internal = mail.pw_name
        (self.root / "mail").mkdir()
        os.chown(self.root / "mail", mail.pw_uid, mail.pw_gid)
        group = "dovecot" if internal == "dovecot" else internal
        (self.root / "dovecot.conf").write_text(
            CONFIG.format(
                root=self.root,
                internal=internal,
                internal_group=group,
                login=login,
                uid=mail.pw_uid,
                gid=mail.pw_gid,
                port=self.port,
                password=PASSWORD,
            )
        )
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(self.root / "dovecot.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        probe = self.new_user()
        deadline = time.monotonic() + 60
        while True:  # ready once a user can log in (its authentication up too); no clock to fake
            try:
                conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=5)
                conn.login(probe, PASSWORD)
                conn.logout()
                break
            except (OSError, imaplib.IMAP4.error):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    log = self.log()
                    self.stop()
                    raise RuntimeError(f"Dovecot non parte: {log}") from None
                time.sleep(0.1)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def new_user(self) -> str:
        """A mailbox of its own: any name logs in with the test password (a static passdb),
        its maildir made at the first login."""
        return f"u{uuid.uuid4().hex[:10]}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


class Mailbox:
    """A test's own mailbox on the server: deliver into it, look at its folders."""

    def __init__(self, server: Dovecot, user: str) -> None:
        self.server = server
        self.user = user
        self.port = server.port

    def _login(self) -> imaplib.IMAP4:
        conn = imaplib.IMAP4("127.0.0.1", self.port, timeout=30)
        conn.login(self.user, PASSWORD)
        return conn

    def deliver(self, data: bytes, folder: str = "INBOX") -> None:
        conn = self._login()
        try:
            kind, answer = conn.append(folder, None, None, data)
            assert kind == "OK", answer
        finally:
            conn.logout()

    def messages(self, folder: str = "INBOX") -> list[bytes]:
        """Every message in ``folder`` ("/" between levels), oldest first."""
        conn = self._login()
        try:
            kind, _ = conn.select('"' + folder.replace("/", ".") + '"', readonly=True)
            if kind != "OK":
                return []
            _, data = conn.uid("SEARCH", "ALL")
            out = []
            for uid in data[0].split():
                _, parts = conn.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
                out += [p[1] for p in parts if isinstance(p, tuple)]
            return out
        finally:
            conn.logout()

    def settings(self, table: str = "imap") -> str:
        """The administrator's table for this mailbox."""
        return (
            f'[{table}]\nhost = "127.0.0.1"\nport = {self.port}\nsecurity = "none"\n'
            f'user = "{self.user}"\npoll_seconds = 1\n'
        )


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    if not Path(DOVECOT).exists():
        pytest.fail("Dovecot assente: bash .ci/system-packages lo installa (dovecot-imapd)")
    server = Dovecot()
    yield server
    server.stop()


@pytest.fixture
def imap(dovecot: Dovecot) -> Mailbox:
    return Mailbox(dovecot, dovecot.new_user())
