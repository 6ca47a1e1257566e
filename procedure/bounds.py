"""The ranges numbers may take where they enter the program (an import, a screen, the
command line, the settings, the procedure file): one table, by field name.

Amounts in euro carry at most 2 decimals, unit prices and rates 4, percentages 2;
quantities, days, months and counts stay within what the domain allows. A number is
written in plain digits (a comma or a point for the decimals): exponents (``1e-999999999``)
and numbers longer than ``MAX_DIGITS`` characters are refused before they are converted,
so that no value can make a dossier, a computation or a date overflow or swell.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

MAX_DIGITS = 40  # characters of a number as typed or imported (sign and point included)
BILLION = Decimal(1_000_000_000)


@dataclass(frozen=True)
class Bound:
    """The range of a field's values (both ends included) and the decimals it may have."""

    low: Decimal
    high: Decimal
    places: int = 0

    def problem(self, value: Decimal | int) -> str | None:
        """Why ``value`` is out of this range, in Italian (None when it is in)."""
        if isinstance(value, Decimal) and not value.is_finite():
            return "deve essere un numero"
        if value < self.low and self.low == 0:
            return "non può essere negativo"
        if not self.low <= value <= self.high:
            return f"valore fuori misura (da {_it(self.low)} a {_it(self.high)})"
        if isinstance(value, Decimal) and _places(value) > self.places:
            if self.places == 0:
                return "deve essere un numero intero"
            return f"al massimo {self.places} decimali"
        return None


def _places(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def _it(value: Decimal) -> str:
    """A bound as an Italian reads it: 1.000.000.000, 0,01."""
    whole, _, cents = f"{value:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{cents}" if cents else grouped


def _bound(low: int, high: int | Decimal, places: int = 0) -> Bound:
    return Bound(Decimal(low), Decimal(high), places)


AMOUNT = _bound(0, BILLION, 2)
PRICE = _bound(0, BILLION, 4)
PERCENT = _bound(0, 100, 2)
DAYS = _bound(0, 3650)  # ten years: notice, payment delays

BOUNDS: dict[str, Bound] = {
    # amounts in euro
    "annual_fee": AMOUNT,
    "tolls": AMOUNT,
    "flat_fee": AMOUNT,
    "call_out_fee": AMOUNT,
    "extra_rate": AMOUNT,
    "amount": AMOUNT,
    # unit prices and rates
    "price": PRICE,
    "rate_per_km": PRICE,
    "hourly_rate": PRICE,
    # percentages
    "discount": PERCENT,
    "vat_rate": PERCENT,
    "indexation_share": PERCENT,
    "foi": _bound(-100, 100, 2),  # an ISTAT FOI change, in percent
    # quantities and counts
    "quantity": _bound(0, 1_000_000, 3),
    "km_one_way": _bound(0, 20_000, 1),
    "included_hours": _bound(0, 10_000, 2),
    "travel_minutes": _bound(0, 24 * 60),
    "workstations": _bound(0, 100_000),
    "seats": _bound(0, 100_000),
    "licence_months": _bound(0, 1_200),
    # days and calendar
    "notice_days": DAYS,
    "days": DAYS,
    "month": _bound(1, 12),
    "day": _bound(1, 31),
    "fixed_day": _bound(0, 31),
}
ANY_DECIMAL = Bound(-BILLION, BILLION, 4)  # a number field not in the table
ANY_INTEGER = _bound(-365_000, 365_000)


def bound_of(name: str, value: Decimal | int) -> Bound:
    """The range of the field ``name`` (a field of a record, a list of days…)."""
    found = BOUNDS.get(name)
    if found is not None:
        return found
    return ANY_DECIMAL if isinstance(value, Decimal) else ANY_INTEGER


def out_of_bounds(name: str, value: Decimal | int) -> str | None:
    """Why ``value`` cannot be the field ``name``'s, in Italian (None when it can)."""
    return bound_of(name, value).problem(value)


def parse_number(text: str) -> Decimal:
    """A number as written by a person or a file: digits with a point or a comma for the
    decimals, an optional sign; raises ValueError for anything else (an exponent, NaN,
    Infinity, more than ``MAX_DIGITS`` characters)."""
    text = text.strip().replace(",", ".")
    if not text or len(text) > MAX_DIGITS:
        raise ValueError(text[:MAX_DIGITS])
    body = text[1:] if text[0] in "+-" else text
    whole, _, decimals = body.partition(".")
    if not (whole + decimals).isascii() or not (whole + decimals).isdigit():
        raise ValueError(text)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
