"""The watcher on a real folder: slots, intake by QR, stability, rescans, election, review."""

import os
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from archive.layout import INTAKE
from archive.watcher import Watcher
from procedure.office import Office
from procedure.watching import WatchService, make_watcher, scan


def wait_until(condition: Callable[[], bool], seconds: float = 15) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def returned(office: Office, code: str, form: str) -> bool:
    record = office.customer(code).forms.get(form)
    return bool(record and record.returned_at)


def slot(office: Office, code: str, form: str) -> Path:
    filing = office.filing
    filing.ensure_tree()
    return filing.slot_dir(office.customer(code), form)


def test_a_file_in_a_slot_marks_the_form(demo: Office) -> None:
    path = slot(demo, "C00003", "privacy") / "privacy firmata.pdf"
    path.write_bytes(b"%PDF scan")
    scan(demo)
    record = demo.customer("C00003").forms["privacy"]
    assert record.file == str(path)
    assert record.returned_by  # the file's owner
    assert scan(demo) == 0  # already handled: the rescan only walks
    assert [e["action"] for e in demo.audit("C00003")].count("form.returned") == 1


def test_all_forms_back_completes_archiving(demo: Office) -> None:
    demo.checklist.set_step("C00003", "forms_sent", True, note="in prova")
    for form in ("master_data", "privacy", "dpa", "signed_contract"):
        (slot(demo, "C00003", form) / f"{form}.pdf").write_bytes(b"scan")
    scan(demo)
    archived = demo.customer("C00003").steps["forms_archived"]
    assert archived.done and archived.done_by == "automatico"


def test_intake_recognises_the_qr_and_moves_the_file(demo: Office) -> None:
    record = demo.documents.generate("C00002", "forms").records[1]  # privacy, carries its QR code
    filing = demo.filing
    filing.ensure_tree()
    dropped = filing.intake / "SCAN_0001.docx"
    shutil.copyfile(record.file, dropped)
    shutil.copyfile(
        record.file, filing.slot_dir(demo.customer("C00002"), "privacy") / "SCAN_0001.docx"
    )
    (filing.intake / "illeggibile.pdf").write_bytes(b"%PDF-1.4 nothing")
    scan(demo)
    assert not dropped.exists()
    moved = filing.slot_dir(demo.customer("C00002"), "privacy") / "SCAN_0001 (2).docx"
    assert moved.exists()  # never overwrites the copy already there
    assert [p.name for p in filing.unrecognised()] == ["illeggibile.pdf"]
    filed = filing.assign(filing.intake / "illeggibile.pdf", demo.customer("C00002"), "dpa")
    assert filed.outcome == "returned" and returned(demo, "C00002", "dpa")
    assert filing.unrecognised() == []


def test_file_written_in_three_passes_is_taken_once_whole(demo: Office) -> None:
    """On a fake clock: the file is taken once its size and mtime stood still for the
    delay, whole, and never again, however the machine is loaded."""
    seen: list[int] = []
    filing = demo.filing
    filing.ensure_tree()
    Path(demo.customer("C00001").forms["master_data"].file).unlink()  # only this file here
    target = filing.slot_dir(demo.customer("C00001"), "dpa") / "nomina.pdf"
    now = [0.0]

    def on_file(path: Path) -> None:
        seen.append(path.stat().st_size)
        filing.handle(path)

    watcher = Watcher(demo.settings.archive_root, on_file, demo.settings.data_dir / "w.json",
                      delay=0.6, clock=lambda: now[0])  # fmt: skip
    with target.open("wb") as out:
        for n, chunk in enumerate((b"a" * 1000, b"b" * 1000, b"c" * 1000)):
            out.write(chunk)
            out.flush()
            os.utime(target, ns=(n * 10**9, n * 10**9))  # each pass changes the mtime
            watcher.rescan()
            assert watcher.process() == 0  # never taken half-written
            now[0] += 0.3  # a scanner pausing between passes, shorter than the delay
    assert watcher.process() == 0  # stable for 0.3 s only
    now[0] += 0.4
    assert watcher.process() == 1
    for _ in range(3):  # more rescans and ticks must not take it again
        now[0] += 1.0
        watcher.rescan()
        assert watcher.process() == 0
    assert seen == [3000]
    assert returned(demo, "C00001", "dpa")


@pytest.mark.parametrize("polling", [False, True], ids=["native", "polling"])
def test_real_observer_files_dropped_forms(demo: Office, polling: bool) -> None:
    filing = demo.filing
    filing.ensure_tree()
    watcher = make_watcher(demo, filing)
    watcher.stability.delay = 0.3
    watcher.polling, watcher.poll_interval, watcher.tick = polling, 0.3, 0.05
    watcher.start()
    try:
        (filing.slot_dir(demo.customer("C00002"), "privacy") / "p.pdf").write_bytes(b"x")
        assert wait_until(lambda: returned(demo, "C00002", "privacy"))
    finally:
        watcher.stop()


def test_files_dropped_while_nobody_watched_are_found(demo: Office) -> None:
    filing = demo.filing
    filing.ensure_tree()
    (filing.slot_dir(demo.customer("C00001"), "privacy") / "p.pdf").write_bytes(b"x")
    watcher = make_watcher(demo, filing)
    watcher.stability.delay, watcher.tick = 0.2, 0.05
    watcher.start()  # the start-up rescan finds it: no event ever came
    try:
        assert wait_until(lambda: returned(demo, "C00001", "privacy"))
    finally:
        watcher.stop()


def test_only_one_process_watches_and_another_takes_over(demo: Office) -> None:
    first = WatchService(demo, retry=0.1)
    second = WatchService(Office.open(demo.settings.data_dir), retry=0.1)
    first.start_thread()
    assert first.leading.wait(10)
    second.start_thread()
    time.sleep(0.5)
    assert not second.leading.is_set()
    first.stop()
    assert second.leading.wait(10)
    second.stop()


def test_hostile_customer_name_stays_inside_the_root(demo: Office, tmp_path: Path) -> None:
    view = demo.view("C00003")
    view.customer.name = "../../../../tmp/evil/..\\x"
    demo.customers.save(view.customer, view.rev)
    demo.filing.ensure_tree()
    demo.documents.generate("C00003", "forms")
    root = demo.settings.archive_root.resolve()
    files = [p.resolve() for p in tmp_path.rglob("*") if p.is_file()]
    outside = [p for p in files if "evil" in str(p) and not p.is_relative_to(root)]
    assert outside == []
    assert (root / "tmp evil .. x - C00003").is_dir()  # one name: ".." is only text in it


def _fill_docx(source: Path, target: Path, values: dict[str, str]) -> None:
    """What a customer does in Word: type into the content controls."""
    import re

    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                xml = data.decode()
                for tag, value in values.items():

                    def put(m: re.Match[str], v: str = value) -> str:
                        return m.group(1) + v + m.group(2)

                    pattern = rf'(<w:tag w:val="{re.escape(tag)}"/>.*?<w:t[^>]*>)[^<]*(</w:t>)'
                    xml = re.sub(pattern, put, xml, count=1, flags=re.S)
                data = xml.encode()
            zout.writestr(item, data)


def test_returned_docx_fields_are_offered_for_review(demo: Office) -> None:
    form = next(
        r for r in demo.documents.generate("C00003", "forms").records if r.form == "master_data"
    )
    filing = demo.filing
    filing.ensure_tree()
    filled = filing.intake / "Raccolta compilata.docx"
    _fill_docx(Path(form.file), filled, {
        "invoice_email": "fatture@gammaprova.example",
        "iban": "IT67A0832703200000000900001",  # wrong CIN: offered, flagged, not applied
        "contact.administration.name": "Rita Conti",
        "address.city": "Verona",  # unchanged: not offered
    })  # fmt: skip
    scan(demo)
    offered = {p.tag: p for p in demo.review.proposals("C00003")}
    assert set(offered) == {"invoice_email", "iban", "contact.administration.name"}
    assert "IBAN non valido" in offered["iban"].problem
    assert offered["invoice_email"].current == ""
    assert demo.customer("C00003").invoice_email == ""  # nothing applied unseen
    applied = demo.review.apply("C00003", ["invoice_email"], ["contact.administration.name"])
    assert applied == ["invoice_email"]
    customer = demo.customer("C00003")
    assert customer.invoice_email == "fatture@gammaprova.example"
    assert all(k.role != "administration" for k in customer.contacts)
    entry = demo.audit("C00003")[-1]
    assert entry["action"] == "review.master_data"
    assert entry["after"]["rejected"] == {"contact.administration.name": "Rita Conti"}


def test_intake_folder_name() -> None:
    assert INTAKE == "Da archiviare"


def test_several_processes_never_record_twice(demo: Office) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    filing = demo.filing
    filing.ensure_tree()
    for form in ("privacy", "dpa"):
        (filing.slot_dir(demo.customer("C00001"), form) / f"{form}.pdf").write_bytes(b"x")
    data = str(demo.settings.data_dir)
    before = len(demo.audit("C00001"))
    config = demo.settings.config_path
    config.write_text(
        config.read_text().replace("stability_seconds = 3.0", "stability_seconds = 0.2")
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "main.py", "--data", data, "scan"], cwd=ROOT, stdout=subprocess.DEVNULL
        )
        for _ in range(3)
    ]
    for p in procs:
        assert p.wait(120) == 0
    returned = [e for e in demo.audit("C00001")[before:] if e["action"] == "form.returned"]
    assert sorted(e["target"] for e in returned) == ["dpa", "privacy"]


def test_show_json_gives_slots_and_archive_dir(demo: Office, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from main import main

    assert main(["--data", str(demo.settings.data_dir), "show", "C00002", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    folder = Path(doc["archive_dir"])
    assert folder.is_dir() and folder.is_absolute()
    assert folder.name == "Studio Esempio di Giulia Esempio - C00002"
    slots = {f["id"]: Path(f["slot"]) for f in doc["forms"]}
    assert slots["sepa_mandate"] == folder / "Moduli ricevuti" / "Mandato SEPA"
    assert all(p.is_dir() for p in slots.values())
