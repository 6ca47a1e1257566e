"""The sample data of the domain notes (made-up identifiers that pass their checksums)."""

from pathlib import Path
from typing import Any

from pypdf import PdfWriter

from procedure.office import Office


def _address(street: str, zip_code: str, city: str, province: str) -> dict[str, str]:
    return {"street": street, "zip": zip_code, "city": city, "province": province, "country": "IT"}


def _contract(
    number: str, kind: str, products: list[str], fee: str, **extra: Any
) -> dict[str, Any]:
    return {"number": number, "type": kind, "products": products, "annual_fee": fee, **extra}


PRODUCTS = [
    ("GEST-BASE", "Gestionale Base", "software", "3500.00", True),
    ("GEST-MAG", "Modulo Magazzino", "software", "1200.00", True),
    ("GEST-CONT", "Modulo Contabilità", "software", "1500.00", True),
    ("ASS-SW", "Assistenza software annuale", "support", "1800.00", False),
    ("ASS-HW", "Assistenza hardware annuale", "support", "600.00", False),
    ("SRV-T1", "Server tower", "hardware", "2400.00", False),
    ("INST", "Installazione e formazione (ora)", "service", "60.00", False),
]

DEMO: dict[str, Any] = {
    "products": [
        {"code": c, "description": d, "kind": k, "price": p, "vat_rate": "22", "licensed": lic}
        for c, d, k, p, lic in PRODUCTS
    ],
    "prospects": [
        {
            "id": "P0001",
            "name": "Beta Esempio Software S.r.l. (dati di esempio)",
            "vat_number": "22334450289",
            "tax_code": "22334450289",
            "address": _address("Via Prova 7", "35010", "Vigonza", "PD"),
            "pec": "betaesempio@pec.example",
            "contacts": [
                {
                    "name": "Marco Prova",
                    "role": "legal_rep",
                    "email": "marco.prova@beta.example",
                    "phone": "049 000 0001",
                }
            ],
            "notes": "Interessati al gestionale con modulo magazzino.",
        },
        {
            "id": "P0002",
            "name": "Delta Prova Servizi S.n.c. (dati di esempio)",
            "vat_number": "88112230235",
            "address": _address("Corso Esempio 21", "37135", "Verona", "VR"),
            "contacts": [
                {
                    "name": "Anna Test",
                    "role": "administration",
                    "email": "anna.test@deltaprova.example",
                }
            ],
        },
    ],
    "customers": [
        {
            "code": "C00001",
            "name": "Alfa Test Meccanica S.r.l.",
            "sample": True,
            "vat_number": "12345670249",
            "tax_code": "12345670249",
            "address": _address("Via dell'Esempio 12", "36100", "Vicenza", "VI"),
            "pec": "alfatest@pec.example",
            "sdi_code": "TSTALF1",
            "invoice_email": "amministrazione@alfatest.example",
            "payment_terms": "RB60FM",
            "excluded_months": [{"month": 8, "day": 10}, {"month": 12, "day": 10}],
            "invoicing": {
                "send_by_email": True,
                "bank_name": "Banca di Esempio",
                "abi": "08327",
                "cab": "03200",
            },
            "contacts": [
                {"name": "Luca Alfa", "role": "legal_rep", "email": "luca.alfa@alfatest.example"},
                {
                    "name": "Sara Conti",
                    "role": "administration",
                    "email": "amministrazione@alfatest.example",
                    "phone": "0444 000 001",
                },
                {
                    "name": "Piero Rete",
                    "role": "it",
                    "email": "it@alfatest.example",
                    "osticket": True,
                },
            ],
            "sites": [
                {
                    "name": "Sede di Vicenza",
                    "address": _address("Via dell'Esempio 12", "36100", "Vicenza", "VI"),
                    "km_one_way": "35",
                }
            ],
            "orders": [
                {
                    "number": "ORD-2025-0101",
                    "ordered_on": "2025-03-01",
                    "payment_terms": "RB60FM",
                    "lines": [
                        {
                            "product_code": "GEST-BASE",
                            "description": "Gestionale Base",
                            "quantity": "3",
                            "price": "3500.00",
                            "edition": "Professional",
                            "modules": ["Vendite", "Acquisti"],
                        },
                        {
                            "product_code": "GEST-MAG",
                            "description": "Modulo Magazzino",
                            "licence_type": "subscription",
                            "licence_months": 12,
                            "quantity": "1",
                            "price": "1200.00",
                            "discount": "10",
                        },
                        {
                            "product_code": "SRV-T1",
                            "description": "Server tower",
                            "quantity": "1",
                            "price": "2400.00",
                        },
                    ],
                }
            ],
            "contracts": [
                _contract(
                    "CT-2025-001",
                    "software",
                    ["GEST-BASE", "GEST-MAG"],
                    "1800.00",
                    frequency="yearly",
                    in_advance=True,
                    start="2025-03-15",
                    end="2026-12-31",  # aligned and renewing: the term ends with a year
                    notice_days=90,
                    included_hours="10",
                    aligned=True,
                    indexation_share="75",
                ),
                _contract(
                    "CT-2025-002",
                    "hardware",
                    ["SRV-T1"],
                    "600.00",
                    frequency="yearly",
                    in_advance=True,
                    start="2025-03-15",
                    end="2026-03-14",
                    notice_days=60,
                ),
            ],
        },
        {
            "code": "C00002",
            "name": "Studio Esempio di Giulia Esempio",
            "sample": True,
            "kind": "sole_trader",
            "vat_number": "76543210280",
            "tax_code": "SMPGLI75C55A944U",
            "address": _address("Via Campione 3", "35131", "Padova", "PD"),
            "pec": "studioesempio@pec.example",
            "sdi_code": "0000000",
            "iban": "IT78O0200802457000000100025",
            "payment_terms": "SDD-CORE",
            "sepa_mandate": {"umr": "DTI-2025-000002", "signed_on": "2025-06-25", "scheme": "CORE"},
            "contacts": [
                {
                    "name": "Giulia Esempio",
                    "role": "legal_rep",
                    "email": "giulia@studioesempio.example",
                    "osticket": True,
                }
            ],
            "sites": [
                {
                    "name": "Studio",
                    "address": _address("Via Campione 3", "35131", "Padova", "PD"),
                    "flat_fee": "30.00",
                }
            ],
            "orders": [
                {
                    "number": "ORD-2025-0102",
                    "ordered_on": "2025-06-20",
                    "payment_terms": "SDD-CORE",
                    "lines": [
                        {
                            "product_code": "GEST-BASE",
                            "description": "Gestionale Base",
                            "quantity": "1",
                            "price": "3500.00",
                            "discount": "5",
                            "edition": "Studio",
                        }
                    ],
                }
            ],
            "contracts": [
                _contract(
                    "CT-2025-003",
                    "software",
                    ["GEST-BASE"],
                    "960.00",
                    frequency="monthly",
                    in_advance=True,
                    start="2025-07-01",
                    end="2026-06-30",
                    notice_days=60,
                    included_hours="4",
                ),
            ],
        },
        {
            "code": "C00003",
            "name": "Gamma Prova Logistica S.p.A.",
            "sample": True,
            "vat_number": "02468130238",
            "tax_code": "02468130238",
            "address": _address("Via del Test 100", "37121", "Verona", "VR"),
            "pec": "gammaprova@pec.example",
            "sdi_code": "TSTGMM3",
            "payment_terms": "BB30FM",
            "contacts": [
                {
                    "name": "Franco Gamma",
                    "role": "software",
                    "email": "software@gammaprova.example",
                    "osticket": True,
                }
            ],
            "sites": [
                {
                    "name": "Magazzino di Verona",
                    "address": _address("Via del Test 100", "37121", "Verona", "VR"),
                    "km_one_way": "98",
                    "travel_minutes": 75,
                }
            ],
            "travel_rates": {"hourly_rate": "30.00"},
            "orders": [
                {
                    "number": "ORD-2025-0103",
                    "ordered_on": "2025-03-25",
                    "payment_terms": "BB30FM",
                    "lines": [
                        {
                            "product_code": "GEST-BASE",
                            "description": "Gestionale Base",
                            "quantity": "1",
                            "price": "3500.00",
                        },
                        {
                            "product_code": "GEST-CONT",
                            "description": "Modulo Contabilità",
                            "quantity": "1",
                            "price": "1500.00",
                        },
                    ],
                }
            ],
            "contracts": [
                _contract(
                    "CT-2025-004",
                    "software",
                    ["GEST-BASE", "GEST-CONT"],
                    "4200.00",
                    frequency="quarterly",
                    in_advance=False,
                    start="2025-04-01",
                    end="2026-03-31",
                    notice_days=90,
                    included_hours="20",
                ),
            ],
        },
    ],
}

DONE_STEPS = {
    "C00001": ["forms_sent", "customer_created", "order_entered"],
    "C00002": ["forms_sent"],
}


def load_demo(office: Office, more: list[dict[str, Any]] | None = None) -> list[str]:
    """Load (or reload) the sample customers, catalogue and prospects; return the codes.
    ``more`` customers come in the same import (a large office for tests and benchmarks)."""
    office.exchange.import_document({**DEMO, "customers": [*DEMO["customers"], *(more or [])]})
    for code, steps in DONE_STEPS.items():
        for step in steps:
            office.checklist.set_step(code, step, True, note="dati di esempio")
    returned = _returned_scan(office, "C00001", "master_data")
    office.checklist.form_returned("C00001", "master_data", str(returned))
    return [c["code"] for c in DEMO["customers"]]


def _returned_scan(office: Office, code: str, form_id: str) -> Path:
    """A one-page PDF in the form's slot, standing for the customer's returned scan (the
    ledger names a file that is really there)."""
    office.filing.ensure_customer(office.customer(code))
    path = office.filing.slot_dir(office.customer(code), form_id) / "Raccolta Dati Anagrafici.pdf"
    if not path.exists():
        writer = PdfWriter()
        writer.add_blank_page(595, 842)
        with path.open("wb") as out:
            writer.write(out)
    return path
