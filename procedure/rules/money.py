"""Money as Decimal: rounding to cents, splitting with the residual on the last share."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """``value`` rounded half-up to the cent."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split(total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` equal shares rounded to cents; the last takes the residual."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    share = cents(total / parts)
    return [share] * (parts - 1) + [cents(total) - share * (parts - 1)]
