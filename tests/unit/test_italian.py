"""Italian for people: every closed-set value has a label that parses back to it, dates
and money render the Italian way, and a wrong date is refused for the right reason."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from procedure.editing.field_paths import set_text
from procedure.italian import LABELS, choices, euro, it_date, it_datetime, label, parse_choice
from procedure.model import Contract


@pytest.mark.parametrize("kind", list(LABELS), ids=lambda k: k.__name__)
def test_every_value_has_a_label_that_parses_back(kind: type) -> None:
    assert set(LABELS[kind]) == {v.value for v in kind}
    for value in kind:
        assert parse_choice(kind, label(value)) is value
        assert parse_choice(kind, label(value).upper()) is value
    assert len(set(choices(kind))) == len(choices(kind))


def test_dates_and_money() -> None:
    assert it_date(date(2025, 3, 15)) == "15/03/2025"
    assert it_date(None) == "—" and it_date(None, "") == ""
    assert it_datetime(datetime(2025, 3, 15, 9, 5)) == "15/03/2025 09:05"
    assert euro(Decimal("1800")) == "€ 1.800,00"
    assert euro(Decimal("1440.005")) == "€ 1.440,01"


def test_choices_typed_by_their_italian_label() -> None:
    contract = Contract()
    set_text(contract, "frequency", "trimestrale")
    set_text(contract, "status", "Attivo")
    assert (contract.frequency, contract.status) == ("quarterly", "active")
    with pytest.raises(ValueError, match="mensile, trimestrale, semestrale, annuale"):
        set_text(contract, "frequency", "quarterly-ish")


@pytest.mark.parametrize(
    ("text", "reason"),
    [("31/02/2025", "ha 28 giorni, non 31"), ("10/13/2025", "il mese 13 non esiste"),
     ("2025/02/10", "data gg/mm/aaaa")],
)  # fmt: skip
def test_a_wrong_date_is_refused_for_its_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        set_text(Contract(), "start", text)


def test_plural_agrees_with_the_count() -> None:
    from procedure.italian import plural

    assert plural(1, "postazione", "postazioni") == "1 postazione"
    assert plural(3, "postazione", "postazioni") == "3 postazioni"
    assert plural(0, "postazione", "postazioni") == "0 postazioni"


def test_terms_end_their_sentence_once() -> None:
    from procedure.documents.context import sentence

    assert f"Pagamento: {sentence('30 gg d.f.')}." == "Pagamento: 30 gg d.f."
    assert f"Pagamento: {sentence('Rimessa diretta')}." == "Pagamento: Rimessa diretta."


@pytest.mark.parametrize(
    ("path", "text"),
    [("annual_fee", "1e-999999999"), ("annual_fee", "1E+9"), ("annual_fee", "Infinity"),
     ("annual_fee", "1" * 41), ("notice_days", "9" * 41), ("notice_days", "1.000")],
)  # fmt: skip
def test_a_screen_refuses_numbers_not_in_plain_digits(path: str, text: str) -> None:
    with pytest.raises(ValueError, match="numero"):
        set_text(Contract(), path, text)


def test_a_screen_reads_italian_thousands_and_decimals() -> None:
    contract = Contract()
    set_text(contract, "annual_fee", "1.800,50")
    set_text(contract, "notice_days", "90")
    assert (contract.annual_fee, contract.notice_days) == (Decimal("1800.50"), 90)


def test_a_new_item_agrees_with_its_noun() -> None:
    from procedure.editing.fields import CONTACTS, CONTRACTS, LINES, ORDERS, SITES
    from procedure.italian import new_one

    titles = [new_one(s.noun, s.feminine) for s in (ORDERS, LINES, SITES, CONTRACTS, CONTACTS)]
    assert titles == [
        "Ordine nuovo",
        "Riga nuova",
        "Sede nuova",
        "Contratto nuovo",
        "Contatto nuovo",
    ]


def test_the_history_names_what_it_is_about_in_words() -> None:
    from datetime import datetime

    from procedure.italian import audit_target

    titles = {"forms_sent": "Invio moduli da compilare"}
    mailings = {"9f2c4e1a8b7d4c3e9f2c4e1a8b7d4c3e": ("forms", datetime(2025, 3, 20, 9, 30))}
    said = [
        audit_target({"action": "step.done", "target": "forms_sent"}, titles, mailings),
        audit_target(
            {
                "action": "document",
                "target": "contract",
                "after": {"title": "Contratto CT-2025-002"},
            },
            titles,
            mailings,
        ),
        audit_target({"action": "handover", "target": "orders"}, titles, mailings),
        audit_target({"action": "mail.sent", "target": next(iter(mailings))}, titles, mailings),
    ]
    assert said == [
        "«Invio moduli da compilare»",
        "«Contratto CT-2025-002»",
        "degli ordini all'amministrazione",
        "«moduli da compilare» del 20/03/2025 09:30",
    ]
