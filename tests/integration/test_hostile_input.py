"""Hostile or careless input: every refusal names the field, nothing is written, no
traceback; what the program records of its own acts is never taken from an import."""

import shutil
from pathlib import Path

import pytest

from main import main
from procedure.office import Office
from procedure.problems import InvalidInput
from procedure.services.catalogue import CompanyForm
from store import StoreError
from tests.conftest import exported, imported, raw_sql, store_dump

HOSTILE = [
    ("code", "C00077\n", "customers[0].code"),
    ("name", "Alfa\x1b[31m rossa", "customers[0].name"),
    ("pec", "alfa@pec.example\n", "customers[0].pec"),
    ("sdi_code", "ABC\nDEF", "customers[0].sdi_code"),
]


@pytest.mark.parametrize(("field", "value", "path"), HOSTILE)
def test_single_line_fields_refuse_newlines_and_escapes(
    demo: Office,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
    value: str,
    path: str,
) -> None:
    doc = exported(demo, capsys)
    doc["customers"][0][field] = value
    revision = demo.revision()
    code, err = imported(demo, doc, tmp_path, capsys)
    assert code == 1 and path in err and "Traceback" not in err
    assert demo.revision() == revision
    assert not [c for c in demo.customer_codes() if "\n" in c]


@pytest.mark.parametrize(
    ("where", "value", "message"),
    [
        ("annual_fee", "1E+999999999", "deve essere un numero scritto in cifre"),
        ("annual_fee", "1000000000.01", "fuori misura"),
        ("notice_days", 10**18, "fuori misura"),
        ("start", "9999-01-01", "data fuori misura"),
    ],
)
def test_amounts_days_and_dates_have_sane_ranges(
    demo: Office,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
    value: object,
    message: str,
) -> None:
    doc = exported(demo, capsys)
    doc["customers"][0]["contracts"][0][where] = value
    before = store_dump(demo)
    code, err = imported(demo, doc, tmp_path, capsys)
    assert code == 1
    assert f"(customers[0].contracts[0].{where}): " in err and message in err
    assert store_dump(demo) == before  # nothing written, let alone a huge value


def test_an_import_cannot_make_the_program_send_or_attach_a_file(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = tmp_path / "segreto.txt"
    secret.write_text("password di qualcun altro")
    doc = exported(demo, capsys)
    alfa = doc["customers"][0]
    alfa["mailings"] = [{"id": "M1", "bundle": "forms", "to": ["x@y.example"],
                         "eml": str(secret), "status": "queued"}]  # fmt: skip
    alfa["documents"] = [{"kind": "forms", "title": "Rubato", "file": str(secret)}]
    alfa["forms"]["privacy"] = {"file": str(secret), "returned_at": "2025-03-01T10:00:00"}
    code, _ = imported(demo, doc, tmp_path, capsys)
    assert code == 0
    c = demo.customer("C00001")
    assert all(m.eml != str(secret) for m in c.mailings)
    assert all(d.file != str(secret) for d in c.documents)
    privacy = c.forms.get("privacy")  # a customer here keeps the ledger recorded here
    assert privacy is None or privacy.file != str(secret)
    assert main(["--data", str(demo.settings.data_dir), "outbox"]) == 0
    outbox = demo.settings.data_dir / "outbox"
    copied = [p for p in outbox.rglob("*") if p.is_file()] if outbox.exists() else []
    assert all("password di qualcun altro" not in p.read_text(errors="replace") for p in copied)


def test_company_data_refuse_control_characters(demo: Office) -> None:
    form = demo.catalogue.company_form()
    bad = CompanyForm(**{**form.__dict__, "name": "Delta\x7f Test"})
    with pytest.raises(InvalidInput) as err:
        demo.catalogue.save_company(bad)
    assert [p.path for p in err.value.problems] == ["name"]
    assert demo.settings.company.name == form.name  # config.toml untouched


def test_names_reach_the_terminal_without_their_escape_sequences() -> None:
    from cli.commands import printable

    assert printable("Alfa\x1b[2J S.r.l.") == "Alfa?[2J S.r.l."
    assert printable("Città d'Acqua") == "Città d'Acqua"


def test_fifos_links_and_empty_files_are_never_taken(demo: Office, tmp_path: Path) -> None:
    import os

    from procedure.watching import scan

    filing = demo.filing
    filing.ensure_tree()
    os.mkfifo(filing.intake / "tubo.pdf")  # opening it would block the watcher
    outside = tmp_path / "fuori.pdf"
    outside.write_bytes(b"%PDF-1.4")
    (filing.intake / "collegamento.pdf").symlink_to(outside)
    slot = filing.slot_dir(demo.customer("C00003"), "privacy")
    (slot / "vuoto.pdf").write_bytes(b"")
    scan(demo)  # returns: nothing hangs
    assert demo.customer("C00003").forms.get("privacy") is None  # 0 bytes is no return
    assert filing.unrecognised() == []
    assert outside.read_bytes() == b"%PDF-1.4"


def test_scans_in_sub_folders_of_the_intake_are_filed(demo: Office) -> None:
    from procedure.watching import scan

    records = demo.documents.generate("C00003", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    demo.filing.ensure_tree()
    folder = demo.filing.intake / "scanner piano 1" / "2025-03-20"
    folder.mkdir(parents=True)
    (folder / "scan.pdf").write_bytes(Path(privacy.pdf).read_bytes())
    (folder / "senza codice.pdf").write_bytes(b"%PDF-1.4 niente")
    scan(demo)
    assert demo.customer("C00003").forms["privacy"].returned_at is not None
    assert [p.name for p in demo.filing.unrecognised()] == ["senza codice.pdf"]


def test_a_pdf_with_two_customers_forms_waits_to_be_split(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    from procedure.services.archiving.filing import SEVERAL
    from procedure.watching import scan

    writer = PdfWriter()
    for code in ("C00001", "C00003"):
        records = demo.documents.generate(code, "forms", pdf=True).records
        (privacy,) = [r for r in records if r.form == "privacy"]
        writer.append(PdfReader(privacy.pdf))
    out = io.BytesIO()
    writer.write(out)
    demo.filing.ensure_tree()
    (demo.filing.intake / "due clienti.pdf").write_bytes(out.getvalue())
    scan(demo)
    assert demo.customer("C00001").forms.get("privacy") is None
    assert demo.customer("C00003").forms.get("privacy") is None
    (waiting,) = demo.intake.waiting()
    assert waiting.reason == SEVERAL


def test_scans_beside_each_other_file_each_scan_exactly_once(demo: Office) -> None:
    import subprocess
    import sys

    from tests.conftest import ROOT

    records = demo.documents.generate("C00003", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    data = Path(privacy.pdf).read_bytes()
    demo.filing.ensure_tree()
    for i in range(12):
        (demo.filing.intake / f"scan {i:02d}.pdf").write_bytes(data)
    config = demo.settings.config_path
    config.write_text(
        config.read_text().replace("stability_seconds = 3.0", "stability_seconds = 0.1")
    )
    home = str(demo.settings.data_dir)
    command = [sys.executable, "main.py", "--data", home, "scan"]
    procs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL) for _ in range(3)]
    for p in procs:
        assert p.wait(300) == 0
    slot = demo.filing.slot_dir(demo.customer("C00003"), "privacy")
    filed = [p for p in slot.iterdir() if p.is_file()]
    assert len(filed) == 12 and all(p.read_bytes() == data for p in filed)
    assert demo.filing.unrecognised() == []


def test_a_replaced_public_key_verifies_nothing(demo: Office) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from procedure.licences.keys import PUBLIC_NAME, public_pem, sign

    genuine = demo.licences.issue("C00001")[0]
    assert demo.licences.verify(genuine.key)[0] is not None
    forger = Ed25519PrivateKey.generate()
    forged = sign({"number": "LIC-2025-999999", "seats": 9999}, forger)
    (demo.licences.keys_dir() / PUBLIC_NAME).write_bytes(public_pem(forger))
    data, why = demo.licences.verify(forged)
    assert data is None and "non è quella registrata" in why
    assert demo.licences.verify(genuine.key)[0] is None  # nothing passes a replaced key


def test_a_full_database_reports_the_commit_failed_and_applies_none_of_it(
    demo: Office,
) -> None:
    """SQLite answers "full" (the database may not grow: as a full disk does): the user is
    told in Italian that nothing was changed, and it is true; the next commit works."""
    conn = demo.store.db.connection()
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    before = store_dump(demo)
    with pytest.raises(StoreError, match=r"disco è pieno.*nulla è stato modificato"):
        demo.checklist.add_note("C00001", "forms_sent", "x" * 200_000)
    assert store_dump(demo) == before
    conn.execute("PRAGMA max_page_count = 1073741823")
    demo.checklist.add_note("C00001", "forms_sent", "dopo lo spazio liberato")
    assert demo.customer("C00001").steps["forms_sent"].notes[-1].note == "dopo lo spazio liberato"


def test_a_symlinked_customer_folder_is_skipped_not_fatal(demo: Office, tmp_path: Path) -> None:
    from procedure.watching import scan

    records = demo.documents.generate("C00003", "forms", pdf=True).records
    (privacy,) = [r for r in records if r.form == "privacy"]
    demo.filing.ensure_tree()
    alfa = demo.filing.customer_dir(demo.customer("C00001"))
    elsewhere = tmp_path / "altrove"
    elsewhere.mkdir()

    shutil.rmtree(alfa)
    alfa.symlink_to(elsewhere)
    (demo.filing.intake / "scan.pdf").write_bytes(Path(privacy.pdf).read_bytes())
    scan(demo)  # does not stop at Alfa's folder
    assert demo.customer("C00003").forms["privacy"].returned_at is not None
    assert list(elsewhere.iterdir()) == []  # nothing written through the link


def test_deep_json_surrogates_and_time_zones_give_no_traceback(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = str(demo.settings.data_dir)
    deep = tmp_path / "profondo.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["--data", data, "import", str(deep)]) == 1
    assert "troppo annidato" in capsys.readouterr().err
    doc = exported(demo, capsys)
    doc["customers"][2]["name"] = "Gamma \ud800"
    code, err = imported(demo, doc, tmp_path, capsys)
    assert (
        code == 1
        and "Cliente 3, ragione sociale (customers[2].name): contiene caratteri non validi" in err
    )
    doc = exported(demo, capsys)
    doc["customers"][0]["steps"]["forms_sent"]["done_at"] = "2025-03-01T10:00:00+02:00"
    code, err = imported(demo, doc, tmp_path, capsys)
    assert code == 0, err
    assert main(["--data", data, "list"]) == 0  # naive and aware times still compare
    assert main(["--data", data, "deadlines"]) == 0


def test_where_mail_goes_is_only_the_administrators_to_say(tmp_path: Path) -> None:
    import os

    from procedure.config.config_file import prepare_data_folder
    from procedure.config.settings import ConfigError
    from tests.conftest import admin_settings

    data = tmp_path / "data"
    prepare_data_folder(data)
    config = data / "config.toml"
    base = config.read_text()
    config.write_text(base + '\n[smtp]\nhost = "ladro.example"\nsender = "a@b.example"\n')
    with pytest.raises(ConfigError, match=r"amministrazione\.toml"):
        prepare_data_folder(data)  # config.toml is every colleague's: refused, not used
    config.write_text(base)
    admin = admin_settings(data, '[smtp]\nhost = "posta.example"\nsender = "a@b.example"\n')
    settings = prepare_data_folder(data)
    assert settings.smtp is not None and settings.smtp.host == "posta.example"
    admin.chmod(0o664)  # a colleague of the group could change it
    with pytest.raises(ConfigError, match="altri possono"):
        prepare_data_folder(data)
    admin.chmod(0o644)
    if os.geteuid() == 0:  # a file another user owns is not the administrator's
        os.chown(admin, 12345, -1)
        with pytest.raises(ConfigError, match="altri possono"):
            prepare_data_folder(data)


def test_one_bad_dossier_never_stops_an_office_wide_command(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    raw_sql(demo, "UPDATE docs SET body = '{ rotto' WHERE shard = 'customers/C00002'")
    raw_sql(demo, "DELETE FROM plans")  # billing must read the dossiers
    capsys.readouterr()
    data = str(demo.settings.data_dir)
    assert main(["--data", data, "billing", "--from", "2025-01-01", "--to", "2025-12-31"]) == 0
    captured = capsys.readouterr()
    assert "C00002: scheda non leggibile, saltata" in captured.err
    assert "C00001" in captured.out  # the others were billed
    assert main(["--data", data, "export", "assist"]) == 0
    captured = capsys.readouterr()
    assert "C00002: scheda non leggibile, saltata" in captured.err
    assert "C00003" in captured.out


def test_a_file_that_fails_is_said_and_the_others_still_filed(demo: Office, tmp_path: Path) -> None:
    from archive.watcher import Watcher

    demo.filing.ensure_tree()
    handled: list[str] = []

    def on_file(path: Path) -> None:
        if path.name == "guasto.pdf":
            raise RuntimeError("lettura fallita")
        handled.append(path.name)

    for name in ("guasto.pdf", "buono.pdf"):
        (demo.filing.intake / name).write_bytes(b"%PDF-1.4")
    watcher = Watcher(demo.settings.archive_root, on_file, tmp_path / "w.json", delay=0,
                      clock=lambda: 0.0)  # fmt: skip
    watcher.rescan()
    watcher.process()
    assert "buono.pdf" in handled and "guasto.pdf" not in handled  # the demo's scan too
    assert [e for e in watcher.errors if "guasto.pdf: lettura fallita" in e]


def test_saving_company_data_keeps_a_tightened_config(demo: Office) -> None:
    config = demo.settings.config_path
    config.chmod(0o644)  # the administrator keeps it to themselves
    form = demo.catalogue.company_form()
    demo.catalogue.save_company(CompanyForm(**{**form.__dict__, "phone": "049 111 2222"}))
    assert demo.settings.company.phone == "049 111 2222"
    assert config.stat().st_mode & 0o777 == 0o644


def test_licences_are_never_brought_in_by_an_import(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = exported(demo, capsys)
    forged = {"number": "LIC-2025-999999", "product_code": "GEST-BASE", "seats": 9999,
              "key": "falsa.firma"}  # fmt: skip
    doc["customers"][0]["licences"] = [forged]
    new = {"code": "C00090", "name": "Nuovo Cliente S.r.l.", "licences": [forged]}
    doc["customers"].append(new)
    code, err = imported(demo, doc, tmp_path, capsys)
    assert code == 0, err
    assert demo.customer("C00001").licences == []  # kept what was recorded here: none
    assert demo.customer("C00090").licences == []


def test_an_archive_outside_the_data_folder_is_only_the_administrators_to_say(
    tmp_path: Path,
) -> None:
    """A colleague who sets ``[archive] root`` to someone's home would have their backup
    carry it and their scan write there: config.toml keeps the archive inside the data
    folder; the administrator's file may put it anywhere."""
    from procedure.config.config_file import prepare_data_folder
    from procedure.config.settings import ConfigError
    from tests.conftest import admin_settings

    data = tmp_path / "data"
    prepare_data_folder(data)
    config = data / "config.toml"
    base = config.read_text()
    for root in ("/home/ufficio1", "../../home/ufficio1"):
        config.write_text(base.replace('root = "archivio"', f'root = "{root}"'))
        assert f'root = "{root}"' in config.read_text()
        with pytest.raises(ConfigError, match=r"fuori dalla cartella dati.*amministrazione\.toml"):
            prepare_data_folder(data)
    config.write_text(base.replace('root = "archivio"', 'root = "archivi/2026"'))
    assert prepare_data_folder(data).archive_root == data / "archivi" / "2026"
    share = tmp_path / "condivisione"
    admin_settings(data, f'[archive]\nroot = "{share}"\n')
    assert prepare_data_folder(data).archive_root == share
