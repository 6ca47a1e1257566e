"""The dashboard as queries: today's judgments (late, mail, notice, blocked, complete) are
worked out per pattern and applied by SQL to every row; order, filter and counts."""

from datetime import datetime
from typing import Any

from procedure.office import Office
from procedure.rules.procedure_file import load_definitions
from store import LIST_NAMES, unit_of_work
from tests.conftest import Clock

STEPS = [s.id for s in load_definitions().steps]


def row(name: str, **facts: Any) -> dict[str, Any]:
    base: dict[str, Any] = dict.fromkeys(LIST_NAMES, "")
    base.update(
        {n: 0 for n in ("forms_returned", "forms_required", "open_mail", "outstanding")},
        bad_signatures=0,
        name=name,
        name_key=name.casefold(),
    )
    base.update(facts)
    return base


def put(office: Office, rows: dict[str, dict[str, Any]]) -> None:
    with unit_of_work(office.store) as unit:
        for code, facts in rows.items():
            facts["search"] = f"{code} {facts['name']}".casefold()
            unit.put_list_row(code, facts)


def test_action_first_then_by_code_and_the_counts(tmp_path: Any) -> None:
    office = Office.open(tmp_path / "data", clock=Clock(datetime(2026, 11, 27, 9)))
    put(
        office,
        {
            "A": row("Zeta"),
            "B": row("Ypsilon", unready_steps=STEPS[0]),  # the first step cannot be done
            "C": row("Ics", terms='[["2025-03-15","2026-03-14",90,true,"CA-2025-001"]]'),
            "D": row("Vu", open_mail=1),
            "E": row("Erre", outstanding=2, last_contact="2026-11-01T09:00:00"),
            "F": row("Esse", outstanding=2, last_contact="2026-10-01T09:00:00"),
            "G": row("Ti", done_steps=" ".join(STEPS)),
            "H": row("Ci", outstanding=1, last_contact="2026-11-25T09:00:00"),  # recent
        },
    )
    page = office.dashboard()
    assert [s.code for s in page.rows] == ["F", "E", "D", "C", "B", "A", "G", "H"]
    assert page.total == 8
    assert [s.code for s in office.dashboard(order="codice").rows] == list("ABCDEFGH")
    assert [s.code for s in office.dashboard(order="nome").rows] == list("HEFCGDBA")
    assert [s.code for s in office.dashboard(order="avanzamento").rows][-1] == "G"
    assert office.list_states() == {
        "da sollecitare": 2,
        "e-mail in sospeso": 1,
        "firme digitali da verificare": 0,
        "prossimo passo bloccato": 1,
        "completati": 1,
        "disdette entro 30 giorni": 1,
    }
    limited = office.dashboard(limit=3)
    assert [s.code for s in limited.rows] == ["F", "E", "D"] and limited.total == 8
    office.clock.advance(days=120)  # the same rows, judged another day: nothing frozen
    assert office.list_states()["disdette entro 30 giorni"] == 0
    assert office.list_states()["da sollecitare"] == 3


def test_the_filter_holds_every_word_short_or_long(tmp_path: Any) -> None:
    office = Office.open(tmp_path / "data")
    put(
        office,
        {
            "C00001": row("Alfa Meccanica S.r.l."),
            "C00002": row("Beta Meccanica S.p.A."),
            "C00010": row("Alfa Logistica"),
        },
    )
    assert [s.code for s in office.dashboard("meccanica", "codice").rows] == ["C00001", "C00002"]
    assert [s.code for s in office.dashboard("ALFA mecc").rows] == ["C00001"]
    assert [s.code for s in office.dashboard("c0001").rows] == ["C00010"]
    assert [s.code for s in office.dashboard("s.", "codice").rows] == ["C00001", "C00002"]
    assert office.dashboard('"alfa"').total == 0  # quotes are text, never query syntax
    assert office.dashboard("nessuno").rows == []
