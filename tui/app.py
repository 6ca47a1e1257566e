"""The Textual application: wires the Office into the screens and watches for changes."""

import gc
import importlib
import logging
import os
from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import Path
from typing import Any, cast

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.worker import get_current_worker

from procedure.errors import StoreError
from procedure.office import Office
from procedure.rules.progress import returned_news
from procedure.rules.validation import prepare as prepare_validation
from procedure.watching import WatchService
from tui.dialogs.help import HelpScreen, help_text
from tui.keys import key_name
from tui.messages import StoreChanged
from tui.screens.customer import CUSTOMER_SCREEN, CustomerScreen
from tui.screens.customers import CustomersScreen
from tui.watcher_process import WatcherProcess
from tui.widgets.palette import Palette

WARM_UP_AFTER = 2.0  # seconds after the first screen: LibreOffice starts in the background
# Objects made between two collections of the youngest generation. Python's 700 made a form
# of 25 fields collect 90 times as it opened (a tenth of a second of pauses): a screen
# makes tens of thousands of short-lived objects, and what it frees it frees by reference
# counting; only cycles wait for the collector, and they are few.
GC_ALLOCATIONS = 20_000


def terminal_colours(environ: Mapping[str, str]) -> int:
    """How many colours the terminal shows, as ``TERM`` and ``COLORTERM`` say (xterm,
    linux and vt100 without ``COLORTERM``: 16)."""
    if environ.get("COLORTERM", "") in ("truecolor", "24bit"):
        return 1 << 24
    term = environ.get("TERM", "")
    return 256 if "256" in term or "direct" in term else 16


def quiet_collector() -> None:
    """Fewer pauses of the cycle collector while keys are answered: what the start made
    (modules, styles, the office) is set aside from its passes, which come less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_ALLOCATIONS, *gc.get_threshold()[1:])


class AcquistoApp(App[None]):
    """Checklist of the purchase procedure for each customer."""

    CSS_PATH = Path(__file__).with_name("app.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Acquisto"
    SUB_TITLE = "procedura di acquisto software"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Esci", show=False),
        Binding("f1", "toggle_help", "Aiuto", priority=True),
        Binding("ctrl+p", "command_palette", "Comandi", show=False, priority=True),
    ]

    def __init__(
        self,
        office: Office,
        watch: bool = False,
        colours: int | None = None,
        own_process: bool = False,
    ) -> None:
        """``colours``: 16 for a terminal of 16 colours (None: as the environment says);
        ``own_process``: the app is the process's only work (the collector is tuned for it;
        not in a test run, where it would keep every earlier app's cycles)."""
        super().__init__()
        self.own_process = own_process
        self.colours = colours or terminal_colours(os.environ)
        self.office = office
        self.revision = office.revision()
        self.audit_mark = 0  # the audit log's last entry seen: forms back since are announced
        # The first TUI (or `acquisto watch`) to get the lock files returned forms.
        self.watch_service = WatchService(office) if watch else None

    async def on_mount(self) -> None:
        if self.colours <= 16:  # the terminal's own 16 colours, not approximations of others
            self.theme = "ansi-dark"
        self.audit_mark = self.office.audit_mark()
        if problem := self.office.procedure_problem:
            self.notify(problem, title="Procedura", severity="error", timeout=30)
        # Build the customer screen once, before the first screen shows (keys wait until
        # this handler ends), so that the first customer opens as fast as the next ones.
        customer = CustomerScreen(self.office, "")
        self.install_screen(customer, CUSTOMER_SCREEN)
        await self.push_screen(customer)
        await self.pop_screen()
        self.push_screen(CustomersScreen(self.office))
        if self.own_process:
            quiet_collector()
        if self.office.served:  # the service says when the store changed
            cast(Any, self.office).waiting = self._waiting
            self._follow_changes()
        else:
            self.set_interval(self.office.settings.tui.refresh_seconds, self.check_store)
        self.office.warm_pdf = True
        self.set_timer(WARM_UP_AFTER, self._warm_up)
        if self.watch_service is not None:
            self.watch_service.start_thread()

    @work(thread=True, exit_on_error=False)
    def _warm_up(self) -> None:
        """Once the first screen is up: the IBAN registry and the charts' library loaded,
        so the first form and Andamento open quickly, and LibreOffice started, so the first
        mailing is quick."""
        prepare_validation()
        importlib.import_module("tui.screens.trends")  # plotext: a fifth of a second
        self.office.documents.warm_up()

    def _waiting(self, text: str) -> None:
        """The service is serving someone else: said on the screen while the request waits."""
        try:
            self.call_from_thread(self.notify, f"{text}: si attende…", title="Attesa")
        except RuntimeError:  # asked on the app's own thread
            self.notify(f"{text}: si attende…", title="Attesa")

    @work(thread=True, exit_on_error=False, group="changes")
    def _follow_changes(self) -> None:
        """Wait on the service for each change of the store, and tell the screens."""
        office = cast(Any, self.office)
        worker = get_current_worker()
        revision = self.revision
        while not worker.is_cancelled:
            try:
                revision = office.changed(revision)
            except StoreError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error")
                return
            if revision != self.revision:
                self.call_from_thread(self.check_store)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette lists every action of the screen, from its key bindings (one source
        of truth: the same bindings the footer and the help panel show)."""
        seen = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            ours = active.node is screen or active.node is self  # not the widgets' own keys
            if not ours or not binding.description or not active.enabled:
                continue
            if binding.action in seen:
                continue
            seen.add(binding.action)
            shown = self.get_key_display(binding)
            yield SystemCommand(
                binding.description,
                f"tasto {shown or key}",
                partial(self.run_action, binding.action, active.node),
            )

    def get_key_display(self, binding: Binding) -> str:
        """Keys by their Italian names, wherever Textual shows one (footer, help, palette)."""
        return key_name(binding)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, Palette):
            self.push_screen(Palette())

    def action_toggle_help(self) -> None:
        """F1: the keys of the screen in front, whole and scrollable (forms included); F1
        again closes them."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
        else:
            self.push_screen(HelpScreen(help_text(self, self.screen)))

    def on_unmount(self) -> None:
        if self.watch_service is not None:
            self.watch_service.stop()

    def check_store(self) -> None:
        """Tell the visible screen when any process has changed the store, and announce
        the forms that came back."""
        revision = self.office.revision()
        if revision == self.revision:
            return
        self.revision = revision
        try:
            self.audit_mark, returned = self.office.returned_since(self.audit_mark)
        except StoreError as exc:
            self.notify(str(exc), severity="error")
            return
        for text in returned_news(returned):
            self.notify(text, title="Modulo rientrato", timeout=10)
        if self.screen_stack:  # none while the app closes: the timer may still tick once
            self.screen_stack[-1].post_message(StoreChanged(revision))


def run_tui(office: Office) -> int:
    """Open the TUI; details of errors go to DATA/log/acquisto-USER.log."""
    logging.basicConfig(
        filename=office.log_file(),
        level=logging.INFO,
        format=f"%(asctime)s {office.user} %(levelname)s %(name)s: %(message)s",
    )
    watcher = None if office.served else WatcherProcess(office.settings.data_dir)
    if watcher is not None:  # not a thread: see watcher_process; the service watches itself
        watcher.start()
    try:
        AcquistoApp(office, own_process=True).run()
    finally:
        if watcher is not None:
            watcher.stop()
    return 0
