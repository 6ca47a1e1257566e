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


OPEN_MAILINGS = (MailingStatus.QUEUED, MailingStatus.SENDING, MailingStatus.UNKNOWN)


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
