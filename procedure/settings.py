"""Where the data folder is and what its config.toml says; creates both on first use."""

import os
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from store.files import FILE_MODE, ensure_dir, share_mode

DEFAULT_CONFIG = """\
# Configurazione di Acquisto per questa cartella dati.
# Le righe che iniziano con # sono commenti; togliere il # per cambiare un valore.

[company]
# Dati dell'azienda mostrati nei documenti e nelle schermate (dati di esempio).
name = "Delta Test Informatica S.r.l."
vat_number = "13579130280"
address = "Via dell'Esempio 1, 35100 Padova (PD)"
iban = "IT50U0832703200000000900001"
email = "assistenza@deltatest.example"
phone = "049 000 0000"
# Orario, livello di servizio e tariffa oraria extra citati nel contratto di assistenza.
service_hours = "lunedì-venerdì 8:30-12:30 e 14:00-18:00"
sla = "presa in carico entro 8 ore lavorative"
extra_rate = "60.00"

[archive]
# Cartella dell'archivio dei moduli e dei documenti, relativa alla cartella dati
# (o un percorso assoluto, es. una condivisione di rete).
root = "archivio"
# Sorveglianza dell'archivio: "native" (inotify, disco locale) oppure "polling" (condivisioni
# di rete, dove inotify non vede nulla).
watch_mode = "native"
# Secondi in cui un file deve restare invariato prima di essere preso (scanner lenti).
stability_seconds = 3
# Con "polling": ogni quanti secondi si guarda la cartella.
poll_seconds = 2
# Ogni quanti minuti si ripassa l'intero archivio (file depositati a programma spento).
rescan_minutes = 5

[chasing]
# Giorni minimi tra due solleciti allo stesso cliente.
interval_days = 7

[tui]
# Ogni quanti secondi le schermate controllano le modifiche fatte da altri colleghi.
refresh_seconds = 1.0

[terms]
# Condizioni "fine mese" con giorni multipli di 30: "months" aggiunge mesi commerciali
# (30 gg f.m. dal 31/01 = 28/02), "days" aggiunge giorni di calendario (= 31/03).
fine_mese = "months"

[billing]
# Conteggio dei giorni per i periodi pro rata: "actual/365" oppure "30/360".
day_count = "actual/365"

[travel]
# Tariffe di trasferta dell'azienda (ogni cliente può avere le sue).
rate_per_km = "0.60"
call_out_fee = "40.00"
# Tariffa oraria del tempo di viaggio; "0" = il tempo di viaggio non si addebita.
hourly_rate = "0"

# Posta in uscita. Senza una tabella [smtp] attiva ogni e-mail viene scritta come file
# .eml nella cartella outbox/ della cartella dati. Per inviarle davvero togliere i #:
# [smtp]
# host = "smtp.example.it"
# port = 587
# security = "starttls"   # none | starttls | ssl
# user = "acquisto@example.it"
# sender = "Delta Test Informatica <acquisto@example.it>"
# La password: variabile d'ambiente ACQUISTO_SMTP_PASSWORD oppure un file leggibile
# solo dal proprietario (chmod 600), indicato qui:
# password_file = "/home/ufficio/.acquisto-smtp"

[osticket]
# Indirizzo di osTicket (es. "https://assistenza.example.it"); vuoto = nessun ticket via API.
# La chiave API si imposta nella variabile d'ambiente ACQUISTO_OSTICKET_KEY, mai qui.
url = ""
# E-mail del mittente dei ticket "contratto attivato".
ticket_email = ""
"""


class ConfigError(Exception):
    """config.toml cannot be read; the message names the file and the key."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # none | starttls | ssl
    user: str
    sender: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    company_name: str = "Delta Test Informatica S.r.l."
    company_vat: str = "13579130280"
    company_address: str = "Via dell'Esempio 1, 35100 Padova (PD)"
    company_iban: str = "IT50U0832703200000000900001"
    company_email: str = "assistenza@deltatest.example"
    company_phone: str = "049 000 0000"
    service_hours: str = "lunedì-venerdì 8:30-12:30 e 14:00-18:00"
    sla: str = "presa in carico entro 8 ore lavorative"
    extra_rate: Decimal = Decimal("60.00")
    archive_root: Path = Path("archivio")
    refresh_seconds: float = 1.0
    watch_mode: str = "native"
    stability_seconds: float = 3.0
    poll_seconds: float = 2.0
    rescan_minutes: float = 5.0
    chase_days: int = 7
    fine_mese: str = "months"
    day_count: str = "actual/365"
    rate_per_km: Decimal = Decimal("0.60")
    call_out_fee: Decimal = Decimal("40.00")
    hourly_rate: Decimal = Decimal(0)
    osticket_url: str = ""
    osticket_email: str = ""
    osticket_key: str = ""
    smtp: SmtpSettings | None = None

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

    def choice(section: str, key: str, allowed: tuple[str, ...]) -> str:
        value = str(get(section, key, str, allowed[0]))
        if value not in allowed:
            raise ConfigError(f"{config}: [{section}] {key} ammette {', '.join(allowed)}")
        return value

    def positive(section: str, key: str, default: float) -> float:
        value = float(str(get(section, key, float, default)))
        if value <= 0:
            raise ConfigError(f"{config}: [{section}] {key} deve essere maggiore di zero")
        return value

    def money(section: str, key: str, default: Decimal) -> Decimal:
        value = raw.get(section, {}).get(key, str(default))
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            amount = Decimal(-1)
        if isinstance(value, bool) or not amount.is_finite() or amount < 0:
            raise ConfigError(f'{config}: [{section}] {key} deve essere un importo (es. "0.60")')
        return amount

    archive = Path(str(get("archive", "root", str, "archivio")))
    settings = Settings(
        data_dir=data_dir,
        company_name=str(get("company", "name", str, Settings.company_name)),
        company_vat=str(get("company", "vat_number", str, Settings.company_vat)),
        company_address=str(get("company", "address", str, Settings.company_address)),
        company_iban=str(get("company", "iban", str, Settings.company_iban)),
        company_email=str(get("company", "email", str, Settings.company_email)),
        company_phone=str(get("company", "phone", str, Settings.company_phone)),
        service_hours=str(get("company", "service_hours", str, Settings.service_hours)),
        sla=str(get("company", "sla", str, Settings.sla)),
        extra_rate=money("company", "extra_rate", Settings.extra_rate),
        archive_root=archive if archive.is_absolute() else data_dir / archive,
        refresh_seconds=float(str(get("tui", "refresh_seconds", float, 1.0))),
        watch_mode=choice("archive", "watch_mode", ("native", "polling")),
        stability_seconds=positive("archive", "stability_seconds", 3.0),
        poll_seconds=positive("archive", "poll_seconds", 2.0),
        rescan_minutes=positive("archive", "rescan_minutes", 5.0),
        chase_days=int(positive("chasing", "interval_days", 7)),
        fine_mese=choice("terms", "fine_mese", ("months", "days")),
        day_count=choice("billing", "day_count", ("actual/365", "30/360")),
        rate_per_km=money("travel", "rate_per_km", Settings.rate_per_km),
        call_out_fee=money("travel", "call_out_fee", Settings.call_out_fee),
        hourly_rate=money("travel", "hourly_rate", Settings.hourly_rate),
        osticket_url=str(get("osticket", "url", str, "")).rstrip("/"),
        osticket_email=str(get("osticket", "ticket_email", str, "")),
        osticket_key=os.environ.get("ACQUISTO_OSTICKET_KEY", ""),
        smtp=_smtp(raw.get("smtp"), config),
    )
    if settings.refresh_seconds <= 0:
        raise ConfigError(f"{config}: [tui] refresh_seconds deve essere maggiore di zero")
    ensure_dir(settings.archive_root)
    return settings


def _smtp(table: object, config: Path) -> SmtpSettings | None:
    """The [smtp] table, with the password from the environment or a 0600 file."""
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{config}: [smtp] deve essere una tabella")
    host, sender = table.get("host"), table.get("sender")
    if not isinstance(host, str) or not host or not isinstance(sender, str) or not sender:
        raise ConfigError(f"{config}: [smtp] richiede host e sender")
    security = table.get("security", "starttls")
    if security not in ("none", "starttls", "ssl"):
        raise ConfigError(f"{config}: [smtp] security ammette none, starttls, ssl")
    port = table.get("port", {"none": 25, "starttls": 587, "ssl": 465}[security])
    if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
        raise ConfigError(f"{config}: [smtp] port deve essere un numero di porta")
    password = os.environ.get("ACQUISTO_SMTP_PASSWORD", "")
    password_file = table.get("password_file", "")
    if not password and password_file:
        path = Path(str(password_file))
        try:
            if path.stat().st_mode & 0o077:
                raise ConfigError(f"{path}: il file della password deve avere permessi 600")
            password = path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ConfigError(f"{config}: [smtp] password_file: {exc}") from None
    return SmtpSettings(host, port, str(security), str(table.get("user", "")), sender, password)
