"""Fill a .docx template (docxtpl: Jinja2 in Word) safely, in memory, before anything is written."""

import io
import re
import zipfile
from pathlib import Path
from typing import Any

import segno
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from archive.errors import TemplateProblem  # raised here, known everywhere

PLACEHOLDER = re.compile(r"\{\{|\}\}|\{%|%\}")
BLANK = "____________________"


def blank(value: object) -> object:
    """A line to write on when the value is missing (read back as empty)."""
    return value if value not in (None, "") else BLANK


def environment() -> SandboxedEnvironment:
    """Sandboxed (templates are edited by staff), autoescaped (``&``, ``<`` survive in XML),
    and strict: a field the data lacks is an error, never an empty string."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["blank"] = blank
    return env


def qr_png(payload: str) -> bytes:
    """A QR code image (PNG) holding ``payload``."""
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def _field(exc: UndefinedError) -> str:
    match = re.search(r"has no attribute '([^']+)'|'([^']+)' is undefined", str(exc))
    return next((g for g in match.groups() if g), str(exc)) if match else str(exc)


def render(template: Path, context: dict[str, Any], qr: str | None = None) -> bytes:
    """The filled document as .docx bytes; raises TemplateProblem naming template and field.

    ``qr``, when given, is the payload of the QR code shown where the template has
    ``{{ qr }}``. Nothing is written anywhere: the caller saves the bytes.
    """
    name = template.name
    try:
        tpl = DocxTemplate(template)
    except (OSError, ValueError, KeyError) as exc:
        raise TemplateProblem(f"Modello {name}: impossibile aprirlo ({exc}).") from None
    full = dict(context)
    if qr is not None:
        full["qr"] = InlineImage(tpl, io.BytesIO(qr_png(qr)), width=Mm(24))
    try:
        tpl.render(full, environment(), autoescape=True)
    except UndefinedError as exc:
        raise TemplateProblem(
            f"Modello {name}: il campo «{_field(exc)}» non esiste nei dati."
        ) from None
    except TemplateSyntaxError as exc:
        raise TemplateProblem(
            f"Modello {name}: errore di sintassi vicino a riga {exc.lineno}: {exc.message}."
        ) from None
    except (TemplateError, TypeError, ValueError) as exc:  # e.g. looping over a non-list
        raise TemplateProblem(f"Modello {name}: {exc}.") from None
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def leftover_placeholders(docx: bytes) -> list[str]:
    """Placeholders still in a filled document's text, in any part (there should be none)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for name in archive.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                xml = archive.read(name).decode("utf-8")
                for paragraph in re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S):
                    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", paragraph))
                    if PLACEHOLDER.search(text):
                        found.append(f"{name}: {text}")
    return found
