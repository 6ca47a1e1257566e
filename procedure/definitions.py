"""The procedure, the form pack and the payment-terms catalogue, loaded from templates/."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from templates import TEMPLATES_DIR


class DefinitionError(Exception):
    """A file in templates/ is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class StepDef:
    id: str
    title: str
    description: str
    after: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    evidence: str = ""
    effects: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDef:
    id: str
    title: str
    folder: str
    when: str = "always"


@dataclass(frozen=True)
class PaymentTerm:
    code: str
    description: str
    mp: str
    tp: str
    days: tuple[int, ...] = (0,)
    end_of_month: bool = False
    fixed_day: int = 0


@dataclass(frozen=True)
class Definitions:
    steps: tuple[StepDef, ...]
    forms: tuple[FormDef, ...]
    terms: dict[str, PaymentTerm] = field(default_factory=dict)

    def step(self, step_id: str) -> StepDef:
        """The step called ``step_id``; raises KeyError when there is none."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)


def _load(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        with path.open("rb") as fh:
            entries = tomllib.load(fh).get(key, [])
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DefinitionError(f"{path}: {exc}") from None
    if not isinstance(entries, list) or not entries:
        raise DefinitionError(f"{path}: nessuna voce [[{key}]]")
    return entries


def _build(cls: Any, entry: dict[str, Any], where: str) -> Any:
    try:
        values = {k: tuple(v) if isinstance(v, list) else v for k, v in entry.items()}
        return cls(**values)
    except TypeError as exc:
        raise DefinitionError(f"{where}: {exc}") from None


def load_definitions(folder: Path = TEMPLATES_DIR, terms: Path | None = None) -> Definitions:
    """Read procedure.toml, forms.toml and payment_terms.toml (``terms`` when it exists: the
    company's own catalogue); raise DefinitionError if bad."""
    from procedure.conditions import CONDITIONS, FORM_RULES  # the names the files may use
    from procedure.effects import EFFECTS

    path = folder / "procedure.toml"
    steps = tuple(
        _build(StepDef, e, f"{path} passo {i + 1}") for i, e in enumerate(_load(path, "steps"))
    )
    seen: set[str] = set()
    for s in steps:
        for dep in s.after:
            if dep not in seen:
                raise DefinitionError(f"{path}: il passo {s.id} dipende da {dep}, non precedente")
        for name in (*s.needs, *([s.evidence] if s.evidence else [])):
            if name not in CONDITIONS:
                raise DefinitionError(f"{path}: il passo {s.id} usa la condizione ignota {name}")
        for name in s.effects:
            if name not in EFFECTS:
                raise DefinitionError(f"{path}: il passo {s.id} usa l'effetto ignoto {name}")
        seen.add(s.id)
    path = folder / "forms.toml"
    forms = tuple(
        _build(FormDef, e, f"{path} modulo {i + 1}") for i, e in enumerate(_load(path, "forms"))
    )
    for f in forms:
        if f.when not in FORM_RULES:
            raise DefinitionError(f"{path}: il modulo {f.id} ha when = {f.when!r} sconosciuto")
    path = terms if terms is not None and terms.exists() else folder / "payment_terms.toml"
    catalogue = {
        t.code: t
        for i, e in enumerate(_load(path, "terms"))
        for t in [_build(PaymentTerm, e, f"{path} voce {i + 1}")]
    }
    return Definitions(steps=steps, forms=forms, terms=catalogue)
