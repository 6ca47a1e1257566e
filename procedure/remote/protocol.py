"""What travels on the service's socket: length-prefixed frames; a request is the name of
what to call and its arguments, read with a pickle that builds only plain data, dates,
amounts, paths and the records of procedure.model (nothing a caller could make run)."""

import enum
import io
import pickle
import socket
import struct
from pathlib import Path
from typing import Any

from procedure.errors import StoreError

HEADER = struct.Struct("!I")
MOST_REQUEST_BYTES = 16 << 20  # a request carries at most an import document
MOST_RESPONSE_BYTES = 1 << 30  # every customer's list line of a large office
SOCKET_NAME = "acquisto.sock"  # in the data folder, unless ACQUISTO_SERVER names another


class ProtocolError(StoreError):
    """The other end broke the protocol or went away: nothing was done for that request."""


def send(sock: socket.socket, payload: bytes) -> None:
    sock.sendall(HEADER.pack(len(payload)) + payload)


def receive(sock: socket.socket, most: int) -> bytes:
    """One frame of at most ``most`` bytes; ProtocolError when the peer closed or sent more."""
    (size,) = HEADER.unpack(_exactly(sock, HEADER.size))
    if size > most:
        raise ProtocolError(f"messaggio di {size} byte, oltre il limite di {most}")
    return _exactly(sock, size)


def _exactly(sock: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = sock.recv(min(left, 1 << 20))
        if not chunk:
            raise ProtocolError("il servizio ha chiuso la connessione")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


SAFE = {
    "datetime": {"date", "datetime", "time", "timedelta", "timezone"},
    "decimal": {"Decimal"},
    "pathlib": {"Path", "PosixPath", "PurePath", "PurePosixPath"},
    "builtins": {"set", "frozenset", "bytearray", "complex", "slice", "range"},
}
RECORD_MODULES = ("procedure.model", "procedure.enums")


class _Requests(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if name in SAFE.get(module, ()):
            return super().find_class(module, name)
        if module in RECORD_MODULES:
            found = super().find_class(module, name)
            if isinstance(found, type) and found.__module__ == module:  # a record, defined there
                return found
        raise pickle.UnpicklingError(f"{module}.{name} non ammesso in una richiesta")


class _Requester(pickle.Pickler):
    def reducer_override(self, obj: Any) -> Any:
        """An enum member as its class called with its value (the stock pickle fetches it
        with getattr, which a request may not use: getattr reaches anything)."""
        if isinstance(obj, enum.Enum):
            return type(obj), (obj.value,)
        return NotImplemented


def request(path: str, get: bool, args: tuple[Any, ...], kwargs: dict[str, Any]) -> bytes:
    out = io.BytesIO()
    _Requester(out, protocol=pickle.HIGHEST_PROTOCOL).dump((path, get, args, kwargs))
    return out.getvalue()


def read_request(data: bytes) -> tuple[str, bool, tuple[Any, ...], dict[str, Any]]:
    """(what to call, whether it is an attribute to read, args, kwargs); UnpicklingError
    (or ValueError) for anything else."""
    found = _Requests(io.BytesIO(data)).load()
    if not (isinstance(found, tuple) and len(found) == 4):
        raise ValueError("richiesta malformata")
    path, get, args, kwargs = found
    if not (isinstance(path, str) and isinstance(get, bool)):
        raise ValueError("richiesta malformata")
    if not (isinstance(args, tuple) and isinstance(kwargs, dict)):
        raise ValueError("richiesta malformata")
    if not all(isinstance(k, str) for k in kwargs):
        raise ValueError("richiesta malformata")
    return path, get, args, kwargs


PEERCRED = struct.Struct("3i")  # pid, uid, gid


def peer(sock: socket.socket) -> tuple[int, int, int]:
    """(pid, uid, gid) of the process at the other end of ``sock``, as the kernel says."""
    pid, uid, gid = PEERCRED.unpack(
        sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, PEERCRED.size)
    )
    return pid, uid, gid


def caller_uid(sock: socket.socket) -> int:
    return peer(sock)[1]


def socket_path(data_dir: Path, environ: dict[str, str]) -> Path:
    """Where the service listens for ``data_dir``: ACQUISTO_SERVER, else in the folder."""
    named = environ.get("ACQUISTO_SERVER", "")
    return Path(named) if named else data_dir / SOCKET_NAME
