"""Every SQL statement of the store, behind a small interface (SQLite today).

The durable medium is one SQLite database in WAL mode with ``synchronous=FULL``: one
fsync per commit, atomic multi-row commits, snapshot reads, torn-write detection and an
online backup, all SQLite's own. Another engine (PostgreSQL, for several servers) would
replace this module, and the reading of the engine's errors in ``store/errors.py``: the
rest of the store speaks in documents, rows and audit entries.

Tables: ``meta`` (format, schema, revision), ``docs`` (one TinyDB document set per
shard: the office's catalogues, counters, pins, prospects, and one per customer),
``audit`` (append-only entries, per customer or office-wide), ``list`` (one typed row per
customer: the facts the lists sort, filter and judge on), ``tally`` (how many list rows
there are, per progress pattern and per set of contract terms: kept by triggers in the
same transaction as the rows) and ``plans`` (each customer's billing plan).
"""

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store import aggregates
from store.errors import BUSY_SECONDS, italian
from store.list_queries import LATE, ORDERS, PATTERN, STATES, ListQuery, matching

FORMAT = "acquisto-store"
SCHEMA_VERSION = 5  # 1 was the folder of JSON shards with its own commit log; 2 had no
# tally; 3 had no monthly totals of the plans nor forms waiting (see store/aggregates.py);
# 4 had dossiers that did not record the procedure they were finished under (the upgrade
# makes the list rows again, and that records it)
UPGRADABLE = ("2", "3", "4")  # upgraded in place when opened

# The list's columns: name and SQL type. Dates are ISO strings, flags 0/1, sets of ids
# space-separated; ``search`` is the casefolded "code name" a filter looks in.
LIST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "TEXT"),
    ("name_key", "TEXT"),
    ("search", "TEXT"),
    ("done_steps", "TEXT"),
    ("unready_steps", "TEXT"),
    ("forms_returned", "INTEGER"),
    ("forms_required", "INTEGER"),
    ("open_mail", "INTEGER"),
    ("outstanding", "INTEGER"),
    ("last_contact", "TEXT"),
    ("last_returned", "TEXT"),
    ("bad_signatures", "INTEGER"),
    ("vat_number", "TEXT"),
    ("tax_code", "TEXT"),
    ("missing", "TEXT"),
    ("terms", "TEXT"),
    ("plan_key", "TEXT"),
)
LIST_NAMES = tuple(name for name, _ in LIST_COLUMNS)

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs (
    shard TEXT PRIMARY KEY, body TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY, code TEXT NOT NULL, entry TEXT NOT NULL);  -- never deleted
CREATE INDEX IF NOT EXISTS audit_code ON audit (code, id);
CREATE TABLE IF NOT EXISTS list (
    code TEXT PRIMARY KEY, {", ".join(f"{n} {t} NOT NULL" for n, t in LIST_COLUMNS)});
CREATE INDEX IF NOT EXISTS list_name ON list (name_key, code);
CREATE INDEX IF NOT EXISTS list_steps ON list (done_steps, unready_steps);
CREATE INDEX IF NOT EXISTS list_terms ON list (terms, code, name);  -- covers deadlines
CREATE INDEX IF NOT EXISTS list_late ON list (last_contact, code) WHERE outstanding > 0;
CREATE INDEX IF NOT EXISTS list_mail ON list (code) WHERE open_mail > 0 OR bad_signatures > 0;
CREATE INDEX IF NOT EXISTS list_vat ON list (vat_number);
CREATE INDEX IF NOT EXISTS list_tax ON list (tax_code);
CREATE VIRTUAL TABLE IF NOT EXISTS list_search USING fts5 (
    code UNINDEXED, search, tokenize = 'trigram');
CREATE TABLE IF NOT EXISTS plans (
    code TEXT PRIMARY KEY, plan TEXT NOT NULL, head TEXT NOT NULL DEFAULT '');
"""


# What the tally counts: its kind, the key (over the row ``{r}``) and the columns it reads.
TALLIES = (
    ("rows", "''", ""),
    ("pattern", "{r}.done_steps || '|' || {r}.unready_steps", "done_steps, unready_steps"),
    ("terms", "{r}.terms", "terms"),
)


def _count(kind: str, key: str, row: str, step: int) -> str:
    """A trigger's statements that count ``row`` (``new`` or ``old``) in (``step`` 1) or
    out (-1) of the tally of ``kind`` under ``key``; a count that reaches 0 goes."""
    key = key.format(r=row)
    if step > 0:
        return (
            f"INSERT INTO tally VALUES ('{kind}', {key}, 1) "
            "ON CONFLICT (kind, key) DO UPDATE SET n = n + 1;\n"
        )
    return (
        f"UPDATE tally SET n = n - 1 WHERE kind = '{kind}' AND key = {key};\n"
        f"DELETE FROM tally WHERE kind = '{kind}' AND key = {key} AND n = 0;\n"
    )


def _trigger(name: str, event: str, body: str) -> str:
    return f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {event} ON list BEGIN\n{body}END;\n"


TALLY = (
    "CREATE TABLE IF NOT EXISTS tally (\n"
    "    kind TEXT NOT NULL, key TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (kind, key)\n"
    ") WITHOUT ROWID;\n"
    + _trigger("tally_in", "INSERT", "".join(_count(k, key, "new", 1) for k, key, _ in TALLIES))
    + _trigger("tally_out", "DELETE", "".join(_count(k, key, "old", -1) for k, key, _ in TALLIES))
    + "".join(
        _trigger(
            f"tally_{kind}",
            f"UPDATE OF {columns}",
            _count(kind, key, "old", -1) + _count(kind, key, "new", 1),
        ).replace(" BEGIN", f" WHEN {key.format(r='old')} IS NOT {key.format(r='new')} BEGIN")
        for kind, key, columns in TALLIES[1:]
    )
)
TALLY_COUNT = (  # the tally as the rows are now
    "SELECT kind, key, n FROM ("
    "SELECT 'rows' AS kind, '' AS key, count(*) AS n FROM list UNION ALL "
    f"SELECT 'pattern', {PATTERN}, count(*) FROM list GROUP BY 2 UNION ALL "
    "SELECT 'terms', terms, count(*) FROM list GROUP BY 2 UNION ALL "
    f"{aggregates.SENT_COUNT}) WHERE n > 0"
)
TALLY_FILL = f"DELETE FROM tally;\nINSERT INTO tally {TALLY_COUNT};\n"
SEARCH_FILL = (
    "DELETE FROM list_search;\n"
    "INSERT INTO list_search (rowid, code, search) SELECT rowid, code, search FROM list;\n"
)
TIDY_AFTER = 1000  # list rows indexed by one commit after which the search index is merged


Row = tuple[Any, ...]


class Database:
    """One SQLite database shared by every thread and process: a connection per thread,
    writers serialised by ``BEGIN IMMEDIATE``, readers on snapshots."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()

    # -- connections -------------------------------------------------------------

    def connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = sqlite3.connect(
                    self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=True
                )
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
            except (sqlite3.Error, OSError) as exc:
                raise italian(exc, self.path, "nulla è stato letto né scritto") from None
            self._local.conn = conn
        return conn

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def create(self) -> None:
        """Create the tables (a new database) and record format and schema."""
        with self.writing() as cur:
            cur.executescript_in_tx(SCHEMA + TALLY + aggregates.SCHEMA)
            for key, value in (("format", FORMAT), ("schema", str(SCHEMA_VERSION))):
                cur.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (key, value))

    def upgrade(self, version: str) -> bool:
        """Bring a database of schema 2, 3 or 4 to this one, in one transaction: (from 2) the
        tally of the rows already there and the search index merged into one segment; (from
        3) the tables of the monthly totals, empty: the caller makes the plans and list rows
        again to fill them (and, from 4, to record which dossiers finished). False when
        another process upgraded it meanwhile."""
        with self.writing() as cur:
            if cur.meta("schema") == str(SCHEMA_VERSION):
                return False
            if version == "2":
                cur.executescript_in_tx(TALLY)
            if version in ("2", "3"):
                cur.executescript_in_tx(aggregates.UPGRADE)
            if version == "2":
                cur.executescript_in_tx(TALLY_FILL)
                cur.tidy_search(force=True)
            cur.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
        return True

    @contextmanager
    def writing(self) -> Iterator["Cursor"]:
        """One write transaction: committed when the block ends, rolled back on an error;
        raises StoreError (in Italian) when the engine or the disk refuses."""
        conn = self.connection()
        if getattr(self._local, "depth", 0):
            raise RuntimeError("nested store transaction")
        self._local.depth = 1
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise italian(exc, self.path, "nulla è stato modificato") from None
            try:
                yield Cursor(conn)
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if isinstance(exc, (sqlite3.Error, OSError)):
                    raise italian(exc, self.path, "nulla è stato modificato") from None
                raise
        finally:
            self._local.depth = 0

    @contextmanager
    def reading(self) -> Iterator["Cursor"]:
        """One read transaction (a snapshot: every read inside sees the same commit); nested
        readings share the outer one, and a reading inside a write sees the write."""
        conn = self.connection()
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield Cursor(conn)
            finally:
                self._local.depth = depth
            return
        self._local.depth = 1
        try:
            try:
                conn.execute("BEGIN")
                cur = Cursor(conn)
                cur.one("SELECT count(*) FROM sqlite_master")  # the snapshot starts here
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise italian(exc, self.path, "nulla è stato letto") from None
            try:
                yield cur
            except sqlite3.Error as exc:
                raise italian(exc, self.path, "nulla è stato letto") from None
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        finally:
            self._local.depth = 0

    def backup_to(self, target: Path) -> None:
        """A consistent copy of the whole database at ``target`` (SQLite's online backup:
        writers go on meanwhile)."""
        dest = sqlite3.connect(target)
        try:
            self.connection().backup(dest)
        except sqlite3.Error as exc:
            raise italian(exc, self.path, "la copia non è stata fatta") from None
        finally:
            dest.close()

    def integrity(self) -> list[str]:
        """What ``PRAGMA integrity_check`` finds (nothing when the database is whole)."""
        try:
            rows = self.connection().execute("PRAGMA integrity_check").fetchall()
        except sqlite3.Error as exc:
            return [str(italian(exc, self.path, "il controllo non si è potuto fare"))]
        found = [str(r[0]) for r in rows]
        return [] if found == ["ok"] else found


class Cursor:
    """The statements of the store, run inside one transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._indexed = 0  # search index rows written by this transaction

    def execute(self, sql: str, args: Sequence[Any] = ()) -> None:
        self._conn.execute(sql, args)

    def executescript_in_tx(self, script: str) -> None:
        """Run each statement of ``script`` inside the open transaction (a trigger's body
        is part of its statement)."""
        statement = ""
        for line in script.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                self._conn.execute(statement)
                statement = ""

    def one(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> Row | None:
        row: Row | None = self._conn.execute(sql, args).fetchone()
        return row

    def all(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> list[Row]:
        return self._conn.execute(sql, args).fetchall()

    # -- meta --------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        try:
            row = self.one("SELECT value FROM meta WHERE key = ?", (key,))
        except sqlite3.OperationalError:  # no such table: not one of ours, or empty
            return None
        return str(row[0]) if row else None

    def revision(self) -> int:
        value = self.meta("revision")
        return int(value) if value and value.isdigit() else 0

    def bump(self) -> None:
        self.execute(
            "INSERT INTO meta VALUES ('revision', '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    # -- documents ----------------------------------------------------------------

    def doc(self, shard: str) -> str | None:
        row = self.one("SELECT body FROM docs WHERE shard = ?", (shard,))
        return str(row[0]) if row else None

    def doc_version(self, shard: str) -> int:
        """A number that changes whenever ``shard`` is written (0 while it does not exist):
        tells one version from another without reading it."""
        row = self.one("SELECT version FROM docs WHERE shard = ?", (shard,))
        return int(row[0]) if row else 0

    def put_doc(self, shard: str, body: str) -> None:
        self.execute(
            "INSERT INTO docs (shard, body) VALUES (?, ?) ON CONFLICT (shard) "
            "DO UPDATE SET body = excluded.body, version = version + 1",
            (shard, body),
        )

    def drop_doc(self, shard: str) -> None:
        self.execute("DELETE FROM docs WHERE shard = ?", (shard,))

    def shards(self, prefix: str) -> list[str]:
        """Names of the shards that start with ``prefix`` (a folder, "customers/"), in order."""
        end = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [
            str(r[0])
            for r in self.all(
                "SELECT shard FROM docs WHERE shard >= ? AND shard < ? ORDER BY shard",
                (prefix, end),
            )
        ]

    # -- audit ---------------------------------------------------------------------

    def add_audit(self, code: str, entry: str) -> None:
        self.execute("INSERT INTO audit (code, entry) VALUES (?, ?)", (code, entry))

    def audit_mark(self) -> int:
        """The newest audit entry's number (0 when there is none)."""
        row = self.one("SELECT coalesce(max(id), 0) FROM audit")
        return int(row[0]) if row else 0

    def audit_since(self, mark: int) -> list[tuple[int, str, str]]:
        """(number, code, entry) of the audit entries after ``mark``, oldest first."""
        rows = self.all("SELECT id, code, entry FROM audit WHERE id > ? ORDER BY id", (mark,))
        return [(int(i), str(c), str(e)) for i, c, e in rows]

    def audit(self, code: str) -> list[str]:
        return [
            str(r[0])
            for r in self.all("SELECT entry FROM audit WHERE code = ? ORDER BY id", (code,))
        ]

    # -- the list and the plans -------------------------------------------------------

    def put_list_row(self, code: str, row: dict[str, Any]) -> None:
        """Write a customer's list row: the columns that changed only, so that only their
        indexes (and the search index when the name did) are written again; and its forms
        waiting (``row["waiting"]``: (form, ISO day sent) of those sent and not back)."""
        aggregates.put_waiting(self, code, row.get("waiting", ()))
        old = self.list_row(code)
        if old is None:
            names = ", ".join(("code", *LIST_NAMES))
            marks = ", ".join("?" * (len(LIST_NAMES) + 1))
            self.execute(
                f"INSERT INTO list ({names}) VALUES ({marks})",
                (code, *(row[n] for n in LIST_NAMES)),
            )
        else:
            changed = [n for n, was in zip(LIST_NAMES, old[1:], strict=True) if row[n] != was]
            if not changed:
                return
            self.execute(
                f"UPDATE list SET {', '.join(f'{n} = ?' for n in changed)} WHERE code = ?",
                (*(row[n] for n in changed), code),
            )
            if "search" not in changed:
                return
            self._unindex(code)
        self.execute(  # the search index's row shares the list row's rowid
            "INSERT OR REPLACE INTO list_search (rowid, code, search) "
            "SELECT rowid, code, search FROM list WHERE code = ?",
            (code,),
        )
        self._indexed += 1

    def tidy_search(self, force: bool = False) -> None:
        """Merge the search index into one segment after a commit that indexed many rows
        (an import): a filter then reads one doclist per word, however the office grew."""
        if force or self._indexed >= TIDY_AFTER:
            self.execute("INSERT INTO list_search (list_search) VALUES ('optimize')")
            self._indexed = 0

    def derived_problems(self) -> list[str]:
        """Where what the store derives from the list rows (the tally, the search index)
        disagrees with them, in Italian."""
        problems = []
        counted = {(str(k), str(key)): int(n) for k, key, n in self.all("SELECT * FROM tally")}
        expected = {(str(k), str(key)): int(n) for k, key, n in self.all(TALLY_COUNT)}
        if counted != expected:
            problems.append("i conteggi dell'elenco non corrispondono alle righe")
        unindexed = self.one(
            "SELECT count(*) FROM list l WHERE NOT EXISTS (SELECT 1 FROM list_search s "
            "WHERE s.rowid = l.rowid AND s.search = l.search)"
        )
        stray = self.one(
            "SELECT count(*) FROM list_search s "
            "WHERE NOT EXISTS (SELECT 1 FROM list l WHERE l.rowid = s.rowid)"
        )
        if (unindexed and unindexed[0]) or (stray and stray[0]):
            problems.append("l'indice di ricerca dell'elenco non corrisponde alle righe")
        return problems + aggregates.problems(self)

    def rebuild_derived(self) -> None:
        """The tally and the search index made again from the list rows."""
        self.executescript_in_tx(TALLY_FILL + SEARCH_FILL + aggregates.TOTALS_FILL)
        self.tidy_search(force=True)

    def _unindex(self, code: str) -> None:
        self.execute(
            "DELETE FROM list_search WHERE rowid = (SELECT rowid FROM list WHERE code = ?)",
            (code,),
        )

    def list_row(self, code: str) -> Row | None:
        return self.one(f"SELECT code, {', '.join(LIST_NAMES)} FROM list WHERE code = ?", (code,))

    def drop_list_row(self, code: str) -> None:
        self._unindex(code)
        self.execute("DELETE FROM list WHERE code = ?", (code,))
        self.execute("DELETE FROM plans WHERE code = ?", (code,))
        aggregates.drop(self, code)

    def list_rows(
        self,
        *,
        search: str = "",
        order: str = "code",
        limit: int = -1,
        offset: int = 0,
    ) -> list[Row]:
        """List rows (code first, then ``LIST_NAMES``): those whose search text holds
        ``search`` (casefolded), ordered by code or by name, a page of them."""
        orders = {"code": "code", "name": "name_key, code"}
        where, args = matching(tuple(search.split()))
        return self.all(
            f"SELECT code, {', '.join(LIST_NAMES)} FROM list {where} "
            f"ORDER BY {orders[order]} LIMIT :limit OFFSET :offset",
            {**args, "limit": limit, "offset": offset},
        )

    def list_page(self, query: ListQuery) -> tuple[list[Row], int]:
        """The rows of ``query`` in its order (a page of them) and how many match."""
        where, words = matching(query.words)
        named = {**query.args(), **words}
        total = self.list_count(where, named)
        if query.order == "azione" and not where and query.limit >= 0:
            return self._by_state(named, query.limit), total
        rows = self.all(
            f"SELECT code, {', '.join(LIST_NAMES)} FROM list {where} "
            f"ORDER BY {ORDERS[query.order]} LIMIT :limit",
            named,
        )
        return rows, total

    def _by_state(self, named: dict[str, Any], limit: int) -> list[Row]:
        """The first ``limit`` rows in the order of states asking for action, a query per
        state until the page is full (each answered by an index, in its order)."""
        rows: list[Row] = []
        for where, order in STATES:
            if len(rows) >= limit:
                break
            rows += self.all(
                f"SELECT code, {', '.join(LIST_NAMES)} FROM list WHERE {where} "
                f"ORDER BY {order} LIMIT :left",
                {**named, "left": limit - len(rows)},
            )
        return rows

    def list_states(self, query: ListQuery) -> dict[str, int]:
        """How many customers are late, have mail to settle, a failed signature, a blocked
        next step, nothing left to do, a notice due: each answered by an index (the late
        by a range, mail and signatures by a partial index, the rest grouped by pattern)."""
        args = query.args()
        late = self.one(f"SELECT count(*) FROM list WHERE {LATE}", {"after": args["after"]})
        mail = self.one(
            "SELECT total(open_mail > 0), total(bad_signatures > 0) FROM list "
            "WHERE open_mail > 0 OR bad_signatures > 0"
        )
        blocked = complete = notices = 0
        for pattern, count in self.tally("pattern"):
            blocked += count if pattern in query.blocked else 0
            complete += count if pattern in query.complete else 0
        for terms, count in self.tally("terms"):
            notices += count if terms in query.notice else 0
        return {
            "late": int(late[0]) if late else 0,
            "mail": int(mail[0]) if mail else 0,
            "signatures": int(mail[1]) if mail else 0,
            "blocked": blocked,
            "complete": complete,
            "notices": notices,
        }

    def tally(self, kind: str) -> list[tuple[str, int]]:
        """(key, how many rows) of the tally of ``kind``."""
        rows = self.all("SELECT key, n FROM tally WHERE kind = ?", (kind,))
        return [(str(k), int(n)) for k, n in rows]

    def list_patterns(self) -> list[tuple[str, str]]:
        """The distinct (done steps, unready steps) of the list (the tally answers)."""
        pairs = (key.split("|", 1) for key, _ in self.tally("pattern"))
        return [(done, unready) for done, unready in pairs]

    def list_with_terms(self, terms: frozenset[str]) -> list[tuple[str, str, str]]:
        """(code, name, terms) of the rows whose contract terms are among ``terms``, in no
        order (an index covers them)."""
        rows = self.all(
            "SELECT code, name, terms FROM list WHERE terms IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(terms)),),
        )
        return [(str(c), str(n), str(t)) for c, n, t in rows]

    def list_with_patterns(self, patterns: frozenset[str]) -> list[tuple[str, str, str]]:
        """(code, name, progress pattern) of the rows whose pattern ("done|unready") is
        among ``patterns``, in no order."""
        rows = self.all(
            f"SELECT code, name, {PATTERN} FROM list "
            f"WHERE {PATTERN} IN (SELECT value FROM json_each(?))",
            (json.dumps(sorted(patterns)),),
        )
        return [(str(c), str(n), str(p)) for c, n, p in rows]

    def list_terms(self) -> list[str]:
        """The distinct contract terms of the list (the tally answers)."""
        return [terms for terms, _ in self.tally("terms") if terms]

    def list_count(self, where: str = "", args: Sequence[Any] | dict[str, Any] = ()) -> int:
        """How many list rows (``where`` is one of the store's own conditions; without one
        the tally answers)."""
        if not where:
            return sum(n for _, n in self.tally("rows"))
        row = self.one(f"SELECT count(*) FROM list {where}", args)
        return int(row[0]) if row else 0

    def list_codes(self) -> list[str]:
        return [str(r[0]) for r in self.all("SELECT code FROM list ORDER BY code")]

    def put_plan(self, code: str, plan: str, head: str, months: aggregates.Months) -> None:
        """The customer's billing plan, what it is made with (``head``) and its invoices per
        month."""
        self.execute(
            "INSERT INTO plans VALUES (?, ?, ?) ON CONFLICT (code) "
            "DO UPDATE SET plan = excluded.plan, head = excluded.head",
            (code, plan, head),
        )
        aggregates.put_months(self, code, head, months)

    def plans(self) -> list[tuple[str, str]]:
        return [(str(c), str(p)) for c, p in self.all("SELECT code, plan FROM plans ORDER BY code")]


def is_database(path: Path) -> bool:
    """Whether ``path`` is a file that begins as an SQLite database does."""
    try:
        with path.open("rb") as f:
            return f.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False
