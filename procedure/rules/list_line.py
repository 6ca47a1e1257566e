"""The list line as stored: one string per customer, decoded only when a field is used.

A start-up lists every customer (100,000 in a large office) but shows a screenful, so a
line is kept as read and turned into fields the first time one other than its code is
asked for. Fields are joined by DEL, which no single-line field may hold (validation
refuses control characters) and which JSON stores as it is, unescaped.
"""

import functools
import logging
from typing import Any

from procedure.rules.progress import Facts, Summary

log = logging.getLogger("acquisto.list")

LINE_VERSION = "L5"
SEP = "\x7f"
FIXED = 19  # the version, seventeen fields and the billing plan's key, before the terms
TERM_FIELDS = 5  # start, end, notice days, renews, number


def summary_to_line(s: Summary, plan: str = "") -> str:
    """The stored form of a list line (what ``stored_summary`` reads back); ``plan`` is the
    key of the customer's billing plan, to tell when it must be made again."""
    values = [
        LINE_VERSION,
        s.code,
        s.name,
        str(s.done),
        str(s.total),
        str(s.forms_returned),
        str(s.forms_required),
        s.next_step,
        s.next_title,
        "1" if s.next_blocked else "",
        str(s.open_mail),
        str(s.outstanding),
        s.last_contact,
        s.last_returned,
        str(s.bad_signatures),
        s.vat_number,
        s.tax_code,
        ",".join(s.missing),
        plan,
    ]
    for start, end, notice, renews, number in s.terms:
        values += [start, end, str(notice), "1" if renews else "", number]
    return SEP.join(values)


def readable(line: str) -> bool:
    """Whether ``line`` is of this program's format (else it is made again)."""
    return line.startswith(LINE_VERSION + SEP) and (line.count(SEP) - FIXED + 1) % TERM_FIELDS == 0


def plan_key_of(line: str) -> str:
    """The billing plan key kept in a stored line ("" for a line of another format)."""
    return line.split(SEP, FIXED)[FIXED - 1] if readable(line) else ""


def _terms(v: list[str]) -> tuple[tuple[str, str, int, bool, str], ...]:
    """The billable contracts' dates after the fixed fields of a split line."""
    return tuple(
        (v[i], v[i + 1], int(v[i + 2]), v[i + 3] == "1", v[i + 4])
        for i in range(FIXED, len(v) - TERM_FIELDS + 1, TERM_FIELDS)
    )


@functools.lru_cache(maxsize=65536)
def _terms_of(tail: str) -> tuple[tuple[str, str, int, bool, str], ...]:
    """The terms stored after the fixed fields (many customers share them: one tuple each,
    which the list's order then judges once)."""
    return _terms([""] * FIXED + tail.split(SEP))


def _fields(line: str, titles: dict[str, str]) -> dict[str, Any]:
    v = line.split(SEP)
    terms = _terms(v)
    return {
        "name": v[2],
        "done": int(v[3]),
        "total": int(v[4]),
        "forms_returned": int(v[5]),
        "forms_required": int(v[6]),
        "next_step": v[7],
        "next_title": titles.get(v[7], v[8]),
        "next_blocked": v[9] == "1",
        "open_mail": int(v[10]),
        "outstanding": int(v[11]),
        "last_contact": v[12],
        "last_returned": v[13],
        "bad_signatures": int(v[14]),
        "vat_number": v[15],
        "tax_code": v[16],
        "missing": tuple(v[17].split(",")) if v[17] else (),
        "terms": terms,
    }


class _Decoded:
    """A field of a StoredSummary: the first reading decodes the whole line into the
    instance, whose values then shadow these descriptors (later readings cost nothing)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, summary: object, owner: type | None = None) -> Any:
        if summary is None:
            return self
        state = summary.__dict__
        try:
            state.update(_fields(state["_line"], state["_titles"]))
        except (ValueError, IndexError):  # damaged: shown as not started; check repairs it
            log.warning("riga dell'elenco di %s illeggibile", state["code"])
            state.update(_fields(summary_to_line(_blank(state["code"])), {}))
        return state[self.name]


class StoredSummary(Summary):
    """A Summary read from the store: its code at once, the other fields on first use."""

    def facts(self) -> Facts:
        """Read from the line without decoding it whole: a start-up orders and counts every
        customer but shows a screenful."""
        state = self.__dict__
        if "name" in state:  # decoded already
            return super().facts()
        v = state["_line"].split(SEP, FIXED)  # the terms, if any, stay one string
        try:
            return Facts._make(  # positional: a hundred thousand of them at start-up
                (
                    v[2],  # name
                    v[11] != "0",  # outstanding
                    v[12],  # last contact
                    v[10] != "0",  # open mail
                    v[14] != "0",  # bad signatures
                    v[9] == "1",  # next blocked
                    v[3] == v[4],  # complete
                    _terms_of(v[FIXED]) if len(v) > FIXED else (),
                )
            )
        except (ValueError, IndexError):  # damaged: decoding says so and shows it blank
            return super().facts()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Summary):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in Summary.__dataclass_fields__)

    __hash__ = Summary.__hash__


for _name in Summary.__dataclass_fields__:
    if _name != "code":
        setattr(StoredSummary, _name, _Decoded(_name))


def _blank(code: str) -> Summary:
    return Summary(code, code, 0, 0, 0, 0, "", "", False)


_new = object.__new__


def stored_summary(code: str, line: str, titles: dict[str, str]) -> Summary:
    """The list line of ``code`` as read (``titles``: step titles as the procedure file has
    them now); made without the dataclass's ``__init__`` and decoded on first use."""
    summary = _new(StoredSummary)
    summary.__dict__.update(code=code, _line=line, _titles=titles)
    return summary


def stored_summaries(
    lines: list[tuple[str, str]], titles: dict[str, str]
) -> tuple[list[Summary], list[str]]:
    """``stored_summary`` of every readable line, and the codes of the others (a whole
    office's list at start-up: the checks of ``readable`` made inline, once per line)."""
    rows: list[Summary] = []
    unread: list[str] = []
    prefix, extra = LINE_VERSION + SEP, 1 - FIXED
    add, skip, new, cls = rows.append, unread.append, _new, StoredSummary
    for code, line in lines:
        if line.startswith(prefix) and (line.count(SEP) + extra) % TERM_FIELDS == 0:
            summary = new(cls)
            summary.__dict__.update(code=code, _line=line, _titles=titles)
            add(summary)
        else:
            skip(code)
    return rows, unread
