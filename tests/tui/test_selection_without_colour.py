"""Selection and state visible without colour: in 16 colours and with NO_COLOR the selected
step and the selected customer are in reverse video (Textual draws them with colour alone)."""

from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList

from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp


@pytest.mark.parametrize(
    ("colours", "no_color", "reversed_"),
    [(16, False, True), (1 << 24, True, True), (16, True, True), (1 << 24, False, False)],
)
async def test_the_selected_line_is_in_reverse_video_without_colour(
    data: Path, monkeypatch: pytest.MonkeyPatch, colours: int, no_color: bool, reversed_: bool
) -> None:
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    app = RecordingApp(Office.open(data, clock=Clock(), user="mario"), colours=colours)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        cursor = table.render_line(1)  # the first customer, under the header
        assert all(bool(s.style and s.style.reverse) == reversed_ for s in cursor if s.text.strip())
        await pilot.press("enter", "down")
        await pilot.pause()
        steps = app.screen.query_one(OptionList)
        assert steps.highlighted == 1
        lines = [steps.render_line(y) for y in range(3)]
        marked = [any(s.style and s.style.reverse for s in line) for line in lines]
        assert marked == [False, reversed_, False]
