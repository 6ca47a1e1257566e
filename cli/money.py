"""Command-line commands for orders, contracts and money (payment terms, billing, travel,
osTicket, licences, hand-overs)."""

import argparse
import dataclasses
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from cli.argparse_it import whole_number
from procedure.bounds import out_of_bounds, parse_number
from procedure.errors import NotFound
from procedure.italian import it_date, plural
from procedure.model import ExcludedMonth
from procedure.office import Office
from procedure.osticket.api import TicketOutcome
from procedure.problems import InvalidInput, Problem
from procedure.rules.commerce.money import SPLIT_PAYMENT, collected
from procedure.rules.commerce.orders import instalments, totals
from procedure.rules.commerce.schedule import notice_deadline, term_end
from procedure.rules.commerce.terms import Instalment, due_dates
from procedure.rules.commerce.travel import rates_for, visit_cost
from procedure.rules.validation import MAX_EXCLUDED_MONTHS
from procedure.serial import to_data
from procedure.services.handovers import sheet
from procedure.services.money.billing import (
    billing_csv,
)


def _json(value: Any, out: TextIO) -> int:
    json.dump(value, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return 0


def _date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput([Problem(field, "data nel formato AAAA-MM-GG")]) from None


def _decimal(text: str, field: str) -> Decimal:
    """The number ``text`` given for the option ``field`` (``--amount``), within that
    field's bounds."""
    try:
        value = parse_number(text)
    except ValueError:
        raise InvalidInput([Problem(field, "numero non valido (es. 1234.56)")]) from None
    if problem := out_of_bounds(field.lstrip("-"), value):
        raise InvalidInput([Problem(field, problem)])
    return value


def _excluded(values: list[str]) -> list[ExcludedMonth]:
    out = []
    for value in values:
        month, _, day = value.partition(":")
        if not (
            month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31
        ):
            raise InvalidInput([Problem("--exclude", f"{value!r}: usare MESE:GIORNO, es. 8:10")])
        out.append(ExcludedMonth(int(month), int(day)))
    if len(out) > MAX_EXCLUDED_MONTHS or len({m.month for m in out}) < len(out):
        raise InvalidInput(
            [Problem("--exclude", "al massimo due mesi esclusi, diversi, come nell'anagrafica")]
        )
    return out


def _instalments(items: list[Instalment]) -> list[dict[str, str]]:
    return [{"date": i.date.isoformat(), "amount": f"{i.amount:.2f}"} for i in items]


def _print_instalments(items: list[Instalment], out: TextIO) -> None:
    for i in items:
        out.write(f"{it_date(i.date)}  {i.amount:>12.2f}\n")


def terms(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    term = office.defs.terms.get(args.code)
    if term is None:
        raise NotFound(f"Condizione di pagamento {args.code!r} inesistente.")
    amount = _decimal(args.amount, "--amount")
    items = due_dates(
        _date(args.date, "--date"),
        amount,
        term,
        _excluded(args.exclude),
        office.settings.terms.fine_mese,
    )
    if args.json:
        return _json(_instalments(items), out)
    out.write(f"{term.code} {term.description} ({term.mp}/{term.tp})\n")
    _print_instalments(items, out)
    return 0


def order(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    customer = office.customer(args.code)
    found = next((o for o in customer.orders if o.number == args.number), None)
    if found is None:
        raise NotFound(f"Ordine {args.number!r} inesistente per {args.code}.")
    t, split = totals(found), customer.invoicing.split_payment
    items = instalments(found, customer, office.defs, office.settings.terms.fine_mese)
    data = {
        "number": found.number,
        "payment_terms": found.payment_terms or customer.payment_terms,
        "taxable": f"{t.taxable:.2f}",
        "vat": f"{t.vat:.2f}",
        "total": f"{t.total:.2f}",
        "vat_by_rate": {
            r: {"taxable": f"{a:.2f}", "vat": f"{v:.2f}"} for r, (a, v) in t.by_rate.items()
        },
        "split_payment": split,
        "collected": f"{collected(t.taxable, t.vat, split):.2f}",
        "instalments": _instalments(items),
    }
    if args.json:
        return _json(data, out)
    out.write(f"Ordine {found.number}: imponibile {t.taxable:.2f}, IVA {t.vat:.2f}, ")
    out.write(f"totale {t.total:.2f}\n")
    if split:
        out.write(f"{SPLIT_PAYMENT}: si incassa l'imponibile, l'IVA va all'Erario\n")
    _print_instalments(items, out)
    return 0


def schedule_cmd(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    customer, contract = office.billing.find_contract(args.contract)
    rows = [
        {
            "period_from": inv.period.period_from.isoformat(),
            "period_to": inv.period.period_to.isoformat(),
            "issue_date": inv.period.issue_date.isoformat(),
            "amount": f"{inv.period.amount:.2f}",
            "vat": f"{inv.vat:.2f}",
            "collected": f"{inv.collected:.2f}",
            "due": _instalments(inv.due),
        }
        for inv in office.billing.invoices(customer, contract)
    ]
    if args.json:
        return _json(rows, out)
    out.write(f"Contratto {contract.number} - {customer.name}\n")
    for r in rows:
        due = ", ".join(f"{d['date']} {d['amount']}" for d in r["due"])  # type: ignore[index]
        out.write(
            f"{r['period_from']} → {r['period_to']}  fattura {r['issue_date']}  "
            f"{r['amount']:>10}  scadenze: {due}\n"
        )
    return 0


def billing(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    start = _date(args.date_from, "--from") if args.date_from else None
    end = _date(args.date_to, "--to") if args.date_to else None
    return _write_csv(billing_csv(office.billing.invoices_between(start, end)), args.csv, out)


def _write_csv(text: str, path: str | None, out: TextIO) -> int:
    """Write ``text`` to ``path`` (saying so, with its row count), or to ``out``."""
    if path:  # with a byte-order mark: Excel on Windows then reads the accents right
        Path(path).write_text(text, encoding="utf-8-sig")
        out.write(f"Scritto {path} ({text.count(chr(10)) - 1} righe).\n")
    else:
        out.write(text)
    return 0


def deadlines_cmd(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    today = office.clock().date()
    rows = office.billing.deadlines(today, args.days)
    steps = office.checklist.steps_due(today, args.days)
    if args.json:
        data = [
            {
                "kind": "contract",
                "customer": d.code,
                "name": d.name,
                "contract": d.number,
                "notice_by": to_data(d.notice_by),
                "term_end": d.term_end.isoformat(),
                "renews": d.renews,
            }
            for d in rows
        ]
        data += [
            {
                "kind": "step",
                "customer": d.code,
                "name": d.name,
                "step": d.step,
                "title": d.title,
                "due_on": d.day.isoformat(),
            }
            for d in steps
        ]
        return _json(data, out)
    out.writelines(
        (
            f"{it_date(d.notice_by)} disdetta entro · {it_date(d.term_end)} rinnovo tacito"
            if d.notice_by
            else f"{it_date(d.term_end)} scadenza senza rinnovo (nessuna disdetta)"
        )
        + f" · {d.number} {d.name}\n"
        for d in rows
    )
    out.writelines(
        f"{it_date(d.day)} passo «{d.title}» da fare · {d.code} {d.name}\n" for d in steps
    )
    return 0


def renew(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    _, contract = office.billing.find_contract(args.contract)
    foi = _decimal(args.foi, "--foi")
    billing = office.billing
    nxt = (
        billing.apply_renewal(args.contract, foi)
        if args.apply
        else billing.next_term(contract, foi)
    )
    data = {
        "contract": contract.number,
        "notice_by": to_data(notice_deadline(contract)),
        "current": {
            "start": to_data(contract.start),
            "end": term_end(contract).isoformat(),
            "annual_fee": f"{contract.annual_fee:.2f}",
        },
        "next": {
            "start": to_data(nxt.start),
            "end": to_data(nxt.end),
            "annual_fee": f"{nxt.annual_fee:.2f}",
        },
        "indexation_share": format(contract.indexation_share, "f"),
        "applied": args.apply,
    }
    return _json(data, out)


def travel(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    customer = office.customer(args.code)
    rates = rates_for(customer, office.settings)
    data = [
        {
            **to_data(dataclasses.asdict(visit_cost(site, rates))),
            **to_data(dataclasses.asdict(rates)),
        }
        for site in customer.sites
    ]
    if args.json:
        return _json(data, out)
    for row in data:
        out.write(f"{row['site']}: {row['km_round_trip']} km A/R, costo visita {row['total']}\n")
    return 0


def export_assist(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    exports = office.exports
    text = exports.assist_contracts_csv() if args.contracts else exports.assist_csv()
    return _write_csv(text, args.csv, out)


def export_osticket(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    folder = Path(args.dir) if args.dir else office.settings.osticket_export_dir
    exported = office.osticket.write_files(folder)
    for path in exported.files:
        out.write(f"{path}\n")
    out.write(EXISTING_USERS)
    say_tickets(exported.tickets, out)
    return 0


EXISTING_USERS = (
    "Nota: osTicket non sposta un utente la cui e-mail esiste già; resta nella sua "
    "organizzazione di prima, da cambiare a mano nel pannello di osTicket.\n"
)


def say_tickets(tickets: list[TicketOutcome], out: TextIO) -> int:
    """One line per ticket sent or left queued; how many were left."""
    for o in tickets:
        if o.ticket:
            out.write(f"{o.customer} {o.contract}: ticket {o.ticket} aperto.\n")
        else:
            out.write(f"{o.customer} {o.contract}: non aperto, resta in coda ({o.error}).\n")
    return sum(1 for o in tickets if not o.ticket)


def osticket(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "ticket":
        if not (args.code and args.contract):
            raise InvalidInput([Problem("osticket ticket", "indicare CODICE e CONTRATTO")])
        customer = office.customer(args.code)
        if all(k.number != args.contract for k in customer.contracts):
            raise NotFound(f"Contratto {args.contract!r} inesistente per {args.code}.")
        office.osticket.queue_ticket(args.code, args.contract)
    if not (office.settings.osticket.url and office.settings.osticket_key):
        out.write(
            "osTicket non configurato: impostare [osticket] url in "
            "segreti/amministrazione.toml e la variabile ACQUISTO_OSTICKET_KEY; i ticket "
            "restano in coda.\n"
        )
        return 1
    tickets = office.osticket.flush_tickets(args.code if args.action == "ticket" else None)
    return 1 if say_tickets(tickets, out) else 0


def licence(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    if args.action == "issue":
        for lic in office.licences.issue(args.value):
            seats = plural(lic.seats, "postazione", "postazioni")
            out.write(f"{lic.number} {lic.product} ({seats})\n{lic.key}\n")
        return 0
    data, reason = office.licences.verify(args.value)
    if data is None:
        out.write(f"non valida: {reason}\n")
        return 1
    out.write(
        f"valida: {data['number']} {data['product']} per {data['licensee']} "
        f"({data['customer']}), {plural(int(data['seats']), 'postazione', 'postazioni')}\n"
    )
    return 0


def handover(office: Office, args: argparse.Namespace, out: TextIO) -> int:
    made = office.handovers.hand_over(args.code, args.kind, args.to, args.billing, args.note)
    out.write(sheet(office.customer(args.code), made, office.settings.company.name))
    return 0


def add_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    c = sub.add_parser("terms", help="scadenze di una fattura con una condizione di pagamento")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("--date", required=True, help="data fattura AAAA-MM-GG")
    c.add_argument("--amount", required=True)
    c.add_argument("--exclude", action="append", default=[], metavar="MESE:GIORNO")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("order", help="totali e rate di un ordine")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("number", metavar="NUMERO")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("schedule", help="piano di fatturazione di un contratto")
    c.add_argument("contract", metavar="CONTRATTO")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("billing", help="fatture da emettere in un periodo (per l'amministrazione)")
    c.add_argument("--from", dest="date_from")
    c.add_argument("--to", dest="date_to")
    c.add_argument("--csv")
    c = sub.add_parser("deadlines", help="disdette, rinnovi e passi con una data in arrivo")
    c.add_argument("--days", type=whole_number(0, 3650), default=120)
    c.add_argument("--json", action="store_true")
    c = sub.add_parser("renew", help="rinnovo con indicizzazione ISTAT (anteprima o --apply)")
    c.add_argument("contract", metavar="CONTRATTO")
    c.add_argument("--foi", required=True, help="variazione ISTAT FOI in %%, es. 1.7")
    c.add_argument("--apply", action="store_true", help="registra il rinnovo sul contratto")
    c = sub.add_parser("travel", help="costo di una trasferta presso ogni sede del cliente")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("--json", action="store_true")
    c = sub.add_parser(
        "osticket", help="ticket 'contratto attivato' (ticket CODICE CONTRATTO | retry)"
    )
    c.add_argument("action", choices=["ticket", "retry"], metavar="AZIONE")
    c.add_argument("code", nargs="?", metavar="CODICE")
    c.add_argument("contract", nargs="?", metavar="CONTRATTO")
    c = sub.add_parser("licence", help="issue CODICE: emette le licenze; verify CHIAVE: verifica")
    c.add_argument("action", choices=["issue", "verify"], metavar="AZIONE")
    c.add_argument("value", metavar="CODICE|CHIAVE")
    c = sub.add_parser("handover", help="consegna contratti (contracts) o ordini (orders)")
    c.add_argument("code", metavar="CODICE")
    c.add_argument("kind", choices=["contracts", "orders"], metavar="TIPO")
    c.add_argument("--to", required=True, help="a chi si consegna")
    c.add_argument("--billing", default="", help="tempi di fatturazione concordati (ordini)")
    c.add_argument("--note", default="")


COMMANDS = {
    "terms": terms,
    "order": order,
    "schedule": schedule_cmd,
    "billing": billing,
    "deadlines": deadlines_cmd,
    "renew": renew,
    "travel": travel,
    "osticket": osticket,
    "licence": licence,
    "handover": handover,
}
EXPORTS = {"assist": export_assist, "osticket": export_osticket}
