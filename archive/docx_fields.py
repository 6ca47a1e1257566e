"""Reading the content controls of a filled .docx form: tag → text."""

import io
import re
import zipfile
from pathlib import Path

from archive.pdf.form import Layout
from archive.render import BLANK

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def form_layout(docx: bytes) -> Layout | None:
    """The geometry of the first table holding content controls: its two columns' widths
    and its rows' height, in points (None when the document has no such table)."""
    from lxml import etree

    try:
        with zipfile.ZipFile(io.BytesIO(docx)) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return None
    for table in root.iter(f"{W}tbl"):
        if table.find(f".//{W}sdt") is None:
            continue
        widths = [int(c.get(f"{W}w", "0")) / 20 for c in table.iter(f"{W}gridCol")]
        height = table.find(f".//{W}trHeight")
        if len(widths) != 2 or height is None:
            return None
        return Layout(widths[0], widths[1], int(height.get(f"{W}val", "0")) / 20)
    return None


def read_fields(path: Path) -> dict[str, str]:
    """The text of every tagged content control; blanks (never filled) read as ""."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as archive:
            xml = archive.read("word/document.xml")
    except (OSError, KeyError, zipfile.BadZipFile):
        return {}
    root = etree.fromstring(xml)
    fields: dict[str, str] = {}
    for sdt in root.iter(f"{W}sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is None:
            continue
        content = sdt.find(f"{W}sdtContent")
        text = "" if content is None else "".join(t.text or "" for t in content.iter(f"{W}t"))
        text = re.sub(r"\s+", " ", text).strip()
        fields[tag.get(f"{W}val", "")] = "" if set(text) <= set(BLANK) else text
    return fields
