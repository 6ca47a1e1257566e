"""The command palette (ctrl+p) in Italian: its prompt and its "nothing found"."""

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PROMPT = "Cerca un comando…"
NOTHING_FOUND = "Nessun comando trovato"


class Palette(CommandPalette):
    def __init__(self) -> None:
        super().__init__(placeholder=PROMPT, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's countdown, with the message in Italian."""
        self._stop_no_matches_countdown()

        def show() -> None:
            if not search_value:  # discovery mode: nothing to say
                self._list_visible = False
                return
            nothing = Option(
                Align.center(Text(NOTHING_FOUND, style="not bold")),
                disabled=True,
                id=self._NO_MATCHES,
            )
            self.query_one(CommandList).add_option(nothing)
            self._list_visible = True

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)
