"""Command-line commands for documents and mail: docs, mail, outbox, inbox."""

import argparse
from typing import TextIO

from cli.money import say_tickets
from procedure.enums import MailingStatus
from procedure.errors import NotFound
from procedure.italian import label_of
from procedure.model import Mailing
from procedure.office import Office
from procedure.services.documents import KINDS
from procedure.services.mail.mailings import (
    BUNDLES,
)

BACKDATED = "produce anche i contratti di un periodo già concluso"
UNKNOWN_HELP = (
    "Per gli invii dall'esito sconosciuto verificare con il cliente, poi: acquisto outbox "
    "confirm ID (ricevuto) oppure acquisto outbox resend ID.\n"
)


def docs(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    result = office.documents.generate(args.code, args.kind, args.pdf, args.backdated)
    for record in result.records:
        out.write(f"{record.file}\n")
        if record.pdf:
            out.write(f"{record.pdf}\n")
    if result.warning:
        out.write(f"{result.warning}\n")
    return 0


def _line(code: str, m: Mailing) -> str:
    where = f" → {m.delivered_to}" if m.delivered_to and m.delivered_to != "smtp" else ""
    error = f" ({m.last_error})" if m.last_error else ""
    status = label_of(MailingStatus, m.status)
    if m.status == MailingStatus.UNKNOWN:
        status = status.upper()  # a person must act on it
    return f"{m.id[:8]} {code} {m.bundle} a {', '.join(m.to)}: {status}{where}{error}"


def mail(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    if args.bundle == "reminder":
        result = office.mail.send_reminder(args.code)
    else:
        result = office.mail.send_bundle(args.code, args.bundle, args.backdated)
    out.write(_line(args.code, result.mailing) + "\n")
    for path in result.mailing.attachments:
        out.write(f"  allegato: {path}\n")
    if result.warning:
        out.write(f"{result.warning}\n")
    return 0 if result.mailing.status == "sent" else 1


def _mailing(office: Office, short_id: str) -> tuple[str, str]:
    for code, m in [*office.mail.open_mailings(), *office.mail.bounced()]:
        if m.id.startswith(short_id):
            return code, m.id
    raise NotFound(f"Nessun invio in sospeso con codice {short_id!r}.")


def outbox(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    if args.action in ("confirm", "resend", "cancel"):
        if not args.id:
            raise NotFound(f"Indicare il codice dell'invio: acquisto outbox {args.action} ID")
        code, mailing_id = _mailing(office, args.id)
        mail = office.mail
        if args.action == "resend" and args.to:
            out.write(_line(code, mail.resend_to(code, mailing_id, args.to)) + "\n")
            return 0
        settle = {"confirm": mail.confirm, "resend": mail.resend, "cancel": mail.cancel}
        out.write(_line(code, settle[args.action](code, mailing_id)) + "\n")
        return 0
    results = office.mail.retry_open()
    tickets = office.osticket.flush_tickets()  # the "contratto attivato" tickets queued
    bounced = office.mail.bounced()
    if not results and not tickets and not bounced:
        out.write("Nessun invio in sospeso.\n")
    for code, m in results:
        out.write(_line(code, m) + "\n")
    for code, m in bounced:
        out.write(_line(code, m) + "\n")
        out.write(
            f"  per inviarlo a un altro indirizzo: acquisto outbox resend {m.id[:8]} --to "
            "INDIRIZZO\n"
        )
    unknown = [m for _, m in results if m.status == MailingStatus.UNKNOWN]
    if unknown:
        out.write(UNKNOWN_HELP)
    left = say_tickets(tickets, out)
    return 1 if left or bounced or any(m.status != "sent" for _, m in results) else 0


def inbox(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    """One pass over the office mailbox and the PEC mailbox, then exit."""
    if not office.inbox.boxes():
        raise NotFound(
            "Nessuna casella da leggere: configurare [imap] (e [pec]) nel file "
            "dell'amministratore segreti/amministrazione.toml."
        )
    done = office.inbox.run_once()
    out.write(
        f"Messaggi letti: {done.read}; risposte: {done.replies} (allegati archiviati: "
        f"{done.filed}, da assegnare: {done.waiting}); mancati recapiti: {done.bounces}; "
        f"ricevute PEC: {done.receipts}; lasciati nella casella: {done.left}.\n"
    )
    for problem in done.problems:
        out.write(f"Problema: {problem}\n")
    return 1 if done.problems else 0


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    c = sub.add_parser("docs", help=f"produce i documenti ({', '.join(KINDS)})")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("kind", choices=KINDS, metavar="TIPO")
    c.add_argument("--pdf", action="store_true", help="anche in PDF")
    c.add_argument("--backdated", action="store_true", help=BACKDATED)
    mailings = ", ".join([*BUNDLES, "reminder"])
    c = sub.add_parser(
        "mail", help=f"invia al cliente ({mailings} o un invio della procedura dell'azienda)"
    )
    c.add_argument("code", metavar="CODICE")
    c.add_argument("bundle", metavar="INVIO")
    c.add_argument("--backdated", action="store_true", help=BACKDATED)
    c = sub.add_parser(
        "outbox", help="invii in sospeso: elenca e riprova; confirm/resend/cancel ID"
    )
    c.add_argument(
        "action", nargs="?", default="retry", choices=["retry", "confirm", "resend", "cancel"]
    )
    c.add_argument("id", nargs="?", metavar="INVIO")
    c.add_argument(
        "--to",
        metavar="INDIRIZZO",
        help="con resend: invia di nuovo a questo indirizzo un invio non consegnato",
    )
    sub.add_parser(
        "inbox",
        help="legge una volta la casella dell'ufficio e la PEC: risposte con i moduli, "
        "mancati recapiti, ricevute PEC",
    )


COMMANDS = {"docs": docs, "mail": mail, "outbox": outbox, "inbox": inbox}
