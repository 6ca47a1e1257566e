"""Money as Decimal: rounding to cents, splitting with the residual on the last share."""

from decimal import ROUND_HALF_UP, Decimal

from procedure.enums import VatNature

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


# Support and services are invoiced at the ordinary rate.
CONTRACT_VAT_RATE = Decimal(22)
SPLIT_PAYMENT = "scissione dei pagamenti – art. 17-ter DPR 633/72"


def vat_of(taxable: Decimal, rate: Decimal) -> Decimal:
    """The VAT on ``taxable`` at ``rate`` percent, to the cent."""
    return cents(taxable * rate / 100)


def collected(taxable: Decimal, vat: Decimal, split_payment: bool) -> Decimal:
    """What the customer pays the company: the whole, or under split payment (art. 17-ter
    DPR 633/72) the taxable alone, the VAT going to the Erario."""
    return cents(taxable) if split_payment else cents(taxable + vat)


VAT_RATES = (Decimal(22), Decimal(10), Decimal(5), Decimal(4), Decimal(0))  # Italy's, all


def vat_problem(rate: Decimal, nature: VatNature) -> tuple[str, str] | None:
    """(field, why) when ``rate`` and ``nature`` are not an Italian VAT treatment: a rate
    out of 22, 10, 5, 4 and 0, a 0% without its *Natura* code, a code on a taxed line."""
    if rate not in VAT_RATES:
        allowed = ", ".join(format(r, "f") for r in VAT_RATES)
        return "vat_rate", f"aliquota IVA {format(rate, 'f')}% non ammessa; ammesse: {allowed}"
    if rate == 0 and nature == VatNature.NONE:
        return "vat_nature", "un'aliquota 0% richiede la natura (N1-N7) e la sua dicitura"
    if rate and nature != VatNature.NONE:
        return "vat_nature", f"la natura {nature.value} vale solo per l'aliquota 0%"
    return None
