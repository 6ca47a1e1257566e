"""Reading procedure.toml, forms.toml and payment-terms catalogues into Definitions,
checking every condition, effect and rule name they use."""

import dataclasses
import tomllib
from pathlib import Path
from typing import Any

from procedure.bounds import out_of_bounds
from procedure.config.locations import TEMPLATES_DIR
from procedure.enums import Bundle
from procedure.rules.conditions import CONDITIONS, FORM_RULES
from procedure.rules.definitions import DefinitionError, Definitions, FormDef, PaymentTerm, StepDef
from procedure.rules.effects import EFFECTS
from procedure.rules.step_parts import part_problems
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
        if name not in CONDITIONS:
            raise DefinitionError(f"{path}: il passo {s.id} usa la condizione ignota {name}")
    if s.act and s.act not in ACTS:
        raise DefinitionError(f"{path}: il passo {s.id} usa l'atto ignoto {s.act}")
    for name in s.effects:
        if name not in EFFECTS:
            raise DefinitionError(f"{path}: il passo {s.id} usa l'effetto ignoto {name}")
    for problem in part_problems(s):
        raise DefinitionError(f"{path}: il passo {s.id}: {problem}")


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
    pec = _pec_bundles(path)
    path = folder / "forms.toml"
    forms = tuple(
        _build(FormDef, e, f"{path} modulo {i + 1}") for i, e in enumerate(_load(path, "forms"))
    )
    for f in forms:
        if f.when not in FORM_RULES:
            raise DefinitionError(f"{path}: il modulo {f.id} ha when = {f.when!r} sconosciuto")
    terms = terms_from_data(_load(folder / "payment_terms.toml", "terms"), "payment_terms.toml")
    return Definitions(steps=steps, forms=forms, terms=terms, pec_bundles=pec)


def _pec_bundles(path: Path) -> tuple[str, ...]:
    """``[pec] bundles``: the mailings sent by PEC when the company has a PEC account."""
    with path.open("rb") as fh:
        table = tomllib.load(fh).get("pec", {"bundles": ["contracts"]})
    bundles = table.get("bundles") if isinstance(table, dict) else None
    if not isinstance(bundles, list) or any(b not in set(Bundle) for b in bundles):
        allowed = ", ".join(b.value for b in Bundle)
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
