"""What a step of procedure.toml names besides its conditions and its act, each from a
closed set the code knows: the form its ``e`` edits (``fields``, a set of fields of the
record, and/or ``list``, a list of it), the documents its ``g`` makes (``documents``), the
mailing its ``m`` sends (``mailing``) and whether its detail shows the forms ledger
(``forms_ledger``). The code knows these kinds; which step uses them is the procedure's."""

import re

from procedure.enums import Bundle
from procedure.italian import label
from procedure.rules import dated
from procedure.rules.conditions import CONDITION_LABELS
from procedure.rules.definitions import Definitions, StepDef
from procedure.rules.steps import act_words

FIELD_SETS = ("master", "travel_rates", "division", "invoicing")
LISTS = ("contacts", "orders", "sites", "contracts", "licence_orders")
DOCUMENT_KINDS = ("forms", "contract", "osticket", "order", "handover", "licence")
BUILT_IN_MAILINGS = tuple(b.value for b in Bundle)  # with effects of their own
# any other mailing is the company's: its mail text (DATA/modelli/NAME.txt) and the
# documents of the steps it completes, named by an identifier
MAILING_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
FIELD_SET_TITLES = {
    "master": "anagrafica",
    "travel_rates": "tariffe di trasferta",
    "division": "scheda 3 «Divisione SW»",
    "invoicing": "fatturazione",
}
LIST_TITLES = {
    "contacts": "contatti",
    "orders": "ordini",
    "sites": "sedi",
    "contracts": "contratti",
    "licence_orders": "ordini con licenze",
}
DOCUMENT_TITLES = {
    "forms": "moduli da compilare",
    "contract": "contratti",
    "osticket": "istruzioni osTicket",
    "order": "conferme d'ordine",
    "handover": "fogli di consegna",
    "licence": "certificati di licenza",
}
HANDOVER_ACT = "handover_"  # an act "handover_KIND" records the hand-over of KIND
MAILING_ACT = "mailing_"  # an act "mailing_BUNDLE" is the delivery of the mailing BUNDLE
EXPORT_ACT = "osticket_export"


def mailing_of(act: str) -> str:
    """The mailing whose delivery is the act ``act`` ("" when it is not a mailing)."""
    return act.removeprefix(MAILING_ACT) if act.startswith(MAILING_ACT) else ""


def mailings_declared(defs: Definitions) -> tuple[str, ...]:
    """The mailings the procedure's steps send or complete by, in the procedure's order."""
    names = (m for s in defs.steps for m in (s.mailing, mailing_of(s.act)) if m)
    return tuple(dict.fromkeys(names))


def bundle_title(defs: Definitions, bundle: str) -> str:
    """A mailing in words: a built-in one by its label, the company's by the title of the
    step that sends it."""
    if bundle in BUILT_IN_MAILINGS:
        return label(Bundle(bundle))
    return next((s.title for s in defs.steps if s.mailing == bundle), bundle)


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
    ):
        if value and value not in allowed:
            found.append(f"{key} = {value!r} sconosciuto (ammessi: {', '.join(allowed)})")
    if step.mailing and not MAILING_NAME.match(step.mailing):
        found.append(
            f"mailing = {step.mailing!r}: un nome di lettere minuscole, cifre e _ "
            "(il testo dell'e-mail è il file NOME.txt)"
        )
    for kind in step.documents:
        if kind not in DOCUMENT_KINDS:
            found.append(f"documents: {kind!r} sconosciuto (ammessi: {', '.join(DOCUMENT_KINDS)})")
    return found


def step_lines(defs: Definitions, step: StepDef) -> list[str]:
    """``step`` as the procedure screen tells it, in Italian: what comes before, what it
    needs, how it completes, what its keys open."""
    titles = {s.id: s.title for s in defs.steps}
    before = ", ".join(f"«{titles[a]}»" for a in step.after) or "nessun passo"
    needs = ", ".join(CONDITION_LABELS.get(n) or dated.label(n, titles) for n in step.needs)
    needs = needs or "nulla"
    if step.evidence:
        completes = f"da sé, con {CONDITION_LABELS[step.evidence]}"
    elif step.act:
        completes = f"con {act_words(step)} (a mano solo con il motivo)"
    else:
        completes = "a mano, quando c'è ciò che richiede"
    keys = []
    if step.fields or step.list:
        edited = [FIELD_SET_TITLES.get(step.fields, ""), LIST_TITLES.get(step.list, "")]
        keys.append(f"e modifica {' e '.join(e for e in edited if e)}")
    if step.documents:
        keys.append(f"g produce {', '.join(DOCUMENT_TITLES[k] for k in step.documents)}")
    if step.mailing:
        keys.append(f"m invia «{bundle_title(defs, step.mailing)}»")
    if handover_of(step):
        keys.append("e registra la consegna")
    if exports_osticket(step):
        keys.append("x esporta i profili osTicket")
    if step.forms_ledger:
        keys.append("il dettaglio mostra i moduli inviati e rientrati")
    return [
        step.description,
        f"Dopo: {before}. Richiede: {needs}.",
        f"Si completa {completes}.",
        *([f"Tasti: {'; '.join(keys)}."] if keys else []),
    ]
