"""The colleagues' side of the shared mode: an object that answers as the Office does, each
call carried to the service over its socket. The commands and the screens use it as they
use the Office; what the service refuses comes back as the same Italian errors."""

import os
import pickle
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from procedure.errors import Refused, StoreError
from procedure.remote.protocol import MOST_RESPONSE_BYTES, caller_uid, receive, request, send
from procedure.remote.server import CHANGED, SERVICES
from safefiles import os_reason

PROPERTIES = frozenset(
    {"settings", "defs", "user", "procedure_problem", "company_procedure", "migrated", "skipped"}
)


class ServiceUnavailable(StoreError):
    """The service's socket does not answer, or is not the service's."""


def print_waiting(text: str) -> None:
    print(f"{text}: si attende…", file=sys.stderr, flush=True)


class Connection:
    """One socket to the service, shared by the threads of this process (one request at a
    time)."""

    def __init__(self, path: Path, waiting: Callable[[str], None] = print_waiting) -> None:
        self.path = path
        self.waiting = waiting  # told, while a request waits for another, who holds it
        self.lock = threading.Lock()
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.sock.connect(str(path))
        except OSError as exc:
            self.sock.close()
            raise ServiceUnavailable(
                f"{path}: il servizio di Acquisto non risponde ({os_reason(exc)}); "
                "verificare che sia avviato (systemctl status acquisto)"
            ) from None
        owner = path.parent.stat().st_uid
        if caller_uid(self.sock) not in (0, owner):  # someone else's socket in the folder
            self.sock.close()
            raise ServiceUnavailable(f"{path}: il socket non è del servizio di Acquisto")

    def call(self, path: str, get: bool, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        with self.lock:
            send(self.sock, request(path, get, args, kwargs))
            kind, value = pickle.loads(receive(self.sock, MOST_RESPONSE_BYTES))
            while kind == "wait":  # the service says who it is serving; the answer follows
                self.waiting(str(value))
                kind, value = pickle.loads(receive(self.sock, MOST_RESPONSE_BYTES))
        if kind == "error":
            raise value
        return value


class _Method:
    def __init__(self, connection: Connection, path: str) -> None:
        self._connection = connection
        self._path = path

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._connection.call(self._path, False, args, kwargs)


class _Service:
    def __init__(self, connection: Connection, name: str) -> None:
        self._connection = connection
        self._name = name

    def __getattr__(self, name: str) -> _Method:
        if name.startswith("_"):
            raise AttributeError(name)
        return _Method(self._connection, f"{self._name}.{name}")


class RemoteOffice:
    """The Office of the data folder served by ``acquisto server``, as its caller sees it."""

    served = True  # the service watches the archive and sends the mail, not this process

    def __init__(self, path: Path) -> None:
        self._connection = Connection(path, lambda text: self.waiting(text))
        self.waiting: Callable[[str], None] = print_waiting  # the TUI shows it instead
        self._changes: Connection | None = None
        first = self._connection.call("user", True, (), {})  # the service says who we are
        self._user = str(first)

    def changed(self, since: int, seconds: float = 25.0) -> int:
        """The store's revision once it differs from ``since``, or after ``seconds``: the
        service says when something changed (on a connection of its own: the screens'
        requests do not wait behind it)."""
        if self._changes is None:
            self._changes = Connection(self._connection.path)
        return int(self._changes.call(CHANGED, False, (since, seconds), {}))

    def log_file(self) -> Path:
        """This colleague's own log (the data folder is the service's):
        ~/.local/state/acquisto/acquisto.log."""
        base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
        folder = Path(base) / "acquisto"
        folder.mkdir(parents=True, exist_ok=True)
        return folder / "acquisto.log"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in SERVICES:
            return _Service(self._connection, name)
        if name in ("store", "dossiers"):  # the service's own: backups are its account's
            raise Refused(
                "Copie di sicurezza, ripristino e verifiche dell'archivio dati li esegue "
                "l'utente del servizio (README, «Più colleghi: il servizio»)."
            )
        if name in PROPERTIES:
            return self._connection.call(name, True, (), {})
        return _Method(self._connection, name)
