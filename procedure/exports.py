"""Flat files for the other office systems: Assist's travel CSV and osTicket's import CSVs."""

import csv
import io
from decimal import Decimal
from pathlib import Path

from procedure.billing import it_amount
from procedure.office import Office
from procedure.osticket import import_files
from procedure.problems import InvalidInput, Problem
from procedure.travel import rates_for, visit_cost
from store.files import atomic_write, ensure_dir

ASSIST_COLUMNS = [
    "codice_cliente", "ragione_sociale", "sede", "km_andata", "km_andata_ritorno",
    "tariffa_km", "diritto_chiamata", "minuti_andata_ritorno", "tariffa_oraria", "pedaggi",
    "forfait", "costo_visita", "contratti", "ore_incluse",
]  # fmt: skip


def assist_csv(office: Office) -> str:
    """One row per customer site: travel profile, visit cost, contracts and included hours."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(ASSIST_COLUMNS)
    for c in office.all_customers():
        rates = rates_for(c, office.settings)
        active = [k for k in c.contracts if k.status != "cancelled"]
        hours = sum((k.included_hours for k in active), start=Decimal(0))
        for site in c.sites:
            v = visit_cost(site, rates)
            writer.writerow([
                c.code, c.name, site.name, it_amount(site.km_one_way), it_amount(v.km_round_trip),
                it_amount(rates.rate_per_km), it_amount(rates.call_out_fee),
                v.travel_minutes_round_trip, it_amount(rates.hourly_rate), it_amount(v.tolls),
                it_amount(site.flat_fee) if site.flat_fee is not None else "",
                it_amount(v.total), " ".join(k.number for k in active), it_amount(hours),
            ])  # fmt: skip
    return out.getvalue()


def write_osticket_files(office: Office, folder: Path) -> list[Path]:
    """Write organizations.csv, users.csv and users-CODE.csv; nothing if any row is bad."""
    customers = [c for c in office.all_customers() if any(k.osticket for k in c.contacts)]
    try:
        files = import_files(customers)
    except ValueError as exc:
        raise InvalidInput([Problem("", line) for line in str(exc).splitlines()]) from None
    ensure_dir(folder)
    written = [folder / "organizations.csv", folder / "users.csv"]
    atomic_write(written[0], files.organizations.encode("utf-8"))
    atomic_write(written[1], files.users.encode("utf-8"))
    for code, text in files.users_by_customer.items():
        path = folder / f"users-{code}.csv"
        atomic_write(path, text.encode("utf-8"))
        written.append(path)
    return written
