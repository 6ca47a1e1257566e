"""The filing tree: one readable folder per customer, fixed Italian sub-folders, safe names."""

import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from safefiles import FILE_MODE

RECEIVED = "Moduli ricevuti"
SENT = "Documenti inviati"
CONTRACTS = "Contratti"
LICENCES = "Licenze"
CORRESPONDENCE = "Corrispondenza"
INTAKE = "Da archiviare"
NAME_MAX = 60
UNSAFE = re.compile(r'[/\\:*?"<>|\x00-\x1f\ud800-\udfff]')  # surrogates: bytes not UTF-8


class OutsideArchive(Exception):
    """A path would leave the archive root (or pass through a link); nothing was written."""


def _clean(text: str, limit: int) -> str:
    text = unicodedata.normalize("NFC", text)
    text = UNSAFE.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip().lstrip(". ")[:limit].rstrip()


def safe_component(text: str, limit: int = NAME_MAX) -> str:
    """``text`` as one folder or file name safe on Linux, Windows shares and macOS:
    no ``/ \\ : * ? " < > |`` or control characters, no leading or trailing dots."""
    return _clean(text, limit).rstrip(" .") or "senza nome"


def customer_folder_name(name: str, code: str) -> str:
    """``<name> - <code>``: readable, unique by the code, safe on every file system."""
    return f"{_clean(name, NAME_MAX) or 'senza nome'} - {safe_component(code, 20)}"


@dataclass(frozen=True)
class Archive:
    root: Path

    def inside(self, *parts: str) -> Path:
        """``root/parts…``, refusing anything that would land outside the root or go
        through a symbolic link inside the tree."""
        root = self.root.resolve()
        path = root.joinpath(*parts)
        if os.path.isabs(os.path.join(*parts)) or ".." in Path(*parts).parts:
            raise OutsideArchive(f"Percorso fuori dall'archivio: {os.path.join(*parts)}")
        probe = root
        for part in path.relative_to(root).parts:
            probe = probe / part
            if probe.is_symlink():
                raise OutsideArchive(f"Collegamento nell'archivio non seguito: {probe}")
        return path


def write_new(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Write ``data`` as ``stem + suffix`` in ``folder`` without ever replacing a file:
    an existing name gets `` (2)``, `` (3)``…; returns the path written."""
    stem = safe_component(stem, 120)
    for n in range(1, 1000):
        name = f"{stem}{suffix}" if n == 1 else f"{stem} ({n}){suffix}"
        path = folder / name
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
        except FileExistsError:
            continue
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        return path
    raise FileExistsError(f"Troppe versioni di {stem}{suffix} in {folder}")
