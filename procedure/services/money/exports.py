"""Flat files for the help-desk program Assist: travel profiles, visit costs, contracts."""

import csv
import io
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from procedure.config.settings import Settings
from procedure.enums import ContractType, Frequency
from procedure.folder import DataFolder
from procedure.italian import it_date, it_fixed, label_of
from procedure.model import Customer
from procedure.rules.commerce.schedule import in_force
from procedure.rules.commerce.travel import rates_for, visit_cost
from procedure.services.money.billing import Billing, Invoice

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

    def __init__(self, folder: DataFolder, billing: Billing) -> None:
        self.folder = folder
        self.billing = billing

    def assist_csv(self) -> str:
        """One row per customer site: travel profile, visit cost, contracts, included hours."""
        today = self.folder.clock().date()
        return assist_csv(self.folder.all_customers(), self.folder.settings, today)

    def assist_contracts_csv(self) -> str:
        """One row per billable contract: fee, billing, next invoice and its due dates."""
        today = self.folder.clock().date()
        rows = self.billing.next_invoices(today)
        return contracts_csv(rows, self.folder.settings.company.extra_rate)


def _money(value: Decimal | None) -> str:
    return it_fixed(value) if value is not None else ""


def assist_csv(customers: Iterable[Customer], settings: Settings, day: date) -> str:
    """One row per customer site: travel profile, visit cost, the contracts in force on
    ``day`` and their included hours. Money has two decimals, km and hours one, minutes
    none: one format per column."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(ASSIST_COLUMNS)
    for c in customers:
        rates = rates_for(c, settings)
        active = [k for k in c.contracts if in_force(k, day)]
        hours = sum((k.included_hours for k in active), start=Decimal(0))
        for site in c.sites:
            v = visit_cost(site, rates)
            writer.writerow(
                [
                    c.code,
                    c.name,
                    site.name,
                    it_fixed(site.km_one_way, 1),
                    it_fixed(v.km_round_trip, 1),
                    _money(rates.rate_per_km),
                    _money(rates.call_out_fee),
                    v.travel_minutes_round_trip,
                    _money(rates.hourly_rate),
                    _money(v.tolls),
                    _money(site.flat_fee),
                    _money(v.total),
                    " ".join(k.number for k in active),
                    it_fixed(hours, 1),
                ]
            )
    return out.getvalue()


CONTRACT_COLUMNS = [
    "codice_cliente",
    "ragione_sociale",
    "contratto",
    "tipo",
    "canone_annuo",
    "fatturazione",
    "anticipata_posticipata",
    "decorrenza",
    "scadenza",
    "rinnovo_tacito",
    "prossima_fattura",
    "importo_prossima_fattura",
    "iva_prossima_fattura",
    "scissione_pagamenti",
    "da_incassare",
    "scadenze_pagamento",
    "ore_incluse",
    "tariffa_oraria_extra",
]


def contracts_csv(rows: Iterable["Invoice"], extra_rate: Decimal) -> str:
    """One row per contract with the fee, how it is billed, its next invoice and the due
    dates of that invoice (what Assist's contracts need, keyed in or imported)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(CONTRACT_COLUMNS)
    for inv in rows:
        c, k, p = inv.customer, inv.contract, inv.period
        due = " ".join(f"{it_date(i.date)}={it_fixed(i.amount)}" for i in inv.due)
        writer.writerow(
            [
                c.code,
                c.name,
                k.number,
                label_of(ContractType, k.type),
                it_fixed(k.annual_fee),
                label_of(Frequency, k.frequency),
                "anticipata" if k.in_advance else "posticipata",
                it_date(k.start, ""),
                it_date(k.end, ""),
                "sì" if k.auto_renewal else "no",
                it_date(p.issue_date),
                it_fixed(p.amount),
                it_fixed(inv.vat),
                "sì" if c.invoicing.split_payment else "no",
                it_fixed(inv.collected),
                due,
                it_fixed(k.included_hours, 1),
                it_fixed(extra_rate),
            ]
        )
    return out.getvalue()
