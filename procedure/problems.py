"""Problems found in input: a field path and an Italian message, collected not raised."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    path: str
    message: str
    label: str = ""  # the field's name for people (see procedure.editing.field_labels)

    def __str__(self) -> str:
        where = self.label or self.path
        return f"{where}: {self.message}" if where else self.message


class InvalidInput(Exception):
    """Raised with every problem found; nothing was written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def join(path: str, name: str | int) -> str:
    """The path of a field (``name``) or list item (``int``) below ``path``."""
    if isinstance(name, int):
        return f"{path}[{name}]"
    return f"{path}.{name}" if path else name
