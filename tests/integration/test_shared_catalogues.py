"""What every customer shares changes under the store's lock: colleagues adding payment
terms at once keep all of them, company data edits keep the comments and reach every
process, and a renamed customer keeps one folder."""

import json
import multiprocessing
import subprocess
import sys
from pathlib import Path

from procedure.office import Office
from procedure.services.catalogue import TermForm
from tests.conftest import ROOT


def _add_terms(data: str, prefix: str, start: "multiprocessing.synchronize.Event") -> None:
    office = Office.open(Path(data), user=prefix.lower())
    start.wait(30)
    for n in range(10):
        office.catalogue.save_term(TermForm(f"{prefix}{n}", f"Bonifico {n}", days=[30 + n]))


def test_two_processes_adding_terms_at_once_keep_all(demo: Office) -> None:
    data = str(demo.settings.data_dir)
    start = multiprocessing.get_context("spawn").Event()
    procs = [
        multiprocessing.get_context("spawn").Process(target=_add_terms, args=(data, p, start))
        for p in ("AA", "BB")
    ]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    terms = Office.open(demo.settings.data_dir).defs.terms
    assert {f"{p}{n}" for p in ("AA", "BB") for n in range(10)} <= set(terms)
    assert "RB60FM" in terms  # the catalogue it started from is kept too
    # the Office opened before sees them without a restart
    assert "AA9" in demo.defs.terms and "BB9" in demo.defs.terms


def test_import_adds_terms_beside_a_colleagues(demo: Office, tmp_path: Path) -> None:
    doc = tmp_path / "terms.json"
    term = {"code": "BB45DF", "description": "Bonifico 45 gg d.f.", "mp": "MP05", "tp": "TP02",
            "days": [45], "end_of_month": False, "fixed_day": 0}  # fmt: skip
    doc.write_text(json.dumps({"payment_terms": [term]}))
    demo.catalogue.save_term(TermForm("BB90DF", "Bonifico 90 gg d.f.", days=[90]))
    command = [sys.executable, "main.py", "--data", str(demo.settings.data_dir), "import"]
    subprocess.run([*command, str(doc)], cwd=ROOT, check=True, capture_output=True)
    assert {"BB45DF", "BB90DF"} <= set(demo.defs.terms)
    exported = demo.exchange.export_document()["payment_terms"]
    assert [t for t in exported if t["code"] == "BB45DF"] == [term]


def test_import_cannot_change_the_rule_of_a_term_in_use(demo: Office, tmp_path: Path) -> None:
    rule = demo.defs.terms["RB60FM"]
    term = {"code": "RB60FM", "description": "x", "mp": "MP12", "tp": "TP02", "days": [90],
            "end_of_month": True, "fixed_day": 0}  # fmt: skip
    doc = tmp_path / "terms.json"
    doc.write_text(json.dumps({"payment_terms": [term]}))
    command = [sys.executable, "main.py", "--data", str(demo.settings.data_dir), "import"]
    done = subprocess.run([*command, str(doc)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 1
    assert "payment_terms[0].code: usata da 1 cliente" in done.stderr
    assert demo.defs.terms["RB60FM"] == rule


def test_company_data_saved_under_the_lock_reaches_other_processes(demo: Office) -> None:
    other = Office.open(demo.settings.data_dir)
    assert other.settings.company.name == "Delta Test Informatica S.r.l."
    form = demo.catalogue.company_form()
    form.name = "Delta Nuova S.r.l."
    revision = demo.revision()
    demo.catalogue.save_company(form)
    assert demo.revision() == revision + 1  # open screens reload
    assert other.settings.company.name == "Delta Nuova S.r.l."
    text = demo.settings.config_path.read_text()
    assert "# Ragione sociale." in text and 'name = "Delta Nuova S.r.l."' in text


def test_renamed_customer_keeps_one_folder(demo: Office) -> None:
    first = demo.documents.generate("C00001", "forms").records[0]
    folder = demo.filing.customer_dir(demo.customer("C00001"))
    customer = demo.customer("C00001")
    customer.name = "Alfa Rinominata S.r.l."
    demo.customers.save(customer)
    later = demo.documents.generate("C00001", "contract").records[0]
    root = demo.settings.archive_root
    assert [p.name for p in root.iterdir() if p.name.endswith(" - C00001")] == [folder.name]
    assert Path(first.file).is_relative_to(folder) and Path(later.file).is_relative_to(folder)
    assert demo.filing.slot_dir(demo.customer("C00001"), "privacy").is_relative_to(folder)
