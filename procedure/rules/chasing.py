"""Chasing customers for the forms they have not returned."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from procedure.model import Customer
from procedure.rules.conditions import Context, forms_sent, missing_forms


@dataclass(frozen=True)
class Outstanding:
    form: str
    title: str
    since: datetime | None  # when it was sent
    reminders: int


def outstanding(ctx: Context) -> list[Outstanding]:
    """Required forms not back yet, with when they went out and how often we chased."""
    out = []
    for f in missing_forms(ctx):
        rec = ctx.customer.forms.get(f.id)
        sent = rec.sent_at if rec else None
        out.append(Outstanding(f.id, f.title, sent, len(rec.chased_at) if rec else 0))
    return out


def last_contact(c: Customer) -> datetime | None:
    """The last time forms went out or a reminder was sent."""
    moments = [m for rec in c.forms.values() for m in (rec.sent_at, *rec.chased_at) if m]
    return max(moments, default=None)


def reminder_due(ctx: Context, today: date, interval_days: int) -> bool:
    """Whether the customer should be chased today: forms were sent, some are still
    missing, and the last contact is at least ``interval_days`` old."""
    if not outstanding(ctx):
        return False
    state = forms_sent(ctx)
    if not (state and state.done):
        return False
    last = last_contact(ctx.customer) or (state.done_at)
    return last is None or last.date() + timedelta(days=interval_days) <= today


def chase_cutoff(today: date, interval_days: int) -> str:
    """The ISO date on or before which a last contact makes a customer late to chase."""
    return (today - timedelta(days=interval_days)).isoformat()


def late_since(last: str, outstanding: bool, cutoff: str) -> bool:
    """For list lines: forms missing and the last contact (ISO) on or before ``cutoff``
    (compared as text: a list of 100,000 lines parses no date)."""
    return bool(outstanding and last) and last[:10] <= cutoff


def overdue(last: str, outstanding_count: int, today: date, interval_days: int) -> bool:
    """For list lines: forms missing and no contact for ``interval_days`` (``last`` ISO)."""
    return late_since(last, outstanding_count > 0, chase_cutoff(today, interval_days))
