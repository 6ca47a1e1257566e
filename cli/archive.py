"""Command-line commands for the archive: scan, watch, intake, assign, remind, review."""

import argparse
import collections
import dataclasses
import json
import os
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from procedure.errors import NotFound
from procedure.office import Office
from procedure.rules.chasing import overdue, reminder_due
from procedure.rules.conditions import missing_forms
from procedure.services.archiving.filing import RETURNED, Filed
from procedure.watching import WatchService, scan

BESIDE_TUI_NICENESS = 10  # the watcher's rescans and OCR yield the CPU to the TUI's keys

OUTCOMES = {
    "returned": "rientrato",
    "already": "già registrato",
    "unrecognised": "non riconosciuto, resta in Da archiviare",
    "ignored": "ignorato",
}


def _reporter(out: TextIO) -> Callable[[Filed], None]:
    def report(filed: Filed) -> None:
        what = f" {filed.code} {filed.form}" if filed.code else ""
        detail = f" ({filed.detail})" if filed.detail else ""
        out.write(f"{filed.shown}:{what} {OUTCOMES[filed.outcome]}{detail}\n")
        out.flush()

    return report


SUMMARY = (
    ("returned", "rientrati"),
    ("already", "già registrati"),
    ("unrecognised", "restano in Da archiviare"),
    ("ignored", "ignorati"),
)


def scan_cmd(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    errors: list[str] = []
    seen: collections.Counter[str] = collections.Counter()
    say = _reporter(out)

    def report(filed: Filed) -> None:
        seen[filed.outcome] += 1
        say(filed)

    taken = scan(office, report, errors=errors)
    parts = ", ".join(f"{seen[k]} {label}" for k, label in SUMMARY if seen[k])
    out.write(
        f"Archivio ripassato: {taken} file esaminati" + (f" ({parts})" if parts else "") + ".\n"
    )
    for error in errors:  # never swallowed: said, and logged with details
        out.write(f"errore: {error}\n")
    return 1 if errors else 0


def watch_cmd(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    service = WatchService(office, _reporter(out))
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: service.stop())
    if args.with_parent:  # beside a TUI: its keys come first when the cores are busy
        os.nice(BESIDE_TUI_NICENESS)
        threading.Thread(target=_stop_at_eof, args=(service,), daemon=True).start()
    out.write(
        f"Sorveglianza di {office.settings.archive_root} "
        f"({office.settings.archive.watch_mode}); in attesa del turno se un altro processo "
        "sorveglia già.\n"
    )
    out.flush()
    service.run()
    return 0


def _stop_at_eof(service: WatchService) -> None:
    """Stop the service once standard input ends: the process that started it has ended."""
    while sys.stdin.buffer.read(4096):
        pass
    service.stop()


def intake(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    waiting = office.intake.waiting()
    if args.json:
        rows = [
            {
                "file": w.shown,
                "reason": w.reason,
                "suggestion": dataclasses.asdict(w.suggestion) if w.suggestion else None,
            }
            for w in waiting
        ]
        json.dump(rows, out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for w in waiting:
        out.write(f"{w.shown}\n    non archiviato: {w.reason}\n")
        if w.suggestion:
            s = w.suggestion
            out.write(f"    proposta: {s.code} {s.form or '(modulo da scegliere)'} ({s.why})\n")
            out.write(
                f'    per confermare: acquisto assign "{w.shown}" {s.code} {s.form or "MODULO"}\n'
            )
    if not waiting:
        out.write("Nessun file da assegnare in Da archiviare.\n")
    return 0


def assign(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    filing = office.filing
    path = Path(args.file)
    if not path.is_file():
        raise NotFound(f"File {args.file!r} inesistente.")
    if not path.resolve().is_relative_to(filing.intake.resolve()) or path.is_symlink():
        raise NotFound(f"{args.file}: si assegnano solo i file in {filing.intake}.")
    filed = filing.assign(path, office.customer(args.code), args.form)
    _reporter(out)(filed)
    return 0 if filed.outcome == RETURNED else 1


def remind(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    today = office.clock().date()
    interval = office.settings.chasing.interval_days
    titles = {f.id: f.title for f in office.defs.forms}
    count = 0
    for summary in office.list_customers():
        if not overdue(summary.last_contact, summary.outstanding, today, interval):
            continue  # the list line tells: no dossier is read for those not due
        if args.dry_run:
            missing = ", ".join(titles.get(f, f) for f in summary.missing)
            count += 1
            out.write(f"{summary.code} {summary.name}: sollecito per {missing}\n")
            continue
        ctx = office.context(office.customer(summary.code))
        if not reminder_due(ctx, today, interval):
            continue
        missing = ", ".join(f.title for f in missing_forms(ctx))
        count += 1
        result = office.mail.send_reminder(summary.code)
        state = "inviato" if result.mailing.status == "sent" else "in coda"
        out.write(f"{summary.code} {summary.name}: sollecito {state} ({missing})\n")
    if not count:
        out.write("Nessun cliente da sollecitare oggi.\n")
    return 0


def review(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    offered = office.review.proposals(args.code)
    if not offered:
        out.write(f"{args.code}: nessuna modifica proposta dal modulo rientrato.\n")
        return 0
    if args.accept_all:
        applied, left = office.review.accept_all(args.code)
        for p in offered:
            if p.tag in applied:
                out.write(f"{p.label}: «{p.current or '—'}» → «{p.proposed}»\n")
        for p in left:
            out.write(f"{p.label}: «{p.proposed}» non applicato: {p.problem or 'da decidere'}\n")
        out.write(f"{args.code}: {len(applied)} campi aggiornati, {len(left)} da sistemare.\n")
        return 0
    accepted: list[str] = []
    rejected: list[str] = []
    for p in offered:
        problem = f"  ⚠ {p.problem}" if p.problem else ""
        out.write(f"{p.label}: «{p.current or '—'}» → «{p.proposed}»{problem}\n")
        if p.problem:
            continue  # left to settle once the record allows it
        if args.reject_all:
            rejected.append(p.tag)
            continue
        out.write("  Accettare? [s/N] ")
        out.flush()
        answer = sys.stdin.readline().strip().lower()
        (accepted if answer in ("s", "si", "sì", "y") else rejected).append(p.tag)
    applied = office.review.apply(args.code, accepted, rejected)
    out.write(f"{args.code}: {len(applied)} campi aggiornati, {len(rejected)} scartati.\n")
    return 0


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    sub.add_parser("scan", help="ripassa l'archivio una volta e archivia i moduli rientrati")
    c = sub.add_parser("watch", help="sorveglia l'archivio senza interfaccia (servizio systemd)")
    # the TUI's own watcher: it stops when the TUI that started it ends (its input closes)
    c.add_argument("--with-parent", action="store_true", help=argparse.SUPPRESS)
    c = sub.add_parser(
        "intake",
        help="file in Da archiviare che nessun codice QR ha riconosciuto, con la proposta letta "
        "dal testo (OCR)",
    )
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("assign", help="assegna un file di Da archiviare a cliente e modulo")
    c.add_argument("file", metavar="FILE")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("form", metavar="MODULO")
    c = sub.add_parser("remind", help="sollecita i clienti con moduli mancanti")
    c.add_argument("--dry-run", action="store_true", help="mostra cosa verrebbe inviato")
    c = sub.add_parser(
        "review", help="rivede i dati del modulo anagrafico rientrato (.docx o PDF compilato)"
    )
    c.add_argument("code", metavar="CODICE")
    group = c.add_mutually_exclusive_group()
    group.add_argument("--accept-all", action="store_true")
    group.add_argument("--reject-all", action="store_true")


COMMANDS = {
    "scan": scan_cmd,
    "watch": watch_cmd,
    "intake": intake,
    "assign": assign,
    "remind": remind,
    "review": review,
}
