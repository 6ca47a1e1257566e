"""What a step's keys open is declared in procedure.toml, checked when it is read: the
form ``e`` edits, the documents ``g`` makes, the mailing ``m`` sends, the forms ledger in
its detail; a mailing carries the documents its steps name."""

import dataclasses
from pathlib import Path

import pytest

from procedure.config.locations import TEMPLATES_DIR
from procedure.editing.fields import FIELD_SETS, LISTS, MASTER, step_form
from procedure.rules.definitions import DefinitionError
from procedure.rules.procedure_file import load_definitions
from procedure.rules.step_parts import (
    DOCUMENT_KINDS,
    handover_of,
)
from procedure.rules.step_parts import (
    FIELD_SETS as FIELD_SET_NAMES,
)
from procedure.rules.step_parts import (
    LISTS as LIST_NAMES,
)
from procedure.services.documents import KINDS
from procedure.services.mail.mailings import bundle_parts

DEFS = load_definitions()


def copy_with(tmp_path: Path, old: str, new: str) -> Path:
    for f in TEMPLATES_DIR.glob("*.toml"):
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    path = tmp_path / "procedure.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


def test_every_name_the_file_may_use_is_known_to_the_code() -> None:
    assert set(FIELD_SETS) == set(FIELD_SET_NAMES)
    assert set(LISTS) == set(LIST_NAMES)
    assert KINDS == DOCUMENT_KINDS


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        ('fields = "master"', 'fields = "anagrafe"', "fields = 'anagrafe' sconosciuto"),
        ('list = "orders"', 'list = "ordinazioni"', "list = 'ordinazioni' sconosciuto"),
        ('documents = ["order"]', 'documents = ["fattura"]', "documents: 'fattura'"),
        ('mailing = "licences"', 'mailing = "saluti"', "mailing = 'saluti', ma manca il testo"),
    ],
)
def test_an_unknown_name_is_refused_naming_step_and_key(
    tmp_path: Path, old: str, new: str, said: str
) -> None:
    with pytest.raises(DefinitionError, match=f"il passo [a-z_]+: {said}"):
        load_definitions(copy_with(tmp_path, old, new))


def test_the_keys_follow_the_file(tmp_path: Path) -> None:
    """Moving the master-record form and the contracts' documents to other steps moves
    what their keys open, and what the contracts' mailing carries."""
    before = bundle_parts(DEFS, "contracts")
    assert before == (("contract", "osticket"), ("contract_sent", "osticket_instructions_sent"))
    folder = copy_with(tmp_path, 'documents = ["contract", "osticket"]', 'documents = ["contract"]')
    defs = load_definitions(folder)
    assert bundle_parts(defs, "contracts")[0] == ("contract", "osticket")  # the other step's
    step = dataclasses.replace(defs.step("osticket_instructions_sent"), documents=())
    steps = tuple(step if s.id == step.id else s for s in defs.steps)
    assert bundle_parts(dataclasses.replace(defs, steps=steps), "contracts")[0] == ("contract",)
    form = step_form(DEFS.step("customer_created"))
    assert form is not None and form.fields == MASTER and form.list is None
    assert step_form(DEFS.step("contract_sent")) is None
    moved = dataclasses.replace(DEFS.step("contract_sent"), fields="master")
    assert step_form(moved) == form
    assert handover_of(DEFS.step("contracts_to_management")) == "contracts"
    assert handover_of(DEFS.step("contract_sent")) == ""
