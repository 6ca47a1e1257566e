"""The command line, run in-process through main() and, for the entry point, as a process."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from tests.conftest import ROOT, raw_sql


def cli(capsys: pytest.CaptureFixture[str], data: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--data", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def data(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    folder = tmp_path / "data"
    assert cli(capsys, folder, "demo")[0] == 0
    return folder


def test_list_json(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = cli(capsys, data, "list", "--json")
    rows = json.loads(out)
    assert code == 0
    assert [(r["code"], r["progress"]) for r in rows] == [
        ("C00001", "3/15"),
        ("C00002", "1/15"),
        ("C00003", "0/15"),
    ]


def test_show_json_lists_steps_and_forms(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = cli(capsys, data, "show", "C00002", "--json")
    doc = json.loads(out)
    assert code == 0
    assert doc["vat_number"] == "76543210280"
    assert len(doc["steps"]) == 15
    assert set(doc["steps"][0]) == {
        "id",
        "title",
        "status",
        "reason",
        "done_by",
        "done_at",
        "evidence",
    }
    assert doc["steps"][0]["evidence"] == "manual"  # the demo ticked it with a note
    assert doc["steps"][0]["status"] == "done"
    assert doc["steps"][1]["status"] == "todo"
    assert doc["steps"][2]["status"] == "blocked"
    assert doc["steps"][2]["reason"] == "Prima completare: «Creazione anagrafica cliente»."
    forms = {f["id"]: f for f in doc["forms"]}
    assert forms["sepa_mandate"]["required"] is True  # SDD customer
    assert set(forms["master_data"]) == {
        "id",
        "title",
        "required",
        "sent_at",
        "returned_at",
        "file",
        "slot",
        "reminders",
        "signature",
        "signatures",
    }
    assert forms["master_data"]["signature"] is None  # not digitally signed
    assert forms["master_data"]["signatures"] == []


def test_step_done_and_undo(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    assert cli(capsys, data, "step", "C00001", "travel_costs", "done", "--note", "ok")[0] == 0
    doc = json.loads(cli(capsys, data, "show", "C00001", "--json")[1])
    travel = next(s for s in doc["steps"] if s["id"] == "travel_costs")
    assert travel["status"] == "done"
    assert travel["done_by"]
    assert cli(capsys, data, "step", "C00001", "travel_costs", "undo")[0] == 0


def test_step_not_allowed_exits_1_with_reason(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    code, _, err = cli(capsys, data, "step", "C00003", "licences_sent", "done")
    assert code == 1
    assert "Prima completare" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("show", "C09999"),
        ("step", "C09999", "forms_sent", "done"),
        ("step", "C00001", "no_such_step", "done"),
        ("import", "/nonexistent/file.json"),
        ("convert", "P9999"),
    ],
)
def test_unknown_things_exit_2_in_one_line(
    capsys: pytest.CaptureFixture[str], data: Path, args: tuple[str, ...]
) -> None:
    code, _, err = cli(capsys, data, *args)
    assert code == 2
    assert err.startswith("errore: ")
    assert len(err.strip().splitlines()) == 1


def test_convert_prints_the_new_code(capsys: pytest.CaptureFixture[str], data: Path) -> None:
    code, out, _ = cli(capsys, data, "convert", "P0001")
    assert (code, out) == (0, "C00004\n")
    doc = json.loads(cli(capsys, data, "show", "C00004", "--json")[1])
    assert doc["prospect_id"] == "P0001"


def test_bad_import_changes_nothing(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    before = cli(capsys, data, "export")[1]
    bad = {
        "customers": [
            {"code": "C00001", "name": "Alfa Test Meccanica S.r.l.", "vat_number": "123"},
            {"code": "C00077", "name": "Nuovo", "pec": "x@y.example", "payment_terms": "ZZ"},
            {"code": "C00078", "name": "Altro", "address": {"zip": 36100}},
        ],
        "products": [{"code": "NEW", "description": "Nuovo prodotto", "price": "100"}],
    }
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    code, _, err = cli(capsys, data, "import", str(path))
    assert code == 1
    assert err.splitlines() == ["Cliente 3, CAP (customers[2].address.zip): deve essere un testo"]
    del bad["customers"][2]
    path.write_text(json.dumps(bad))
    code, _, err = cli(capsys, data, "import", str(path))
    assert code == 1
    assert err.splitlines() == [
        "Cliente 1, partita IVA (customers[0].vat_number): la Partita IVA è di 11 cifre",
        "Cliente 2, condizioni di pagamento (codice) (customers[1].payment_terms): "
        "condizione di pagamento 'ZZ' non a catalogo",
    ]
    assert cli(capsys, data, "export")[1] == before


def test_import_malformed_json(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{not json")
    code, _, err = cli(capsys, data, "import", str(path))
    assert code == 1
    assert err.startswith(f"{path}: JSON non valido")


def test_export_import_export_round_trip(
    capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path
) -> None:
    cli(capsys, data, "step", "C00001", "travel_costs", "done", "--note", "35 km")
    cli(capsys, data, "convert", "P0002")
    exported = tmp_path / "export.json"
    assert cli(capsys, data, "export", str(exported))[0] == 0
    fresh = tmp_path / "fresh"
    code, out, _ = cli(capsys, fresh, "import", str(exported))
    assert code == 0
    assert "4 clienti" in out
    again = json.loads(cli(capsys, fresh, "export")[1])
    before = json.loads(exported.read_text())
    # a return whose file is not in the new folder's archive is not taken from an import
    (alfa,) = [c for c in before["customers"] if c["code"] == "C00001"]
    returned = alfa["forms"]["master_data"]
    assert returned["file"].endswith("/Raccolta Dati Anagrafici.pdf") and returned["returned_at"]
    alfa["forms"]["master_data"] = {**returned, "file": "", "returned_at": None, "returned_by": ""}
    assert again == before
    # the counters followed the imported codes
    assert cli(capsys, fresh, "convert", "P0001")[1] == "C00005\n"


def test_import_upserts(capsys: pytest.CaptureFixture[str], data: Path, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"customers": [{"code": "C00003", "name": "Gamma Rinominata"},
                                              {"name": "Senza Codice S.r.l."}]}))  # fmt: skip
    assert cli(capsys, data, "import", str(path))[0] == 0
    rows = json.loads(cli(capsys, data, "list", "--json")[1])
    assert [(r["code"], r["name"]) for r in rows][2:] == [
        ("C00003", "Gamma Rinominata"),
        ("C00004", "Senza Codice S.r.l."),
    ]


def run_entry(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=cwd,
        timeout=60,
    )


def test_entry_point_and_data_folder_choice(tmp_path: Path) -> None:
    """./data by default, $ACQUISTO_DATA over it, --data over both; no traceback on errors."""
    env = {"ACQUISTO_DATA": ""}
    assert run_entry(["init"], env, tmp_path).returncode == 0
    assert (tmp_path / "data" / "config.toml").exists()
    assert (tmp_path / "data" / "archivio").is_dir()
    assert (tmp_path / "data" / "store" / "acquisto.sqlite").exists()
    assert run_entry(["init"], {"ACQUISTO_DATA": str(tmp_path / "env")}, tmp_path).returncode == 0
    assert (tmp_path / "env" / "config.toml").exists()
    result = run_entry(["--data", str(tmp_path / "opt"), "show", "C1"], env, tmp_path)
    assert result.returncode == 2
    assert result.stderr == "errore: Cliente 'C1' inesistente.\n"
    assert "Traceback" not in result.stderr
    config = (tmp_path / "data" / "config.toml").read_text()
    assert config.startswith("# Configurazione di Acquisto")
    for made in ("config.toml", "store/acquisto.sqlite", "archivio", "store"):  # personal
        assert (tmp_path / "data" / made).stat().st_mode & 0o077 == 0, made


def test_corrupt_store_is_reported_not_overwritten(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert run_entry(["--data", str(data), "demo"], {}, tmp_path).returncode == 0
    office = Office.open(data)
    raw_sql(office, "UPDATE docs SET body = ? WHERE shard = 'customers/C00001'", '{"dossier": ')
    result = run_entry(
        ["--data", str(data), "step", "C00001", "travel_costs", "done"], {}, tmp_path
    )
    assert result.returncode == 2
    assert "danneggiato" in result.stderr and "Traceback" not in result.stderr
    (body,) = raw_sql(office, "SELECT body FROM docs WHERE shard = 'customers/C00001'")
    assert body == ('{"dossier": ',)


def test_argparse_speaks_italian(capsys: pytest.CaptureFixture[str]) -> None:
    from main import main

    with pytest.raises(SystemExit):
        main(["--help"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("uso: acquisto") and "opzioni:" in help_text
    assert "mostra questo aiuto ed esce" in help_text
    assert "usage" not in help_text and "show this help" not in help_text
    with pytest.raises(SystemExit):
        main(["step"])
    err = capsys.readouterr().err
    assert "errore: mancano gli argomenti obbligatori: CODICE, PASSO, AZIONE" in err


def test_contracts_of_an_ended_term_need_backdated(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    """Alfa's hardware contract ran to 14/03/2026 (the CLI runs on today's date, later)."""
    code, _, err = cli(capsys, data, "docs", "C00001", "contract")
    assert code == 1 and "CT-2025-002 (scaduto il 14/03/2026)" in err and "--backdated" in err
    assert not list((data / "archivio").rglob("Contratto CT-2025-002*"))  # nothing made
    code, out, _ = cli(capsys, data, "docs", "C00001", "contract", "--backdated")
    assert code == 0 and "Contratto CT-2025-002" in out
