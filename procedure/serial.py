"""Dataclass records to JSON-ready data and back, reporting every bad field by path."""

import dataclasses
import types
import typing
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from procedure.bounds import MAX_DIGITS, parse_number
from procedure.model import Instant
from procedure.problems import Problem, join

T = TypeVar("T")
INT_LIMIT = 10 ** (MAX_DIGITS - 1)  # a whole number of at most MAX_DIGITS characters


_TO_DATA: dict[type, typing.Callable[[Any], Any] | None] = {}


def to_data(value: Any) -> Any:
    """``value`` as JSON-ready data: dates ISO, money and quantities as decimal strings."""
    kind = type(value)
    try:
        convert = _TO_DATA[kind]
    except KeyError:
        convert = _TO_DATA[kind] = _to_data_of(kind)
    return value if convert is None else convert(value)


def _to_data_of(kind: type) -> typing.Callable[[Any], Any] | None:
    """How values of ``kind`` become data; None when they already are (worked out once)."""
    if issubclass(kind, list | tuple):
        return lambda v: [to_data(x) for x in v]
    if issubclass(kind, dict):
        return lambda v: {str(k): to_data(x) for k, x in v.items()}
    if issubclass(kind, Decimal):
        return lambda v: format(v, "f")
    if issubclass(kind, date):  # datetime too
        return lambda v: v.isoformat()
    if dataclasses.is_dataclass(kind):
        names = tuple(f.name for f in dataclasses.fields(kind))
        return lambda v: {name: to_data(getattr(v, name)) for name in names}
    return None


def from_data(cls: type[T], data: Any, path: str = "", problems: list[Problem] | None = None) -> T:
    """Build a ``cls`` from ``data``; append a Problem per bad field to ``problems``.

    Raises ValueError when ``problems`` is None and something is wrong.
    """
    collected: list[Problem] = [] if problems is None else problems
    convert: Any = cls
    result = _converter(convert)(data, path, collected)
    if problems is None and collected:
        raise ValueError("; ".join(str(p) for p in collected))
    return typing.cast(T, result)


# Where a value sits: the caller's path, or (where its parent sits, field or index). The
# path's text is made only for a problem: most values have none.
Where = Any
Convert = typing.Callable[[Any, Where, list[Problem]], Any]


def _path(where: Where) -> str:
    if isinstance(where, str):
        return where
    parent, key = where
    return join(_path(parent), key)


@cache
def _converter(tp: Any) -> Convert:
    """The function that turns data into a ``tp``, worked out once per type."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        inner = _converter(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda data, where, problems: None if data is None else inner(data, where, problems)
    if origin is list:
        return _list_of(_converter(typing.get_args(tp)[0]))
    if origin is dict:
        return _dict_of(_converter(typing.get_args(tp)[1]))
    if dataclasses.is_dataclass(tp):
        return _record_of(tp)
    if isinstance(tp, type) and issubclass(tp, StrEnum):
        return _choice_of(tp)
    if tp is object:
        return lambda data, where, problems: data
    if tp not in _SCALARS:
        raise TypeError(f"unsupported field type {tp!r}")
    return _scalar_of(_SCALARS[tp], _MESSAGES[tp])


def _list_of(item: Convert) -> Convert:
    def convert(data: Any, where: Where, problems: list[Problem]) -> Any:
        if not isinstance(data, list):
            problems.append(Problem(_path(where), "deve essere un elenco"))
            return []
        return [item(v, (where, i), problems) for i, v in enumerate(data)]

    return convert


def _dict_of(item: Convert) -> Convert:
    def convert(data: Any, where: Where, problems: list[Problem]) -> Any:
        if not isinstance(data, dict):
            problems.append(Problem(_path(where), "deve essere un oggetto"))
            return {}
        return {str(k): item(v, (where, str(k)), problems) for k, v in data.items()}

    return convert


def _record_of(cls: Any) -> Convert:
    hints = typing.get_type_hints(cls)
    fields = [
        (
            f.name,
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
    ]
    known = frozenset(name for name, _, _ in fields)
    plan: list[tuple[str, Convert, bool]] | None = None

    def convert(data: Any, where: Where, problems: list[Problem]) -> Any:
        nonlocal plan
        if plan is None:  # the fields' converters, made on first use (records may nest)
            plan = [(name, _converter(hint), required) for name, hint, required in fields]
        if not isinstance(data, dict):
            problems.append(Problem(_path(where), "deve essere un oggetto"))
            data = {}
        for key in data:
            if key not in known:
                problems.append(Problem(join(_path(where), key), "campo sconosciuto"))
        values = {}
        for name, field_convert, required in plan:
            if name in data:
                values[name] = field_convert(data[name], (where, name), problems)
            elif required:
                problems.append(Problem(join(_path(where), name), "campo obbligatorio mancante"))
                values[name] = None
        return cls(**values)

    return convert


def _choice_of(tp: type[StrEnum]) -> Convert:
    members = tp._value2member_map_
    allowed = "valore ammesso: " + ", ".join(v.value for v in tp)

    def convert(data: Any, where: Where, problems: list[Problem]) -> Any:
        if isinstance(data, str) and data in members:
            return members[data]
        problems.append(Problem(_path(where), allowed))
        return next(iter(tp))

    return convert


def _scalar_of(check: typing.Callable[[Any], Any], message: str) -> Convert:
    def convert(data: Any, where: Where, problems: list[Problem]) -> Any:
        try:
            return check(data)
        except (TypeError, ValueError, InvalidOperation):
            problems.append(Problem(_path(where), message))
            return None

    return convert


def _str(v: Any) -> str:
    if not isinstance(v, str):
        raise TypeError
    return v


def _int(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not -INT_LIMIT < v < INT_LIMIT:
        raise TypeError
    return v


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise TypeError
    return v


def _decimal(v: Any) -> Decimal:
    """A number in plain digits (an exponent, NaN or a number longer than ``MAX_DIGITS``
    characters is refused before it is converted)."""
    if isinstance(v, bool) or not isinstance(v, int | float | str):
        raise TypeError
    return parse_number(str(v))


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


def _instant(v: Any) -> Instant:
    """A moment with its zone; one written without (recorded before zones were kept) is
    local time."""
    moment = Instant.fromisoformat(v) if isinstance(v, str) else None
    if moment is None:
        raise TypeError
    return moment if moment.tzinfo else moment.astimezone()


_SCALARS: dict[Any, Any] = {
    str: _str,
    int: _int,
    bool: _bool,
    Decimal: _decimal,
    date: _date,
    datetime: _datetime,
    Instant: _instant,
}
_MESSAGES = {
    str: "deve essere un testo",
    int: "deve essere un numero intero",
    bool: "deve essere true o false",
    Decimal: "deve essere un numero scritto in cifre (es. 1800.00)",
    date: "deve essere una data nel formato AAAA-MM-GG",
    datetime: "deve essere data e ora nel formato AAAA-MM-GGTHH:MM:SS",
    Instant: "deve essere data e ora nel formato AAAA-MM-GGTHH:MM:SS+HH:MM",
}
