"""Where the data folder is and what its config.toml says; creates both on first use."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from store.files import FILE_MODE, ensure_dir, share_mode

DEFAULT_CONFIG = """\
# Configurazione di Acquisto per questa cartella dati.
# Le righe che iniziano con # sono commenti; togliere il # per cambiare un valore.

[company]
# Ragione sociale mostrata nei documenti e nelle schermate.
name = "Delta Test Informatica S.r.l."

[archive]
# Cartella dell'archivio dei moduli e dei documenti, relativa alla cartella dati
# (o un percorso assoluto, es. una condivisione di rete).
root = "archivio"

[tui]
# Ogni quanti secondi le schermate controllano le modifiche fatte da altri colleghi.
refresh_seconds = 1.0
"""


class ConfigError(Exception):
    """config.toml cannot be read; the message names the file and the key."""


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    company_name: str = "Delta Test Informatica S.r.l."
    archive_root: Path = Path("archivio")
    refresh_seconds: float = 1.0

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def config_path(self) -> Path:
        return self.data_dir / "config.toml"


def resolve_data_dir(option: str | None) -> Path:
    """``--data``, else ``$ACQUISTO_DATA``, else ``./data``."""
    return Path(option or os.environ.get("ACQUISTO_DATA") or "data").absolute()


def load_settings(data_dir: Path) -> Settings:
    """Create the data folder and a commented config.toml if missing, then read it."""
    ensure_dir(data_dir)
    config = data_dir / "config.toml"
    try:
        fd = os.open(config, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        pass
    else:
        share_mode(fd)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(DEFAULT_CONFIG)
    try:
        with config.open("rb") as fh:
            raw = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{config}: {exc}") from None

    def get(section: str, key: str, kind: type, default: object) -> object:
        value = raw.get(section, {}).get(key, default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind):
            raise ConfigError(f"{config}: [{section}] {key} deve essere di tipo {kind.__name__}")
        return value

    archive = Path(str(get("archive", "root", str, "archivio")))
    settings = Settings(
        data_dir=data_dir,
        company_name=str(get("company", "name", str, Settings.company_name)),
        archive_root=archive if archive.is_absolute() else data_dir / archive,
        refresh_seconds=float(str(get("tui", "refresh_seconds", float, 1.0))),
    )
    if settings.refresh_seconds <= 0:
        raise ConfigError(f"{config}: [tui] refresh_seconds deve essere maggiore di zero")
    ensure_dir(settings.archive_root)
    return settings
