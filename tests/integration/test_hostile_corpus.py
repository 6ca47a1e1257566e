"""The corpus of hostile inputs in tests/hostile/: each one refused as its attese.json says,
with no traceback and nothing written."""

import json
import shutil
from pathlib import Path

import pytest

from main import main
from procedure.config.config_file import prepare_data_folder
from procedure.config.settings import ConfigError
from procedure.office import Office
from procedure.watching import scan
from tests.conftest import ROOT, store_dump

CORPUS = ROOT / "tests" / "hostile"


def expected(folder: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((CORPUS / folder / "attese.json").read_text())  # type: ignore[type-arg]
    return data


@pytest.mark.parametrize(("name", "expect"), sorted(expected("imports").items()))
def test_hostile_imports_are_refused(
    demo: Office, capsys: pytest.CaptureFixture[str], name: str, expect: str
) -> None:
    before = store_dump(demo)
    capsys.readouterr()
    code = main(["--data", str(demo.settings.data_dir), "import", str(CORPUS / "imports" / name)])
    err = capsys.readouterr().err
    path, _, message = expect.rpartition(": ")  # the file's path follows the field's name
    assert code == 1 and "Traceback" not in err
    assert (f"({path}): {message}" if path else expect) in err
    assert store_dump(demo) == before


def test_hostile_archive_files_wait_with_their_reason(demo: Office) -> None:
    demo.filing.ensure_tree()
    for name in expected("archive"):
        shutil.copy(CORPUS / "archive" / name, demo.filing.intake / name)
    slot = demo.filing.slot_dir(demo.customer("C00003"), "privacy")
    shutil.copy(CORPUS / "archive" / "vuoto.pdf", slot / "vuoto.pdf")
    scan(demo)
    reasons = {w.file.name: w.reason for w in demo.intake.waiting()}
    for name, expect in expected("archive").items():
        assert expect in reasons[name], (name, reasons[name])
    assert demo.customer("C00003").forms.get("privacy") is None  # 0 bytes: no return


@pytest.mark.parametrize(("name", "case"), sorted(expected("settings").items()))
def test_hostile_settings_are_refused(tmp_path: Path, name: str, case: dict) -> None:  # type: ignore[type-arg]
    data = tmp_path / "data"
    prepare_data_folder(data)
    target = data / case["file"]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text((CORPUS / "settings" / name).read_text())  # the whole file
    target.chmod(0o644)
    with pytest.raises(ConfigError) as err:
        prepare_data_folder(data)
    assert case["expect"] in str(err.value)
