"""Every number field of an import fed its extremes: beyond its bounds, with an exponent,
with too many decimals, negative. Each is refused naming the field by its label and path,
with no traceback, and the store (so its export) is as it was."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from main import main
from procedure.bounds import BOUNDS, out_of_bounds, parse_number
from procedure.office import Office
from tests.conftest import exported, imported, store_dump

# Where each bounded field is in the demo's export, as (section, index, path inside).
WHERE: dict[str, tuple[str, ...]] = {
    "annual_fee": ("customers", "0", "contracts", "0"),
    "notice_days": ("customers", "0", "contracts", "0"),
    "included_hours": ("customers", "0", "contracts", "0"),
    "indexation_share": ("customers", "0", "contracts", "0"),
    "quantity": ("customers", "0", "orders", "0", "lines", "0"),
    "price": ("customers", "0", "orders", "0", "lines", "0"),
    "discount": ("customers", "0", "orders", "0", "lines", "0"),
    "vat_rate": ("customers", "0", "orders", "0", "lines", "0"),
    "licence_months": ("customers", "0", "orders", "0", "lines", "0"),
    "km_one_way": ("customers", "0", "sites", "0"),
    "travel_minutes": ("customers", "0", "sites", "0"),
    "tolls": ("customers", "0", "sites", "0"),
    "flat_fee": ("customers", "0", "sites", "0"),
    "rate_per_km": ("customers", "0", "travel_rates"),
    "call_out_fee": ("customers", "0", "travel_rates"),
    "hourly_rate": ("customers", "0", "travel_rates"),
    "workstations": ("customers", "0", "software_division"),
    "month": ("customers", "0", "excluded_months", "0"),
    "day": ("customers", "0", "excluded_months", "0"),
    "fixed_day": ("payment_terms", "0"),
}
NOT_IMPORTED = {"extra_rate", "amount", "foi", "seats"}  # settings, options, licences
INTEGERS = {name for name, bound in BOUNDS.items() if bound.places == 0}


def test_every_bounded_field_is_fed_here() -> None:
    assert set(BOUNDS) - NOT_IMPORTED - {"days"} == set(WHERE)


def extremes(name: str) -> list[tuple[Any, str]]:
    """(value, what the refusal says) beyond the field's bounds."""
    bound = BOUNDS[name]
    high, low = bound.high + 1, bound.low - 1
    below = "non può essere negativo" if bound.low == 0 else "valore fuori misura"
    if name in INTEGERS:
        return [(int(high), "valore fuori misura"), (int(low), below), (10**30, "")]
    return [
        (str(high), "valore fuori misura"),
        (str(low), below),
        ("1e-999999999", "deve essere un numero scritto in cifre"),
        ("1E+999999999", "deve essere un numero scritto in cifre"),
        ("Infinity", "deve essere un numero scritto in cifre"),
        ("1" + "0" * 60, "deve essere un numero scritto in cifre"),
        ("1." + "1" * (bound.places + 1), f"al massimo {bound.places} decimali"),
    ]


CASES = [(name, value, says) for name in sorted(WHERE) for value, says in extremes(name)]


@pytest.mark.parametrize("case", CASES, ids=lambda case: f"{case[0]}={case[1]!r:.20}")
def test_a_number_beyond_its_bounds_is_refused_by_its_label(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str], case: tuple[str, Any, str]
) -> None:
    name, value, says = case
    doc = exported(demo, capsys)
    record: Any = doc
    for key in WHERE[name]:
        record = record[int(key)] if key.isdigit() else record[key]
    record[name] = value
    before = store_dump(demo)
    code, err = imported(demo, doc, tmp_path, capsys)
    where = ".".join(f"[{k}]" if k.isdigit() else k for k in (*WHERE[name], name))
    where = where.replace(".[", "[")
    assert code == 1 and "Traceback" not in err
    line = next(line for line in err.splitlines() if f"({where})" in line)
    assert says in line
    assert not line.startswith("(")  # the field's label comes first, then its path
    assert store_dump(demo) == before
    assert exported(demo, capsys) == exported(demo, capsys)


def test_payment_term_days_are_bounded(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = {"payment_terms": [{"code": "LUNGO", "description": "Lunghissimo", "mp": "MP05",
                              "tp": "TP02", "days": [4_000_000]}]}  # fmt: skip
    before = store_dump(demo)
    path = tmp_path / "termine.json"
    path.write_text(json.dumps(doc))
    assert main(["--data", str(demo.settings.data_dir), "import", str(path)]) == 1
    err = capsys.readouterr().err
    assert "(payment_terms[0].days[0]): valore fuori misura (da 0 a 3.650)" in err
    assert store_dump(demo) == before


def test_the_bounds_themselves_are_allowed() -> None:
    for name, bound in BOUNDS.items():
        for value in (bound.low, bound.high):
            number: Decimal | int = int(value) if name in INTEGERS else value
            assert out_of_bounds(name, number) is None, (name, value)
        if bound.places:
            assert out_of_bounds(name, bound.high - Decimal(1).scaleb(-bound.places)) is None


@pytest.mark.parametrize(
    "text", ["1e3", "1E-2", "NaN", "inf", "-Infinity", "1.2.3", "", "0x10", "١٢", "1" * 41]
)
def test_only_plain_digits_are_numbers(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_plain_numbers_are_read_with_a_point_or_a_comma() -> None:
    assert parse_number(" 1800,50 ") == Decimal("1800.50")
    assert parse_number("-0.25") == Decimal("-0.25")
    assert parse_number(".5") == Decimal("0.5")


def test_command_line_numbers_are_bounded(demo: Office, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(demo.settings.data_dir)
    assert (
        main(["--data", data, "terms", "RD", "--date", "2026-01-31", "--amount", "1e-999999999"])
        == 1
    )
    assert "--amount: numero non valido" in capsys.readouterr().err
    assert (
        main(["--data", data, "terms", "RD", "--date", "2026-01-31", "--amount", "2000000000"]) == 1
    )
    assert "--amount: valore fuori misura" in capsys.readouterr().err


@pytest.mark.parametrize("days", [[4_000_000], [1_000_000_000], [-1], ["30"], [True]])
def test_a_payment_terms_file_with_impossible_days_is_refused(days: list[Any]) -> None:
    from procedure.rules.definitions import DefinitionError
    from procedure.rules.procedure_file import terms_from_data

    entry = {"code": "X", "description": "X", "mp": "MP05", "tp": "TP02", "days": days}
    with pytest.raises(DefinitionError, match=r"catalogo voce 1: days: "):
        terms_from_data([entry], "catalogo")


@pytest.mark.parametrize(
    "args", [["deadlines", "--days", "99999999999999"], ["deadlines", "--days", "-1"],
             ["deadlines", "--days", "1e3"], ["serve", "--port", "70000"]],
)  # fmt: skip
def test_whole_number_options_are_bounded(
    demo: Office, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--data", str(demo.settings.data_dir), *args])
    err = capsys.readouterr().err
    assert done.value.code == 2 and "un numero intero da" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("value", "says"),
    [(Decimal("5000000000"), "valore fuori misura"), (Decimal("60.123"), "al massimo 2 decimali"),
     (Decimal("-1"), "non può essere negativo")],
)  # fmt: skip
def test_the_company_screen_bounds_its_rates(demo: Office, value: Decimal, says: str) -> None:
    from procedure.problems import InvalidInput
    from procedure.services.catalogue import CompanyForm

    form = demo.catalogue.company_form()
    config = demo.settings.config_path.read_bytes()
    with pytest.raises(InvalidInput) as err:
        demo.catalogue.save_company(CompanyForm(**{**form.__dict__, "extra_rate": value}))
    assert [(p.path, says in p.message) for p in err.value.problems] == [("extra_rate", True)]
    assert demo.settings.config_path.read_bytes() == config  # config.toml untouched
