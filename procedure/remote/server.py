"""``acquisto server``: the one process that opens the data folder, serving colleagues over
a Unix socket. The kernel says who is calling (SO_PEERCRED), and that account, never a
claim of the client, is the user of the caller's Office: audit log, ``done_by``, ``by``.

Only the services' public methods and the data folder's reads are served, by name; a
request is read by a pickle that builds plain data and records only (protocol.py).
Settings go out without their secrets (passwords, the osTicket key)."""

import dataclasses
import grp
import inspect
import logging
import os
import pickle
import signal
import socket
import threading
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any

import safefiles
from procedure.config.config_file import prepare_data_folder
from procedure.config.settings import Settings
from procedure.errors import NotFound, Refused, StoreError
from procedure.folder import DataFolder, account_name
from procedure.office import Office
from procedure.remote.protocol import (
    MOST_REQUEST_BYTES,
    ProtocolError,
    peer,
    read_request,
    receive,
    send,
    socket_path,
)
from store.errors import StoreBusy

log = logging.getLogger("acquisto.server")
SAY_AFTER = 2.0  # seconds a request waits before it is told who holds the data folder
CHANGED = "changed"  # the request that waits for the next change of the store
CHANGE_POLL = 0.2  # how often the service looks at the store's revision for the waiting
SERVICE_UMASK = 0o027  # what the service makes: the office group reads it, nobody else
DROP_MODE = 0o2770  # Da archiviare/ and the form slots: the office group drops files there

SERVICES = frozenset(
    {
        "checklist",
        "customers",
        "catalogue",
        "filing",
        "documents",
        "licences",
        "mail",
        "billing",
        "handovers",
        "osticket",
        "review",
        "intake",
        "inbox",
        "product_import",
        "exchange",
        "exports",
    }
)
NOT_SERVED = frozenset({"dossiers", "store", "open", "log_file"})  # the service's own
READS = frozenset(
    name for name in dir(DataFolder) if not name.startswith("_") and name not in NOT_SERVED
) | {"clock", "user", "skipped", "warm_pdf"}


def without_secrets(value: Any) -> Any:
    """``value`` (settings, or a part of them) with every secret blanked."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    changes = {}
    for f in dataclasses.fields(value):
        if f.metadata.get("secret") or f.name == "osticket_key":
            changes[f.name] = ""
        else:
            inner = getattr(value, f.name)
            if dataclasses.is_dataclass(inner) and not isinstance(inner, type):
                changes[f.name] = without_secrets(inner)
    return dataclasses.replace(value, **changes)


def send_wait(conn: socket.socket, text: str) -> None:
    """An interim answer: the request waits, and why."""
    send(conn, pickle.dumps(("wait", text)))


def within_reach(settings: Settings, path: Path) -> None:
    """A path a caller names is one the service may open for them: under the archive (a
    scan in Da archiviare/, a returned form) or the export folder, never elsewhere (the
    service reads and writes what its own account can, which is not what the caller can)."""
    real = Path(os.path.realpath(path))
    roots = (settings.archive_root, settings.osticket_export_dir)
    if not any(real.is_relative_to(os.path.realpath(root)) for root in roots):
        raise Refused(
            f"{path}: il servizio apre solo file dell'archivio ({settings.archive_root}) o "
            f"della cartella di esportazione ({settings.osticket_export_dir}); copiare lì "
            "il file, per esempio in «Da archiviare»."
        )


def resolve(office: Office, path: str, get: bool) -> tuple[Any, bool]:
    """What ``path`` names on the caller's Office, and whether it is to be called; NotFound
    for anything not served."""
    service, dot, name = path.partition(".")
    if dot:
        if service not in SERVICES or name.startswith("_") or "." in name:
            raise NotFound(f"{path}: non è un servizio offerto")
        target = getattr(getattr(office, service), name, None)
        if not inspect.ismethod(target) or get:
            raise NotFound(f"{path}: non è un servizio offerto")
        return target, True
    if path in SERVICES and get:
        return None, False  # the client's proxy asks whether a service exists
    if path not in READS:
        raise NotFound(f"{path}: non è un servizio offerto")
    target = getattr(office, path)
    if path == "settings":
        target = without_secrets(target)
    return target, not get and callable(target)


class Server:
    """Accepts colleagues on ``socket_path`` (mode 0660, group ``group``): one thread per
    connection, one request at a time against the data folder (the store serializes writes
    anyway; a read never sees half a change)."""

    def __init__(
        self, settings: Settings, socket_path: Path, group: str = "", wait_limit: float = 60.0
    ) -> None:
        self.settings = settings
        self.wait_limit = wait_limit  # how long a request waits for another before giving up
        self.holder: tuple[str, str, datetime] | None = None  # who is served now, since when
        self.socket_path = socket_path
        self.gid = grp.getgrnam(group).gr_gid if group else None
        self.offices: dict[int, Office] = {}
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.listener: socket.socket | None = None

    def admitted(self, uid: int, gid: int) -> bool:
        """The service's own account, root, or a member of the office group."""
        if uid in (0, os.geteuid()):
            return True
        if self.gid is None:
            return False
        name = account_name(uid)
        return gid == self.gid or name in grp.getgrgid(self.gid).gr_mem

    def office_for(self, uid: int) -> Office:
        office = self.offices.get(uid)
        if office is None:
            office = Office(self.settings, user=account_name(uid))
            self.offices[uid] = office
        return office

    def listen(self) -> socket.socket:
        """Bind the socket afresh (a stale one of a service that died is replaced)."""
        path = self.socket_path
        if path.is_socket():
            path.unlink()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)  # never reachable by others, not even for an instant
        try:
            listener.bind(str(path))
        finally:
            os.umask(old)
        if self.gid is not None:
            os.chown(path, -1, self.gid)
        os.chmod(path, 0o660 if self.gid is not None else 0o600)
        listener.listen(64)
        self.listener = listener
        return listener

    def serve_forever(self) -> None:
        listener = self.listener or self.listen()
        log.info("servizio in ascolto su %s", self.socket_path)
        while not self.stopping.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                if self.stopping.is_set():
                    break
                raise
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()

    def held(self) -> str:
        """Who the service is serving now and since when, in Italian."""
        holder = self.holder
        if holder is None:
            return "Il servizio è occupato"
        user, path, since = holder
        return f"Il servizio è occupato da {user} ({path}) dalle {since:%H:%M:%S}"

    def changed(self, office: Office, since: int, seconds: float) -> int:
        """The store's revision once it differs from ``since`` (any process's change), or
        after ``seconds`` (at most a minute): the colleagues' screens are told, not polling."""
        deadline = time.monotonic() + min(max(float(seconds), 0.0), 60.0)
        while True:
            revision = office.revision()
            if revision != since or time.monotonic() >= deadline or self.stopping.is_set():
                return revision
            self.stopping.wait(CHANGE_POLL)

    def stop(self) -> None:
        self.stopping.set()
        if self.listener is not None:
            self.listener.shutdown(socket.SHUT_RDWR)
            self.listener.close()
        if self.socket_path.is_socket():
            self.socket_path.unlink()

    def handle(self, conn: socket.socket) -> None:
        with conn:
            pid, uid, gid = peer(conn)
            if not self.admitted(uid, gid):
                log.warning(
                    "rifiutato %s (uid %d, pid %d): non è del gruppo", account_name(uid), uid, pid
                )
                refusal = StoreError(
                    f"L'utente {account_name(uid)} non fa parte del gruppo dell'ufficio: "
                    "il servizio di Acquisto non gli risponde."
                )
                send(conn, pickle.dumps(("error", refusal)))
                return
            with self.lock:
                office = self.office_for(uid)
            while True:
                try:
                    data = receive(conn, MOST_REQUEST_BYTES)
                except (ProtocolError, OSError):
                    return
                send(conn, self.answer(office, data, lambda text: send_wait(conn, text)))

    def answer(self, office: Office, data: bytes, say: Callable[[str], None]) -> bytes:
        """The pickled outcome of one request: ("ok", value) or ("error", exception); while
        another request holds the data folder, ``say`` is told who and since when (within
        ``SAY_AFTER``), and the request gives up after ``wait_limit`` with nothing done."""
        try:
            path, get, args, kwargs = read_request(data)
        except Exception as exc:  # whatever a hostile request holds: refused, told
            refusal = StoreError(f"richiesta non ammessa ({exc})")
            return pickle.dumps(("error", refusal))
        try:
            if path == CHANGED:  # waits without holding up anyone else's request
                return pickle.dumps(("ok", self.changed(office, *args)))
            target, call = resolve(office, path, get)
            for value in (*args, *kwargs.values()):
                if isinstance(value, PurePath):
                    within_reach(office.settings, Path(value))
            if not self.lock.acquire(timeout=SAY_AFTER):
                say(self.held())
                if not self.lock.acquire(timeout=max(self.wait_limit - SAY_AFTER, 0)):
                    raise StoreBusy(
                        f"{self.held()}: dopo {self.wait_limit:.0f} secondi di attesa la "
                        "richiesta è stata abbandonata, nulla è stato fatto. Riprovare fra poco."
                    )
            try:
                self.holder = (office.user, path, datetime.now())
                value = target(*args, **kwargs) if call else target
                if inspect.isgenerator(value) or isinstance(value, map | filter):
                    value = list(value)
            finally:
                self.holder = None
                self.lock.release()
            return pickle.dumps(("ok", value), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # the caller's error to show, the service goes on
            try:
                return pickle.dumps(("error", exc), protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:
                log.exception("errore non trasmissibile")
                return pickle.dumps(("error", StoreError(f"errore del servizio: {exc}")))


def run_server(
    data_dir: Path, group: str = "", watch: bool = True, wait_limit: float = 60.0
) -> int:
    """``acquisto server``: serve ``data_dir`` until SIGTERM or SIGINT; the archive watched
    here too (``watch``). Run as the account that owns the data folder."""
    os.umask(SERVICE_UMASK)
    safefiles.DROP_MODES["mode"] = DROP_MODE
    settings = prepare_data_folder(data_dir)
    for private in (settings.store_dir, settings.data_dir / "keys", settings.data_dir / "segreti"):
        if private.is_dir():  # the service's alone, whatever made them
            private.chmod(0o700)
    server = Server(settings, socket_path(data_dir, dict(os.environ)), group, wait_limit)
    server.office_for(os.geteuid()).filing.ensure_tree()  # drop folders opened to the group
    server.listen()
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    watcher = None
    if watch:
        from procedure.watching import WatchService

        watcher = WatchService(server.office_for(os.geteuid()))
        threading.Thread(target=watcher.run, daemon=True).start()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Acquisto: servizio in ascolto su {server.socket_path}", flush=True)
    stop.wait()
    if watcher is not None:
        watcher.stop()
    server.stop()
    return 0
