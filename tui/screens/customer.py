"""One customer: the procedure's steps in order; the selected step says what it needs and why."""

import logging
from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Static
from textual.widgets.option_list import Option

from procedure.editing.fields import step_form
from procedure.errors import Backdated, MailTemplateProblem, NotFound, Refused
from procedure.italian import it_date, it_datetime, signature_verdict
from procedure.model import FormSignature
from procedure.office import CustomerView, FormView, Office
from procedure.rules.definitions import StepDef
from procedure.rules.step_parts import exports_osticket, handover_of
from procedure.rules.steps import MANUAL, StepView, after_completion, describe_evidence
from procedure.services.archiving.review import has_review
from procedure.services.mail.mailings import MailResult
from procedure.services.osticket import Exported
from tui.dialogs.confirm import ConfirmDialog
from tui.dialogs.handover import HandoverDialog
from tui.dialogs.mail_preview import MailPreviewDialog
from tui.dialogs.note import NoteDialog
from tui.forms.editor import EditorScreen, customer_fields
from tui.forms.list_editor import ListEditorScreen
from tui.messages import StoreChanged
from tui.screens.history import HistoryScreen
from tui.screens.review import ReviewScreen
from tui.widgets.italian import Footer, OptionList, Screen, VerticalScroll
from tui.workers import in_background

log = logging.getLogger("acquisto.tui")
MARKS = {"done": "[x]", "todo": "[ ]", "blocked": "[!]"}
# bright: still light enough once NO_COLOR turns colours into greys
STATUS_STYLE = {"done": "bright_green", "todo": "", "blocked": "yellow"}
STATUS_TEXT = {"done": "completato", "todo": "da fare", "blocked": "bloccato"}


def step_prompt(number: int, step: StepView) -> Text:
    """The list line of a step: mark, number, title (plain text: no markup to break); a
    completion by hand says so."""
    by_hand = " (a mano)" if step.evidence == MANUAL else ""
    return Text(
        f"{MARKS[step.status]} {number:2d}. {step.title}{by_hand}", style=STATUS_STYLE[step.status]
    )


STEP_KEYS = ("complete", "undo", "edit", "documents", "mail", "review", "export")
NOTHING_DECLARED = StepDef("", "", "")


def declared(step: StepView) -> StepDef:
    """What procedure.toml declares for ``step``: the form, documents and mailing its keys
    open, its act."""
    return step.declared or NOTHING_DECLARED


def forms_detail(forms: list[FormView]) -> Text:
    """The forms ledger: what is back, what is missing since when, how often chased."""
    out = Text("\nModuli:\n", style="bold")
    for f in forms:
        if f.returned_at:
            out.append(f"[x] {f.title}: rientrato il {it_date(f.returned_at)}\n")
            for sig in f.every_signature:
                out.append_text(signature_line(sig))
            continue
        since = f" dal {it_date(f.sent_at)}" if f.sent_at else " (non ancora inviato)"
        chased = f", {f.reminders} solleciti" if f.reminders else ""
        out.append(f"[ ] {f.title}: manca{since}{chased}\n")
    return out


def signature_line(sig: FormSignature) -> Text:
    """What the ledger says of one digital signature of a return."""
    style = "" if sig.valid else "bold red"
    return Text(f"    {'' if sig.valid else '(!) '}{signature_verdict(sig)}\n", style=style)


def step_detail(step: StepView) -> Text:
    """What the detail panel says about a step."""
    out = Text()
    out.append(f"{step.title}\n", style="bold")
    out.append(f"Stato: {STATUS_TEXT[step.status]}")
    out.append(" (automatico)\n" if step.automatic else "\n")
    if step.status == "done" and step.done_at:
        out.append(f"Completato da {step.done_by} il {it_datetime(step.done_at)}\n")
        out.append(f"Prova: {step.proof or describe_evidence(step.evidence)}\n")
    if step.reason:
        out.append(f"\nPerché è bloccato: {step.reason}\n", style="bold")
    out.append(f"\n{step.description}\n")
    if step.notes:
        out.append("\nNote:\n", style="bold")
        for n in step.notes:
            out.append(f"- {it_date(n.at)} {n.by}: {n.note}\n")
    return out


class CustomerScreen(Screen[None]):
    BINDINGS = [
        Binding("space", "complete", "Completa"),
        Binding("u", "undo", "Riapri"),
        Binding("e", "edit", "Modifica"),
        Binding("n", "note", "Nota", show=False),
        Binding("g", "documents", "Documenti"),
        Binding("m", "mail", "E-mail"),
        Binding("v", "review", "Rivedi dati"),
        Binding("x", "export", "Esporta osTicket"),
        Binding("l", "history", "Storico", show=False),
        Binding("escape", "back", "Indietro"),
    ]

    def __init__(self, office: Office, code: str) -> None:
        super().__init__()
        self.office = office
        self.code = code
        self.view: CustomerView | None = None
        self.shown: tuple[int, ...] = ()  # the view_stamp of what the screen shows
        self.asked = 0  # reads asked for: only the newest one's answer is shown
        self.busy = False
        self.available: tuple[bool | None, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(id="customer-title")
        with Horizontal():
            yield OptionList(id="steps")
            with VerticalScroll(id="detail-pane"):
                yield Static(id="detail")
        yield Footer()

    def on_mount(self) -> None:
        if self.code:
            self.reload()
        self.query_one(OptionList).focus()

    def show_customer(self, code: str) -> None:
        """Show ``code`` (the screen is reused from one customer to the next)."""
        if code != self.code:
            self.code = code
            self.view = None
            if self.is_mounted:  # nothing of the customer shown before stays in sight
                self.query_one("#customer-title", Static).update(Text(f"{code}  …"))
                self.query_one(OptionList).clear_options()
                self.query_one("#detail", Static).update("")
        if self.is_mounted:
            self.reload()

    def on_screen_resume(self) -> None:
        """Back from an editor, a list or a dialog (whichever way it was left): the steps as
        the store has them now, never a reason that no longer holds."""
        self.query_one(OptionList).focus()
        if self.code and self.view is not None:
            self.reload()

    def reload(self, if_changed: bool = False) -> None:
        """Read the customer again off the event loop (``if_changed``: only when its dossier,
        the catalogues, the settings or the day changed); the newest read asked shows."""
        self.asked += 1
        asked, code, office = self.asked, self.code, self.office

        def read() -> tuple[tuple[int, ...], CustomerView] | None:
            stamp = office.view_stamp(code)
            if if_changed and stamp == self.shown:
                return None
            return stamp, office.view(code)

        def show(read: tuple[tuple[int, ...], CustomerView] | None) -> None:
            if read is not None and asked == self.asked and code == self.code:
                self.show_view(*read)

        def failed(_: str) -> None:
            if asked == self.asked and self.app.screen is self:
                self.app.pop_screen()

        in_background(self, read, show, "Cliente", failed)

    def show_view(self, stamp: tuple[int, ...], view: CustomerView) -> None:
        before = self.view
        self.shown, self.view = stamp, view
        c = self.view.customer
        done = sum(s.status == "done" for s in self.view.steps)
        returned = sum(1 for f in self.view.forms if f.required and f.returned_at)
        required = sum(1 for f in self.view.forms if f.required)
        self.query_one("#customer-title", Static).update(
            Text(
                f"{c.code}  {c.name}   passi {done}/{len(self.view.steps)}"
                f"   moduli {returned}/{required}"
            )
        )
        steps = self.query_one(OptionList)
        highlighted = steps.highlighted or 0
        if before is not None and before.customer.code == c.code:
            highlighted = after_completion(before.steps, self.view.steps, highlighted)
        prompts = [step_prompt(i, s) for i, s in enumerate(self.view.steps, 1)]
        if steps.option_count == len(prompts):  # same procedure: update the lines in place
            for i, prompt in enumerate(prompts):
                steps.replace_option_prompt_at_index(i, prompt)
        else:
            steps.clear_options()
            steps.add_options(
                Option(p, id=s.id) for p, s in zip(prompts, self.view.steps, strict=True)
            )
        steps.highlighted = highlighted
        self.show_detail()
        self.refresh_keys()

    @property
    def selected(self) -> StepView | None:
        index = self.query_one(OptionList).highlighted
        if self.view is None or index is None:
            return None
        return self.view.steps[index]

    def show_detail(self) -> None:
        step = self.selected
        text = step_detail(step) if step else Text()
        if step is not None and declared(step).forms_ledger and self.view is not None:
            text.append_text(forms_detail(self.view.forms))
        self.query_one("#detail", Static).update(text)

    @on(OptionList.OptionHighlighted)
    def highlighted(self) -> None:
        self.show_detail()
        self.refresh_keys()

    def refresh_keys(self) -> None:
        """Redraw the footer only when the step's keys change: it is rebuilt each time."""
        available = tuple(self.check_action(a, ()) for a in STEP_KEYS)
        if available != self.available:
            self.available = available
            self.refresh_bindings()

    @on(OptionList.OptionSelected)
    def selected_with_enter(self) -> None:
        self.action_complete()

    def act(self, job: Callable[[], object], refused: str) -> None:
        """Run a store write off the event loop, then show the outcome."""
        in_background(self, job, lambda _: self.reload(), refused, lambda _: self.reload())

    def _apply(self, done: bool, note: str = "") -> None:
        step = self.selected
        if step is None:
            return
        code, set_step = self.code, self.office.checklist.set_step
        self.act(lambda: set_step(code, step.id, done, note=note), "Non consentito")

    def action_complete(self) -> None:
        """Complete the step; one that stands for an act is completed by recording the act
        (a hand-over) or, by hand, with its reason."""
        step = self.selected
        if step is None or step.status == "done" or not step.act:
            self._apply(True)
            return
        if handover_of(declared(step)):
            self.hand_over(step)
            return

        def reason(text: str | None) -> None:
            if text:
                self._apply(True, text)

        title = f"«{step.title}» senza l'atto registrato: motivo del completamento a mano"
        self.app.push_screen(NoteDialog(title), reason)

    def action_undo(self) -> None:
        self._apply(False)

    def action_note(self) -> None:
        step = self.selected
        if step is None:
            return

        code, add_note = self.code, self.office.checklist.add_note

        def save(text: str | None) -> None:
            if text:
                self.act(lambda: add_note(code, step.id, text), "Nota non salvata")

        self.app.push_screen(NoteDialog(f"Nota per «{step.title}»"), save)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only the keys the selected step has: complete or reopen, documents, mail."""
        step = self.selected
        if action == "complete":
            return step is None or step.status != "done"
        if action == "undo":
            return step is not None and step.status == "done"
        if action == "documents":
            return step is not None and bool(declared(step).documents)
        if action == "mail":
            return step is not None and bool(declared(step).mailing)
        if action == "edit":
            return step is not None and bool(
                step_form(declared(step)) or handover_of(declared(step))
            )
        if action == "review":
            return self.view is not None and has_review(self.view.customer)
        if action == "export":
            return step is not None and exports_osticket(declared(step))
        return True

    def action_edit(self) -> None:
        step = self.selected
        if step is None or self.view is None:
            return
        if handover_of(declared(step)):
            self.hand_over(step)
            return
        form = step_form(declared(step))
        if form is None:
            return
        if form.list is not None:
            screen = ListEditorScreen(
                self.office,
                self.code,
                form.list,
                step.id,
                owner_fields=form.fields,
                only_first=True,
            )
            self.app.push_screen(screen, lambda _: self.reload())
            return
        view = self.view if self.office.view_stamp(self.code) == self.shown else None
        spec = customer_fields(
            self.office, view or self.office.view(self.code), form.fields, step.title, step.id
        )
        self.app.push_screen(EditorScreen(spec), lambda _: self.reload())

    def hand_over(self, step: StepView) -> None:
        kind = handover_of(declared(step))

        def done(answer: tuple[str, str] | None) -> None:
            if answer is None:
                return
            code, hand_over = self.code, self.office.handovers.hand_over
            self.act(lambda: hand_over(code, kind, answer[0], answer[1]), "Consegna non registrata")

        proposed = self.office.settings.handover
        if kind == "contracts":
            dialog = HandoverDialog("Consegna contratti alla direzione", proposed.contracts_to)
        else:
            dialog = HandoverDialog(
                "Consegna conferme d'ordine all'amministrazione",
                proposed.orders_to,
                proposed.billing_timing,
            )
        self.app.push_screen(dialog, done)

    def action_export(self) -> None:
        """Write the CSV files osTicket imports (every customer's users): the act that
        completes "Profilo cliente in osTicket"."""
        step = self.selected
        if step is None or not exports_osticket(declared(step)):
            return
        osticket, folder = self.office.osticket, self.office.settings.osticket_export_dir

        def written(exported: Exported) -> None:
            sent = sum(1 for t in exported.tickets if t.ticket)
            tickets = (
                f"; ticket aperti: {sent} di {len(exported.tickets)}" if exported.tickets else ""
            )
            self.notify(
                f"Profili osTicket esportati in {folder} ({len(exported.files)} file{tickets})."
            )
            self.reload()

        in_background(self, lambda: osticket.write_files(folder), written, "Export osTicket")

    def action_history(self) -> None:
        self.app.push_screen(HistoryScreen(self.office, self.code))

    def action_review(self) -> None:
        self.app.push_screen(ReviewScreen(self.office, self.code))

    def action_documents(self) -> None:
        step = self.selected
        if step is None or not declared(step).documents or self.busy:
            return
        self.start_busy("Generazione dei documenti in corso…")
        self.generate_documents(declared(step).documents)

    def generate_documents(self, kinds: tuple[str, ...], backdated: bool = False) -> None:
        code, documents, customer = self.code, self.office.documents, self.office.customer

        def job() -> str | Backdated:
            if not backdated and (past := documents.past_terms(customer(code), kinds)):
                return Backdated(past)  # nothing made: a person decides first
            results = [documents.generate(code, kind, True, backdated) for kind in kinds]
            files = sum(len(r.records) for r in results)
            warnings = " ".join(dict.fromkeys(r.warning for r in results if r.warning))
            return f"{files} documenti in archivio. {warnings}".strip()

        def done(outcome: str | Backdated) -> None:
            if isinstance(outcome, str):
                self.finish_busy(outcome, "information")
                return
            self.busy = False
            self.query_one("#detail-pane").loading = False

            def answered(yes: bool | None) -> None:
                if yes:
                    self.start_busy("Generazione dei documenti in corso…")
                    self.generate_documents(kinds, backdated=True)

            self.app.push_screen(ConfirmDialog(str(outcome)), answered)

        in_background(self, job, done, "Documenti", self.failed)

    def action_mail(self) -> None:
        step = self.selected
        if step is None or not declared(step).mailing or self.busy:
            return
        bundle = declared(step).mailing
        try:
            shown = self.office.mail.preview(self.code, bundle)
        except (Refused, NotFound, MailTemplateProblem) as exc:
            self.notify(str(exc), title="E-mail", severity="warning")
            return

        def decided(send: bool | None) -> None:
            if send:
                self.start_busy("Invio in corso…")
                self.send_mail(bundle)

        self.app.push_screen(MailPreviewDialog(shown), decided)

    def send_mail(self, bundle: str) -> None:
        code, mail = self.code, self.office.mail

        def job() -> MailResult:
            if bundle == "reminder":
                return mail.send_reminder(code)
            return mail.send_bundle(code, bundle)

        def sent(result: MailResult) -> None:
            m = result.mailing
            if m.status == "sent":
                self.finish_busy(f"E-mail inviata a {', '.join(m.to)}.", "information")
            else:
                self.finish_busy(f"E-mail in coda ({m.last_error}); verrà ritentata.", "warning")

        in_background(self, job, sent, "E-mail", self.failed)

    def failed(self, message: str) -> None:
        log.warning("%s: %s", self.code, message)
        self.busy = False
        self.query_one("#detail-pane").loading = False
        self.reload()

    def start_busy(self, message: str) -> None:
        self.busy = True
        self.query_one("#detail-pane").loading = True
        self.notify(message, timeout=3)

    def finish_busy(self, message: str, severity: str) -> None:
        if severity != "information":
            log.warning("%s: %s", self.code, message)
        self.busy = False
        self.query_one("#detail-pane").loading = False
        self.notify(message, severity=severity, timeout=8)  # type: ignore[arg-type]
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_store_changed(self, _: StoreChanged) -> None:
        """Another customer's change, or anything but this dossier, the catalogues and the
        settings, reads nothing more than three version numbers."""
        if self.code:
            self.reload(if_changed=self.view is not None)


CUSTOMER_SCREEN = "customer"


def open_customer(app: App[object], office: Office, code: str) -> None:
    """Show ``code`` on the one customer screen, kept installed: opening another customer
    only reloads it."""
    if not app.is_screen_installed(CUSTOMER_SCREEN):
        app.install_screen(CustomerScreen(office, ""), CUSTOMER_SCREEN)
    screen = app.get_screen(CUSTOMER_SCREEN)
    assert isinstance(screen, CustomerScreen)
    screen.show_customer(code)
    app.push_screen(screen)
