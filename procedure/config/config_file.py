"""config.toml as a file: written commented from the declarations, edited keeping comments."""

import dataclasses
import os
import pwd
import stat
import typing
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from procedure.config.reading import read_settings
from procedure.config.settings import (
    CONFIG_NAME,
    OPTIONAL_SECTIONS,
    SECTIONS,
    ConfigError,
    Settings,
    keys,
)
from safefiles import FILE_MODE, ensure_dir

HEADER = (
    "Configurazione di Acquisto per questa cartella dati (generata dalle sue dichiarazioni).\n"
    "Le righe che iniziano con # sono commenti; togliere il # per cambiare un valore."
)


def _toml_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    return format(value, "f") if isinstance(value, Decimal) else value


def default_config() -> str:
    """The commented config.toml of a new data folder, every key at its default."""
    doc = tomlkit.document()
    for line in HEADER.splitlines():
        doc.add(tomlkit.comment(line))
    for name, cls in SECTIONS.items():
        table = tomlkit.table()
        table.add(tomlkit.comment(typing.cast(str, cls.__doc__)))
        for f in keys(cls):
            table.add(tomlkit.comment(f.metadata["help"]))
            table.add(f.name, _toml_value(f.default))
        doc.add(tomlkit.nl())
        doc.add(name, table)
    for name, cls in OPTIONAL_SECTIONS.items():
        doc.add(tomlkit.nl())
        doc.add(tomlkit.comment(typing.cast(str, cls.__doc__)))
        doc.add(tomlkit.comment("Per inviarle davvero togliere i # qui sotto:"))
        doc.add(tomlkit.comment(f"[{name}]"))
        for f in keys(cls):
            value = tomlkit.item(_toml_value(f.default)).as_string()
            doc.add(tomlkit.comment(f"{f.name} = {value}   # {f.metadata['help']}"))
    return tomlkit.dumps(doc)


def not_ours(data_dir: Path) -> str:
    """Why ``data_dir`` cannot be opened by this process alone, "" when it can: it must be
    this user's and closed to others' writing (colleagues share a folder through the
    service, which owns it, never by writing it themselves)."""
    st = os.stat(data_dir)
    mode = stat.S_IMODE(st.st_mode)
    if st.st_uid != os.geteuid():
        why = f"dell'utente {account(st.st_uid)}, non di chi usa il programma"
    elif mode & 0o022:
        why = f"modificabile da altri utenti (permessi {mode:o})"
    else:
        return ""
    return (
        f"{data_dir}: la cartella dati è {why}. Da soli: una cartella propria, chiusa agli "
        f"altri (chmod -R go-rwx {data_dir}). In più colleghi: il servizio condiviso, "
        "che ne è l'unico proprietario (README, «Più colleghi: il servizio»)."
    )


def account(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def prepare_data_folder(data_dir: Path) -> Settings:
    """Create the data folder and its commented config.toml when missing; read the settings.

    Raises ConfigError, also when the folder is someone else's or others may write it.
    """
    ensure_dir(data_dir)
    if problem := not_ours(data_dir):
        raise ConfigError(problem)
    config = data_dir / CONFIG_NAME
    try:
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(default_config())
    settings = read_settings(data_dir)
    ensure_dir(settings.archive_root)
    return settings


def set_keys(text: str, values: Mapping[tuple[str, str], Any]) -> str:
    """``text`` (config.toml) with each ``[section] key`` set to its value; comments and
    layout are kept, a missing key or section is added. Raises ConfigError."""
    try:
        doc = tomlkit.parse(text)
    except TOMLKitError as exc:
        raise ConfigError(f"{CONFIG_NAME}: {exc}") from None
    for (section, key), value in values.items():
        if section not in doc:
            doc.add(section, tomlkit.table())
        table = doc[section]
        if not isinstance(table, dict):
            raise ConfigError(f"{CONFIG_NAME}: [{section}] deve essere una tabella")
        table[key] = _toml_value(value)
    return tomlkit.dumps(doc)


def section_values(section: str, record: Any) -> dict[tuple[str, str], Any]:
    """The keys of a section record, addressed as ``(section, key)``."""
    return {(section, f.name): getattr(record, f.name) for f in dataclasses.fields(record)}
