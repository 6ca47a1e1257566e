"""Order totals and travel costs, worked by hand."""

from datetime import date
from decimal import Decimal

from procedure.config.settings import Settings
from procedure.model import Customer, Order, OrderLine, Site, TravelRates
from procedure.rules.commerce.orders import instalments, line_amount, totals
from procedure.rules.commerce.travel import rates_for, visit_cost
from procedure.rules.procedure_file import load_definitions


def line(qty: str, price: str, discount: str = "0", vat: str = "22") -> OrderLine:
    return OrderLine("P", "", Decimal(qty), Decimal(price), Decimal(discount), Decimal(vat))


def test_line_amount_rounds_half_up() -> None:
    assert line_amount(line("3", "3500.00")) == Decimal("10500.00")
    assert line_amount(line("1", "1200.00", "10")) == Decimal("1080.00")
    assert line_amount(line("3", "19.99", "12.5")) == Decimal("52.47")  # 59.97 × .875 = 52.47375


def test_totals_sum_vat_per_rate() -> None:
    # 22%: 100.01 + 200.02 = 300.03 → VAT 66.0066 → 66.01; 10%: 50.05 → 5.005 → 5.01
    order = Order(lines=[line("1", "100.01"), line("2", "100.01"), line("1", "50.05", vat="10")])
    t = totals(order)
    assert t.by_rate == {
        "10": (Decimal("50.05"), Decimal("5.01")),
        "22": (Decimal("300.03"), Decimal("66.01")),
    }
    assert (t.taxable, t.vat, t.total) == (Decimal("350.08"), Decimal("71.02"), Decimal("421.10"))


def test_order_instalments_from_its_terms() -> None:
    # 17,055.60 on BB3060FM from 01/03/2025: 30/04 and 31/05, 8527.80 each
    customer = Customer(payment_terms="RB60FM")
    order = Order(number="O", ordered_on=date(2025, 3, 1), payment_terms="BB3060FM",
                  lines=[line("1", "13980.00")])  # fmt: skip
    got = instalments(order, customer, load_definitions(), "months")
    assert [(i.date, str(i.amount)) for i in got] == [
        (date(2025, 4, 30), "8527.80"),
        (date(2025, 5, 31), "8527.80"),
    ]


def test_travel_domain_example() -> None:
    # 70 km round trip × €0.60 + €40 call-out, no travel time = €82.00
    settings = Settings(data_dir=None)  # type: ignore[arg-type]
    cost = visit_cost(Site(km_one_way=Decimal(35)), rates_for(Customer(), settings))
    assert (cost.km_round_trip, cost.km_cost, cost.total) == (
        Decimal(70),
        Decimal("42.00"),
        Decimal("82.00"),
    )


def test_travel_with_time_tolls_and_overrides() -> None:
    # 196 km × 0.55 = 107.80; 150 min × 30/h = 75.00; call-out 40; tolls 12.40 → 235.20
    settings = Settings(data_dir=None)  # type: ignore[arg-type]
    customer = Customer(travel_rates=TravelRates(rate_per_km=Decimal("0.55"),
                                                 hourly_rate=Decimal(30)))  # fmt: skip
    site = Site(km_one_way=Decimal(98), travel_minutes=75, tolls=Decimal("12.40"))
    cost = visit_cost(site, rates_for(customer, settings))
    assert (cost.km_cost, cost.time_cost, cost.call_out_fee, cost.total) == (
        Decimal("107.80"),
        Decimal("75.00"),
        Decimal("40.00"),
        Decimal("235.20"),
    )


def test_flat_fee_replaces_the_formula() -> None:
    settings = Settings(data_dir=None)  # type: ignore[arg-type]
    site = Site(km_one_way=Decimal(3), flat_fee=Decimal(30))
    assert visit_cost(site, rates_for(Customer(), settings)).total == Decimal("30.00")
