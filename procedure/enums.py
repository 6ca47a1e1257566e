"""Closed sets of the domain, as string enums (stored as their values, shown by italian.py)."""

from enum import StrEnum


class ContractStatus(StrEnum):
    DRAFT = "draft"
    SENT = "sent"
    SIGNED = "signed"
    ACTIVE = "active"
    CANCELLED = "cancelled"


class ContractType(StrEnum):
    SOFTWARE = "software"
    HARDWARE = "hardware"
    OTHER = "other"


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"


class ContactRole(StrEnum):
    LEGAL_REP = "legal_rep"
    ADMINISTRATION = "administration"
    IT = "it"
    SOFTWARE = "software"
    USER = "user"


class MailingStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    UNKNOWN = "unknown"
    CANCELLED = "cancelled"
    BOUNCED = "bounced"  # accepted, then returned: a notice of non-delivery came back


OPEN_MAILINGS = (MailingStatus.QUEUED, MailingStatus.SENDING, MailingStatus.UNKNOWN)


class ReceiptKind(StrEnum):
    """What came back about a mailing (the PEC ones named as DPR 68/2005's rules do)."""

    REPLY = "risposta"
    BOUNCE = "mancato-recapito"
    ACCEPTED = "accettazione"
    NOT_ACCEPTED = "non-accettazione"
    DELIVERED = "avvenuta-consegna"
    NOT_DELIVERED = "errore-consegna"
    DELAY_WARNING = "preavviso-errore-consegna"


FAILED_RECEIPTS = (ReceiptKind.BOUNCE, ReceiptKind.NOT_ACCEPTED, ReceiptKind.NOT_DELIVERED)


class Bundle(StrEnum):
    """What a mailing carries."""

    FORMS = "forms"
    CONTRACTS = "contracts"
    LICENCES = "licences"
    REMINDER = "reminder"


class LicenceType(StrEnum):
    PERPETUAL = "perpetual"
    SUBSCRIPTION = "subscription"
    TRIAL = "trial"


class MandateScheme(StrEnum):
    CORE = "CORE"
    B2B = "B2B"


class PartyKind(StrEnum):
    """Who the customer is in law: it decides who signs and what the tax code looks like."""

    COMPANY = "company"
    SOLE_TRADER = "sole_trader"


class HandoverKind(StrEnum):
    CONTRACTS = "contracts"
    ORDERS = "orders"


class ProductKind(StrEnum):
    SOFTWARE = "software"
    HARDWARE = "hardware"
    SERVICE = "service"
    SUPPORT = "support"


class VatNature(StrEnum):
    """Why a line bears no VAT: the FatturaPA *Natura* codes (none for a taxed line)."""

    NONE = ""
    N1 = "N1"
    N2_1 = "N2.1"
    N2_2 = "N2.2"
    N3_1 = "N3.1"
    N3_2 = "N3.2"
    N3_3 = "N3.3"
    N3_4 = "N3.4"
    N3_5 = "N3.5"
    N3_6 = "N3.6"
    N4 = "N4"
    N5 = "N5"
    N6_1 = "N6.1"
    N6_2 = "N6.2"
    N6_3 = "N6.3"
    N6_4 = "N6.4"
    N6_5 = "N6.5"
    N6_6 = "N6.6"
    N6_7 = "N6.7"
    N6_8 = "N6.8"
    N6_9 = "N6.9"
    N7 = "N7"


class AuditAction(StrEnum):
    STEP_DONE = "step.done"
    STEP_UNDO = "step.undo"
    STEP_REOPENED = "step.reopened"  # by the record's data no longer meeting its conditions
    STEP_NOTE = "step.note"
    FORM_SENT = "form.sent"
    FORM_RETURNED = "form.returned"
    CUSTOMER_UPDATE = "customer.update"
    CUSTOMER_CONVERT = "customer.convert"
    DOCUMENT = "document"
    HANDOVER = "handover"
    LICENCE_ISSUE = "licence.issue"
    REVIEW = "review.master_data"
    CONTRACT_RENEW = "contract.renew"
    MAIL_QUEUE = "mail.queue"
    MAIL_SENDING = "mail.sending"
    MAIL_SENT = "mail.sent"
    MAIL_QUEUED = "mail.queued"
    MAIL_UNKNOWN = "mail.unknown"
    MAIL_CANCELLED = "mail.cancelled"
    MAIL_BOUNCED = "mail.bounced"
    MAIL_RECEIPT = "mail.receipt"
    MAIL_REPLACED = "mail.replaced"
    OSTICKET_QUEUE = "osticket.queue"
    OSTICKET_TICKET = "osticket.ticket"
    OSTICKET_ERROR = "osticket.error"
    PRODUCT_SAVE = "product.save"
    PROSPECT_ADD = "prospect.add"
    TERMS_SAVE = "terms.save"
    COMPANY_SAVE = "company.save"
    IMPORT = "import"


def mail_action(status: MailingStatus) -> AuditAction:
    """The audit action recording that a mailing reached ``status``."""
    return AuditAction(f"mail.{status}")
