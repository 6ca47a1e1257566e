"""Settings declared once: each key with its default, type and one-line Italian help.

The commented ``config.toml`` that ``init`` writes is generated from these declarations,
reading.py reads them back with their types checked (and the administrator's file beside
them), and edits go through tomlkit (config_file.py) so that comments survive.
"""

import dataclasses
import os
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

CONFIG_NAME = "config.toml"


class ConfigError(Exception):
    """config.toml cannot be read; the message names the file and the key."""


MAX_LIST, MAX_LIST_TEXT = 200, 100  # a list of config.toml: its items and their length


def setting(default: Any, help: str, *, positive: bool = False) -> Any:
    """A key of config.toml: its default and the comment written above it."""
    return field(default=default, metadata={"help": help, "positive": positive})


@dataclass(frozen=True)
class CompanySettings:
    """Dati dell'azienda mostrati nei documenti e nelle schermate (dati di esempio)."""

    name: str = setting("Delta Test Informatica S.r.l.", "Ragione sociale.")
    vat_number: str = setting("13579130280", "Partita IVA.")
    address: str = setting("Via dell'Esempio 1, 35100 Padova (PD)", "Indirizzo della sede.")
    iban: str = setting("IT50U0832703200000000900001", "IBAN per i bonifici dei clienti.")
    email: str = setting("assistenza@deltatest.example", "E-mail dell'assistenza.")
    phone: str = setting("049 000 0000", "Telefono dell'assistenza.")
    service_hours: str = setting(
        "lunedì-venerdì 8:30-12:30 e 14:00-18:00", "Orario di assistenza citato nel contratto."
    )
    sla: str = setting("presa in carico entro 8 ore lavorative", "Livello di servizio (SLA).")
    extra_rate: Decimal = setting(Decimal("60.00"), "Tariffa oraria oltre le ore incluse.")
    representative: str = setting(
        "Mario Esempio, amministratore unico",
        "Chi firma i contratti per l'azienda: nome e qualifica (legale rappresentante).",
    )
    signing_place: str = setting("Padova", "Luogo di sottoscrizione indicato nei contratti.")
    court: str = setting("Padova", "Foro competente per le controversie con i clienti.")
    sepa_creditor_id: str = setting(
        "IT44ZZZ0000013579130280",
        "Identificativo del creditore SEPA (Creditor Identifier) assegnato dalla banca; "
        "senza un valore valido non si produce il mandato SEPA. DA SOSTITUIRE: questo è "
        "l'esempio.",
    )
    sepa_prenotification_days: int = setting(
        5,
        "Giorni di calendario di preavviso della pre-notifica degli addebiti SDD, concordati "
        "nel mandato e nel contratto (il rulebook EPC ne prevede 14 salvo accordo diverso).",
        positive=True,
    )


@dataclass(frozen=True)
class PrivacySettings:
    """Dati per l'informativa privacy e la nomina a responsabile del trattamento (GDPR)."""

    contact: str = setting(
        "privacy@deltatest.example", "Recapito per l'esercizio dei diritti (e-mail o PEC)."
    )
    dpo: str = setting(
        "", "Responsabile della protezione dei dati (DPO), se nominato: nome e recapito."
    )
    retention_years: int = setting(
        10,
        "Anni di conservazione dei dati dopo la fine del rapporto (art. 2220 c.c.: 10 anni).",
        positive=True,
    )
    sub_processors: str = setting(
        "fornitore del servizio di posta elettronica e di hosting del portale osTicket "
        "(nell'Unione europea)",
        "Sub-responsabili del trattamento autorizzati (chi e dove), citati nella nomina.",
    )
    transfers: str = setting(
        "I dati non sono trasferiti fuori dallo Spazio economico europeo.",
        "Trasferimenti fuori dallo SEE e relative garanzie (artt. 44-49 GDPR).",
    )
    security: str = setting(
        "accesso remoto solo su richiesta del cliente e tracciato, credenziali personali, "
        "cifratura delle connessioni, copie di backup cifrate, formazione del personale",
        "Misure di sicurezza (art. 32 GDPR) descritte nella nomina.",
    )
    breach_hours: int = setting(
        24,
        "Ore entro cui il responsabile avvisa il cliente di una violazione dei dati.",
        positive=True,
    )


@dataclass(frozen=True)
class ArchiveSettings:
    """Archivio dei moduli e dei documenti."""

    root: str = setting(
        "archivio",
        "Cartella dell'archivio, relativa alla cartella dati o assoluta (es. una condivisione).",
    )
    watch_mode: Literal["native", "polling"] = setting(
        "native",
        'Sorveglianza: "native" (inotify, disco locale) o "polling" (condivisioni di rete).',
    )
    stability_seconds: float = setting(
        3.0, "Secondi in cui un file deve restare invariato prima di essere preso.", positive=True
    )
    poll_seconds: float = setting(
        2.0, 'Con "polling": ogni quanti secondi si guarda la cartella.', positive=True
    )
    rescan_minutes: float = setting(
        5.0, "Ogni quanti minuti si ripassa l'intero archivio.", positive=True
    )
    trust_list: str = field(default="", metadata={"admin": True})  # amministrazione.toml


@dataclass(frozen=True)
class ChasingSettings:
    """Solleciti dei moduli non rientrati."""

    interval_days: int = setting(
        7, "Giorni minimi tra due solleciti allo stesso cliente.", positive=True
    )


@dataclass(frozen=True)
class TuiSettings:
    """Schermate."""

    refresh_seconds: float = setting(
        1.0, "Ogni quanti secondi si controllano le modifiche dei colleghi.", positive=True
    )


@dataclass(frozen=True)
class HandoverSettings:
    """Consegne in cartaceo: i valori proposti, modificabili a ogni consegna."""

    contracts_to: str = setting("Direzione", "A chi si consegnano i contratti firmati.")
    orders_to: str = setting("Amministrazione", "A chi si consegnano le conferme d'ordine.")
    billing_timing: str = setting(
        "alla consegna del software", "Tempi di fatturazione proposti per gli ordini."
    )


@dataclass(frozen=True)
class TermsSettings:
    """Condizioni di pagamento."""

    proposed: str = setting(
        "BB30FM",
        "Condizioni proposte a un nuovo cliente nella sua anagrafica (codice; vuoto = nessuna).",
    )

    fine_mese: Literal["months", "days"] = setting(
        "months",
        'Termini "fine mese" di 30/60/90 gg: "months" aggiunge mesi commerciali '
        '(30 gg f.m. dal 31/01 = 28/02), "days" giorni di calendario (= 31/03).',
    )


@dataclass(frozen=True)
class SuggestionsSettings:
    """Valori proposti scrivendo nella scheda CRM 3 (→ accetta), prima di quelli già usati."""

    edition: tuple[str, ...] = setting(("Standard", "Professional", "Enterprise"), "Edizioni.")
    server_os: tuple[str, ...] = setting(
        (
            "Windows Server 2022",
            "Windows Server 2025",
            "Windows Server 2019",
            "Ubuntu Server 24.04 LTS",
            "Debian 12",
        ),
        "Sistemi operativi del server.",
    )
    db_engine: tuple[str, ...] = setting(
        ("SQL Server", "PostgreSQL", "MySQL", "MariaDB", "Oracle", "Firebird"), "Database."
    )
    technician: tuple[str, ...] = setting((), "Tecnici dell'azienda.")
    remote_tool: tuple[str, ...] = setting(
        ("AnyDesk", "TeamViewer", "RustDesk", "Desktop remoto (RDP)"),
        "Strumenti di accesso remoto.",
    )


@dataclass(frozen=True)
class BillingSettings:
    """Fatturazione dei contratti periodici."""

    day_count: Literal["actual/365", "30/360"] = setting(
        "actual/365", 'Conteggio dei giorni dei periodi pro rata: "actual/365" o "30/360".'
    )
    indexation_downwards: bool = setting(
        False,
        "Al rinnovo un calo dell'indice ISTAT FOI riduce il canone (true) o il canone non "
        "scende mai (false); ogni contratto può decidere diversamente.",
    )


@dataclass(frozen=True)
class TravelSettings:
    """Tariffe di trasferta dell'azienda (ogni cliente può avere le sue)."""

    rate_per_km: Decimal = setting(Decimal("0.60"), "Tariffa al km.")
    call_out_fee: Decimal = setting(Decimal("40.00"), "Diritto di chiamata per visita.")
    hourly_rate: Decimal = setting(
        Decimal(0), 'Tariffa oraria del tempo di viaggio; "0" = non si addebita.'
    )


@dataclass(frozen=True)
class OsticketSettings:
    """osTicket. La chiave API si imposta nella variabile d'ambiente ACQUISTO_OSTICKET_KEY."""

    url: str = field(default="", metadata={"admin": True})  # segreti/amministrazione.toml
    portal_url: str = setting(
        "https://assistenza.deltatest.example",
        "Indirizzo del portale osTicket stampato nelle istruzioni per i clienti.",
    )
    ticket_email: str = setting("", 'E-mail del mittente dei ticket "contratto attivato".')


@dataclass(frozen=True)
class SmtpSettings:
    """Posta in uscita: senza [smtp] ogni e-mail è scritta come .eml in outbox/."""

    host: str = setting("smtp.example.it", "Server SMTP.")
    port: int = setting(587, "Porta (25, 587 o 465).")
    security: Literal["starttls", "none", "ssl"] = setting(
        "starttls", "Sicurezza: none, starttls o ssl."
    )
    user: str = setting("", "Utente SMTP (vuoto = nessuna autenticazione).")
    sender: str = setting("Delta Test Informatica <acquisto@example.it>", "Mittente.")
    password_file: str = setting(
        "",
        "File con la password nella cartella segreti/ della cartella dati, leggibile solo "
        "dal proprietario (chmod 600); in alternativa la variabile d'ambiente "
        "ACQUISTO_SMTP_PASSWORD.",
    )
    password: str = field(default="", repr=False, metadata={"secret": True})


@dataclass(frozen=True)
class ImapSettings:
    """Posta in arrivo letta per IMAP: risposte con i moduli, avvisi di mancato recapito."""

    host: str = setting("imap.example.it", "Server IMAP.")
    port: int = setting(993, "Porta (993 con ssl, 143 altrimenti).")
    security: Literal["ssl", "starttls", "none"] = setting(
        "ssl", "Sicurezza: ssl, starttls o none."
    )
    user: str = setting("", "Utente della casella.")
    password_file: str = setting(
        "",
        "File con la password nella cartella segreti/ (chmod 600); in alternativa la "
        "variabile d'ambiente ACQUISTO_IMAP_PASSWORD (ACQUISTO_PEC_PASSWORD per la PEC).",
    )
    folder: str = setting("INBOX", "Cartella letta.")
    done_folder: str = setting(
        "Acquisto/Elaborati", "Dove si spostano i messaggi elaborati (mai cancellati)."
    )
    poll_seconds: float = setting(
        60.0, "Ogni quanti secondi il servizio controlla la casella.", positive=True
    )
    password: str = field(default="", repr=False, metadata={"secret": True})


@dataclass(frozen=True)
class PecSettings:
    """La casella PEC dell'azienda: invio degli invii che richiedono prova di consegna
    (SMTP) e lettura delle ricevute (IMAP)."""

    smtp: SmtpSettings
    imap: ImapSettings


@dataclass(frozen=True)
class Settings:
    """Every setting of one data folder, by section of config.toml."""

    data_dir: Path
    company: CompanySettings = field(default_factory=CompanySettings)
    privacy: PrivacySettings = field(default_factory=PrivacySettings)
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    chasing: ChasingSettings = field(default_factory=ChasingSettings)
    tui: TuiSettings = field(default_factory=TuiSettings)
    handover: HandoverSettings = field(default_factory=HandoverSettings)
    terms: TermsSettings = field(default_factory=TermsSettings)
    suggestions: SuggestionsSettings = field(default_factory=SuggestionsSettings)
    billing: BillingSettings = field(default_factory=BillingSettings)
    travel: TravelSettings = field(default_factory=TravelSettings)
    osticket: OsticketSettings = field(default_factory=OsticketSettings)
    smtp: SmtpSettings | None = None
    imap: ImapSettings | None = None
    pec: PecSettings | None = None
    osticket_key: str = field(default="", repr=False)  # from the environment, never a file

    @property
    def archive_root(self) -> Path:
        root = Path(self.archive.root)
        return root if root.is_absolute() else self.data_dir / root

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def osticket_export_dir(self) -> Path:
        """Where the CSV files osTicket imports are written unless told otherwise."""
        return self.data_dir / "export" / "osticket"

    @property
    def config_path(self) -> Path:
        return self.data_dir / CONFIG_NAME


SECTIONS: dict[str, type] = {
    f.name: typing.get_type_hints(Settings)[f.name]
    for f in dataclasses.fields(Settings)
    if f.name not in ("data_dir", "smtp", "imap", "pec", "osticket_key")
}
OPTIONAL_SECTIONS: dict[str, type] = {"smtp": SmtpSettings}


def keys(section: type) -> list[dataclasses.Field[Any]]:
    """The declared keys of a section in config.toml (secrets, and what only the
    administrator's file may say, left out)."""
    return [
        f
        for f in dataclasses.fields(section)
        if not f.metadata.get("secret") and not f.metadata.get("admin")
    ]


def resolve_data_dir(option: str | None) -> Path:
    """``--data``, else ``$ACQUISTO_DATA``, else ``./data``."""
    return Path(option or os.environ.get("ACQUISTO_DATA") or "data").absolute()


def settings_stamp(path: Path) -> tuple[int, int, int]:
    """What changes when config.toml is replaced or edited (cheap to compare)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (st.st_ino, st.st_mtime_ns, st.st_size)
