"""Andamento, one key from the dashboard: the months ahead drawn in the terminal and written
out in figures (the same without colour)."""

from textual.widgets import Static
from textual_plotext import PlotextPlot

from tests.tui.conftest import RecordingApp, wait_for
from tui.screens.trends import TrendsScreen


async def test_a_opens_the_trends_with_charts_and_figures(app: RecordingApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("a")
        screen = app.screen
        assert isinstance(screen, TrendsScreen)
        assert await wait_for(pilot, lambda: screen.trend is not None, seconds=60)
        trend = screen.trend
        assert trend is not None and len(trend.months) == 12
        assert sum(trend.invoices) > 0  # the demo's contracts bill in the next twelve months
        figures = str(screen.query_one("#trend-figures", Static).render())
        assert figures.startswith("Fatture da emettere: ")
        assert "Moduli mancanti, da quanto: 0–7 giorni" in figures
        await pilot.pause()
        chart = screen.query_one("#chart-invoices", PlotextPlot)
        drawn = "\n".join("".join(s.text for s in chart.render_line(y)) for y in range(14))
        assert "Fatture da emettere" in drawn and "█" in drawn
        assert trend.months[0][:3] in drawn
        await pilot.press("escape")
        assert not isinstance(app.screen, TrendsScreen)
