"""The procedure is the company's: no step of procedure.toml is named in the code (outside
the tests, the demo and the benchmarks). The code knows kinds (of act, condition, form,
document, mailing); which step uses them is the file's."""

import re

from procedure.rules.procedure_file import load_definitions
from tests.conftest import ROOT

CODE = ("procedure", "tui", "cli", "store", "archive", "safefiles")
NOT_CODE = {ROOT / "procedure" / "demo.py"}  # sample data: customers at given steps


def test_no_step_id_is_written_in_the_code() -> None:
    ids = [s.id for s in load_definitions().steps]
    assert len(ids) == 15
    quoted = re.compile(r"""["'](""" + "|".join(ids) + r""")["']""")
    files = [ROOT / "main.py", *(p for d in CODE for p in sorted((ROOT / d).rglob("*.py")))]
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in files
        if path not in NOT_CODE
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if quoted.search(line)
    ]
    assert len(files) > 100
    assert found == []
