"""Small messages the app posts to its screens."""

from dataclasses import dataclass

from textual.message import Message


@dataclass
class StoreChanged(Message):
    """Another process (or this one) committed a change to the data folder."""

    revision: int
