"""Dataclass records to JSON-ready data and back, reporting every bad field by path."""

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from procedure.problems import Problem, join

T = TypeVar("T")


def to_data(value: Any) -> Any:
    """``value`` as JSON-ready data: dates ISO, money and quantities as decimal strings."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):  # datetime too
        return value.isoformat()
    if isinstance(value, list):
        return [to_data(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_data(v) for k, v in value.items()}
    return value


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_data(cls: type[T], data: Any, path: str = "", problems: list[Problem] | None = None) -> T:
    """Build a ``cls`` from ``data``; append a Problem per bad field to ``problems``.

    Raises ValueError when ``problems`` is None and something is wrong.
    """
    collected: list[Problem] = [] if problems is None else problems
    result = _convert(cls, data, path, collected)
    if problems is None and collected:
        raise ValueError("; ".join(str(p) for p in collected))
    return typing.cast(T, result)


def _convert(tp: Any, data: Any, path: str, problems: list[Problem]) -> Any:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return None if data is None else _convert(args[0], data, path, problems)
    if origin is list:
        if not isinstance(data, list):
            problems.append(Problem(path, "deve essere un elenco"))
            return []
        (item,) = typing.get_args(tp)
        return [_convert(item, v, join(path, i), problems) for i, v in enumerate(data)]
    if origin is dict:
        if not isinstance(data, dict):
            problems.append(Problem(path, "deve essere un oggetto"))
            return {}
        _, item = typing.get_args(tp)
        return {str(k): _convert(item, v, join(path, str(k)), problems) for k, v in data.items()}
    if dataclasses.is_dataclass(tp):
        return _record(tp, data, path, problems)
    return _scalar(tp, data, path, problems)


def _record(cls: Any, data: Any, path: str, problems: list[Problem]) -> Any:
    if not isinstance(data, dict):
        problems.append(Problem(path, "deve essere un oggetto"))
        data = {}
    hints = _hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    for key in data:
        if key not in known:
            problems.append(Problem(join(path, key), "campo sconosciuto"))
    values = {}
    for f in dataclasses.fields(cls):
        if f.name in data:
            values[f.name] = _convert(hints[f.name], data[f.name], join(path, f.name), problems)
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            problems.append(Problem(join(path, f.name), "campo obbligatorio mancante"))
            values[f.name] = None
    return cls(**values)


def _scalar(tp: Any, data: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        if isinstance(data, str) and data in tp._value2member_map_:
            return tp(data)
        problems.append(Problem(path, "valore ammesso: " + ", ".join(v.value for v in tp)))
        return next(iter(tp))
    try:
        return _SCALARS[tp](data)
    except KeyError:
        if tp is object:
            return data
        raise TypeError(f"unsupported field type {tp!r} at {path}") from None
    except (TypeError, ValueError, InvalidOperation):
        problems.append(Problem(path, _MESSAGES[tp]))
        return None


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError
    return v


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError
    return v


def _decimal(v: Any) -> Decimal:
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise TypeError
    d = Decimal(str(v).strip().replace(",", "."))
    if not d.is_finite():
        raise ValueError
    return d


def _date(v: Any) -> date:
    if not isinstance(v, str) or len(v) != 10:
        raise TypeError
    return date.fromisoformat(v)


def _datetime(v: Any) -> datetime:
    """Local time without a zone, as the program records it: a time with a zone (from an
    import) is turned into local time, so that times always compare."""
    if not isinstance(v, str):
        raise TypeError
    moment = datetime.fromisoformat(v)
    return moment.astimezone().replace(tzinfo=None) if moment.tzinfo else moment


_SCALARS: dict[Any, Any] = {
    str: _str,
    int: _int,
    bool: _bool,
    Decimal: _decimal,
    date: _date,
    datetime: _datetime,
}
_MESSAGES = {
    str: "deve essere un testo",
    int: "deve essere un numero intero",
    bool: "deve essere true o false",
    Decimal: "deve essere un numero (es. 1800.00)",
    date: "deve essere una data nel formato AAAA-MM-GG",
    datetime: "deve essere data e ora nel formato AAAA-MM-GGTHH:MM:SS",
}
