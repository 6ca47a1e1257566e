"""What the office-wide charts count, kept as they are written (schema 4).

A chart over 100,000 customers cannot read 100,000 billing plans or forms ledgers each
time it is drawn. So, in the same transaction as a customer's plan and list row:

- ``plan_months`` holds each plan's invoices per month of issue (how many, taxable cents)
  under the plan's ``head`` (the payment term, the rules' fingerprint and the horizon it was
  made with, which tell whether it still answers), and ``plan_totals`` their sums per head
  and month, kept by triggers;
- ``waiting`` holds each form sent and not yet back with the day it went out, counted per
  day in the tally (kind ``sent``) by triggers.

Each chart is then a read of a few hundred summed rows.
"""

import json
from collections.abc import Sequence
from typing import Any, Protocol

SCHEMA = """
CREATE TABLE IF NOT EXISTS plan_months (
    code TEXT NOT NULL, month TEXT NOT NULL, head TEXT NOT NULL,
    invoices INTEGER NOT NULL, cents INTEGER NOT NULL, PRIMARY KEY (code, month)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS plan_totals (
    head TEXT NOT NULL, month TEXT NOT NULL, invoices INTEGER NOT NULL, cents INTEGER NOT NULL,
    PRIMARY KEY (month, head)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS plans_head ON plans (head);
CREATE TRIGGER IF NOT EXISTS plan_month_in AFTER INSERT ON plan_months BEGIN
INSERT INTO plan_totals VALUES (new.head, new.month, new.invoices, new.cents)
    ON CONFLICT (month, head) DO UPDATE SET
    invoices = invoices + excluded.invoices, cents = cents + excluded.cents;
END;
CREATE TRIGGER IF NOT EXISTS plan_month_out AFTER DELETE ON plan_months BEGIN
UPDATE plan_totals SET invoices = invoices - old.invoices, cents = cents - old.cents
    WHERE month = old.month AND head = old.head;
DELETE FROM plan_totals WHERE month = old.month AND head = old.head AND invoices = 0;
END;
CREATE TRIGGER IF NOT EXISTS plan_out AFTER DELETE ON plans BEGIN
DELETE FROM plan_months WHERE code = old.code;
END;
CREATE TABLE IF NOT EXISTS waiting (
    code TEXT NOT NULL, form TEXT NOT NULL, sent TEXT NOT NULL, PRIMARY KEY (code, form)
) WITHOUT ROWID;
CREATE TRIGGER IF NOT EXISTS waiting_in AFTER INSERT ON waiting BEGIN
INSERT INTO tally VALUES ('sent', new.sent, 1) ON CONFLICT (kind, key) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER IF NOT EXISTS waiting_out AFTER DELETE ON waiting BEGIN
UPDATE tally SET n = n - 1 WHERE kind = 'sent' AND key = old.sent;
DELETE FROM tally WHERE kind = 'sent' AND key = old.sent AND n = 0;
END;
"""
# Schema 3's plans had no head: a plan without one answers for no date (made again).
UPGRADE = "ALTER TABLE plans ADD COLUMN head TEXT NOT NULL DEFAULT '';\n" + SCHEMA

TOTALS_COUNT = "SELECT head, month, sum(invoices), sum(cents) FROM plan_months GROUP BY head, month"
TOTALS_FILL = f"DELETE FROM plan_totals;\nINSERT INTO plan_totals {TOTALS_COUNT};\n"
SENT_COUNT = "SELECT 'sent', sent, count(*) FROM waiting GROUP BY 2"

Months = Sequence[tuple[str, int, int]]  # (YYYY-MM, invoices, taxable cents)


class Statements(Protocol):
    def execute(self, sql: str, args: Sequence[Any] = ()) -> None: ...

    def all(self, sql: str, args: Sequence[Any] | dict[str, Any] = ()) -> list[tuple[Any, ...]]: ...


def put_months(cur: Statements, code: str, head: str, months: Months) -> None:
    """Replace the plan's months of ``code`` (the triggers move the totals)."""
    cur.execute("DELETE FROM plan_months WHERE code = ?", (code,))
    for month, invoices, cents in months:
        cur.execute(
            "INSERT INTO plan_months VALUES (?, ?, ?, ?, ?)", (code, month, head, invoices, cents)
        )


def put_waiting(cur: Statements, code: str, waiting: Sequence[tuple[str, str]]) -> None:
    """The forms of ``code`` sent and not back, as (form, ISO day sent): written only
    when they changed (most writes of a dossier leave them as they were)."""
    now = sorted(
        (str(f), str(d))
        for f, d in cur.all("SELECT form, sent FROM waiting WHERE code = ?", (code,))
    )
    if now == sorted(waiting):
        return
    cur.execute("DELETE FROM waiting WHERE code = ?", (code,))
    for form, sent in waiting:
        cur.execute("INSERT INTO waiting VALUES (?, ?, ?)", (code, form, sent))


def drop(cur: Statements, code: str) -> None:
    """Forget the forms waiting of ``code`` (its plan's months go with its plan)."""
    cur.execute("DELETE FROM waiting WHERE code = ?", (code,))


def totals(cur: Statements, first: str, last: str) -> list[tuple[str, str, int, int]]:
    """(head, month, invoices, cents) of the months ``first`` to ``last`` (YYYY-MM)."""
    rows = cur.all(
        "SELECT head, month, invoices, cents FROM plan_totals WHERE month BETWEEN ? AND ?",
        (first, last),
    )
    return [(str(h), str(m), int(n), int(c)) for h, m, n, c in rows]


def heads(cur: Statements) -> list[tuple[str, int]]:
    """(head, how many plans) of the stored plans (an index answers)."""
    rows = cur.all("SELECT head, count(*) FROM plans GROUP BY head")
    return [(str(h), int(n)) for h, n in rows]


def codes_outside(cur: Statements, heads: Sequence[str]) -> list[str]:
    """The customers of the list whose plan has none of ``heads`` (or who have none)."""
    rows = cur.all(
        "SELECT code FROM list WHERE code NOT IN (SELECT code FROM plans "
        "WHERE head IN (SELECT value FROM json_each(?))) ORDER BY code",
        (json.dumps(list(heads)),),
    )
    return [str(r[0]) for r in rows]


def problems(cur: Statements) -> list[str]:
    """Where the totals disagree with the rows they sum, in Italian."""
    counted = {tuple(r) for r in cur.all("SELECT head, month, invoices, cents FROM plan_totals")}
    expected = {tuple(r) for r in cur.all(TOTALS_COUNT)}
    if counted != expected:
        return ["i totali delle fatture per mese non corrispondono ai piani"]
    return []
