"""Flat files for the help-desk program Assist: travel profiles, visit costs, contracts."""

import csv
import io
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING

from procedure.config.settings import Settings
from procedure.enums import ContractStatus
from procedure.italian import decimal_comma
from procedure.model import Customer
from procedure.rules.travel import rates_for, visit_cost

if TYPE_CHECKING:
    from procedure.office import Office

ASSIST_COLUMNS = [
    "codice_cliente",
    "ragione_sociale",
    "sede",
    "km_andata",
    "km_andata_ritorno",
    "tariffa_km",
    "diritto_chiamata",
    "minuti_andata_ritorno",
    "tariffa_oraria",
    "pedaggi",
    "forfait",
    "costo_visita",
    "contratti",
    "ore_incluse",
]


class Exports:
    """Files for the office's other programs."""

    def __init__(self, office: "Office") -> None:
        self.office = office

    def assist_csv(self) -> str:
        """One row per customer site: travel profile, visit cost, contracts, included hours."""
        return assist_csv(self.office.all_customers(), self.office.settings)


def assist_csv(customers: Iterable[Customer], settings: Settings) -> str:
    """One row per customer site: travel profile, visit cost, contracts and included hours."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(ASSIST_COLUMNS)
    for c in customers:
        rates = rates_for(c, settings)
        active = [k for k in c.contracts if k.status != ContractStatus.CANCELLED]
        hours = sum((k.included_hours for k in active), start=Decimal(0))
        for site in c.sites:
            v = visit_cost(site, rates)
            writer.writerow(
                [
                    c.code,
                    c.name,
                    site.name,
                    decimal_comma(site.km_one_way),
                    decimal_comma(v.km_round_trip),
                    decimal_comma(rates.rate_per_km),
                    decimal_comma(rates.call_out_fee),
                    v.travel_minutes_round_trip,
                    decimal_comma(rates.hourly_rate),
                    decimal_comma(v.tolls),
                    decimal_comma(site.flat_fee) if site.flat_fee is not None else "",
                    decimal_comma(v.total),
                    " ".join(k.number for k in active),
                    decimal_comma(hours),
                ]
            )
    return out.getvalue()
