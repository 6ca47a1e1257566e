"""What the document templates see: the customer's data as display-ready Italian text."""

from decimal import Decimal
from typing import Any

from procedure.config.settings import Settings
from procedure.enums import ContactRole, Frequency, LicenceType, PartyKind, VatNature
from procedure.italian import DASH, euro, it_date, it_datetime, label, label_of, plural
from procedure.model import Contract, Customer, Handover, Licence, Order, Product
from procedure.rules.commerce.money import SPLIT_PAYMENT
from procedure.rules.commerce.orders import Totals, instalments, line_amount, totals
from procedure.rules.commerce.schedule import renewal_months, schedule, term_end
from procedure.rules.definitions import Definitions

KEY_GROUP = 8
BLANK = "____________________"


def printed_key(key: str) -> str:
    """A licence key as printed: groups of 8 characters separated by spaces, so a line
    breaks only between groups; verification ignores spaces and line breaks."""
    return " ".join(key[i : i + KEY_GROUP] for i in range(0, len(key), KEY_GROUP))


def sentence(text: str) -> str:
    """``text`` without its closing full stop: templates end the sentence themselves (so
    "30 gg d.f." does not print as "30 gg d.f..")."""
    return text[:-1] if text.endswith(".") else text


def number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def company(settings: Settings) -> dict[str, str]:
    return {
        "name": settings.company.name,
        "vat_number": settings.company.vat_number,
        "address_line": settings.company.address,
        "iban": settings.company.iban,
        "email": settings.company.email,
        "phone": settings.company.phone,
        "service_hours": settings.company.service_hours,
        "sla": settings.company.sla,
        "extra_rate": euro(settings.company.extra_rate),
        "representative": settings.company.representative,
        "signing_place": settings.company.signing_place,
        "court": settings.company.court,
        "creditor_id": settings.company.sepa_creditor_id,
        "prenotification_days": str(settings.company.sepa_prenotification_days),
        "privacy_contact": settings.privacy.contact,
        "dpo": settings.privacy.dpo or "non nominato",
        "retention_years": str(settings.privacy.retention_years),
        "sub_processors": settings.privacy.sub_processors,
        "transfers": settings.privacy.transfers,
        "security": settings.privacy.security,
        "breach_hours": str(settings.privacy.breach_hours),
    }


def customer(c: Customer, defs: Definitions) -> dict[str, Any]:
    a = c.address
    term = defs.terms.get(c.payment_terms)
    return {
        "code": c.code,
        "name": c.name,
        "vat_number": c.vat_number,
        "tax_code": c.tax_code,
        "street": a.street,
        "zip": a.zip,
        "city": a.city,
        "province": a.province,
        "country": a.country,
        "address_line": f"{a.street}, {a.zip} {a.city} ({a.province})" if a.street else "",
        "pec": c.pec,
        "sdi_code": c.sdi_code,
        "iban": c.iban,
        "invoice_email": c.invoice_email,
        "bank_name": c.invoicing.bank_name,
        "abi": c.invoicing.abi,
        "cab": c.invoicing.cab,
        "payment_terms": c.payment_terms,
        "payment_terms_text": sentence(term.description) if term else DASH,
        "representative": next(
            (k.name for k in c.contacts if k.role == ContactRole.LEGAL_REP), BLANK
        ),
        "contacts": [
            {
                "name": k.name,
                "role": label_of(ContactRole, k.role),
                "email": k.email,
                "phone": k.phone,
            }
            for k in c.contacts
        ],
        "bic": c.bic,
        "kind": label_of(PartyKind, c.kind),
    }


def contract(
    k: Contract, products: dict[str, Product], c: Customer, day_count: str, downwards: bool
) -> dict[str, Any]:
    """The contract's fields, with the schedule ``schedule`` computes for its term."""
    licences = [lic.number for lic in c.licences if lic.product_code in k.products]
    try:
        periods = schedule(k, day_count) if k.start else []
    except ValueError:
        periods = []
    return {
        "number": k.number,
        "products": [
            {"code": code, "description": products[code].description if code in products else ""}
            for code in k.products
        ],
        "licences": ", ".join(licences) or "come da ordine",
        "annual_fee": euro(k.annual_fee),
        "frequency": label_of(Frequency, k.frequency),
        "billing": "anticipata" if k.in_advance else "posticipata",
        "start": it_date(k.start),
        "end": it_date(term_end(k)) if k.start else it_date(k.end),
        "schedule": [
            {
                "issue_date": it_date(p.issue_date),
                "amount": euro(p.amount),
                "period_from": it_date(p.period_from),
                "period_to": it_date(p.period_to),
            }
            for p in periods
        ],
        "calendar": calendar_text(k),
        "indexation_direction": "in aumento e in diminuzione" if downwards else "solo in aumento",
        "renews": k.auto_renewal,
        "renewal": (
            f"Alla scadenza si rinnova tacitamente per periodi successivi di "
            f"{renewal_months(k) if k.start else 12} mesi"
            + (", coincidenti con i periodi solari di fatturazione." if k.aligned else ".")
            if k.auto_renewal
            else "Alla scadenza il contratto cessa senza rinnovo e senza bisogno di disdetta."
        ),
        "notice_days": str(k.notice_days),
        "included_hours": number(k.included_hours),
        "indexation_share": f"{number(k.indexation_share)}%",
    }


def calendar_text(k: Contract) -> str:
    """What an aligned contract says of its periods: pro rata first, then each invoice at
    the start (in advance) or at the end (in arrears) of a calendar period."""
    if not k.aligned:
        return ""
    when = "all'inizio" if k.in_advance else "alla fine"
    after = ", anche dopo i rinnovi" if k.auto_renewal else ""
    return (
        f"I periodi seguono il calendario: il primo è calcolato pro rata; poi la fatturazione "
        f"{label_of(Frequency, k.frequency)} avviene {when} di ogni periodo solare{after}."
    )


def order(o: Order, c: Customer, defs: Definitions, fine_mese: str) -> dict[str, Any]:
    t = totals(o)
    term = defs.terms.get(o.payment_terms or c.payment_terms)
    try:
        due = instalments(o, c, defs, fine_mese)
    except ValueError:
        due = []
    return {
        "number": o.number,
        "date": it_date(o.ordered_on),
        "lines": [
            {
                "code": line.product_code,
                "description": line.description,
                "quantity": number(line.quantity),
                "price": euro(line.price),
                "discount": f"{number(line.discount)}%" if line.discount else DASH,
                "amount": euro(line_amount(line)),
            }
            for line in o.lines
        ],
        "taxable": euro(t.taxable),
        "vat": euro(t.vat),
        "total": euro(t.total),
        "vat_lines": [
            {"label": vat_label(key), "taxable": euro(taxable), "vat": euro(vat)}
            for key, (taxable, vat) in t.by_rate.items()
        ],
        "vat_notes": vat_notes(t, c.invoicing.split_payment),
        "payment_terms_text": sentence(term.description) if term else DASH,
        "instalments": [{"date": it_date(i.date), "amount": euro(i.amount)} for i in due],
    }


def vat_label(key: str) -> str:
    """A line of the VAT summary: "IVA 22%", or "Operazione N4 esenti (art. 10 …)"."""
    if key in VatNature._value2member_map_ and key:
        return f"Operazione {label(VatNature(key))}"
    return f"IVA {key}%"


def vat_notes(t: Totals, split_payment: bool) -> list[str]:
    """What the document must say besides the figures: under split payment (art. 17-ter DPR
    633/72) that the VAT is paid to the Erario and what the customer pays the company."""
    if not split_payment:
        return []
    return [
        f"Operazione con {SPLIT_PAYMENT}: l'IVA di {euro(t.vat)} è versata dal cliente "
        f"all'Erario; al fornitore si paga l'imponibile di {euro(t.taxable)}."
    ]


def licence(lic: Licence) -> dict[str, str]:
    return {
        "number": lic.number,
        "product": lic.product,
        "edition": lic.edition or DASH,
        "modules": ", ".join(lic.modules) or DASH,
        "seats": plural(lic.seats, "postazione", "postazioni"),
        "type": label_of(LicenceType, lic.type),
        "issued_on": it_date(lic.issued_on),
        "valid_until": f"fino al {it_date(lic.valid_until)}"
        if lic.valid_until
        else "senza scadenza",
        "key": printed_key(lic.key),
    }


def handover(h: Handover) -> dict[str, Any]:
    """A recorded hand-over, or blanks to fill in by hand when it has not happened yet."""
    return {
        "recipient": h.recipient or BLANK,
        "by": h.by or BLANK,
        "at": f"{it_datetime(h.at)}" if h.at else BLANK,
        "documents": list(h.items),
        "billing_timing": h.billing_timing or DASH,
        "note": h.note or DASH,
    }


def osticket(c: Customer, settings: Settings) -> dict[str, Any]:
    return {
        "portal": settings.osticket.portal_url or settings.osticket.url,
        "email": settings.osticket.ticket_email or settings.company.email,
        "users": [{"name": k.name, "email": k.email} for k in c.contacts if k.osticket],
    }
