"""Italian for people: dates (dd/mm/yyyy), money (€ 1.800,00), numbers, and the label of
every value of a closed set. The CLI, the TUI and the documents all render through here."""

import functools
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from procedure.enums import (
    AuditAction,
    Bundle,
    ContactRole,
    ContractStatus,
    ContractType,
    Frequency,
    HandoverKind,
    LicenceType,
    MailingStatus,
    MandateScheme,
    PartyKind,
    ProductKind,
    ReceiptKind,
    VatNature,
)
from procedure.model import FormSignature, Mailing

DASH = "—"
MONTHS = (
    "gennaio",
    "febbraio",
    "marzo",
    "aprile",
    "maggio",
    "giugno",
    "luglio",
    "agosto",
    "settembre",
    "ottobre",
    "novembre",
    "dicembre",
)


def it_date(value: date | datetime | None, empty: str = DASH) -> str:
    """``31/01/2025`` (``empty`` for no date)."""
    if not value:
        return empty
    if type(value) is date:  # lists print the same few dates many times over
        return _day(value)
    return f"{value:%d/%m/%Y}"


@functools.lru_cache(maxsize=4096)
def _day(value: date) -> str:
    return f"{value:%d/%m/%Y}"


def it_datetime(value: datetime | None, empty: str = DASH) -> str:
    """``31/01/2025 09:30`` (``empty`` for no time)."""
    return f"{value:%d/%m/%Y %H:%M}" if value else empty


def it_instant(value: datetime) -> str:
    """``31/01/2025 09:30 UTC+01:00``: a moment with the zone it was stated in."""
    offset = value.strftime("%z")
    zone = f" UTC{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{value:%d/%m/%Y %H:%M}{zone}"


TRUST = {
    None: "catena non verificata (nessun elenco di fiducia configurato)",
    True: "certificatore nell'elenco di fiducia",
    False: "certificatore non nell'elenco di fiducia",
}


def signature_verdict(sig: FormSignature) -> str:
    """What a person reads of one digital signature (or timestamp) of a returned form:
    who, when, whether it holds, and what was not checked."""
    who = f"{sig.signer} ({sig.tax_code})" if sig.tax_code else sig.signer or "firmatario ignoto"
    if not sig.valid:
        return f"{sig.kind} di {who} NON valida: {sig.problem}"
    when = f" del {it_instant(sig.signed_at)}" if sig.signed_at else ""
    return f"{sig.kind} di {who}{when} valida; {TRUST[sig.trusted]}; revoca {sig.revocation}"


def euro(value: Decimal) -> str:
    """Italian money format: ``€ 1.800,00``."""
    text = f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}"
    return "€ " + text.replace(",", "_").replace(".", ",").replace("_", ".")


def it_fixed(value: Decimal, places: int = 2) -> str:
    """A number for Italian spreadsheets: always ``places`` decimals, decimal comma, no
    thousands separator (``1800,00``; ``35,0``), so a column reads the same on every row."""
    step = Decimal(1).scaleb(-places)
    return f"{value.quantize(step, rounding=ROUND_HALF_UP):.{places}f}".replace(".", ",")


LABELS: dict[type[StrEnum], dict[str, str]] = {
    VatNature: {
        "": "nessuna (aliquota maggiore di zero)",
        "N1": "N1 escluse ex art. 15 DPR 633/72",
        "N2.1": "N2.1 non soggette ad IVA ai sensi degli artt. da 7 a 7-septies DPR 633/72",
        "N2.2": "N2.2 non soggette – altri casi",
        "N3.1": "N3.1 non imponibili – esportazioni",
        "N3.2": "N3.2 non imponibili – cessioni intracomunitarie",
        "N3.3": "N3.3 non imponibili – cessioni verso San Marino",
        "N3.4": "N3.4 non imponibili – operazioni assimilate alle cessioni all'esportazione",
        "N3.5": "N3.5 non imponibili – a seguito di dichiarazioni d'intento",
        "N3.6": "N3.6 non imponibili – altre operazioni che non concorrono al plafond",
        "N4": "N4 esenti (art. 10 DPR 633/72)",
        "N5": "N5 regime del margine / IVA non esposta in fattura",
        "N6.1": "N6.1 inversione contabile – cessione di rottami e altri materiali di recupero",
        "N6.2": "N6.2 inversione contabile – cessione di oro e argento",
        "N6.3": "N6.3 inversione contabile – subappalto nel settore edile",
        "N6.4": "N6.4 inversione contabile – cessione di fabbricati",
        "N6.5": "N6.5 inversione contabile – cessione di telefoni cellulari",
        "N6.6": "N6.6 inversione contabile – cessione di prodotti elettronici",
        "N6.7": "N6.7 inversione contabile – prestazioni comparto edile e settori connessi",
        "N6.8": "N6.8 inversione contabile – operazioni settore energetico",
        "N6.9": "N6.9 inversione contabile – altri casi",
        "N7": "N7 IVA assolta in altro stato UE",
    },
    ContractStatus: {
        "draft": "bozza",
        "sent": "inviato",
        "signed": "firmato",
        "active": "attivo",
        "cancelled": "annullato",
    },
    ContractType: {"software": "software", "hardware": "hardware", "other": "altro"},
    Frequency: {
        "monthly": "mensile",
        "quarterly": "trimestrale",
        "half_yearly": "semestrale",
        "yearly": "annuale",
    },
    ContactRole: {
        "legal_rep": "legale rappresentante",
        "administration": "amministrazione",
        "it": "referente IT",
        "software": "referente software",
        "user": "utente",
    },
    MailingStatus: {
        "queued": "in coda",
        "sending": "in invio",
        "sent": "inviata",
        "unknown": "esito sconosciuto",
        "cancelled": "annullata",
        "bounced": "non consegnata",
    },
    ReceiptKind: {
        "risposta": "risposta del cliente",
        "mancato-recapito": "avviso di mancato recapito",
        "accettazione": "ricevuta PEC di accettazione",
        "non-accettazione": "ricevuta PEC di non accettazione",
        "avvenuta-consegna": "ricevuta PEC di avvenuta consegna",
        "errore-consegna": "ricevuta PEC di mancata consegna",
        "preavviso-errore-consegna": "preavviso PEC di mancata consegna",
    },
    Bundle: {
        "forms": "moduli da compilare",
        "contracts": "contratti e istruzioni osTicket",
        "licences": "licenze",
        "reminder": "sollecito dei moduli",
    },
    LicenceType: {"perpetual": "perpetua", "subscription": "in abbonamento", "trial": "di prova"},
    MandateScheme: {"CORE": "CORE", "B2B": "B2B"},
    HandoverKind: {"contracts": "contratti", "orders": "ordini"},
    PartyKind: {"company": "società", "sole_trader": "ditta individuale o professionista"},
    ProductKind: {
        "software": "software",
        "hardware": "hardware",
        "service": "servizio",
        "support": "assistenza",
    },
    AuditAction: {
        "step.done": "passo completato",
        "step.undo": "passo riaperto",
        "step.reopened": "passo riaperto dai dati",
        "step.note": "nota aggiunta",
        "form.sent": "modulo inviato",
        "form.returned": "modulo rientrato",
        "customer.update": "anagrafica modificata",
        "customer.convert": "convertito da prospect",
        "document": "documento prodotto",
        "handover": "consegna registrata",
        "licence.issue": "licenza emessa",
        "review.master_data": "revisione dei dati anagrafici",
        "contract.renew": "contratto rinnovato",
        "mail.queue": "e-mail messa in coda",
        "mail.sending": "e-mail in invio",
        "mail.sent": "e-mail inviata",
        "mail.queued": "e-mail rimessa in coda",
        "mail.unknown": "e-mail dall'esito sconosciuto",
        "mail.cancelled": "e-mail annullata",
        "mail.bounced": "e-mail non consegnata",
        "mail.receipt": "e-mail: ricevuta o risposta",
        "mail.replaced": "e-mail inviata di nuovo a un altro indirizzo",
        "osticket.queue": "ticket osTicket in coda",
        "osticket.ticket": "ticket osTicket aperto",
        "osticket.error": "ticket osTicket non aperto",
        "product.save": "prodotto salvato",
        "prospect.add": "prospect inserito",
        "terms.save": "condizione di pagamento salvata",
        "company.save": "dati aziendali salvati",
        "import": "importazione",
    },
}


def label(value: StrEnum) -> str:
    """The Italian label of a closed-set value."""
    return LABELS[type(value)][value.value]


def label_of(kind: type[StrEnum], value: str) -> str:
    """The Italian label of ``value`` in ``kind`` (the value itself when it is not one)."""
    return LABELS[kind].get(value, value)


def choices(kind: type[StrEnum]) -> list[str]:
    """The Italian labels of ``kind``, in declaration order (what a person picks from)."""
    return [LABELS[kind][v.value] for v in kind]


def parse_choice(kind: type[StrEnum], text: str) -> StrEnum:
    """The value whose Italian label (or stored value) is ``text``; raises ValueError with
    the labels allowed."""
    wanted = text.strip().casefold()
    for value in kind:
        if wanted in (LABELS[kind][value.value].casefold(), value.value.casefold()):
            return value
    raise ValueError("scegliere tra: " + ", ".join(choices(kind)))


def plural(count: int, one: str, many: str) -> str:
    """``count`` with its noun in the right number: "1 postazione", "3 postazioni"."""
    return f"{count} {one if count == 1 else many}"


def new_one(noun: str, feminine: bool) -> str:
    """A new item named by its noun, the adjective agreeing: "Ordine nuovo", "Sede nuova"."""
    return f"{noun} {'nuova' if feminine else 'nuovo'}"


HANDED_OVER: dict[str, str] = {  # "consegna registrata …"
    HandoverKind.CONTRACTS.value: "dei contratti alla direzione",
    HandoverKind.ORDERS.value: "degli ordini all'amministrazione",
}


def audit_target(
    entry: dict[str, Any], titles: dict[str, str], mailings: dict[str, tuple[str, datetime | None]]
) -> str:
    """What an audit entry is about, in words: a step's or form's title («…»), a document's
    title, the hand-over's subject, a mailing by its subject and date — never a stored id.
    ``titles``: step and form ids to titles; ``mailings``: id to (bundle, created at)."""
    action, target = entry.get("action", ""), str(entry.get("target", ""))
    after = entry.get("after")
    if action == AuditAction.DOCUMENT and isinstance(after, dict) and after.get("title"):
        return f"«{after['title']}»"
    if action == AuditAction.HANDOVER:
        return HANDED_OVER.get(target, target)
    if target in mailings:
        bundle, created = mailings[target]
        return f"«{label_of(Bundle, bundle)}» del {it_datetime(created)}"
    if target in titles:
        return f"«{titles[target]}»"
    return target


def receipt_text(kind: str, at: datetime | None, detail: str) -> str:
    """What came back about a mailing, for people: "ricevuta PEC di avvenuta consegna il
    04/12/2026 alle 10:32: rossi@pec.example"."""
    when = f" il {at:%d/%m/%Y} alle {at:%H:%M}" if at else ""
    return f"{label_of(ReceiptKind, kind)}{when}" + (f": {detail}" if detail else "")


def mailing_fate(m: Mailing) -> str:
    """What became of a mailing as far as we know: "consegnata via PEC il 04/12/2026 alle
    10:32", "non consegnata: <the server's reason>", "inviata il …"."""
    if m.status == MailingStatus.BOUNCED:
        return f"non consegnata: {m.last_error}" if m.last_error else "non consegnata"
    kinds = {r.kind: r for r in m.receipts}
    if (done := kinds.get(ReceiptKind.DELIVERED)) and done.at:
        return f"consegnata via PEC il {done.at:%d/%m/%Y} alle {done.at:%H:%M}"
    if (taken := kinds.get(ReceiptKind.ACCEPTED)) and taken.at:
        return (
            f"accettata dal gestore PEC il {taken.at:%d/%m/%Y} alle {taken.at:%H:%M}, "
            "consegna non ancora confermata"
        )
    if m.status == MailingStatus.SENT and m.sent_at:
        via = " via PEC" if m.channel == "pec" else ""
        return f"inviata{via} il {m.sent_at:%d/%m/%Y} alle {m.sent_at:%H:%M}"
    return label(m.status)
