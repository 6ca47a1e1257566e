"""Records survive a trip to JSON data and back; bad shapes are reported by path."""

from datetime import date, datetime
from decimal import Decimal

from procedure.model import Contract, Customer, Event, StepState
from procedure.problems import Problem
from procedure.serial import from_data, to_data


def test_round_trip_keeps_types() -> None:
    c = Customer(
        code="C1",
        name="ACME & Söhne <Ltd>",
        contracts=[Contract(number="K", annual_fee=Decimal("1800.00"), start=date(2025, 3, 15))],
        steps={"forms_sent": StepState(True, "mario", datetime(2025, 3, 20, 9, 30))},
        history=[Event(datetime(2025, 1, 2, 8, 0), "anna", "creato")],
    )
    data = to_data(c)
    assert data["contracts"][0]["annual_fee"] == "1800.00"
    assert data["contracts"][0]["start"] == "2025-03-15"
    back = from_data(Customer, data)
    assert back == c
    assert isinstance(back.contracts[0].annual_fee, Decimal)


def test_bad_shapes_are_collected_with_paths() -> None:
    problems: list[Problem] = []
    from_data(
        Customer,
        {
            "code": 5,
            "address": {"zip": ["x"]},
            "contracts": [{"annual_fee": "abc", "start": "15/03/2025", "auto_renewal": "si"}],
            "colour": "red",
        },
        "customers[2]",
        problems,
    )
    found = {p.path: p.message for p in problems}
    assert found == {
        "customers[2].code": "deve essere un testo",
        "customers[2].address.zip": "deve essere un testo",
        "customers[2].contracts[0].annual_fee": (
            "deve essere un numero scritto in cifre (es. 1800.00)"
        ),
        "customers[2].contracts[0].start": "deve essere una data nel formato AAAA-MM-GG",
        "customers[2].contracts[0].auto_renewal": "deve essere true o false",
        "customers[2].colour": "campo sconosciuto",
    }


def test_decimal_accepts_numbers_and_comma() -> None:
    c = from_data(Contract, {"annual_fee": 1800, "included_hours": "2,5"})
    assert c.annual_fee == Decimal(1800)
    assert c.included_hours == Decimal("2.5")


def test_nan_is_refused() -> None:
    problems: list[Problem] = []
    from_data(Contract, {"annual_fee": "NaN"}, "", problems)
    assert [p.path for p in problems] == ["annual_fee"]
