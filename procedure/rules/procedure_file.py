"""Reading procedure.toml, forms.toml and payment-terms catalogues into Definitions,
checking every condition, effect and rule name they use."""

import dataclasses
import hashlib
import tomllib
from pathlib import Path
from typing import Any

from procedure.bounds import out_of_bounds
from procedure.config.locations import TEMPLATES_DIR
from procedure.rules import dated
from procedure.rules.conditions import CONDITIONS, FORM_RULES
from procedure.rules.definitions import DefinitionError, Definitions, FormDef, PaymentTerm, StepDef
from procedure.rules.effects import EFFECTS
from procedure.rules.step_parts import BUILT_IN_MAILINGS, mailing_of, part_problems
from procedure.rules.steps import ACTS


def _load(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        with path.open("rb") as fh:
            entries = tomllib.load(fh).get(key, [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"{path}: {exc}") from None
    if not isinstance(entries, list) or not entries:
        raise DefinitionError(f"{path}: nessuna voce [[{key}]]")
    return entries


KINDS = {str: "un testo", tuple: "un elenco", bool: "true o false", int: "un numero intero"}


def _build(cls: Any, entry: dict[str, Any], where: str) -> Any:
    """An instance of the dataclass ``cls`` from a TOML table; raises DefinitionError, in
    Italian, naming the key that is unknown, missing or of the wrong kind."""
    fields = {f.name: f for f in dataclasses.fields(cls)}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
    for key, value in values.items():
        if key not in fields:
            raise DefinitionError(
                f"{where}: chiave {key!r} sconosciuta (ammesse: {', '.join(fields)})"
            )
        kind = _kind(fields[key])
        if kind is not None and (
            not isinstance(value, kind) or isinstance(value, bool) != (kind is bool)
        ):
            raise DefinitionError(f"{where}: {key} deve essere {KINDS[kind]}")
    try:
        return cls(**values)
    except TypeError:
        missing = [n for n, f in fields.items() if n not in values and _required(f)]
        raise DefinitionError(f"{where}: manca {', '.join(missing)}") from None


def _kind(f: "dataclasses.Field[Any]") -> type | None:
    """The Python kind a field's TOML value must have (None: not checked here)."""
    if f.type in (bool, int, str):
        return f.type
    return tuple if str(f.type).startswith("tuple") else None


def _required(f: "dataclasses.Field[Any]") -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def _check_step(path: Path, s: StepDef, before: set[str]) -> None:
    """Raise DefinitionError when ``s`` names a step not ``before`` it, or an unknown
    condition, act or effect."""
    for dep in s.after:
        if dep not in before:
            raise DefinitionError(f"{path}: il passo {s.id} dipende da {dep}, non precedente")
    for name in (*s.needs, *([s.evidence] if s.evidence else [])):
        if problem := _condition_problem(s, name):
            raise DefinitionError(f"{path}: il passo {s.id}{problem}")
    if s.act and s.act not in ACTS and not mailing_of(s.act):
        raise DefinitionError(f"{path}: il passo {s.id} usa l'atto ignoto {s.act}")
    for name in s.effects:
        if name not in EFFECTS:
            raise DefinitionError(f"{path}: il passo {s.id} usa l'effetto ignoto {name}")
    for problem in part_problems(s):
        raise DefinitionError(f"{path}: il passo {s.id}: {problem}")


def _condition_problem(s: StepDef, name: str) -> str | None:
    """What is wrong with the condition ``name`` of ``s`` (after the step's id), or None."""
    if name in CONDITIONS:
        return None
    if "(" not in name or name == s.evidence:
        return f" usa la condizione ignota {name}"
    problem = dated.problem(name, s.after)
    return f": {problem}" if problem else None


def load_definitions(folder: Path = TEMPLATES_DIR, procedure: Path | None = None) -> Definitions:
    """Read procedure.toml (``procedure``: the company's own copy instead), forms.toml and
    the default payment_terms.toml of ``folder``; raise DefinitionError if bad."""
    path = procedure or folder / "procedure.toml"
    steps = tuple(
        _build(StepDef, e, f"{path} passo {i + 1}") for i, e in enumerate(_load(path, "steps"))
    )
    seen: set[str] = set()
    for s in steps:
        if s.id in seen:
            raise DefinitionError(f"{path}: il passo {s.id} è dichiarato due volte (id)")
        _check_step(path, s, seen)
        seen.add(s.id)
    _check_mailings(path, steps)
    pec = _pec_bundles(path, steps)
    version = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    path = folder / "forms.toml"
    forms = tuple(
        _build(FormDef, e, f"{path} modulo {i + 1}") for i, e in enumerate(_load(path, "forms"))
    )
    for f in forms:
        if f.when not in FORM_RULES:
            raise DefinitionError(f"{path}: il modulo {f.id} ha when = {f.when!r} sconosciuto")
    terms = terms_from_data(_load(folder / "payment_terms.toml", "terms"), "payment_terms.toml")
    return Definitions(steps=steps, forms=forms, terms=terms, pec_bundles=pec, version=version)


def _check_mailings(path: Path, steps: tuple[StepDef, ...]) -> None:
    """Raise DefinitionError when a step completes by a mailing no step sends, or sends a
    mailing of the company's without its mail text (NAME.txt beside the procedure file or
    among the shipped ones)."""
    sent = {s.mailing for s in steps if s.mailing} | set(BUILT_IN_MAILINGS)
    for s in steps:
        mailing = mailing_of(s.act)
        if mailing and mailing not in sent:
            raise DefinitionError(
                f"{path}: il passo {s.id} si completa con l'invio {mailing!r}, "
                "che nessun passo invia (mailing)"
            )
        if s.mailing and s.mailing not in BUILT_IN_MAILINGS:
            texts = (path.parent / f"{s.mailing}.txt", TEMPLATES_DIR / "mail" / f"{s.mailing}.txt")
            if not any(t.is_file() for t in texts):
                raise DefinitionError(
                    f"{path}: il passo {s.id}: mailing = {s.mailing!r}, ma manca il testo "
                    f"dell'e-mail {s.mailing}.txt in {path.parent}"
                )


def _pec_bundles(path: Path, steps: tuple[StepDef, ...]) -> tuple[str, ...]:
    """``[pec] bundles``: the mailings sent by PEC when the company has a PEC account."""
    with path.open("rb") as fh:
        table = tomllib.load(fh).get("pec", {"bundles": ["contracts"]})
    bundles = table.get("bundles") if isinstance(table, dict) else None
    known = dict.fromkeys([*BUILT_IN_MAILINGS, *(s.mailing for s in steps if s.mailing)])
    if not isinstance(bundles, list) or any(b not in known for b in bundles):
        allowed = ", ".join(known)
        raise DefinitionError(f"{path}: [pec] bundles deve essere un elenco tra: {allowed}")
    return tuple(bundles)


def terms_from_data(entries: list[dict[str, Any]], where: str) -> dict[str, PaymentTerm]:
    """The catalogue by code from its entries (TOML tables or stored records)."""
    return {
        t.code: _bounded(t, f"{where} voce {i + 1}")
        for i, e in enumerate(entries)
        for t in [_build(PaymentTerm, e, f"{where} voce {i + 1}")]
    }


def _bounded(term: PaymentTerm, where: str) -> PaymentTerm:
    """``term`` when its days and fixed day are whole numbers in their ranges; raises
    DefinitionError naming the entry otherwise (a delay of a billion days would make every
    due date overflow)."""
    values = [("days", d) for d in term.days] + [("fixed_day", term.fixed_day)]
    for name, value in values:
        if isinstance(value, bool) or not isinstance(value, int):
            raise DefinitionError(f"{where}: {name}: deve essere un numero intero")
        if problem := out_of_bounds(name, value):
            raise DefinitionError(f"{where}: {name}: {problem}")
    return term


def terms_to_data(terms: dict[str, PaymentTerm]) -> list[dict[str, Any]]:
    """The catalogue as stored records, in catalogue order."""
    return [
        {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(t).items()}
        for t in terms.values()
    ]


def with_terms(defs: Definitions, entries: list[dict[str, Any]]) -> Definitions:
    """``defs`` with the company's own payment-terms catalogue."""
    return dataclasses.replace(defs, terms=terms_from_data(entries, "catalogo condizioni"))


def load_terms_file(path: Path) -> list[dict[str, Any]]:
    """The entries of a payment_terms.toml (the catalogue of earlier versions, kept in
    DATA/modelli/); raises DefinitionError."""
    entries = _load(path, "terms")
    terms_from_data(entries, str(path))
    return entries
