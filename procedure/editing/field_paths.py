"""Reading and writing one field of a record by its path (``address.zip``,
``excluded_months[1].day``) from the text a user typed, with the conversion problem in
Italian when it does not parse."""

import calendar
import dataclasses
import re
import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from procedure.bounds import MAX_DIGITS, parse_number
from procedure.italian import it_date, label, parse_choice

PART = re.compile(r"([A-Za-z_]\w*)(?:\[(\d+)\])?")
YES = ("sì", "si", "s", "yes", "y", "true", "1", "x")
NO = ("no", "n", "false", "0", "")


def _steps(path: str) -> list[tuple[str, int | None]]:
    out = []
    for piece in path.split("."):
        match = PART.fullmatch(piece)
        if match is None:
            raise KeyError(path)
        out.append((match.group(1), int(match.group(2)) if match.group(2) else None))
    return out


def _kind(owner: Any, name: str) -> Any:
    return typing.get_type_hints(type(owner))[name]


def resolve(record: Any, path: str) -> Any:
    """The value at ``path`` (a list, a record or a field); raises KeyError or IndexError."""
    target = record
    for name, index in _steps(path):
        if not hasattr(target, name):
            raise KeyError(path)
        target = getattr(target, name)
        if index is not None:
            target = target[index]
    return target


def get_text(record: Any, path: str) -> str:
    """The field at ``path`` as the text a user edits ("" when a list item is missing)."""
    try:
        return to_text(resolve(record, path))
    except IndexError:
        return ""


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, StrEnum):
        return label(value)
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, date):
        return it_date(value)
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, list):
        return ", ".join(to_text(v) for v in value)
    return str(value)


def _bool(text: str) -> bool:
    if text.lower() in YES:
        return True
    if text.lower() in NO:
        return False
    raise ValueError("scrivere sì oppure no")


def _int(text: str) -> int:
    text = text or "0"
    if len(text) > MAX_DIGITS or not re.fullmatch(r"[+-]?[0-9]+", text):
        raise ValueError("numero intero")
    return int(text)


def _decimal(text: str) -> Decimal:
    raw = (text or "0").replace(".", "").replace(",", ".") if "," in text else (text or "0")
    try:
        return parse_number(raw)
    except ValueError:
        raise ValueError("numero, es. 1800,00") from None


def _date(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:  # the right shape: say what is wrong with the day or the month
        day, month, year = (int(g) for g in match.groups())
        if not 1 <= month <= 12:
            raise ValueError(f"il mese {month} non esiste")
        last = calendar.monthrange(year, month)[1]
        raise ValueError(f"il {month:02d}/{year} ha {last} giorni, non {day}")
    raise ValueError("data gg/mm/aaaa")


PARSERS: dict[Any, Callable[[str], Any]] = {bool: _bool, int: _int, Decimal: _decimal, date: _date}


def _parse(kind: Any, text: str) -> Any:
    text = text.strip()
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in typing.get_args(kind) if a is not type(None))
        return None if text == "" else _parse(inner, text)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_parse(item, part) for part in text.split(",") if part.strip()]
    if isinstance(kind, type) and issubclass(kind, StrEnum):
        return parse_choice(kind, text)
    parser = PARSERS.get(kind)
    return parser(text) if parser else text


def set_text(record: Any, path: str, text: str) -> None:
    """Set the field at ``path`` from ``text``; raises ValueError (Italian) if it does not
    parse, KeyError for a path that does not exist. Missing list items are created."""
    steps = _steps(path)
    target = record
    for i, (name, index) in enumerate(steps):
        last = i == len(steps) - 1
        if index is None:
            if last:
                setattr(target, name, _parse(_kind(target, name), text))
                return
            target = getattr(target, name)
            continue
        items = getattr(target, name)
        (item_kind,) = typing.get_args(_kind(target, name))
        while len(items) <= index:
            items.append(item_kind())
        if last:
            items[index] = _parse(item_kind, text)
            return
        target = items[index]


def strip_blank_items(record: Any, original: Any) -> None:
    """Drop the list items the form added and the user left as created (all defaults);
    items that were already there stay, whatever their values."""
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        before = getattr(original, f.name, None)
        if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            kept_before = len(before) if isinstance(before, list) else 0
            factory: Any = type(value[0])
            try:
                blank = factory()
            except TypeError:  # records with required fields (history events) are never blank
                continue
            added = [v for v in value[kept_before:] if v != blank]
            setattr(record, f.name, [*value[:kept_before], *added])
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            strip_blank_items(value, before)
