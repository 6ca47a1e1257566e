"""Andamento: the next twelve months' invoices, notices and renewals, and how long the
missing forms have waited, drawn in the terminal; every figure also written out, so the
charts read the same without colour."""

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Header, Static
from textual_plotext import PlotextPlot

from procedure.italian import euro
from procedure.office import Office
from procedure.services.money.trends import Trend, Trends
from tui.keys import BACK
from tui.widgets.italian import Footer, Screen, VerticalScroll
from tui.workers import in_background


def _per_month(months: list[str], counts: list[int], amounts: list[str] | None = None) -> str:
    shown = [
        f"{m} {n}" + (f" ({amounts[i]})" if amounts else "")
        for i, (m, n) in enumerate(zip(months, counts, strict=True))
        if n
    ]
    return " · ".join(shown) or "nessuno"


def figures(trend: Trend) -> Text:
    """The charts' numbers as text (what a monochrome terminal or a screen reader gets)."""
    out = Text()
    amounts = [euro(a) for a in trend.amounts]
    rows = (
        ("Fatture da emettere", _per_month(trend.months, trend.invoices, amounts)),
        ("Disdette da dare", _per_month(trend.months, trend.notices)),
        ("Rinnovi automatici", _per_month(trend.months, trend.renewals)),
        ("Moduli mancanti, da quanto", " · ".join(f"{k} {n}" for k, n in trend.ages.items())),
    )
    for title, text in rows:
        out.append(f"{title}: ", style="bold")
        out.append(f"{text}\n")
    return out


class TrendsScreen(Screen[None]):
    """Three charts one under the other; ↑ ↓ Pag↑ Pag↓ scroll."""

    BINDINGS = [BACK]

    def __init__(self, office: Office) -> None:
        super().__init__()
        self.office = office
        self.trend: Trend | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="trends"):
            yield Static("Calcolo in corso…", id="trend-figures")
            for name in ("invoices", "contracts", "ages"):
                chart = PlotextPlot(id=f"chart-{name}", classes="chart")
                chart.display = False  # drawn once, with its data: plotext is slow to draw
                yield chart
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()
        trends, today = Trends(self.office, self.office.billing), self.office.clock().date()
        in_background(self, lambda: trends.compute(today), self.show, "Andamento non disponibile")

    def show(self, trend: Trend) -> None:
        self.trend = trend
        self.query_one("#trend-figures", Static).update(figures(trend))
        plain = self.app.no_color or self.app.native_ansi_color
        for chart in self.query(PlotextPlot):
            chart.theme = "clear" if plain else "dark"  # without colour: bars by their shape
        months = [m[:3] for m in trend.months]
        plt = self.query_one("#chart-invoices", PlotextPlot).plt
        plt.bar(months, [float(a) for a in trend.amounts], marker="hd")
        plt.title("Fatture da emettere nei prossimi 12 mesi (imponibile, €)")
        plt = self.query_one("#chart-contracts", PlotextPlot).plt
        counts = [trend.notices, trend.renewals]
        names = ["disdette", "rinnovi"]  # plotext takes "labels", its type hints say "label"
        plt.multiple_bar(months, counts, labels=names, marker="hd")  # type: ignore[call-arg]
        plt.title("Contratti: disdette da dare e rinnovi, per mese")
        plt = self.query_one("#chart-ages", PlotextPlot).plt
        plt.bar(list(trend.ages), list(trend.ages.values()), marker="hd", orientation="horizontal")
        plt.title("Moduli mancanti, da quanti giorni")
        for chart in self.query(PlotextPlot):
            chart.display = True
