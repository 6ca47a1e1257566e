"""The data folder as the services see it: settings and the procedure in force (read
again when a colleague changes them), the clock and the user, the unit of work
(``dossiers``) and every read. The Office (office.py) adds the services that change it;
each service receives this and the other services it uses, never the Office."""

import dataclasses
import logging
import os
import pwd
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from procedure.bulk import paused_gc
from procedure.config.reading import read_settings
from procedure.config.settings import Settings, settings_stamp
from procedure.dossiers import Dossiers, Planner, Stamp, stored_customer
from procedure.enums import AuditAction
from procedure.errors import NotFound, StoreError
from procedure.model import Customer, FormRecord, FormSignature, Product, Prospect
from procedure.rules.conditions import Context, required_forms
from procedure.rules.definitions import DefinitionError, Definitions
from procedure.rules.list_line import REMEMBERED, Judgments, judgments, summaries
from procedure.rules.procedure_file import load_definitions, load_terms_file, with_terms
from procedure.rules.progress import Summary, states
from procedure.rules.steps import StepView, step_views
from procedure.serial import from_data
from safefiles import ensure_dir
from store import ListQuery, Reader, Store

Clock = Callable[[], datetime]


def account_name(uid: int | None = None) -> str:
    """The name of the account ``uid`` (this process's, by default) as the system knows it:
    never what the environment claims (USER and LOGNAME are anybody's to set)."""
    uid = os.geteuid() if uid is None else uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


def system_clock() -> datetime:
    return datetime.now().replace(microsecond=0)


log = logging.getLogger("acquisto.office")
COMPANY_PROCEDURE = Path("modelli") / "procedure.toml"  # overrides templates/procedure.toml
PROCEDURE_MOST_BYTES = 1 << 20  # a procedure of hundreds of steps fits in a fraction of it


@dataclass(frozen=True)
class FormView:
    id: str
    title: str
    required: bool
    sent_at: datetime | None
    returned_at: datetime | None
    file: str
    reminders: int = 0
    signature: FormSignature | None = None  # of the return, when digitally signed
    signatures: tuple[FormSignature, ...] = ()  # every signature and timestamp it carries

    @property
    def every_signature(self) -> tuple[FormSignature, ...]:
        """Each signature of the return (a record older than the list: its one verdict)."""
        return self.signatures or ((self.signature,) if self.signature else ())


@dataclass(frozen=True)
class Page:
    rows: list[Summary]
    total: int  # how many match, of which ``rows`` are the first


@dataclass(frozen=True)
class CustomerView:
    customer: Customer
    rev: int
    steps: list[StepView]
    forms: list[FormView]


class DataFolder:
    """One data folder: what it holds, read again when it changes; safe to use from many
    processes at once."""

    served = False  # this process opens the folder itself (see procedure/remote)

    def __init__(
        self,
        settings: Settings,
        planner: Callable[[], Planner],
        *,
        clock: Clock = system_clock,
        user: str | None = None,
    ) -> None:
        self.clock = clock
        self.user = user or account_name()
        self.skipped: list[str] = []  # dossiers an office-wide pass could not read
        self.warm_pdf = False  # a process that mails again and again keeps LibreOffice running
        self._settings = (settings_stamp(settings.config_path), settings)
        self._shipped = load_definitions()  # the procedure of templates/
        self._procedure = self._shipped
        self._procedure_stamp: tuple[int, int, int] = (0, 0, 0)  # the company's copy's
        self._procedure_problem = ""  # why the company's copy is not used ("" when it is)
        self.store = Store(settings.store_dir).open()
        self._reader = Reader(self.store)
        self._defs: tuple[tuple[int, ...], Definitions] = ((), self._procedure)
        self._products: tuple[tuple[int, ...], dict[str, Product]] = ((), {})
        self._judged: tuple[object, Judgments | None] = (None, None)
        self.dossiers = Dossiers(self.store, lambda: self.defs, Stamp(clock, self.user), planner)

    @property
    def migrated(self) -> Path | None:
        """Where the files of a store of the previous format went when this Office
        converted it (None when there was nothing to convert)."""
        return self.store.migrated

    # -- what every process shares, reloaded when a colleague changes it ------------

    @property
    def settings(self) -> Settings:
        """config.toml as it is now (re-read when the file changes)."""
        stamp, settings = self._settings
        now = settings_stamp(settings.config_path)
        if now != stamp:
            self._settings = (now, read_settings(settings.data_dir))
        return self._settings[1]

    def _company_procedure(self) -> tuple[int, int, int]:
        """Read the company's own procedure (DATA/modelli/procedure.toml) again when it
        changed; one that does not validate is not used: the shipped one is, and
        ``procedure_problem`` says why (the step and the key)."""
        path = self.settings.data_dir / COMPANY_PROCEDURE
        stamp = settings_stamp(path)
        if stamp == self._procedure_stamp:
            return stamp
        self._procedure_stamp, self._procedure, self._procedure_problem = stamp, self._shipped, ""
        if stamp == (0, 0, 0):
            return stamp
        try:
            if stamp[2] > PROCEDURE_MOST_BYTES:
                raise DefinitionError(f"{path}: più di {PROCEDURE_MOST_BYTES} byte")
            self._procedure = load_definitions(procedure=path)
        except DefinitionError as exc:
            self._procedure_problem = f"{exc}. Si usa la procedura fornita con il programma."
            log.warning("procedura dell'azienda non usata: %s", exc)
        return stamp

    @property
    def company_procedure(self) -> bool:
        """Whether the procedure in force is the company's own copy (else the shipped one)."""
        self._company_procedure()
        return self._procedure is not self._shipped

    @property
    def procedure_problem(self) -> str:
        """Why the company's own procedure.toml is not used ("" when it is, or there is
        none)."""
        self._company_procedure()
        return self._procedure_problem

    @property
    def defs(self) -> Definitions:
        """The procedure (the company's own copy, when it has a valid one), the forms pack
        and the payment-terms catalogue as stored now."""
        rev = (*self._reader.catalogues_version(), *self._company_procedure())
        if self._defs[0] != rev:
            terms = self._reader.payment_terms()
            legacy = self.settings.data_dir / "modelli" / "payment_terms.toml"
            if terms is None and legacy.is_file():  # the catalogue of earlier versions
                terms = load_terms_file(legacy)
            defs = with_terms(self._procedure, terms) if terms is not None else self._procedure
            self._defs = (rev, defs)
        return self._defs[1]

    def pinned(self, name: str) -> str:
        """A fingerprint recorded when its key was made ("" when none)."""
        return self._reader.pin(name)

    def log_file(self) -> Path:
        """DATA/log/acquisto-USER.log, one per user: a colleague's log, created under their
        umask, never stops another's TUI from starting."""
        name = "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in self.user)
        return ensure_dir(self.settings.data_dir / "log") / f"acquisto-{name or 'utente'}.log"

    def revision(self) -> int:
        """Changes whenever any process commits a change to this data folder."""
        return self.store.revision()

    def products(self) -> dict[str, Product]:
        """The product catalogue by code."""
        rev = self._reader.catalogues_version()
        if self._products[0] != rev:
            items = [from_data(Product, d) for d in self._reader.products()]
            self._products = (rev, {p.code: p for p in items})
        return self._products[1]

    def suggested(self) -> dict[str, list[str]]:
        """What CRM tab 3's fields offer while typing, by field path: the company's values
        (config.toml [suggestions]) first, then those typed for other customers."""
        seen = self._reader.seen()
        out = {}
        for name in REMEMBERED:
            path = f"software_division.{name}"
            configured = getattr(self.settings.suggestions, name, ())
            out[path] = list(dict.fromkeys([*configured, *seen.get(path, [])]))
        return out

    # -- reading ---------------------------------------------------------------

    def prospects(self) -> list[Prospect]:
        return sorted(
            (from_data(Prospect, d) for d in self._reader.prospects()), key=lambda p: p.id
        )

    def list_customers(self) -> list[Summary]:
        """Every customer's list line, by code, judged by the procedure in force."""
        with paused_gc():  # 100,000 new objects at once: no collection passes meanwhile
            rows = self._reader.list_rows()  # one query: one commit
            if not rows and (codes := self._reader.customer_codes()):
                self.dossiers.reindex(codes, [])  # a lost list is rebuilt, never shown empty
                rows = self._reader.list_rows()
            return summaries(rows, self.defs, self.clock().date())

    def list_page(self, limit: int, offset: int = 0, order: str = "code") -> list[Summary]:
        """A page of the list, by code or by name (``order`` "code" or "name")."""
        with self._reader.snapshot():
            rows = self._reader.list_rows(order=order, limit=limit, offset=offset)
            return summaries(rows, self.defs, self.clock().date())

    def find_customers(self, text: str, limit: int = -1) -> list[Summary]:
        """The customers whose code or name holds ``text`` (any case), by code."""
        with self._reader.snapshot():
            return summaries(
                self._reader.list_rows(search=text, limit=limit), self.defs, self.clock().date()
            )

    def count_customers(self) -> int:
        return self._reader.list_count()

    def judgments(self) -> Judgments:
        """Today's judgments of the list (late, notice due, blocked, complete), by pattern;
        worked out again when the store or the date changes."""
        today = self.clock().date()
        with self._reader.snapshot():
            key = (self.revision(), today, self.defs, self.settings.chasing.interval_days)
            if self._judged[0] != key:
                patterns, terms = self._reader.list_patterns(), self._reader.list_terms()
                self._judged = (key, judgments(patterns, terms, self.defs, today, key[3]))
        judged = self._judged[1]
        assert judged is not None
        return judged

    def dashboard(self, text: str = "", order: str = "azione", limit: int = -1) -> Page:
        """The customers whose code or name holds every word of ``text``, in ``order`` (one
        of ``SORTS``: by default those needing action first), at most ``limit`` of them, and
        how many match: queries, whatever the size of the office."""
        query = ListQuery(
            **dataclasses.asdict(self.judgments()),
            words=tuple(text.casefold().split()),
            order=order,
            limit=limit,
        )
        rows, total = self._reader.list_page(query)
        return Page(summaries(rows, self.defs, self.clock().date()), total)

    def list_states(self) -> dict[str, int]:
        """How many customers are in each state that asks for action, by Italian label."""
        query = ListQuery(**dataclasses.asdict(self.judgments()))
        return states(self._reader.list_states(query))

    def audit_mark(self) -> int:
        """Where the audit log stands now (for ``returned_since``)."""
        return self._reader.audit_mark()

    def returned_since(self, mark: int) -> tuple[int, list[Summary]]:
        """Where the audit log stands now, and the list lines of the customers a form of
        whom came back after ``mark`` (read from the audit: as many as came back)."""
        with self._reader.snapshot():
            entries = self._reader.audit_since(mark)
            codes = {code for _, code, e in entries if e.get("action") == AuditAction.FORM_RETURNED}
            rows = [self._reader.list_row(code) for code in sorted(codes)]
            now = entries[-1][0] if entries else mark
        return now, summaries([r for r in rows if r is not None], self.defs, self.clock().date())

    def list_terms(self) -> list[str]:
        """The distinct contract terms stored in the list (customers share them)."""
        return self._reader.list_terms()

    def terms_counts(self) -> list[tuple[str, int]]:
        """(stored contract terms, how many customers share them)."""
        return self._reader.terms_counts()

    def with_notices(self, terms: frozenset[str]) -> list[tuple[str, str, str]]:
        """(code, name, stored terms) of the customers whose contract terms are ``terms``."""
        return self._reader.list_with_terms(terms)

    def with_patterns(self, patterns: frozenset[str]) -> list[tuple[str, str, str]]:
        """(code, name, progress pattern) of the customers whose list rows have ``patterns``."""
        return self._reader.list_with_patterns(patterns)

    def list_patterns(self) -> list[tuple[str, str]]:
        """The distinct (done steps, unready steps) of the list."""
        return self._reader.list_patterns()

    def customer_codes(self) -> list[str]:
        return self._reader.customer_codes()

    def billing_plans(self) -> list[tuple[str, str]]:
        """Every customer's billing plan as stored (code, plan)."""
        return self._reader.plans()

    def customer(self, code: str) -> Customer:
        """The dossier of ``code``; raises NotFound."""
        return self.view(code).customer

    def view_stamp(self, code: str) -> tuple[int, ...]:
        """What changes when ``view(code)`` would: the dossier's version, the catalogues',
        the settings' and the day (a screen refreshes only the customer that changed)."""
        return (
            self.clock().date().toordinal(),
            self._reader.customer_version(code),
            *self._reader.catalogues_version(),
            *settings_stamp(self.settings.config_path),
            *self._company_procedure(),
        )

    def view(self, code: str) -> CustomerView:
        """The dossier of ``code`` with its steps and forms ledger; raises NotFound."""
        with self._reader.snapshot():  # the dossier and the catalogues of one commit
            data = self._reader.customer(code)
            if data is None:
                raise NotFound(f"Cliente {code!r} inesistente.")
            customer = stored_customer(data["customer"])
            ctx = self.context(customer)
        return CustomerView(customer, data["rev"], step_views(ctx), self._forms(ctx))

    def _forms(self, ctx: Context) -> list[FormView]:
        required = {f.id for f in required_forms(ctx)}
        views = []
        for f in self.defs.forms:
            rec = ctx.customer.forms.get(f.id) or FormRecord()
            if f.id in required or rec.sent_at or rec.returned_at:
                views.append(
                    FormView(
                        f.id,
                        f.title,
                        f.id in required,
                        rec.sent_at,
                        rec.returned_at,
                        rec.file,
                        signature=rec.signature,
                        signatures=tuple(rec.signatures),
                    )
                )
        return views

    def all_customers(self) -> Iterator[Customer]:
        """Every dossier, by code (reads each file: for reports, not for screens). A dossier
        that cannot be read is skipped and noted in ``skipped``: one bad record never stops
        an office-wide command for the others."""
        return self.customers_of(self._reader.customer_codes())

    def plan_heads(self) -> list[tuple[str, int]]:
        """(what a stored billing plan was made with, how many customers' plans)."""
        return self._reader.plan_heads()

    def plan_totals(self, first: str, last: str) -> list[tuple[str, str, int, int]]:
        """(plan head, YYYY-MM, invoices, taxable cents) summed over the stored plans."""
        return self._reader.plan_totals(first, last)

    def codes_outside(self, heads: list[str]) -> list[str]:
        """The customers whose billing plan was made with none of ``heads`` (or is missing)."""
        return self._reader.codes_outside(heads)

    def waiting_days(self) -> list[tuple[str, int]]:
        """(ISO day, how many forms sent that day are not back yet), over every customer."""
        return self._reader.waiting_days()

    def customers_of(self, codes: list[str]) -> Iterator[Customer]:
        """The dossiers of ``codes`` that exist, skipping (and noting) unreadable ones."""
        for code in codes:
            try:
                data = self._reader.customer(code)
                if data is not None:
                    yield stored_customer(data["customer"])
            except (StoreError, ValueError, TypeError, KeyError) as exc:
                log.warning("scheda %s saltata: %s", code, exc)
                self.skipped.append(f"{code}: scheda non leggibile, saltata ({exc})")

    def context(self, customer: Customer) -> Context:
        return Context(customer, self.defs, self.products(), self.clock().date())

    def audit(self, code: str) -> list[dict[str, Any]]:
        """The audit entries of ``code``, oldest first."""
        return self._reader.customer_audit(code)

    def office_audit(self) -> list[dict[str, Any]]:
        """The office-wide audit entries (imports, prospects, catalogue), oldest first."""
        return self._reader.office_audit()
