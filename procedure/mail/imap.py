"""The IMAP adapter: reads a mailbox folder message by message and moves what was handled
to the folder of processed mail (never deletes: MOVE, or COPY then expunge of the original
where the server has no MOVE)."""

import imaplib
import re
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from procedure.config.settings import ImapSettings
from safefiles.waiting import readable

TIMEOUT = 30.0


class MailboxError(Exception):
    """The mailbox cannot be read or changed now; the message says why, in Italian."""


def _ok(answer: tuple[str, list[Any]], what: str) -> list[Any]:
    kind, data = answer
    if kind != "OK":
        said = b" ".join(d for d in data if isinstance(d, bytes)).decode("utf-8", "replace")
        raise MailboxError(f"{what}: il server risponde {kind} {said}".strip())
    return data


def _quoted(name: str) -> str:
    return '"' + name + '"'  # names are checked when read: no quote or backslash in them


class Mailbox:
    """One logged-in connection, one folder selected."""

    def __init__(self, conn: imaplib.IMAP4, settings: ImapSettings) -> None:
        self.conn = conn
        self.settings = settings
        self.delimiter = "/"
        self.validity = 0

    def _call(self, what: str, command: str, *args: str) -> list[Any]:
        """One command; a refusal or a lost connection is a MailboxError saying ``what``."""
        try:
            if command in ("SEARCH", "FETCH", "MOVE", "COPY", "STORE"):
                return _ok(self.conn.uid(command, *args), what)
            return _ok(getattr(self.conn, command.lower())(*args), what)
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"{what}: {exc}") from None
        except OSError as exc:
            raise MailboxError(f"{what}: connessione persa ({exc})") from None

    def _open(self) -> None:
        listed = self._call("elenco delle cartelle", "LIST", '""', '""')
        found = re.search(
            rb'\) "(.)"', listed[0] if listed and isinstance(listed[0], bytes) else b""
        )
        self.delimiter = found.group(1).decode() if found else "/"
        self._call(
            f"apertura della cartella {self.settings.folder}",
            "SELECT",
            self.folder(self.settings.folder),
        )
        validity = self.conn.response("UIDVALIDITY")[1]
        self.validity = int(validity[0]) if validity and validity[0] else 0

    def folder(self, name: str) -> str:
        """A folder as the server names it (``/`` in the settings, its own delimiter)."""
        return _quoted(name.replace("/", self.delimiter))

    def uids(self, after: int) -> list[int]:
        """The messages of the folder newer than ``after``, oldest first."""
        data = self._call("ricerca dei messaggi", "SEARCH", f"UID {after + 1}:*")
        words = b" ".join(d for d in data if isinstance(d, bytes)).split()
        return sorted(u for u in (int(w) for w in words if w.isdigit()) if u > after)

    def size(self, uid: int) -> int:
        data = self._call("dimensione del messaggio", "FETCH", str(uid), "(RFC822.SIZE)")
        for item in data:
            raw = item[0] if isinstance(item, tuple) else item
            if isinstance(raw, bytes) and (found := re.search(rb"RFC822\.SIZE (\d+)", raw)):
                return int(found.group(1))
        return 0

    def fetch(self, uid: int) -> bytes:
        """The whole message, left unread for the mail client (BODY.PEEK)."""
        data = self._call("lettura del messaggio", "FETCH", str(uid), "(BODY.PEEK[])")
        for item in data:
            if isinstance(item, tuple) and isinstance(item[1], bytes):
                return item[1]
        raise MailboxError(f"lettura del messaggio {uid}: il server non l'ha dato")

    def move(self, uid: int, folder: str) -> None:
        """Move one message to ``folder``, creating it the first time."""
        target, verb = self.folder(folder), "MOVE" if self._can("MOVE") else "COPY"
        what = f"spostamento nella cartella {folder}"
        try:
            self._call(what, verb, str(uid), target)
        except MailboxError:  # the first time: the folder is made, then the move is tried
            self._call(f"creazione della cartella {folder}", "CREATE", target)
            self._call(what, verb, str(uid), target)
        if verb == "COPY":
            self._call(what, "STORE", str(uid), "+FLAGS.SILENT", r"(\Deleted)")
            self._call(what, "EXPUNGE")

    def _can(self, capability: str) -> bool:
        return capability in self.conn.capabilities

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for news in the folder with IMAP IDLE (RFC 2177), back at
        the first news; False at once where the server has no IDLE (the caller pauses)."""
        if not self._can("IDLE"):
            return False
        try:
            tag = self.conn._new_tag()
            self.conn.send(tag + b" IDLE\r\n")
            if not self.conn.readline().startswith(b"+"):
                raise MailboxError("il server non accetta IDLE")
            sock = self.conn.socket()
            if not getattr(sock, "pending", lambda: 0)():  # TLS may hold it already read
                readable(sock, seconds)  # "* n EXISTS": something arrived
            self.conn.send(b"DONE\r\n")
            while not (line := self.conn.readline()).startswith(tag):
                if not line:
                    raise MailboxError("il server ha chiuso la connessione")
        except (OSError, imaplib.IMAP4.error) as exc:
            raise MailboxError(f"attesa di nuovi messaggi: {exc}") from None
        return True


def _connect(settings: ImapSettings) -> imaplib.IMAP4:
    context = ssl.create_default_context()
    if settings.security == "ssl":
        return imaplib.IMAP4_SSL(settings.host, settings.port, ssl_context=context, timeout=TIMEOUT)
    conn = imaplib.IMAP4(settings.host, settings.port, timeout=TIMEOUT)
    if settings.security == "starttls":
        conn.starttls(ssl_context=context)
    return conn


@contextmanager
def mailbox(settings: ImapSettings) -> Iterator[Mailbox]:
    """A session on ``settings``' folder; raises MailboxError saying why it cannot be had."""
    where = f"casella {settings.user}@{settings.host}"
    try:
        conn = _connect(settings)
    except (OSError, imaplib.IMAP4.error) as exc:
        raise MailboxError(f"{where} non raggiungibile: {exc}") from None
    try:
        try:
            conn.login(settings.user, settings.password)
            announced = conn.capability()[1]  # once logged in: MOVE, IDLE…
            words = announced[-1] if announced and isinstance(announced[-1], bytes) else b""
            conn.capabilities = tuple(words.decode().upper().split()) or conn.capabilities
            box = Mailbox(conn, settings)
            box._open()
        except imaplib.IMAP4.error as exc:
            raise MailboxError(f"{where}: {exc}") from None
        except OSError as exc:
            raise MailboxError(f"{where}: connessione persa ({exc})") from None
        yield box
    finally:
        with suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
