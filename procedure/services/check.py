"""``acquisto check``: is the data folder whole? Every store file parses, the list agrees
with the dossiers, no commit is left half-applied, and the files the forms ledger names
exist. ``--repair`` rebuilds what is derived (the list lines) from the dossiers."""

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from procedure.errors import StoreError
from procedure.model import Customer
from procedure.rules.progress import summarize

if TYPE_CHECKING:
    from procedure.office import Office

FOLDERS = ("customers", "list", "plans")
OFFICE_SHARDS = ("catalogue", "terms", "prospects", "counters", "audit")


@dataclass(frozen=True)
class Report:
    problems: list[str]  # Italian, one per finding
    checked: int  # dossiers read
    stale: list[str]  # customers whose list line disagrees with their dossier
    orphans: list[str]  # list lines without a dossier
    leftovers: list[Path]  # temporary files of writers killed mid-write


class Check:
    """The checks and the repair of one data folder."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def _shards(self, problems: list[str]) -> None:
        store = self.office.store
        names = [*OFFICE_SHARDS, *(s for f in FOLDERS for s in store.list_shards(f))]
        for shard in names:
            try:
                store.read_shard(shard)
            except StoreError as exc:
                problems.append(str(exc))

    def run(self) -> Report:
        office = self.office
        problems: list[str] = []
        self._shards(problems)
        if office.store.journal_pending():
            problems.append(f"{office.store.root}: un salvataggio non è stato completato")
        with office.store.frozen():  # no writer is running: every temporary file is stale
            leftovers = office.store.leftovers()
        problems += [f"{p}: file temporaneo di un salvataggio interrotto" for p in leftovers]
        lines = {s.code: s for s in office.list_customers()}
        stale: list[str] = []
        checked = 0
        for code in office.customer_codes():
            try:
                customer = office.customer(code)
            except StoreError:
                continue  # reported with its file above
            checked += 1
            expected = summarize(office.context(customer))
            if code not in lines or _differs(lines[code], expected):
                stale.append(code)
            problems += _missing_files(customer)
        orphans = sorted(set(lines) - set(office.customer_codes()))
        problems += [f"{c}: la riga dell'elenco non corrisponde alla scheda" for c in stale]
        problems += [f"{c}: nell'elenco ma senza scheda" for c in orphans]
        return Report(problems, checked, stale, orphans, leftovers)

    def repair(self) -> Report:
        """Rebuild the list lines that disagree or have no dossier, remove the temporary
        files of interrupted writers; then check again."""
        report = self.run()
        if report.stale or report.orphans:
            self.office.dossiers.reindex(report.stale, report.orphans)
        if report.leftovers:
            with self.office.store.frozen():
                for path in self.office.store.leftovers():
                    path.unlink(missing_ok=True)
        return self.run()


def _differs(line: object, expected: object) -> bool:
    ignore = {"next_title"}  # told by the procedure file as it is now
    a, b = dataclasses.asdict(line), dataclasses.asdict(expected)  # type: ignore[call-overload]
    return {k: v for k, v in a.items() if k not in ignore} != {
        k: v for k, v in b.items() if k not in ignore
    }


def _missing_files(customer: Customer) -> list[str]:
    out = []
    for form_id, record in customer.forms.items():
        if record.file and Path(record.file).is_absolute() and not Path(record.file).is_file():
            out.append(f"{customer.code}: il modulo {form_id} indica {record.file}, che non esiste")
    return out
