"""``acquisto check``: is the data folder whole? SQLite's integrity check passes, every
stored document parses, the list agrees with the dossiers, and the files the forms ledger
names exist. ``--repair`` rebuilds what is derived (the list rows, the billing plans) from
the dossiers, and the list's counts and search index from its rows."""

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from procedure.errors import StoreError
from procedure.folder import DataFolder
from procedure.model import Customer
from procedure.rules.evidence import evidence_problem
from procedure.rules.progress import summarize

OFFICE_SHARDS = ("catalogue", "terms", "prospects", "counters", "pins")


@dataclass(frozen=True)
class Report:
    problems: list[str]  # Italian, one per finding
    checked: int  # dossiers read
    stale: list[str]  # customers whose list line disagrees with their dossier
    orphans: list[str]  # list rows without a dossier


class Check:
    """The checks and the repair of one data folder."""

    def __init__(self, folder: DataFolder) -> None:
        self.folder = folder

    def _shards(self, problems: list[str]) -> None:
        store = self.folder.store
        names = [*OFFICE_SHARDS, *store.list_shards("customers")]
        for shard in names:
            try:
                store.read_shard(shard)
            except StoreError as exc:
                problems.append(str(exc))

    def run(self) -> Report:
        office = self.folder
        problems: list[str] = []
        problems += [f"{office.store.path}: {p}" for p in office.store.integrity()]
        self._shards(problems)
        lines = {s.code: s for s in office.list_customers()}
        titles = {s.id: s.title for s in office.defs.steps}
        if office.procedure_problem:  # the company's procedure.toml, not used
            problems.append(office.procedure_problem)
        stale: list[str] = []
        checked = 0
        for code in office.customer_codes():
            try:
                customer = office.customer(code)
            except StoreError as exc:
                if str(exc) not in problems:  # a document that is not one is reported above
                    problems.append(str(exc))
                continue
            checked += 1
            expected = summarize(office.context(customer))
            if code not in lines or _differs(lines[code], expected):
                stale.append(code)
            problems += _missing_files(customer, office.settings.archive_root)
            problems += _unfounded_steps(customer, titles)
        orphans = sorted(set(lines) - set(office.customer_codes()))
        problems += [f"{c}: la riga dell'elenco non corrisponde alla scheda" for c in stale]
        problems += [f"{c}: nell'elenco ma senza scheda" for c in orphans]
        return Report(problems, checked, stale, orphans)

    def repair(self) -> Report:
        """Rebuild the list rows that disagree or have no dossier, then the counts and the
        search index derived from the rows; then check again."""
        report = self.run()
        if report.stale or report.orphans:
            self.folder.dossiers.reindex(report.stale, report.orphans)
        self.folder.store.rebuild_derived()
        return self.run()


def _unfounded_steps(customer: Customer, titles: dict[str, str]) -> list[str]:
    """The done steps whose evidence points to a record the dossier does not hold."""
    return [
        f"{customer.code}: il passo «{titles.get(step_id, step_id)}»: {msg}"
        for step_id, state in customer.steps.items()
        if (msg := evidence_problem(customer, state))
    ]


def _differs(line: object, expected: object) -> bool:
    ignore = {"next_title"}  # told by the procedure file as it is now
    a, b = dataclasses.asdict(line), dataclasses.asdict(expected)  # type: ignore[call-overload]
    return {k: v for k, v in a.items() if k not in ignore} != {
        k: v for k, v in b.items() if k not in ignore
    }


def _missing_files(customer: Customer, archive_root: Path) -> list[str]:
    """The forms whose ledger names a file that is not there (a name without a folder is
    looked for under the archive root)."""
    out = []
    for form_id, record in customer.forms.items():
        if record.file and not (archive_root / record.file).is_file():
            out.append(f"{customer.code}: il modulo {form_id} indica {record.file}, che non esiste")
    return out
