"""A worker run as a separate process: toggles a step N times on a shared data folder."""

import sys
from pathlib import Path

from procedure.errors import Refused
from procedure.office import Office

MAX_REFUSED = 10_000  # a step that can never change: stop, do not spin


def toggle(data: Path, code: str, step_id: str, times: int, user: str) -> int:
    """Complete or reopen ``step_id`` ``times`` times; return how many attempts were refused."""
    office = Office.open(data, user=user)
    refused = 0
    done = 0
    while done < times:
        current = next(s for s in office.view(code).steps if s.id == step_id)
        try:
            office.checklist.set_step(code, step_id, current.status != "done", "in prova", "30 gg")
        except Refused:  # another process toggled it between our read and our write
            refused += 1
            if refused > MAX_REFUSED:
                raise SystemExit(f"{code} {step_id}: rifiutato {refused} volte") from None
            continue
        done += 1
    return refused


if __name__ == "__main__":
    data, code, step_id, times, user = sys.argv[1:6]
    print(toggle(Path(data), code, step_id, int(times), user))
