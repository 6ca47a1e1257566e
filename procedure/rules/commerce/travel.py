"""The cost of one on-site visit ("trasferta chilometrica") for the help-desk program Assist."""

from dataclasses import dataclass
from decimal import Decimal

from procedure.config.settings import Settings
from procedure.model import Customer, Site
from procedure.rules.commerce.money import cents


@dataclass(frozen=True)
class Rates:
    rate_per_km: Decimal
    call_out_fee: Decimal
    hourly_rate: Decimal


@dataclass(frozen=True)
class VisitCost:
    site: str
    km_round_trip: Decimal
    km_cost: Decimal
    call_out_fee: Decimal
    travel_minutes_round_trip: int
    time_cost: Decimal
    tolls: Decimal
    flat_fee: Decimal | None
    total: Decimal


def rates_for(customer: Customer, settings: Settings) -> Rates:
    """The company's rates, with the customer's overrides where it has them."""
    own = customer.travel_rates
    return Rates(
        rate_per_km=settings.travel.rate_per_km if own.rate_per_km is None else own.rate_per_km,
        call_out_fee=settings.travel.call_out_fee if own.call_out_fee is None else own.call_out_fee,
        hourly_rate=settings.travel.hourly_rate if own.hourly_rate is None else own.hourly_rate,
    )


def visit_cost(site: Site, rates: Rates) -> VisitCost:
    """Call-out fee + round-trip km x rate + round-trip time x hourly rate + tolls.

    A site with a flat fee (urban or zone customers) costs that fee instead.
    """
    km = site.km_one_way * 2
    minutes = site.travel_minutes * 2
    km_cost = cents(km * rates.rate_per_km)
    time_cost = cents(Decimal(minutes) / 60 * rates.hourly_rate)
    total = (
        cents(site.flat_fee)
        if site.flat_fee is not None
        else rates.call_out_fee + km_cost + time_cost + cents(site.tolls)
    )
    return VisitCost(
        site=site.name,
        km_round_trip=km,
        km_cost=km_cost,
        call_out_fee=rates.call_out_fee,
        travel_minutes_round_trip=minutes,
        time_cost=time_cost,
        tolls=cents(site.tolls),
        flat_fee=site.flat_fee,
        total=cents(total),
    )
