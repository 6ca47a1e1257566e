"""Small messages the app posts to its screens."""

from dataclasses import dataclass, field

from textual.message import Message

from procedure.rules.progress import Summary


@dataclass
class StoreChanged(Message):
    """Another process (or this one) committed a change to the data folder."""

    revision: int
    rows: list[Summary] = field(default_factory=list)  # the list as just read, to reuse


@dataclass
class Saved(Message):
    """A save done in a thread worker ended; ``error`` says why it failed ("" when it did not)."""

    error: str


@dataclass
class Acted(Message):
    """A store write run in a thread worker ended; ``error`` says why it was refused."""

    error: str
    title: str
