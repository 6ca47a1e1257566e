"""Table cells cut to their column: the list stays one line per record at 80 columns."""

from rich.text import Text


def clipped(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with "…"."""
    return text if len(text) <= width else text[: width - 1] + "…"


def clip(text: str, width: int) -> Text:
    """``text`` as a cell of ``width`` characters, cut with "…"; plain text, never markup."""
    return Text(clipped(text, width))
