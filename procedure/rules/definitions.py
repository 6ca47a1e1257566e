"""The procedure, the form pack and the payment-terms catalogue, as records (loaded by
procedure_file.py from the TOML files the company edits)."""

from dataclasses import dataclass, field


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
    act: str = ""  # the recorded act that completes it (see rules/steps.py ACTS)
    # what its keys work on (see rules/step_parts.py): the form ``e`` edits, the documents
    # ``g`` makes, the mailing ``m`` sends, whether its detail shows the forms ledger
    fields: str = ""
    list: str = ""
    documents: tuple[str, ...] = ()
    mailing: str = ""
    forms_ledger: bool = False


@dataclass(frozen=True)
class FormDef:
    id: str
    title: str
    folder: str
    when: str = "always"
    headings: tuple[str, ...] = ()  # titles printed on it: how a scan without QR is told


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
    pec_bundles: tuple[str, ...] = ("contracts",)  # mailings that need proof of delivery
    version: str = ""  # of the procedure file: what a finished dossier was completed under

    def step(self, step_id: str) -> StepDef:
        """The step called ``step_id``; raises KeyError when there is none."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def acting(self, act: str) -> tuple[str, ...]:
        """The ids of the steps the act ``act`` completes (its kind, never a step's name,
        is what the code knows), in the procedure's order."""
        return tuple(s.id for s in self.steps if s.act == act)

    def editing(self, fields: str) -> tuple[str, ...]:
        """The ids of the steps whose form edits the record's field set ``fields``."""
        return tuple(s.id for s in self.steps if s.fields == fields)
