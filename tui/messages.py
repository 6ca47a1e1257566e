"""Small messages the app posts to its screens."""

from dataclasses import dataclass, field

from textual.message import Message

from procedure.rules.progress import Summary


@dataclass
class StoreChanged(Message):
    """Another process (or this one) committed a change to the data folder."""

    revision: int
    rows: list[Summary] = field(default_factory=list)  # the list as just read, to reuse
