"""Reading the settings: config.toml, whose keys and types settings.py declares (every
colleague may edit it), and the administrator's file, which alone says where mail goes,
where the osTicket key is sent, which signatures are trusted and an archive outside the
data folder, with the mail servers' passwords from the environment or a 0600 file."""

import dataclasses
import os
import stat
import tomllib
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from procedure.bounds import out_of_bounds, parse_number
from procedure.config.settings import (
    CONFIG_NAME,
    MAX_LIST,
    MAX_LIST_TEXT,
    SECTIONS,
    ConfigError,
    ImapSettings,
    PecSettings,
    Settings,
    SmtpSettings,
    keys,
)


def _value(kind: Any, raw: Any, where: str, positive: bool) -> Any:
    """``raw`` as a value of ``kind``; raises ConfigError naming ``where``."""
    if typing.get_origin(kind) is Literal:
        allowed = typing.get_args(kind)
        if raw not in allowed:
            raise ConfigError(f"{where} ammette {', '.join(allowed)}")
        return raw
    if kind is Decimal:
        return _amount(raw, where)
    if typing.get_origin(kind) is tuple:
        return _texts(raw, where)
    if kind is float and isinstance(raw, int) and not isinstance(raw, bool):
        raw = float(raw)
    if not isinstance(raw, kind) or (kind in (int, float) and isinstance(raw, bool)):
        names = {str: "testo", int: "numero intero", float: "numero", bool: "true o false"}
        raise ConfigError(f"{where} deve essere un {names.get(kind, kind.__name__)}")
    if positive and not isinstance(raw, bool) and raw <= 0:
        raise ConfigError(f"{where} deve essere maggiore di zero")
    return raw


def _amount(raw: Any, where: str) -> Decimal:
    try:
        plain = isinstance(raw, str | int | float) and not isinstance(raw, bool)
        amount = parse_number(str(raw)) if plain else Decimal(-1)
    except ValueError:
        amount = Decimal(-1)
    if amount < 0:
        raise ConfigError(f'{where} deve essere un importo (es. "0.60")')
    if problem := out_of_bounds(where.rpartition(" ")[2], amount):
        raise ConfigError(f"{where}: {problem}")
    return amount


def _texts(raw: Any, where: str) -> tuple[str, ...]:
    """A list of texts of config.toml (bounded), blanks left out."""
    texts = isinstance(raw, list) and all(isinstance(x, str) for x in raw)
    if not texts or len(raw) > MAX_LIST or any(len(x) > MAX_LIST_TEXT for x in raw):
        raise ConfigError(
            f'{where} deve essere un elenco di testi (es. ["uno", "due"]), al più '
            f"{MAX_LIST} di {MAX_LIST_TEXT} caratteri"
        )
    return tuple(x.strip() for x in raw if x.strip())


def _section(cls: type, table: Any, config: Path, name: str) -> Any:
    if not isinstance(table, dict):
        raise ConfigError(f"{config}: [{name}] deve essere una tabella")
    hints = typing.get_type_hints(cls)
    values = {}
    for f in keys(cls):
        if f.name in table:
            where = f"{config}: [{name}] {f.name}"
            values[f.name] = _value(hints[f.name], table[f.name], where, f.metadata["positive"])
    return cls(**values)


def read_settings(data_dir: Path, environ: dict[str, str] | None = None) -> Settings:
    """The settings of ``data_dir`` as its config.toml says (defaults for what it leaves
    out, or for all when it has none); creates nothing. Raises ConfigError."""
    env = os.environ if environ is None else environ
    config = data_dir / CONFIG_NAME
    try:
        with config.open("rb") as fh:
            raw = tomllib.load(fh)
    except FileNotFoundError:
        raw = {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{config}: {exc}") from None
    _refuse_admin_keys(raw, config, data_dir)
    sections = {n: _section(cls, raw.get(n, {}), config, n) for n, cls in SECTIONS.items()}
    admin_path = data_dir / SECRETS / ADMIN_NAME
    admin = _admin(admin_path)
    url = (
        admin.get("osticket", {}).get("url", "") if isinstance(admin.get("osticket"), dict) else ""
    )
    if not isinstance(url, str):
        raise ConfigError(f"{admin_path}: [osticket] url deve essere un testo")
    sections["osticket"] = dataclasses.replace(sections["osticket"], url=url.rstrip("/"))
    trust = (
        admin.get("archive", {}).get("trust_list", "")
        if isinstance(admin.get("archive"), dict)
        else ""
    )
    if not isinstance(trust, str):
        raise ConfigError(f"{admin_path}: [archive] trust_list deve essere un testo")
    sections["archive"] = dataclasses.replace(sections["archive"], trust_list=trust)
    _archive_inside(sections["archive"].root, config, data_dir)
    root = admin.get("archive", {}).get("root") if isinstance(admin.get("archive"), dict) else None
    if root is not None:  # the administrator may put it anywhere (a share)
        if not isinstance(root, str) or not root.strip():
            raise ConfigError(
                f"{admin_path}: [archive] root deve essere il percorso di una cartella"
            )
        sections["archive"] = dataclasses.replace(sections["archive"], root=root)
    smtp, imap = admin.get("smtp"), admin.get("imap")
    return Settings(
        data_dir=data_dir,
        **sections,
        smtp=_smtp(smtp, admin_path, env, data_dir) if smtp is not None else None,
        imap=_imap(imap, admin_path, env, data_dir) if imap is not None else None,
        pec=_pec(admin.get("pec"), admin_path, env, data_dir),
        osticket_key=env.get("ACQUISTO_OSTICKET_KEY", ""),
    )


ADMIN_NAME = "amministrazione.toml"


def _refuse_admin_keys(raw: dict[str, Any], config: Path, data_dir: Path) -> None:
    """Where mail and the osTicket key go is not for config.toml, which every colleague
    may edit (company data from the TUI): it belongs to the administrator's file."""
    osticket, archive = raw.get("osticket"), raw.get("archive")
    if (
        any(name in raw for name in ("smtp", "imap", "pec"))
        or (isinstance(osticket, dict) and osticket.get("url"))
        or (isinstance(archive, dict) and archive.get("trust_list"))
    ):
        raise ConfigError(
            f"{config}: [smtp], [imap], [pec], [osticket] url e [archive] trust_list vanno in "
            f"{data_dir / SECRETS / ADMIN_NAME}, il file dell'amministratore: config.toml è "
            "modificabile da tutti i colleghi"
        )


def _archive_inside(root: str, config: Path, data_dir: Path) -> None:
    """config.toml, which every colleague may edit, keeps the archive inside the data
    folder: elsewhere (a colleague's home, where a backup or a scan would carry or write)
    only the administrator's file may put it."""
    path = Path(root)
    if path.is_absolute() or ".." in path.parts:
        raise ConfigError(
            f"{config}: [archive] root = {root!r} è fuori dalla cartella dati; una cartella "
            f"fuori (es. una condivisione) si indica in {data_dir / SECRETS / ADMIN_NAME}, "
            "il file dell'amministratore"
        )


def _admin(path: Path) -> dict[str, Any]:
    """The administrator's settings: trusted only from a regular file that belongs to the
    administrator (root or the user running the program) and no one else can change."""
    try:
        st = path.lstat()
    except FileNotFoundError:
        return {}
    if not stat.S_ISREG(st.st_mode):
        raise ConfigError(f"{path}: non è un file regolare")
    if st.st_uid not in (0, os.geteuid()) or st.st_mode & 0o022:
        raise ConfigError(
            f"{path}: impostazioni di posta e osTicket in un file che altri possono "
            "modificare; deve appartenere all'amministratore con permessi 644 o 600 "
            "(chmod 644), altrimenti non è usato"
        )
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


SMTP_PORTS = {"none": 25, "starttls": 587, "ssl": 465}


SECRETS = "segreti"  # DATA/segreti/: the only place a setting may name a secret file in


def _secret(data_dir: Path, name: str, config: Path, section: str = "smtp") -> str:
    """The content of a secret file named by a setting: only a regular file inside
    DATA/segreti/, readable by its owner alone (a setting pointing anywhere else would make
    the program read, and send, whatever file its user can read)."""
    folder = (data_dir / SECRETS).resolve()
    path = (data_dir / SECRETS / name).resolve() if not Path(name).is_absolute() else Path(name)
    where = f"{config}: [{section}] password_file"
    if not path.resolve().is_relative_to(folder):
        raise ConfigError(f"{where} deve indicare un file nella cartella {folder}")
    try:
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode):
            raise ConfigError(f"{where}: {path} non è un file regolare")
        if st.st_mode & 0o077:
            raise ConfigError(f"{path}: il file della password deve avere permessi 600")
        return path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ConfigError(f"{where}: {exc}") from None


def _smtp(table: Any, config: Path, env: Any, data_dir: Path, name: str = "smtp") -> SmtpSettings:
    """The [smtp] table (or [pec]) with its password, from the environment or a 0600 file."""
    smtp = _section(SmtpSettings, table, config, name)
    if "port" not in table:
        smtp = dataclasses.replace(smtp, port=SMTP_PORTS[smtp.security])
    if "host" not in table or "sender" not in table or not smtp.host or not smtp.sender:
        raise ConfigError(f"{config}: [{name}] richiede host e sender")
    return typing.cast(SmtpSettings, _with_password(smtp, config, env, data_dir, name))


def _with_password(server: Any, config: Path, env: Any, data_dir: Path, name: str) -> Any:
    """A server's settings with a port in range and its password (the environment first)."""
    if not 0 < server.port < 65536:
        raise ConfigError(f"{config}: [{name}] port deve essere un numero di porta")
    variable = PASSWORD_VARIABLES[name]
    password = env.get(variable, "")
    if not password and server.password_file:
        password = _secret(data_dir, server.password_file, config, name)
    return dataclasses.replace(server, password=password)


PASSWORD_VARIABLES = {
    "smtp": "ACQUISTO_SMTP_PASSWORD",
    "imap": "ACQUISTO_IMAP_PASSWORD",
    "pec": "ACQUISTO_PEC_PASSWORD",
    "pec.imap": "ACQUISTO_PEC_PASSWORD",
}
IMAP_PORTS = {"none": 143, "starttls": 143, "ssl": 993}


def _imap(table: Any, config: Path, env: Any, data_dir: Path, name: str = "imap") -> ImapSettings:
    """The [imap] table (or [pec.imap]) with its password."""
    imap = _section(ImapSettings, table, config, name)
    if "port" not in table:
        imap = dataclasses.replace(imap, port=IMAP_PORTS[imap.security])
    if "host" not in table or not imap.host or not imap.user:
        raise ConfigError(f"{config}: [{name}] richiede host e user")
    for key in ("folder", "done_folder"):
        value = getattr(imap, key)
        if not value or not all(" " <= ch <= "~" and ch not in '"\\' for ch in value):
            raise ConfigError(
                f"{config}: [{name}] {key} deve essere un nome di cartella in lettere senza accenti"
            )
    return typing.cast(ImapSettings, _with_password(imap, config, env, data_dir, name))


def _pec(table: Any, config: Path, env: Any, data_dir: Path) -> PecSettings | None:
    """[pec]: the keys of [smtp] for sending, and [pec.imap] for reading the receipts."""
    if table is None:
        return None
    if not isinstance(table, dict) or not isinstance(table.get("imap"), dict):
        raise ConfigError(f"{config}: [pec] richiede anche la tabella [pec.imap] (ricevute)")
    inner = {k: v for k, v in table.items() if k != "imap"}
    smtp = _smtp(inner, config, env, data_dir, "pec")
    return PecSettings(smtp, _imap(table["imap"], config, env, data_dir, "pec.imap"))
