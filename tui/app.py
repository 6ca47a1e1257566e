"""The Textual application: wires the Office into the screens and watches for changes."""

from textual.app import App
from textual.binding import Binding

from procedure.office import Office
from tui.messages import StoreChanged
from tui.screens.customers import CustomersScreen


class AcquistoApp(App[None]):
    """Checklist of the purchase procedure for each customer."""

    CSS_PATH = "app.tcss"
    TITLE = "Acquisto"
    SUB_TITLE = "procedura di acquisto software"
    BINDINGS = [Binding("ctrl+q", "quit", "Esci", priority=True)]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.revision = office.revision()

    def on_mount(self) -> None:
        self.push_screen(CustomersScreen(self.office))
        self.set_interval(self.office.settings.refresh_seconds, self.check_store)

    def check_store(self) -> None:
        """Tell the visible screen when any process has changed the store."""
        revision = self.office.revision()
        if revision != self.revision:
            self.revision = revision
            self.screen.post_message(StoreChanged(revision))


def run_tui(office: Office) -> int:
    AcquistoApp(office).run()
    return 0
