"""One line per customer for lists: progress, forms back, next step (kept in the store's index)."""

from dataclasses import dataclass
from typing import Any

from procedure.conditions import Context, missing_forms, required_forms
from procedure.steps import BLOCKED, DONE, next_step, step_views


@dataclass(frozen=True)
class Summary:
    code: str
    name: str
    done: int
    total: int
    forms_returned: int
    forms_required: int
    next_step: str
    next_title: str
    next_blocked: bool
    open_mail: int = 0  # mailings queued, being sent, or of unknown fate

    @property
    def progress(self) -> str:
        return f"{self.done}/{self.total}"

    @property
    def forms(self) -> str:
        return f"{self.forms_returned}/{self.forms_required}"


def summarize(ctx: Context) -> Summary:
    """The list line of the customer in ``ctx``."""
    views = step_views(ctx)
    nxt = next_step(views)
    required = len(required_forms(ctx))
    return Summary(
        code=ctx.customer.code,
        name=ctx.customer.name,
        done=sum(v.status == DONE for v in views),
        total=len(views),
        forms_returned=required - len(missing_forms(ctx)),
        forms_required=required,
        next_step=nxt.id if nxt else "",
        next_title=nxt.title if nxt else "Procedura completata",
        next_blocked=bool(nxt and nxt.status == BLOCKED),
        open_mail=sum(m.status in ("queued", "sending", "unknown") for m in ctx.customer.mailings),
    )


def summary_from_data(data: dict[str, Any]) -> Summary:
    """A Summary from its stored form (unknown keys ignored, so older indexes still read)."""
    names = Summary.__dataclass_fields__
    return Summary(**{k: v for k, v in data.items() if k in names})
