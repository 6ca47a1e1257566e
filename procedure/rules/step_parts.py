"""What a step of procedure.toml names besides its conditions and its act, each from a
closed set the code knows: the form its ``e`` edits (``fields``, a set of fields of the
record, and/or ``list``, a list of it), the documents its ``g`` makes (``documents``), the
mailing its ``m`` sends (``mailing``) and whether its detail shows the forms ledger
(``forms_ledger``). The code knows these kinds; which step uses them is the procedure's."""

from procedure.enums import Bundle
from procedure.rules.definitions import StepDef

FIELD_SETS = ("master", "travel_rates", "division", "invoicing")
LISTS = ("contacts", "orders", "sites", "contracts", "licence_orders")
DOCUMENT_KINDS = ("forms", "contract", "osticket", "order", "handover", "licence")
MAILINGS = tuple(b.value for b in Bundle)
HANDOVER_ACT = "handover_"  # an act "handover_KIND" records the hand-over of KIND
MAILING_ACT = "mailing_"  # an act "mailing_BUNDLE" is the delivery of the mailing BUNDLE
EXPORT_ACT = "osticket_export"


def handover_of(step: StepDef) -> str:
    """The kind of hand-over that completes ``step`` ("" when none does)."""
    return step.act.removeprefix(HANDOVER_ACT) if step.act.startswith(HANDOVER_ACT) else ""


def exports_osticket(step: StepDef) -> bool:
    return step.act == EXPORT_ACT


def part_problems(step: StepDef) -> list[str]:
    """What ``step`` names outside the closed sets, in Italian (key and value)."""
    found = []
    for key, value, allowed in (
        ("fields", step.fields, FIELD_SETS),
        ("list", step.list, LISTS),
        ("mailing", step.mailing, MAILINGS),
    ):
        if value and value not in allowed:
            found.append(f"{key} = {value!r} sconosciuto (ammessi: {', '.join(allowed)})")
    for kind in step.documents:
        if kind not in DOCUMENT_KINDS:
            found.append(f"documents: {kind!r} sconosciuto (ammessi: {', '.join(DOCUMENT_KINDS)})")
    return found
