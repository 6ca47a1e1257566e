"""Conditions on the calendar, written in a step's ``needs`` with their parameters:

- ``days_after(STEP, N)``: from the N-th day after the day STEP was completed (STEP must
  come before, in ``after``, so that the day is known when the step opens);
- ``from_date(YYYY-MM-DD)``: from that day on (a procedure that changes on a date).

The record's data decide nothing here: a step held only by the calendar is due on a day
that the list keeps beside the step (``step@day``), so that it opens on that day without
anyone writing the dossier again.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from procedure.italian import it_date
from procedure.rules.conditions import Context

_CALL = re.compile(r"^(?P<name>[a-z_]+)\((?P<args>[^()]*)\)$")
MAX_DAYS = 3660  # ten years: a longer wait is a mistake in the file


@dataclass(frozen=True)
class Dated:
    """A calendar condition as written: its name and its parameters."""

    name: str
    args: tuple[str, ...]


NAMES = {
    "days_after": "days_after(passo, giorni)",
    "from_date": "from_date(AAAA-MM-GG)",
}


def parse(text: str) -> Dated | None:
    """The calendar condition ``text`` is written as, or None when it is not one."""
    match = _CALL.match(text.replace(" ", ""))
    if match is None or match["name"] not in NAMES:
        return None
    return Dated(match["name"], tuple(a for a in match["args"].split(",") if a))


def _days(d: Dated) -> int | None:
    try:
        return int(d.args[1])
    except (IndexError, ValueError):
        return None


def _day(d: Dated) -> date | None:
    try:
        return date.fromisoformat(d.args[0])
    except (IndexError, ValueError):
        return None


def problem(text: str, after: tuple[str, ...]) -> str | None:
    """What is wrong with the calendar condition ``text`` of a step that comes ``after``
    those steps, in Italian; None when it is right."""
    d = parse(text)
    if d is None:
        return f"condizione {text!r}: si scrive {' oppure '.join(NAMES.values())}"
    if d.name == "days_after":
        days = _days(d)
        if len(d.args) != 2 or days is None or not 0 <= days <= MAX_DAYS:
            return f"{text}: si scrive {NAMES[d.name]}, con giorni da 0 a {MAX_DAYS}"
        if d.args[0] not in after:
            return f"{text}: il passo {d.args[0]} deve essere anche in after"
    elif len(d.args) != 1 or _day(d) is None:
        return f"{text}: si scrive {NAMES[d.name]}"
    return None


def due_on(ctx: Context, text: str) -> date | None:
    """The first day ``text`` holds for this customer; None while it cannot be known (the
    step it counts from is not done)."""
    d = parse(text)
    if d is None:
        return None
    if d.name == "from_date":
        return _day(d)
    state = ctx.customer.steps.get(d.args[0])
    if state is None or not state.done or state.done_at is None:
        return None
    return state.done_at.date() + timedelta(days=_days(d) or 0)


def reason(ctx: Context, text: str) -> str | None:
    """Why the calendar condition ``text`` does not hold today, or None when it does."""
    day = due_on(ctx, text)
    if day is None:
        return f"Si potrà fare {label(text, {s.id: s.title for s in ctx.defs.steps})}."
    if day > ctx.today:
        return f"Da fare dal {it_date(day)}."
    return None


def label(text: str, titles: dict[str, str]) -> str:
    """The calendar condition in words (the procedure screen: "Richiede: …")."""
    d = parse(text)
    if d is None:
        return text
    if d.name == "from_date":
        day = _day(d)
        return f"dal {it_date(day)}" if day else text
    days, step = _days(d), titles.get(d.args[0], d.args[0])
    return f"{days} giorni dopo «{step}»"


def ready_on(ctx: Context, needs: tuple[str, ...]) -> date | None:
    """The day from which the calendar conditions among ``needs`` all hold (None when they
    have none); ``date.max`` while one cannot be known yet."""
    days = [due_on(ctx, n) or date.max for n in needs if parse(n)]
    return max(days) if days else None
