"""The list's queries as a screen asks for them: a page (``ListQuery``) with today's
judgments, the action order's states and the orders, and the search, as SQL fragments the
cursor (sql.py) runs."""

import json
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

PATTERN = "done_steps || '|' || unready_steps"  # what progress is worked out from
TRIGRAM = 3  # the shortest text the search index answers; shorter ones scan the list


@dataclass(frozen=True)
class ListQuery:
    """A page of the list as a screen asks for it, with today's judgments worked out by
    the procedure (by pattern: customers share them) and applied here by SQL.

    ``notice``: stored contract terms with a notice due within 30 days; ``blocked`` and
    ``complete``: progress patterns ("done|unready") whose next step is blocked, or with
    nothing left to do; ``done``: steps done by pattern; ``cutoff``: the ISO date on or
    before which a last contact makes a customer with forms missing late."""

    cutoff: str
    notice: frozenset[str] = frozenset()
    blocked: frozenset[str] = frozenset()
    complete: frozenset[str] = frozenset()
    done: dict[str, int] = field(default_factory=dict)
    words: tuple[str, ...] = ()  # each must be in the casefolded "code name"
    order: str = "azione"
    limit: int = -1

    def args(self) -> dict[str, Any]:
        return {
            "after": (date.fromisoformat(self.cutoff) + timedelta(days=1)).isoformat(),
            "notice": json.dumps(sorted(self.notice)),
            "blocked": json.dumps(sorted(self.blocked)),
            "complete": json.dumps(sorted(self.complete)),
            "done": json.dumps(self.done),
            "limit": self.limit,
        }


# The same rule as procedure.rules.chasing.late_since on the row's columns: an ISO time
# before the day after the cutoff is on or before the cutoff (an index answers the range).
LATE = "(outstanding > 0 AND last_contact > '' AND last_contact < :after)"
MAIL = "(open_mail > 0 OR bad_signatures > 0)"
NOTICE = "(terms IN (SELECT value FROM json_each(:notice)))"
BLOCKED = f"({PATTERN} IN (SELECT value FROM json_each(:blocked)))"
COMPLETE = f"({PATTERN} IN (SELECT value FROM json_each(:complete)))"
RANK = (
    f"CASE WHEN {LATE} THEN 0 WHEN {MAIL} THEN 1 WHEN {NOTICE} THEN 2 WHEN {BLOCKED} THEN 3 "
    "ELSE 4 END"
)
STATES = (  # the action order, one state after the other, each with its own order
    (LATE, "last_contact, code"),
    (f"{MAIL} AND NOT {LATE}", "code"),
    (f"{NOTICE} AND NOT {LATE} AND NOT {MAIL}", "code"),
    (f"{BLOCKED} AND NOT {LATE} AND NOT {MAIL} AND NOT {NOTICE}", "code"),
    (f"NOT {LATE} AND NOT {MAIL} AND NOT {NOTICE} AND NOT {BLOCKED}", "code"),
)
ORDERS = {
    "azione": f"{RANK}, CASE WHEN {LATE} THEN last_contact ELSE '' END, code",
    "codice": "code",
    "nome": "name_key, code",
    "avanzamento": f"coalesce(json_extract(:done, '$.\"' || {PATTERN} || '\"'), 0), code",
}


def matching(words: tuple[str, ...]) -> tuple[str, dict[str, str]]:
    """The WHERE clause of rows whose search text holds every word, and its arguments: the
    words the trigram index answers in one MATCH of them all, shorter ones by scanning."""
    long = [w for w in words if len(w) >= TRIGRAM]
    clauses, args = [], {}
    if long:
        clauses.append("rowid IN (SELECT rowid FROM list_search WHERE search MATCH :match)")
        args["match"] = " AND ".join('"' + w.replace('"', '""') + '"' for w in long)
    for i, word in enumerate(w for w in words if len(w) < TRIGRAM):
        clauses.append(f"instr(search, :w{i}) > 0")
        args[f"w{i}"] = word
    return ("WHERE " + " AND ".join(clauses) if clauses else ""), args
