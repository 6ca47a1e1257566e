"""Whose form a scan without a QR code is: identifiers (Partita IVA, codice fiscale, checked
with their check digits so that a random number does not match) and names found in its
text, and the form's title. A suggestion with its reason, for a person to confirm."""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher

from stdnum.it import codicefiscale, iva

VAT_RE = re.compile(r"(?<![\d])(\d{11})(?![\d])")
TAX_RE = re.compile(
    r"(?<![A-Z0-9])([A-Z]{6}[0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z])(?![A-Z0-9])"
)
MIN_NAME = 8  # shorter names match too much text by chance


@dataclass(frozen=True)
class Party:
    code: str
    name: str
    vat_number: str
    tax_code: str


@dataclass(frozen=True)
class Suggestion:
    code: str
    form: str  # "" when no title was recognised
    why: str


def _plain(text: str) -> str:
    """Lower case, no accents, punctuation as spaces, one space between words."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in folded if not unicodedata.combining(c))
    return " ".join(letters.split())


def identifiers(text: str) -> list[tuple[str, str]]:
    """("P.IVA" | "C.F.", value) of every valid Partita IVA and codice fiscale in ``text``."""
    found: list[tuple[str, str]] = []
    compact = text.replace(" ", "")
    for value in VAT_RE.findall(compact):
        if iva.is_valid(value) and ("P.IVA", value) not in found:
            found.append(("P.IVA", value))
    for value in TAX_RE.findall(compact.upper()):
        if codicefiscale.is_valid(value) and ("C.F.", value) not in found:
            found.append(("C.F.", value))
    return found


TITLE_LIKENESS = 0.85  # OCR misreads a letter or two of a printed title


def _at(words: list[str], phrase: list[str]) -> int | None:
    """Where ``phrase`` starts among ``words`` (as OCR reads it: a letter or two may
    differ), or None."""
    size = len(phrase)
    wanted = " ".join(phrase)
    for start in range(len(words) - size + 1):
        window = " ".join(words[start : start + size])
        if window == wanted:
            return start
        if (
            window[:1] == wanted[:1]
            and SequenceMatcher(None, window, wanted).ratio() >= TITLE_LIKENESS
        ):
            return start
    return None


def _form(text: str, titles: dict[str, tuple[str, ...]]) -> tuple[str, str]:
    """The form whose printed title (or heading) comes first in the text, with the title
    found; the longest title where two start at the same word."""
    words = _plain(text).split()
    best: tuple[int, int, str, str] | None = None
    for form, phrases in titles.items():
        for phrase in phrases:
            at = _at(words, _plain(phrase).split())
            key = (at, -len(phrase)) if at is not None else None
            if key is not None and (best is None or key < best[:2]):
                best = (*key, form, phrase)
    return (best[2], best[3]) if best else ("", "")


def suggest(
    parts: Iterable[tuple[int, str]],
    parties: list[Party],
    titles: dict[str, tuple[str, ...]],
    ours: set[str],
) -> Suggestion | None:
    """The customer (and form) the text of ``parts`` — (page, text) in reading order —
    points to, or None. A Partita IVA or codice fiscale wins over a name: a name found
    holds only if no identifier turns up on the rest of its page. ``ours`` are the
    company's own identifiers, printed on every document and never a customer's. Reading
    stops as soon as the customer is sure."""
    by_id = {p.vat_number: p for p in parties if p.vat_number}
    by_id.update({p.tax_code: p for p in parties if p.tax_code})
    read = ""
    named: tuple[int, Party, str] | None = None
    for page, text in parts:
        if named is not None and page != named[0]:
            break  # the page of the name is read through: the name holds
        read += "\n" + text
        for kind, value in identifiers(text):
            if value in ours or value not in by_id:
                continue
            return _suggestion(
                by_id[value], f"{kind} {value} trovata a pagina {page}", read, titles
            )
        if named is None:
            plain = f" {_plain(text)} "
            for party in parties:
                name = _plain(party.name)
                if len(name) >= MIN_NAME and f" {name} " in plain:
                    named = (page, party, f"ragione sociale «{party.name}» trovata a pagina {page}")
                    break
    if named is None:
        return None
    return _suggestion(named[1], named[2], read, titles)


def _suggestion(
    party: Party, why: str, text: str, titles: dict[str, tuple[str, ...]]
) -> Suggestion:
    form, title = _form(text, titles)
    why += f"; modulo dal titolo «{title}»" if form else "; modulo non riconosciuto dal titolo"
    return Suggestion(party.code, form, why)
