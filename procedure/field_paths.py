"""Reading and writing one field of a record by its path (``orders[0].lines[1].price``),
from the text a user typed, with the conversion problem in Italian when it does not parse."""

import dataclasses
import re
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

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


def get_text(record: Any, path: str) -> str:
    """The field at ``path`` as the text a user edits ("" when a list item is missing)."""
    target = record
    for name, index in _steps(path):
        target = getattr(target, name)
        if index is not None:
            if index >= len(target):
                return ""
            target = target[index]
    return to_text(target)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "sì" if value else "no"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, list):
        return ", ".join(to_text(v) for v in value)
    return str(value)


def _parse(kind: Any, text: str) -> Any:
    text = text.strip()
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = next(a for a in typing.get_args(kind) if a is not type(None))
        return None if text == "" else _parse(inner, text)
    if origin is list:
        (item,) = typing.get_args(kind)
        return [_parse(item, part) for part in text.split(",") if part.strip()]
    if kind is bool:
        if text.lower() in YES:
            return True
        if text.lower() in NO:
            return False
        raise ValueError("scrivere sì oppure no")
    if kind is int:
        try:
            return int(text or 0)
        except ValueError:
            raise ValueError("numero intero") from None
    if kind is Decimal:
        try:
            value = Decimal(
                (text or "0").replace(".", "").replace(",", ".") if "," in text else (text or "0")
            )
        except InvalidOperation:
            raise ValueError("numero, es. 1800,00") from None
        if not value.is_finite():
            raise ValueError("numero, es. 1800,00")
        return value
    if kind is date:
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
        raise ValueError("data gg/mm/aaaa")
    return text


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


def strip_blank_items(record: Any) -> None:
    """Drop list items the user left as they were created (all defaults)."""
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
            factory: Any = type(value[0])
            try:
                blank = factory()
            except TypeError:  # records with required fields (history events) are never blank
                continue
            kept = [v for v in value if v != blank]
            for v in kept:
                strip_blank_items(v)
            setattr(record, f.name, kept)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            strip_blank_items(value)
