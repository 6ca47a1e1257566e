"""Imports carry data, not history: a step an import claims done rests on what the file
brings, after the steps it follows, not in the future; a customer already here keeps the
history recorded here; ``check`` finds evidence that points to nothing; text refuses
invisible format characters."""

import json
from pathlib import Path
from typing import Any

import pytest

from main import main
from procedure.office import Office
from procedure.problems import InvalidInput
from procedure.rules.validation import bad_text
from tests.conftest import exported, imported, raw_sql, store_dump


def run(office: Office, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data", str(office.settings.data_dir), *args])
    out, err = capsys.readouterr()
    return code, out, err


FORGED = {
    "code": "C00090",
    "name": "Nuova Falsa S.r.l.",
    "steps": {
        "contract_sent": {
            "done": True,
            "done_by": "direttore",
            "done_at": "2020-01-01T09:00:00",
            "evidence": "mailing:cafe",
        }
    },
}


def test_a_forged_step_is_refused_with_every_reason(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = store_dump(demo)
    code, err = imported(demo, {"customers": [FORGED]}, tmp_path, capsys)
    assert code == 1 and "Traceback" not in err
    title = demo.checklist.step_def("contract_sent").title
    assert f"Cliente 1, passo «{title}», prova (customers[0].steps.contract_sent.evidence): " in err
    assert "non si importano" in err
    assert f"passo «{title}», fatto (customers[0].steps.contract_sent.done): fatto prima di" in err
    assert store_dump(demo) == before


def test_a_step_in_the_future_or_on_a_missing_handover_is_refused(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    customer = {
        "code": "C00091",
        "name": "Futura S.r.l.",
        "steps": {
            "forms_sent": {"done": True, "done_at": "2999-01-01T00:00:00", "evidence": "manual"},
            "customer_created": {"done": True, "evidence": "handover:3"},
        },
    }
    code, err = imported(demo, {"customers": [customer]}, tmp_path, capsys)
    assert code == 1
    assert "(customers[0].steps.forms_sent.done_at): data futura" in err
    assert "(customers[0].steps.customer_created.evidence): la prova indica la consegna n. 3" in err


def test_a_step_ticked_by_hand_after_its_prerequisites_comes_in(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    event = {"at": "2025-03-20T09:30:00", "by": "anna", "action": "done", "note": "al telefono"}
    customer = {
        "code": "C00092",
        "name": "Onesta S.r.l.",
        "steps": {"forms_sent": {"done": True, "evidence": "manual", "notes": [event]}},
    }
    code, err = imported(demo, {"customers": [customer]}, tmp_path, capsys)
    assert code == 0, err
    assert demo.customer("C00092").steps["forms_sent"].done


def test_a_customer_already_here_keeps_the_history_recorded_here(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out, _ = run(demo, capsys, "export")
    doc = json.loads(out)
    alfa = doc["customers"][0]
    recorded_steps = demo.customer(alfa["code"]).steps
    alfa["name"] = "Alfa Rinominata S.r.l."
    alfa["steps"]["contract_sent"] = FORGED["steps"]["contract_sent"]
    alfa["steps"]["forms_sent"] = {"done": False}
    alfa["forms"] = {}
    code, err = imported(demo, doc, tmp_path, capsys)
    assert code == 0, err
    after = demo.customer(alfa["code"])
    assert after.name == "Alfa Rinominata S.r.l."  # the data came in
    assert after.steps == recorded_steps  # the history did not
    assert after.forms["master_data"].returned_at is not None


def test_check_finds_evidence_that_points_to_nothing(
    demo: Office, capsys: pytest.CaptureFixture[str]
) -> None:
    (body,) = raw_sql(demo, "SELECT body FROM docs WHERE shard = 'customers/C00001'")[0]
    data = json.loads(str(body))
    steps = data["dossier"]["1"]["customer"]["steps"]
    steps["forms_sent"]["evidence"] = "mailing:cafe"
    raw_sql(demo, "UPDATE docs SET body = ? WHERE shard = 'customers/C00001'", json.dumps(data))
    code, out, _ = run(demo, capsys, "check")
    title = demo.checklist.step_def("forms_sent").title
    assert code == 1
    assert f"C00001: il passo «{title}»: la prova indica l'invio 'cafe'" in out


@pytest.mark.parametrize("mark", ["\u202e", "\u200b", "\u2066", "\ufeff", "\u00ad"])
def test_invisible_format_characters_are_refused_by_label(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str], mark: str
) -> None:
    customer = {"code": "C00093", "name": f"Alfa{mark}fdp.exe S.r.l."}
    before = store_dump(demo)
    code, err = imported(demo, {"customers": [customer]}, tmp_path, capsys)
    assert code == 1
    assert "(customers[0].name): contiene caratteri invisibili di formato" in err
    assert not err.startswith("(")
    assert store_dump(demo) == before
    assert not list(demo.settings.archive_root.rglob(f"*{mark}*"))


def test_joiners_are_ordinary_text_and_notes_refuse_overrides(demo: Office) -> None:
    assert bad_text("क्\u200dष") is None
    with pytest.raises(InvalidInput, match="caratteri invisibili"):
        demo.checklist.add_note("C00001", "forms_sent", "nota\u202e\ncapovolta")


INTERNAL = {"steps", "forms", "mailings", "documents", "licences", "history", "notes"}


def text_paths(doc: Any, path: str = "") -> list[tuple[tuple[str | int, ...], str]]:
    """(keys, printed path) of every text field of an export (first items of lists), the
    program's own records left out."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    items: list[tuple[str | int, Any]] = (
        [(k, v) for k, v in doc.items() if k not in INTERNAL]
        if isinstance(doc, dict)
        else list(enumerate(doc[:1]))
        if isinstance(doc, list)
        else []
    )
    for key, value in items:
        here = f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip(".")
        if isinstance(value, str):
            out.append(((key,), here))
        else:
            out += [((key, *keys), p) for keys, p in text_paths(value, here)]
    return out


def test_every_text_field_refuses_a_direction_override_by_its_label(
    demo: Office, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One hostile import per text field of the export: each refused, named by its label
    and its path, and nothing written."""
    sections = ("customers", "products", "prospects", "payment_terms")
    doc = exported(demo, capsys)
    fields = text_paths({k: doc[k] for k in sections})
    assert len(fields) > 80
    before = store_dump(demo)
    for keys, where in fields:
        hostile = json.loads(json.dumps({k: doc[k] for k in sections}))
        record: Any = hostile
        for key in keys[:-1]:
            record = record[key]
        record[keys[-1]] = f"Alfa\u202e{record[keys[-1]]}"
        code, err = imported(demo, hostile, tmp_path, capsys)
        line = next((x for x in err.splitlines() if f"({where}): " in x), "")
        assert code == 1 and line.index(f"({where})") > 0, (where, err)
    assert store_dump(demo) == before
