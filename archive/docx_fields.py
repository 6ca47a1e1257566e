"""Reading the content controls of a filled .docx form: tag → text."""

import re
import zipfile
from pathlib import Path

from archive.render import BLANK

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


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
