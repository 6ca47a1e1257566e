"""Every screen at 80x24 is Italian to the last word: none of the English labels Textual's
widgets carry, no internal id (a step id, a stored value, a field path); and what colour says
is said without colour too."""

import re
from pathlib import Path

import pytest
from textual.app import App
from textual.command import CommandPalette
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, OptionList

from procedure.enums import (
    AuditAction,
    ContactRole,
    ContractStatus,
    Frequency,
    LicenceType,
    MailingStatus,
    PartyKind,
    ProductKind,
)
from procedure.italian import LABELS
from procedure.office import Office
from tests.conftest import Clock
from tests.tui.conftest import RecordingApp
from tests.tui.test_snapshots import REVIEW, SCREENS, returned_master_data

WIDGET_CLASSES = (App, Screen, DataTable, OptionList, Input, VerticalScroll)


def english_labels() -> set[str]:
    """What Textual's own widgets would show in the help panel, the palette and the footer."""
    words = {"Search for commands", "No matches found", "palette", "Quit"}
    # and the English names Textual gives keys, where an Italian keyboard has its own ("del"
    # is Italian too: Canc is checked by its own test)
    words |= {"space", "esc", "enter", "tab", "shift", "home", "end", "pgup", "pgdn", "super"}
    words |= {"slash", "question_mark", "full_stop"}
    for cls in WIDGET_CLASSES:
        for base in cls.__mro__:
            for b in base.__dict__.get("BINDINGS", []):
                if not isinstance(b, tuple) and b.description:
                    words.add(b.description)
    return words


def internal_ids(office: Office) -> set[str]:
    """Step and form ids, stored values of closed sets (but those that are Italian words
    too, such as "software")."""
    ids = {s.id for s in office.defs.steps} | {f.id for f in office.defs.forms}
    for kind in (AuditAction, ContactRole, ContractStatus, Frequency, LicenceType, MailingStatus,
                 PartyKind, ProductKind):  # fmt: skip
        ids |= {v.value for v in kind}
    italian = {
        word for labels in LABELS.values() for label in labels.values() for word in label.split()
    }
    return ids - italian


def screen_text(app: App[None]) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def shown(data: Path, keys: list[str]) -> str:
    app = RecordingApp(Office.open(data, clock=Clock(), user="mario"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if isinstance(app.screen, CommandPalette):
            await pilot.press(*"zzz")  # nothing matches: the palette says so
            await pilot.pause(0.6)
        return screen_text(app)


@pytest.mark.parametrize("screen", [*sorted(SCREENS), "review", "deadlines"])
async def test_no_english_and_no_internal_id_on_any_screen(data: Path, screen: str) -> None:
    if screen == "review":
        returned_master_data(Office.open(data, clock=Clock(), user="mario"))
    keys = {"review": REVIEW, "deadlines": ["d"]}.get(screen) or SCREENS[screen]
    text = await shown(data, keys)
    assert text.strip()
    found = [w for w in sorted(english_labels()) if re.search(rf"\b{re.escape(w)}\b", text)]
    found += [
        i
        for i in sorted(internal_ids(Office.open(data)))
        if re.search(rf"\b{re.escape(i)}\b", text)
    ]
    found += re.findall(r"\b[a-z_]+\[\d+\]", text)  # a field path: orders[0]
    assert found == [], f"{screen}: {found}\n{text}"


@pytest.mark.parametrize(("colours", "no_color"), [(16, False), (1 << 24, True)])
async def test_selection_and_errors_show_without_colour(
    data: Path, monkeypatch: pytest.MonkeyPatch, colours: int, no_color: bool
) -> None:
    """In 16 colours and with NO_COLOR the selected row is in reverse video, an error under a
    field carries a mark and reverse video."""
    if no_color:
        monkeypatch.setenv("NO_COLOR", "1")
    app = RecordingApp(Office.open(data, clock=Clock(), user="mario"), colours=colours)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        row = next(s for s in strips if "C00001" in s.text)
        assert any(seg.style and seg.style.reverse for seg in row if "C00001" in seg.text)
        await pilot.press(*SCREENS["master_record_error"])
        await pilot.pause()
        strips = app.screen._compositor.render_strips()
        error = next(s for s in strips if "(!)" in s.text)
        assert any(
            seg.style and seg.style.reverse and seg.style.bold for seg in error if "(!)" in seg.text
        )


def test_keys_have_their_italian_names() -> None:
    from textual.binding import Binding

    from tui.keys import key_name

    names = [key_name(Binding(k, "x")) for k in (
        "space", "escape", "enter", "tab", "shift+tab", "home", "end", "pageup", "pagedown",
        "delete", "f1", "ctrl+s", "super+c", "a", "slash",
    )]  # fmt: skip
    assert names == ["Spazio", "Esc", "Invio", "Tab", "Maiusc+Tab", "Inizio", "Fine", "Pag↑",
                     "Pag↓", "Canc", "F1", "^s", "Win+C", "a", "/"]  # fmt: skip
