"""The money commands end to end on the demo data folder."""

import json
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from tests.conftest import Clock, raw_sql


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    assert main(["--data", str(folder), "demo"]) == 0
    capsys.readouterr()
    return folder


def run(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_terms_json_matches_domain_example(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = run(capsys, data, "terms", "RB60FM", "--date", "2025-06-15", "--amount",
                       "1234.56", "--exclude", "8:10", "--exclude", "12:10", "--json")  # fmt: skip
    assert code == 0
    assert json.loads(out) == [{"date": "2025-09-10", "amount": "1234.56"}]


def test_terms_bad_input(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, _, err = run(capsys, data, "terms", "RB60FM", "--date", "15/06/2025", "--amount", "1")
    assert (code, err) == (1, "--date: data nel formato AAAA-MM-GG\n")
    code, _, err = run(capsys, data, "terms", "ZZ", "--date", "2025-06-15", "--amount", "1")
    assert code == 2 and "ZZ" in err
    code, _, err = run(capsys, data, "terms", "RD", "--date", "2025-06-15", "--amount", "1",
                       "--exclude", "13:10")  # fmt: skip
    assert code == 1 and "--exclude" in err


def test_schedule_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = run(capsys, data, "schedule", "CT-2025-001", "--json")
    assert code == 0
    # the fee is the taxable; 22% VAT on it, and the due dates collect the total
    assert json.loads(out) == [
        {"period_from": "2025-03-15", "period_to": "2025-12-31", "issue_date": "2025-03-15",
         "amount": "1440.00", "vat": "316.80", "collected": "1756.80",
         "due": [{"date": "2025-05-31", "amount": "1756.80"}]},
        # aligned and renewing by itself: on the calendar, the whole of 2026 on 01/01
        {"period_from": "2026-01-01", "period_to": "2026-12-31", "issue_date": "2026-01-01",
         "amount": "1800.00", "vat": "396.00", "collected": "2196.00",
         "due": [{"date": "2026-03-31", "amount": "2196.00"}]},
    ]  # fmt: skip
    assert run(capsys, data, "schedule", "CT-9999")[0] == 2


def test_billing_window_csv(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    path = tmp_path / "fatture.csv"
    code, _, _ = run(capsys, data, "billing", "--from", "2025-07-01", "--to", "2025-07-31",
                     "--csv", str(path))  # fmt: skip
    assert code == 0
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads accents right
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("cliente;ragione_sociale;contratto;")
    # Studio monthly in advance (80,00 + 17,60 VAT on 01/07, SDD 10 days → 11/07)
    assert lines[1:] == [
        "C00002;Studio Esempio di Giulia Esempio;CT-2025-003;01/07/2025;31/07/2025;"
        "01/07/2025;80,00;17,60;97,60;no;97,60;11/07/2025=97,60"
    ]


def test_travel_and_assist_export(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = run(capsys, data, "travel", "C00001", "--json")
    assert code == 0
    assert json.loads(out)[0]["total"] == "82.00"
    code, out, _ = run(capsys, data, "export", "assist")
    rows = [r.split(";") for r in out.splitlines()]
    assert rows[0][0] == "codice_cliente"
    assert rows[3][:3] == ["C00003", "Gamma Prova Logistica S.p.A.", "Magazzino di Verona"]
    assert rows[3][11] == "232,60"  # 196 km × 0.60 + 40 + 150 min × 30 €/h
    assert rows[3][-1] == "20,0"  # included hours
    # one number format per column: money always with two decimals
    assert {r[8] for r in rows[1:]} == {"0,00", "30,00"}
    code, out, _ = run(capsys, data, "export", "assist", "--contracts")
    rows = [r.split(";") for r in out.splitlines()]
    assert rows[0][:7] == ["codice_cliente", "ragione_sociale", "contratto", "tipo",
                           "canone_annuo", "fatturazione", "anticipata_posticipata"]  # fmt: skip
    gamma = next(r for r in rows if r[2] == "CT-2025-004")
    assert gamma[3:7] == ["software", "4200,00", "trimestrale", "posticipata"]
    assert gamma[-2:] == ["20,0", "60,00"]  # included hours, extra hourly rate
    # the next invoice after the demo clock's today: its taxable, VAT, whether split payment
    # applies, what is collected, and its due date (BB30FM: end of the month after the
    # invoice date) for that amount
    assert gamma[11:15] == ["1050,00", "231,00", "no", "1281,00"]
    assert "=1281,00" in gamma[15]


def test_osticket_export_and_bad_row(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ost"
    code, out, _ = run(capsys, data, "export", "osticket", "--dir", str(folder))
    assert code == 0
    assert "osTicket non sposta un utente la cui e-mail esiste già" in out  # said, not hidden
    orgs = (folder / "organizations.csv").read_text().splitlines()
    assert orgs[0] == "name"  # osTicket's org import reads the first column only
    assert "CT-2025-001: canone annuo € 1.800,00" in (folder / "users.csv").read_text()
    users = (folder / "users.csv").read_text().splitlines()
    assert users[0] == "name,email,phone,notes,contract_amount"
    assert len(users) == 4
    assert (folder / "users-C00002.csv").exists()
    # a contact flagged for osTicket without an e-mail can only come through import
    bad = tmp_path / "bad.json"
    doc = json.loads(run(capsys, data, "export")[1])
    doc["customers"][2]["contacts"][0]["email"] = "software@gammaprova.example"
    doc["customers"][2]["contacts"].append({"name": "", "role": "user", "email": "x@y.example",
                                            "osticket": True})  # fmt: skip
    bad.write_text(json.dumps(doc))
    assert run(capsys, data, "import", str(bad))[0] == 1  # the store refuses the nameless one


def test_licence_issue_and_verify(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = run(capsys, data, "licence", "issue", "C00001")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("LIC-") and "Gestionale Base (3 postazioni)" in lines[0]
    assert lines[2].startswith("LIC-") and "Modulo Magazzino" in lines[2]
    key = lines[1]
    code, out, _ = run(capsys, data, "licence", "verify", key)
    assert code == 0 and out.startswith("valida: LIC-")
    tampered = ("A" if key[5] != "A" else "B").join((key[:5], key[6:]))
    code, out, _ = run(capsys, data, "licence", "verify", tampered)
    assert code == 1 and out.startswith("non valida")
    assert run(capsys, data, "licence", "issue", "C00001")[1] == ""  # nothing new to issue
    keys = sorted((data / "keys").iterdir())
    assert [p.name for p in keys] == ["licence-public.pem", "licence-signing.pem"]


def test_handover_prints_a_sheet(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, _, err = run(capsys, data, "handover", "C00001", "orders", "--to", "Amministrazione")
    assert code == 1 and "Tempi di fatturazione: indicare i tempi concordati" in err
    code, out, _ = run(capsys, data, "handover", "C00001", "orders", "--to", "Marta (ammin.)",
                       "--billing", "alla consegna")  # fmt: skip
    assert code == 0
    assert "CONSEGNA CONFERME D'ORDINE ALL'AMMINISTRAZIONE" in out
    assert "Ordine ORD-2025-0101 del 01/03/2025, totale € 17.055,60" in out
    assert "Tempi di fatturazione concordati: alla consegna" in out
    doc = json.loads(run(capsys, data, "show", "C00001", "--json")[1])
    step = next(s for s in doc["steps"] if s["id"] == "order_to_administration")
    assert step["status"] == "done"
    assert doc["handovers"][0]["recipient"] == "Marta (ammin.)"
    code, _, err = run(capsys, data, "handover", "C00003", "contracts", "--to", "Direzione")
    assert code == 1 and "Prima completare" in err


def test_order_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = run(capsys, data, "order", "C00001", "ORD-2025-0101", "--json")
    doc = json.loads(out)
    assert (code, doc["taxable"], doc["vat"], doc["total"]) == (0, "13980.00", "3075.60",
                                                                "17055.60")  # fmt: skip
    assert doc["instalments"] == [{"date": "2025-05-31", "amount": "17055.60"}]


def test_billing_includes_automatic_renewals(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    # Gamma's contract ends 31/03/2026 and renews by itself: Q2 2026 is billed on 30/06/2026
    code, out, _ = run(capsys, data, "billing", "--from", "2026-06-01", "--to", "2026-06-30")
    assert code == 0
    assert (
        "C00003;Gamma Prova Logistica S.p.A.;CT-2025-004;01/04/2026;30/06/2026;30/06/2026;1050,00"
        in out
    )


def test_three_years_of_an_aligned_yearly_contract(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, out, _ = run(capsys, data, "billing", "--from", "2025-01-01", "--to", "2027-12-31")
    assert code == 0
    rows = [r.split(";") for r in out.splitlines() if ";CT-2025-001;" in r]
    # the first stub, then one invoice a year on 01/01 (renewals at the fee of the day)
    assert [(r[5], r[6]) for r in rows] == [
        ("15/03/2025", "1440,00"),
        ("01/01/2026", "1800,00"),
        ("01/01/2027", "1800,00"),
    ]


def test_renew_refused_for_a_draft(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, _, err = run(capsys, data, "renew", "CT-2025-001", "--foi", "1.7", "--apply")
    assert code == 1 and "«bozza»" in err and "inviato, firmato o attivo" in err


def test_terms_refuses_negative_amounts_and_a_third_month(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, _, err = run(capsys, data, "terms", "RD", "--date", "2025-06-15", "--amount", "-5")
    assert (code, err) == (1, "--amount: non può essere negativo\n")
    code, _, err = run(capsys, data, "terms", "RD", "--date", "2025-06-15", "--amount", "5",
                       "--exclude", "8:10", "--exclude", "12:10", "--exclude", "1:10")  # fmt: skip
    assert code == 1 and "al massimo due mesi esclusi" in err
    code, out, _ = run(capsys, data, "terms", "RD", "--date", "2025-06-15", "--amount", "5")
    assert "Rimessa diretta vista fattura con bonifico (MP05/TP02)" in out


def test_renew_preview_and_apply(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    from procedure.enums import ContractStatus
    from procedure.office import Office

    office = Office.open(data)
    alfa = office.customer("C00001")
    alfa.contracts[0].status = ContractStatus.ACTIVE
    office.customers.save(alfa)
    code, out, _ = run(capsys, data, "renew", "CT-2025-001", "--foi", "1.7")
    doc = json.loads(out)
    assert (code, doc["next"]["annual_fee"], doc["applied"]) == (0, "1822.95", False)
    # aligned and renewing: its term ends with 2026; notice 90 days before 31/12/2026
    assert doc["notice_by"] == "2026-10-02"
    assert (
        json.loads(run(capsys, data, "schedule", "CT-2025-001", "--json")[1])[0]["period_from"]
        == "2025-03-15"
    )
    code, out, _ = run(capsys, data, "renew", "CT-2025-001", "--foi", "1.7", "--apply")
    assert json.loads(out)["applied"] is True
    rows = json.loads(run(capsys, data, "schedule", "CT-2025-001", "--json")[1])
    # the renewal is calendar year 2027, indexed: 1800 × (1 + 0.017 × 0.75) = 1822.95
    assert [(r["period_from"], r["amount"]) for r in rows] == [("2027-01-01", "1822.95")]


def _billing(capsys: pytest.CaptureFixture[str], data: Path, year: int) -> str:
    code, out, _ = run(capsys, data, "billing", "--from", f"{year}-01-01", "--to", f"{year}-12-31")
    assert code == 0
    return out


def test_billing_plans_give_what_the_dossiers_give(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    """A year read from the billing plans kept with the list equals the same year worked
    out from the dossiers; plans made under other rules are not used."""
    year = date.today().year - 1  # the demo's contracts start with stubs then
    office = Office.open(data)
    assert office.billing_plans()
    from_plans = _billing(capsys, data, year)
    assert from_plans.count("\n") > 3
    kept = raw_sql(office, "SELECT * FROM plans")
    raw_sql(office, "DELETE FROM plans")  # no plan: every customer is worked out from the dossier
    assert _billing(capsys, data, year) == from_plans
    for row in kept:
        raw_sql(office, "INSERT INTO plans VALUES (?, ?, ?)", *row)
    config = data / "config.toml"
    config.write_text(
        config.read_text().replace('day_count = "actual/365"', 'day_count = "30/360"')
    )
    other_rule = _billing(capsys, data, year)
    assert other_rule != from_plans  # the stubs cost otherwise: the old plans were not used
    raw_sql(office, "DELETE FROM plans")
    assert _billing(capsys, data, year) == other_rule


def test_assist_counts_the_hours_of_contracts_in_force_only(demo: Office, clock: Clock) -> None:
    """An expired contract that does not renew adds nothing, nor one not begun yet; one that
    renews by itself and one in its term do."""
    customer = demo.customer("C00003")
    (current,) = customer.contracts  # 01/04/2025-31/03/2026, 20 hours
    customer.contracts += [
        replace(current, number="CT-OLD", start=date(2023, 1, 1), end=date(2023, 12, 31),
                auto_renewal=False, included_hours=Decimal(10)),
        replace(current, number="CT-RENEWS", start=date(2023, 1, 1), end=date(2023, 12, 31),
                auto_renewal=True, included_hours=Decimal(3)),
    ]  # fmt: skip
    demo.customers.save(customer)

    def gamma() -> list[str]:
        rows = [r.split(";") for r in demo.exports.assist_csv().splitlines()]
        return next(r for r in rows if r[0] == "C00003")[-2:]

    assert gamma() == ["CT-RENEWS", "3,0"]  # 20/03/2025: CT-2025-004 not begun yet
    clock.now = datetime(2025, 5, 2, 9, 0)
    assert gamma() == ["CT-2025-004 CT-RENEWS", "23,0"]  # never the expired 10 hours


def test_split_payment_reaches_billing_and_assist(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    """Studio Esempio under split payment: the VAT shown, the taxable collected."""
    with Office.open(data).dossiers.edit("C00002") as d:
        d.customer.invoicing.split_payment = True
    path = tmp_path / "fatture.csv"
    assert run(capsys, data, "billing", "--from", "2025-07-01", "--to", "2025-07-31",
               "--csv", str(path))[0] == 0  # fmt: skip
    (line,) = path.read_bytes().decode("utf-8-sig").splitlines()[1:]
    assert line.endswith("01/07/2025;80,00;17,60;97,60;sì;80,00;11/07/2025=80,00")
    _, out, _ = run(capsys, data, "export", "assist", "--contracts")
    studio = next(r.split(";") for r in out.splitlines() if ";CT-2025-003;" in r)
    assert studio[11:15] == ["80,00", "17,60", "sì", "80,00"]
    assert studio[15].endswith("=80,00")


def test_a_contract_that_does_not_renew_has_no_notice_date(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    """Gamma's contract ends on 31/03/2026 without renewing: deadlines list it by its end,
    with no notice to give, and renew gives it no notice date."""
    with Office.open(data).dossiers.edit("C00003") as d:
        d.customer.contracts[0].auto_renewal = False
        d.customer.contracts[0].status = "active"
    office = Office.open(data, clock=lambda: datetime(2026, 2, 1, 9, 0))
    (row,) = [d for d in office.billing.deadlines(date(2026, 2, 1), 120) if d.code == "C00003"]
    assert (row.notice_by, row.term_end, row.renews) == (None, date(2026, 3, 31), False)
    code, out, _ = run(capsys, data, "renew", "CT-2025-004", "--foi", "1.5")
    assert code == 0 and json.loads(out)["notice_by"] is None
