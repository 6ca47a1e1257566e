"""The command line: each command calls the same Office methods the TUI uses."""

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from cli.archive import COMMANDS as ARCHIVE_COMMANDS
from cli.archive import add_commands as add_archive_commands
from cli.argparse_it import install as install_italian_argparse
from cli.argparse_it import whole_number
from cli.documents import COMMANDS as DOC_COMMANDS
from cli.documents import add_commands as add_doc_commands
from cli.money import COMMANDS as MONEY_COMMANDS
from cli.money import EXPORTS, add_commands
from procedure.config.settings import ConfigError
from procedure.demo import load_demo
from procedure.editing.product_table import SAME
from procedure.errors import (
    MailTemplateProblem,
    NotFound,
    OutsideArchive,
    PdfError,
    Refused,
    StoreError,
    TemplateProblem,
    user_message,
)
from procedure.italian import it_date, it_datetime, plural, signature_verdict
from procedure.office import CustomerView, Office
from procedure.problems import InvalidInput, Problem
from procedure.rules.chasing import overdue
from procedure.rules.definitions import DefinitionError
from procedure.rules.progress import forms_cell
from procedure.serial import to_data
from procedure.services.backup import Backups, restore
from procedure.services.check import Check
from procedure.services.product_import import SPREADSHEETS

MARKS = {"done": "[x]", "todo": "[ ]", "blocked": "[!]"}


class UsageError(Exception):
    """A missing file or a bad argument: one line, exit 2."""


def build_parser() -> argparse.ArgumentParser:
    install_italian_argparse()
    p = argparse.ArgumentParser(
        prog="acquisto",
        description="Procedura di acquisto software: checklist dei passi per cliente.",
    )
    p.add_argument("--data", metavar="DIR", help="cartella dati (default $ACQUISTO_DATA o ./data)")
    sub = p.add_subparsers(dest="command", metavar="COMANDO")
    sub.add_parser("init", help="crea la cartella dati, l'archivio e config.toml")
    sub.add_parser("demo", help="carica i tre clienti di esempio, il catalogo e due prospect")
    c = sub.add_parser(
        "import",
        help="unisce un file JSON all'archivio, oppure il listino prodotti da un file .csv o "
        ".xlsx (intestazioni in italiano); tutto o niente",
    )
    c.add_argument("file", metavar="FILE")
    c.add_argument(
        "--dry-run",
        action="store_true",
        help="con .csv/.xlsx: mostra cosa entrerebbe, senza salvare",
    )
    c = sub.add_parser(
        "export",
        help="export [FILE.json]: l'intero archivio come JSON; export assist [--contracts] "
        "[--csv FILE]: trasferte o contratti per Assist; export osticket [--dir DIR]: CSV di "
        "importazione osTicket",
    )
    c.add_argument("file", nargs="?", metavar="FILE.json|assist|osticket")
    c.add_argument("--csv", help="con assist: file CSV da scrivere (per Excel)")
    c.add_argument(
        "--contracts",
        action="store_true",
        help="con assist: i contratti (canone, fatturazione, prossima fattura) invece delle "
        "trasferte",
    )
    c.add_argument("--dir", help="con osticket: cartella dei CSV (default DATI/export/osticket)")
    c = sub.add_parser("list", help="elenco clienti con avanzamento")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("show", help="passi e moduli di un cliente")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("convert", help="converte un prospect in cliente")
    c.add_argument("prospect_id", metavar="PROSPECT")
    c = sub.add_parser("step", help="completa (done) o riapre (undo) un passo")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("step_id", metavar="PASSO")
    c.add_argument("action", choices=["done", "undo"], metavar="AZIONE")
    c.add_argument(
        "--note", default="", help="motivo, obbligatorio per completare a mano un passo-atto"
    )
    c.add_argument(
        "--billing", default="", help="con order_to_administration: tempi di fatturazione"
    )
    c = sub.add_parser(
        "check", help="verifica l'archivio dati (file leggibili, elenco, salvataggi, allegati)"
    )
    c.add_argument("--repair", action="store_true", help="ricostruisce l'elenco dalle schede")
    c = sub.add_parser(
        "backup", help="copia di sicurezza coerente (archivio dati, impostazioni, chiavi)"
    )
    c.add_argument("file", metavar="FILE.tar.gz")
    c.add_argument("--archive", action="store_true", help="anche i file dell'archivio")
    c = sub.add_parser("restore", help="ripristina una copia di sicurezza in una cartella vuota")
    c.add_argument("file", metavar="FILE.tar.gz")
    c = sub.add_parser("note", help="aggiunge una nota a un passo")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("step_id", metavar="PASSO")
    c.add_argument("text", metavar="TESTO")
    c = sub.add_parser("serve", help="la stessa interfaccia nel browser, solo su 127.0.0.1")
    c.add_argument("--port", type=whole_number(1, 65535), default=8000)
    add_service_commands(sub)
    add_commands(sub)
    add_doc_commands(sub)
    add_archive_commands(sub)
    return p


def add_service_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """The shared mode: the service, and its installation."""
    c = sub.add_parser(
        "server",
        help="il servizio condiviso: unico processo che apre la cartella dati, per i colleghi",
    )
    c.add_argument("--group", default="", metavar="GRUPPO", help="il gruppo dell'ufficio")
    c.add_argument("--no-watch", action="store_true", help="senza sorvegliare l'archivio")
    c.add_argument(
        "--wait-limit",
        type=whole_number(1, 3600),
        default=60,
        metavar="SECONDI",
        help="quanto una richiesta attende che finisca un'altra prima di rinunciare",
    )
    c = sub.add_parser(
        "install-service", help="installa il servizio condiviso per la cartella dati (root)"
    )
    c.add_argument("--user", default="acquisto", metavar="UTENTE", help="l'utente del servizio")
    c.add_argument("--group", required=True, metavar="GRUPPO", help="il gruppo dell'ufficio")
    c.add_argument("--unit", default="/etc/systemd/system/acquisto.service", metavar="FILE")


def printable(text: str) -> str:
    """``text`` safe for a terminal: a control character (an ESC sequence a colleague
    slipped into a name) shows as "?" instead of acting on the screen."""
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _json(value: Any, out: TextIO) -> None:
    json.dump(value, out, ensure_ascii=False, indent=2)
    out.write("\n")


def view_data(view: CustomerView) -> dict[str, Any]:
    """``show --json``: the master record plus steps and forms in procedure order."""
    data: dict[str, Any] = to_data(view.customer)
    data["rev"] = view.rev
    data["steps"] = [
        {
            "id": s.id,
            "title": s.title,
            "status": s.status,
            "reason": s.reason,
            "done_by": s.done_by,
            "done_at": to_data(s.done_at),
            "evidence": s.evidence,
        }
        for s in view.steps
    ]
    data["forms"] = [to_data(f) for f in view.forms]
    return data


def _print_view(view: CustomerView, out: TextIO) -> None:
    c = view.customer
    out.write(f"{printable(c.code)}  {printable(c.name)}\n")
    for i, s in enumerate(view.steps, 1):
        out.write(f"{MARKS[s.status]} {i:2d}. {s.title}\n")
        if s.status == "done":
            out.write(f"        fatto da {s.done_by} il {it_datetime(s.done_at)}\n")
        elif s.reason:
            out.write(f"        {s.reason}\n")
    out.write("Moduli:\n")
    for f in view.forms:
        state = f"rientrato il {it_date(f.returned_at)}" if f.returned_at else "da ricevere"
        out.write(f"  - {f.title}: {state}\n")
        for sig in f.every_signature:
            out.write(f"      {printable(signature_verdict(sig))}\n")


def _list(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    rows = office.list_customers()
    if args.json:
        _json([{**dataclasses.asdict(s), "progress": s.progress} for s in rows], out)
        return 0
    today, interval = office.clock().date(), office.settings.chasing.interval_days
    for s in rows:
        late = overdue(s.last_contact, s.outstanding, today, interval)
        out.write(
            f"{printable(s.code):8} {printable(s.name)[:40]:40} {s.progress:>5}  "
            f"moduli {forms_cell(s, late):>4}  {s.next_title}\n"
        )
    return 0


def _show(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    view = office.view(args.code)
    if args.json:
        data = view_data(view)
        filing = office.filing
        folder = filing.ensure_customer(view.customer)
        data["archive_dir"] = str(folder)
        for form in data["forms"]:
            form["slot"] = str(filing.slot_in(folder, form["id"]))
            record = view.customer.forms.get(form["id"])
            form["reminders"] = len(record.chased_at) if record else 0
        _json(data, out)
    else:
        _print_view(view, out)
    return 0


MAX_IMPORT_BYTES = 1024**3


def _import_products(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    """A CSV or Excel list of products: each shown as new, changed or the same, then taken
    all together (or, with --dry-run, only shown)."""
    path = Path(args.file)
    importer = office.product_import
    table = importer.read(path) if args.dry_run else importer.apply(path)
    for row in table.rows:
        p = row.product
        price = f"{format(p.price, 'f').replace('.', ',')} € IVA {p.vat_rate}%"
        out.write(f"riga {row.line}: {p.code} {p.description} {price} — {row.status}\n")
    for column in table.ignored:
        out.write(f"colonna «{column}» ignorata\n")
    for problem in table.problems:
        out.write(f"{problem}\n")
    if table.problems:
        return 1
    changed = sum(r.status != SAME for r in table.rows)
    verb = "da importare" if args.dry_run else "importati"
    out.write(f"{plural(changed, 'prodotto', 'prodotti')} {verb} ({len(table.rows)} nel file).\n")
    return 0


def _import(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    path = Path(args.file)
    if path.suffix.lower() in SPREADSHEETS:
        return _import_products(office, args, out)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise InvalidInput([Problem(args.file, "file troppo grande (oltre 1 GB)")])
        doc = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"File {args.file!r} inesistente.") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput([Problem(args.file, f"JSON non valido ({exc})")]) from None
    except RecursionError:
        raise InvalidInput([Problem(args.file, "JSON troppo annidato")]) from None
    counts = office.exchange.import_document(doc)
    out.write(
        f"Importati {plural(counts['customers'], 'cliente', 'clienti')}, "
        f"{counts['prospects']} prospect, {plural(counts['products'], 'prodotto', 'prodotti')}.\n"
    )
    return 0


def _export(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    if args.file in EXPORTS:
        return EXPORTS[args.file](office, args, out)
    doc = office.exchange.export_document()
    if args.file:
        with open(args.file, "w", encoding="utf-8") as fh:
            _json(doc, fh)
    else:
        _json(doc, out)
    return 0


def _step(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    done = args.action == "done"
    tickets = office.checklist.set_step(args.code, args.step_id, done, args.note, args.billing)
    outcome = "completato" if args.action == "done" else "riaperto"
    out.write(f"{args.code}: passo {args.step_id} {outcome}.\n")
    for ticket in tickets:  # what the step set in motion
        state = f"ticket {ticket.ticket} aperto" if ticket.ticket else f"in coda: {ticket.error}"
        out.write(f"osTicket {ticket.contract}: {state}\n")
    return 0


def _check(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    checker = Check(office)
    report = checker.repair() if args.repair else checker.run()
    for problem in report.problems:
        out.write(f"{problem}\n")
    verdict = "nessun problema" if not report.problems else f"{len(report.problems)} problemi"
    out.write(f"Controllate {report.checked} schede cliente: {verdict}.\n")
    return 1 if report.problems else 0


def _backup(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    made = Backups(office).backup(Path(args.file), with_archive=args.archive)
    return _say(f"Copia di sicurezza {made.path}: {made.files} file.", out)


def restore_command(data_dir: Path, args: argparse.Namespace) -> int:
    """``--data DIR restore FILE``: unpack a backup into the empty folder DIR."""
    try:
        files = restore(Path(args.file), data_dir)
    except Refused as exc:
        sys.stderr.write(f"non consentito: {exc}\n")
        return 1
    sys.stdout.write(f"Ripristinati {files} file in {data_dir}.\n")
    return 0


def _note(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    office.checklist.add_note(args.code, args.step_id, args.text)
    return _say(f"{args.code}: nota aggiunta al passo {args.step_id}.", out)


def _say(text: str, out: TextIO) -> int:
    out.write(text + "\n")
    return 0


Command = Callable[[Office, argparse.Namespace, TextIO], int]

COMMANDS: dict[str, Command] = {
    "init": lambda o, a, out: _say(f"Cartella dati pronta: {o.settings.data_dir}", out),
    "demo": lambda o, a, out: _say(f"Dati di esempio caricati: {', '.join(load_demo(o))}", out),
    "import": _import,
    "export": _export,
    "list": _list,
    "show": _show,
    "convert": lambda o, a, out: _say(o.customers.convert(a.prospect_id), out),
    "step": _step,
    "note": _note,
    "check": _check,
    "backup": _backup,
    **MONEY_COMMANDS,
    **DOC_COMMANDS,
    **ARCHIVE_COMMANDS,
}


def run(
    office_factory: Callable[[], Office],
    args: argparse.Namespace,
    out: TextIO | None = None,
    err: TextIO | None = None,
    command: Command | None = None,
) -> int:
    """Run ``command`` (default: the one named in ``args``); return the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        office = office_factory()
        if office.migrated is not None:
            err.write(
                "L'archivio dati del formato precedente è stato convertito nel nuovo "
                f"database; i file precedenti sono stati spostati in {office.migrated}.\n"
            )
        code = (command or COMMANDS[args.command])(office, args, out)
        for skipped in office.skipped:  # told, after the others were done
            err.write(f"attenzione: {skipped}\n")
        return code
    except InvalidInput as exc:
        for problem in exc.problems:
            err.write(f"{problem}\n")
        return 1
    except Refused as exc:
        err.write(f"non consentito: {exc}\n")
        return 1
    except (TemplateProblem, MailTemplateProblem, PdfError, OutsideArchive) as exc:
        err.write(f"errore: {exc}\n")
        return 1
    except (NotFound, UsageError, StoreError, ConfigError, DefinitionError, OSError) as exc:
        err.write(f"errore: {user_message(exc)}\n")
        return 2
