"""The records of a customer's dossier, as plain dataclasses (dates and money are values)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from procedure.enums import (
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
    VatNature,
)


@dataclass
class Address:
    street: str = ""
    zip: str = ""
    city: str = ""
    province: str = ""
    country: str = "IT"


@dataclass
class Contact:
    name: str = ""
    role: ContactRole = ContactRole.USER
    email: str = ""
    phone: str = ""
    osticket: bool = False  # gets an osTicket account


@dataclass
class ExcludedMonth:
    month: int = 8
    day: int = 10  # a due date falling in ``month`` moves to this day of the next month


@dataclass
class Invoicing:
    """The invoicing tab of the master record."""

    send_by_email: bool = False
    bank_name: str = ""
    abi: str = ""
    cab: str = ""
    split_payment: bool = False
    notes: str = ""


@dataclass
class Site:
    """A customer site and what reaching it costs (travel profile, 'trasferta chilometrica')."""

    name: str = "Sede"
    address: Address = field(default_factory=Address)
    km_one_way: Decimal = Decimal(0)
    travel_minutes: int = 0  # one way
    tolls: Decimal = Decimal(0)  # round trip
    flat_fee: Decimal | None = None  # urban or zone customers pay a flat fee instead


@dataclass
class TravelRates:
    """Per-customer overrides of the company's travel rates (None: the company's)."""

    rate_per_km: Decimal | None = None
    call_out_fee: Decimal | None = None
    hourly_rate: Decimal | None = None


@dataclass
class SepaMandate:
    umr: str = ""  # unique mandate reference
    signed_on: date | None = None
    scheme: MandateScheme = MandateScheme.CORE
    recurrent: bool = True  # recurrent debits (contracts, instalments) or a single one


@dataclass
class SoftwareDivision:
    """CRM tab 3 "Divisione SW"."""

    products: list[str] = field(default_factory=list)
    edition: str = ""
    version: str = ""
    workstations: int = 0
    server_name: str = ""
    server_os: str = ""
    db_engine: str = ""
    db_version: str = ""
    installed_on: date | None = None
    technician: str = ""
    licence_numbers: list[str] = field(default_factory=list)
    remote_tool: str = ""
    remote_id: str = ""
    software_contact: str = ""


@dataclass
class Product:
    code: str = ""
    description: str = ""
    kind: ProductKind = ProductKind.SOFTWARE
    price: Decimal = Decimal(0)
    vat_rate: Decimal = Decimal(22)
    vat_nature: VatNature = VatNature.NONE  # why a 0% product bears no VAT
    licensed: bool = False  # each unit sold needs a software licence


@dataclass
class OrderLine:
    product_code: str = ""
    description: str = ""
    quantity: Decimal = Decimal(1)
    price: Decimal = Decimal(0)
    discount: Decimal = Decimal(0)  # percent
    vat_rate: Decimal = Decimal(22)
    vat_nature: VatNature = VatNature.NONE  # why a 0% line bears no VAT
    edition: str = ""  # licence details, for licensed products
    modules: list[str] = field(default_factory=list)
    licence_type: LicenceType = LicenceType.PERPETUAL
    licence_months: int = 0  # validity or maintenance; 0 = no end


@dataclass
class Handover:
    """Papers handed over in person: contracts to management, orders to administration."""

    kind: HandoverKind = HandoverKind.CONTRACTS
    recipient: str = ""
    at: datetime | None = None
    by: str = ""
    items: list[str] = field(default_factory=list)
    billing_timing: str = ""  # agreed with administration, for orders
    note: str = ""


@dataclass
class Order:
    number: str = ""
    ordered_on: date | None = None
    payment_terms: str = ""
    payment_terms_reason: str = ""  # why the order departs from the customer's terms
    lines: list[OrderLine] = field(default_factory=list)


@dataclass
class Contract:
    """A contract with the CRM tab 2 "Contratti Software" fields."""

    number: str = ""
    type: ContractType = ContractType.SOFTWARE
    products: list[str] = field(default_factory=list)
    annual_fee: Decimal = Decimal(0)
    frequency: Frequency = Frequency.YEARLY
    in_advance: bool = True
    start: date | None = None
    end: date | None = None
    auto_renewal: bool = True
    notice_days: int = 90
    included_hours: Decimal = Decimal(0)
    status: ContractStatus = ContractStatus.DRAFT
    sent_at: date | None = None
    returned_at: date | None = None
    aligned: bool = False  # periods follow the calendar; the first and last are pro rata
    indexation_share: Decimal = Decimal(100)  # percent of the ISTAT FOI change applied
    indexation_downwards: bool | None = None  # a fall in prices lowers the fee (None: default)
    osticket_ticket: str = ""  # number of the "contratto attivato" ticket
    osticket_pending: bool = False  # the ticket still has to be opened
    osticket_error: str = ""  # why the last attempt failed


@dataclass
class Licence:
    number: str = ""  # LIC-YYYY-NNNNNN
    order_number: str = ""
    product_code: str = ""
    product: str = ""
    edition: str = ""
    modules: list[str] = field(default_factory=list)
    seats: int = 1
    type: LicenceType = LicenceType.PERPETUAL
    issued_on: date | None = None
    valid_until: date | None = None
    key: str = ""


@dataclass
class DocumentRecord:
    """A document generated into the archive."""

    kind: str = ""  # forms | contract | osticket | order | handover | licence
    title: str = ""
    file: str = ""
    pdf: str = ""
    created_at: datetime | None = None
    by: str = ""
    form: str = ""  # the form id its QR code names, for forms
    sha256: str = ""  # of the .docx as made: a mailing attaches these bytes or none
    pdf_sha256: str = ""  # of the PDF as made


@dataclass
class MailReceipt:
    """What came back about a mailing: a reply, a notice that it was not delivered, a PEC
    receipt (accettazione, avvenuta consegna, mancata consegna)."""

    kind: str = ""  # a ReceiptKind
    key: str = ""  # the incoming message it came in (each counted once)
    at: "Instant | None" = None  # when it happened, with the zone the notice states it in
    detail: str = ""  # the server's reason, the address delivered to, the files attached
    eml: str = ""  # the message kept in the customer's Corrispondenza folder


@dataclass
class Mailing:
    """One e-mail to the customer: recorded before it is sent, marked sent once accepted."""

    id: str = ""
    bundle: str = ""  # a Bundle
    to: list[str] = field(default_factory=list)
    subject: str = ""
    message_id: str = ""
    eml: str = ""  # the stored message, resent byte for byte (same Message-ID)
    attachments: list[str] = field(default_factory=list)
    status: MailingStatus = MailingStatus.QUEUED
    attempts: int = 0
    last_error: str = ""
    sending_pid: int = 0  # the process sending it, to tell a crash from a send in progress
    created_at: datetime | None = None
    sent_at: datetime | None = None
    delivered_to: str = ""  # "smtp", "pec" or the outbox file
    by: str = ""
    channel: str = ""  # "pec": through the company's PEC account, to the customer's PEC
    receipts: list[MailReceipt] = field(default_factory=list)
    replaced_by: str = ""  # the mailing that sent it again after it bounced


@dataclass
class Event:
    """One entry of a step's or a record's history."""

    at: datetime
    by: str
    action: str
    note: str = ""


@dataclass
class StepState:
    done: bool = False
    done_by: str = ""
    done_at: datetime | None = None
    notes: list[Event] = field(default_factory=list)
    history: list[Event] = field(default_factory=list)
    evidence: str = ""  # what proved it done: "mailing:<id>", "handover:<n>", "manual", ...


class Instant(datetime):
    """A moment with its time zone, as a signed file states it (the program's own times are
    local and carry none)."""


@dataclass
class FormSignature:
    """A digital signature a returned form carries (a .p7m envelope or a signed PDF)."""

    signer: str = ""
    tax_code: str = ""  # codice fiscale from the certificate (TINIT-… or IT:…)
    signed_at: Instant | None = None
    valid: bool = False
    problem: str = ""  # Italian, "" when valid
    trusted: bool | None = None  # None: no trust list configured, not checked
    kind: str = "firma"  # firma | controfirma | marca temporale
    revocation: str = "non verificata"  # or what the file's revocation data said


@dataclass
class FormRecord:
    """One line of the forms ledger."""

    sent_at: datetime | None = None
    chased_at: list[datetime] = field(default_factory=list)
    returned_at: datetime | None = None
    returned_by: str = ""
    file: str = ""
    reviewed: str = ""  # the returned form whose every field a person has settled
    rejected: dict[str, str] = field(default_factory=dict)  # field → value a person refused
    signature: FormSignature | None = None  # None: the return is not digitally signed
    signatures: list[FormSignature] = field(default_factory=list)  # every one, in order


@dataclass
class Finished:
    """The procedure a customer went through to the end: when, under which version of the
    procedure file, and its steps then (a step added since is not theirs)."""

    at: datetime | None = None
    version: str = ""
    steps: list[str] = field(default_factory=list)


@dataclass
class Party:
    """What a prospect and a customer share, carried over when one becomes the other."""

    name: str = ""
    vat_number: str = ""
    tax_code: str = ""
    address: Address = field(default_factory=Address)
    pec: str = ""
    contacts: list[Contact] = field(default_factory=list)
    notes: str = ""
    history: list[Event] = field(default_factory=list)


@dataclass
class Prospect(Party):
    id: str = ""
    converted_to: str = ""


@dataclass
class Customer(Party):
    """The whole dossier of one customer: master record and everything the procedure adds."""

    code: str = ""
    prospect_id: str = ""
    kind: PartyKind = PartyKind.COMPANY
    sdi_code: str = ""
    iban: str = ""
    bic: str = ""
    invoice_email: str = ""
    payment_terms: str = ""
    excluded_months: list[ExcludedMonth] = field(default_factory=list)
    sepa_mandate: SepaMandate = field(default_factory=SepaMandate)
    invoicing: Invoicing = field(default_factory=Invoicing)
    travel_rates: TravelRates = field(default_factory=TravelRates)
    sites: list[Site] = field(default_factory=list)
    orders: list[Order] = field(default_factory=list)
    contracts: list[Contract] = field(default_factory=list)
    software_division: SoftwareDivision = field(default_factory=SoftwareDivision)
    licences: list[Licence] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    mailings: list[Mailing] = field(default_factory=list)
    sample: bool = False  # made-up demo data
    steps: dict[str, StepState] = field(default_factory=dict)
    forms: dict[str, FormRecord] = field(default_factory=dict)
    finished: Finished | None = None  # None while the procedure is not done
