"""The stored list line: one string per customer, decoded on first use."""

import dataclasses
import operator

from procedure.rules.list_line import readable, stored_summary, summary_to_line
from procedure.rules.progress import Summary

ROW = Summary(
    code="C00042",
    name="Alfa Informatica S.r.l. — «sede» 100%",
    done=7,
    total=15,
    forms_returned=2,
    forms_required=5,
    next_step="travel_costs",
    next_title="Trasferta",
    next_blocked=True,
    open_mail=1,
    outstanding=3,
    last_contact="2026-03-02T10:00:00",
    last_returned="Privacy",
    bad_signatures=1,
    vat_number="01234567897",
    tax_code="01234567897",
    missing=("privacy", "sepa"),
    terms=(
        ("2026-01-01", "2026-12-31", 90, True, "CA-1"),
        ("2026-02-01", "2027-01-31", 30, False, "CH-2"),
    ),
)


def test_a_line_reads_back_field_by_field() -> None:
    line = summary_to_line(ROW)
    assert readable(line)
    back = stored_summary("C00042", line, {})
    assert back == ROW and operator.eq(ROW, back)  # both ways round
    assert dataclasses.asdict(back) == dataclasses.asdict(ROW)


def test_fields_are_decoded_on_first_use_only() -> None:
    back = stored_summary("C00042", summary_to_line(ROW), {"travel_costs": "Codifica trasferta"})
    assert set(back.__dict__) == {"code", "_line", "_titles"}  # nothing decoded yet
    assert back.outstanding == 3  # a field with a default is decoded too
    assert back.next_title == "Codifica trasferta"  # the procedure file's title wins
    assert back.name == ROW.name and back.terms == ROW.terms


def test_a_line_without_contracts_and_one_of_another_format() -> None:
    plain = dataclasses.replace(ROW, terms=())
    assert stored_summary("C00042", summary_to_line(plain), {}) == plain
    assert not readable("L2\x1fC00042\x1fvecchia")
    assert not readable(summary_to_line(ROW) + "\x7fin più")


def test_a_damaged_line_shows_a_customer_not_started() -> None:
    damaged = summary_to_line(ROW).replace("\x7f7\x7f15\x7f", "\x7fsette\x7f15\x7f")
    back = stored_summary("C00042", damaged, {})
    assert (back.code, back.done, back.total, back.terms) == ("C00042", 0, 0, ())


def test_the_facts_for_order_and_counts_are_read_without_decoding_the_line() -> None:
    for row in (ROW, dataclasses.replace(ROW, open_mail=0, outstanding=0, done=15, terms=())):
        back = stored_summary(row.code, summary_to_line(row), {})
        assert back.facts() == row.facts()
        assert "name" not in back.__dict__  # not decoded
    damaged = stored_summary("C00042", "L5\x7fC00042\x7fx", {})
    assert damaged.facts().name == "C00042"  # shown blank, as decoding shows it
