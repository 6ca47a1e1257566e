"""Mail that comes back in, read from a real IMAP server (Dovecot on 127.0.0.1): replies
carrying forms, bounces, PEC receipts; a killed reader never files twice nor loses a file."""

import hashlib
import io
import os
import random
import signal
import subprocess
import sys
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from pypdf import PdfWriter

from main import main
from procedure.config.config_file import prepare_data_folder
from procedure.config.settings import ConfigError
from procedure.demo import load_demo
from procedure.enums import MailingStatus, ReceiptKind
from procedure.model import Mailing
from procedure.office import Office
from procedure.rules.steps import step_views
from procedure.services.archiving.review import has_review
from procedure.watching import WatchService
from tests.conftest import Clock, admin_settings
from tests.integration.imap_server import PASSWORD, Mailbox, free_port
from tests.integration.replies import attachment, reply
from tests.integration.signing import envelope, make_party
from tests.integration.test_mail import Server, parse
from tests.integration.test_returned_form import FILLED, fill_pdf
from tests.integration.test_watch import wait_until
from tui.screens.customer import step_detail
from tui.screens.history import history_text

DONE = "Acquisto/Elaborati"


def office_with_mailboxes(
    tmp_path: Path, server: Server, box: Mailbox, pec: Mailbox | None = None
) -> Office:
    """The demo office sending through the local SMTP server and reading ``imap``."""
    data = tmp_path / "data"
    prepare_data_folder(data)
    secret = data / "segreti" / "casella.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(PASSWORD)
    secret.chmod(0o600)
    text = (
        f'[smtp]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
        'sender = "Delta Test <acquisto@deltatest.example>"\n\n'
        f'{box.settings()}password_file = "casella.txt"\n'
    )
    if pec is not None:
        text += (
            f'\n[pec]\nhost = "127.0.0.1"\nport = {server.port}\nsecurity = "none"\n'
            'sender = "Delta Test <deltatest@pec.example>"\npassword_file = "casella.txt"\n\n'
            f'{pec.settings("pec.imap")}password_file = "casella.txt"\n'
        )
    admin_settings(data, text)
    office = Office.open(data, clock=Clock(), user="mario")
    load_demo(office)
    return office


@dataclass
class Desk:
    """The demo office with its SMTP server and its mailbox on Dovecot."""

    office: Office
    smtp: Server
    imap: Mailbox

    def send(self, code: str, bundle: str) -> EmailMessage:
        """Mail ``bundle`` to ``code``; the message as it went out."""
        self.office.mail.send_bundle(code, bundle)
        return mailed(self.smtp)


@pytest.fixture
def desk(tmp_path: Path, smtp: Server, imap: Mailbox) -> Desk:
    return Desk(office_with_mailboxes(tmp_path, smtp, imap), smtp, imap)


def mailed(server: Server) -> EmailMessage:
    """The last message the office sent."""
    return parse(server.inbox.messages[-1][1])


def run_inbox(office: Office) -> str:
    """``acquisto inbox`` as a person runs it."""
    out = io.StringIO()
    sys_stdout, sys.stdout = sys.stdout, out
    try:
        assert main(["--data", str(office.settings.data_dir), "inbox"]) == 0
    finally:
        sys.stdout = sys_stdout
    return out.getvalue()


def mailing_of(office: Office, code: str, bundle: str) -> Mailing:
    return next(m for m in office.customer(code).mailings if m.bundle == bundle)


def test_a_reply_with_the_filled_form_is_filed_and_offered_for_review(desk: Desk) -> None:
    office, imap = desk.office, desk.imap
    sent = desk.send("C00003", "forms")
    filled = fill_pdf(attachment(sent, "Raccolta Dati Anagrafici", ".pdf"), FILLED)
    imap.deliver(reply(sent, {"Raccolta compilata.pdf": filled}, "amm@gammaprova.example"))
    imap.deliver(b"From: altro@example.org\r\nSubject: pubblicita\r\n\r\nnon nostra\r\n")

    said = run_inbox(office)

    assert "risposte: 1 (allegati archiviati: 1" in said and "lasciati nella casella: 1" in said
    customer = office.customer("C00003")
    form = customer.forms["master_data"]
    assert form.returned_at and Path(form.file).read_bytes() == filled
    assert has_review(customer)  # its fields are offered to accept
    (answer,) = mailing_of(office, "C00003", "forms").receipts
    assert answer.kind == ReceiptKind.REPLY and "Raccolta compilata.pdf" in answer.detail
    assert Path(answer.eml).parent.name == "Corrispondenza" and Path(answer.eml).exists()
    assert len(imap.messages(DONE)) == 1  # moved, never deleted
    assert imap.messages() == [imap.messages()[0]] and b"pubblicita" in imap.messages()[0]
    assert "risposte: 0" in run_inbox(office)  # a second pass finds nothing new


def blank_scan() -> bytes:
    """A scan without QR code or text: only the mail it came in says whose it is."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_reply_with_a_scan_without_qr_is_suggested_for_that_customer(desk: Desk) -> None:
    office, imap = desk.office, desk.imap
    imap.deliver(
        reply(
            desk.send("C00003", "forms"), {"scansione.pdf": blank_scan()}, "amm@gammaprova.example"
        )
    )

    assert "da assegnare: 1" in run_inbox(office)

    (waiting,) = office.intake.waiting()
    assert waiting.suggestion is not None and waiting.suggestion.code == "C00003"
    assert waiting.suggestion.why.startswith("risposta all'e-mail del 20/03/2025")
    assert not office.customer("C00003").forms["master_data"].returned_at


def test_a_reply_with_a_signed_p7m_is_filed_with_its_signature(desk: Desk) -> None:
    office, imap = desk.office, desk.imap
    sent = desk.send("C00001", "forms")
    privacy = attachment(sent, "Informativa", ".pdf")
    signed = envelope(make_party(), privacy)
    imap.deliver(reply(sent, {"informativa.pdf.p7m": signed}, "luca.alfa@alfatest.example"))

    assert "allegati archiviati: 1" in run_inbox(office)

    form = office.customer("C00001").forms["privacy"]
    assert form.file.endswith(".p7m") and Path(form.file).read_bytes() == signed
    assert form.signature is not None and form.signature.valid


def dsn(original: EmailMessage, address: str) -> bytes:
    """An RFC 3464 delivery status notification, as a mail server (Postfix) returns it."""
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\n"
        f"To: {original['From']}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        f"Message-ID: {make_msgid(domain='mx.example')}\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B1"\r\n'
        "\r\n--B1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Il messaggio non è stato recapitato a {address}.\r\n"
        "\r\n--B1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example\r\n\r\n"
        f"Final-Recipient: rfc822; {address}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown\r\n"
        "\r\n--B1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {original['From']}\r\nTo: {address}\r\n"
        f"Message-ID: {original['Message-ID']}\r\n"
        "\r\n--B1--\r\n"
    ).encode()


def test_a_bounce_reopens_the_step_and_asks_for_another_address(desk: Desk) -> None:
    office, server, imap = desk.office, desk.smtp, desk.imap
    desk.send("C00003", "forms")
    assert office.customer("C00003").steps["forms_sent"].done
    imap.deliver(dsn(mailed(server), "amministrazione@gammaprova.example"))

    assert "mancati recapiti: 1" in run_inbox(office)

    customer = office.customer("C00003")
    mailing = mailing_of(office, "C00003", "forms")
    assert mailing.status == MailingStatus.BOUNCED
    assert "550 5.1.1 User unknown" in mailing.last_error
    state = customer.steps["forms_sent"]
    assert not state.done and "User unknown" in state.notes[-1].note
    assert "non consegnata" in state.notes[-1].note
    actions = [e["action"] for e in office.audit("C00003")]
    assert "mail.bounced" in actions and "step.undo" in actions
    assert office.list_customers()[2].open_mail == 1  # counted under the mail to settle
    shown = history_text(office, "C00003").plain  # what the TUI's history shows
    assert f"moduli da compilare a {mailing.to[0]}: non consegnata: amministrazione@" in shown
    assert "avviso di mancato recapito il " in shown
    out = io.StringIO()
    sys_stdout, sys.stdout = sys.stdout, out
    try:
        assert main(["--data", str(office.settings.data_dir), "outbox"]) == 1
        listed = out.getvalue()
        short = mailing.id[:8]
        assert f"acquisto outbox resend {short} --to INDIRIZZO" in listed
        assert "non consegnata" in listed
        again = ["--data", str(office.settings.data_dir), "outbox", "resend", short]
        assert main([*again, "--to", "non un indirizzo"]) == 1
        assert main([*again, "--to", "nuovo@gammaprova.example"]) == 0
    finally:
        sys.stdout = sys_stdout
    assert server.inbox.messages[-1][0] == ["nuovo@gammaprova.example"]
    resent = mailed(server)
    assert resent["Message-ID"] != mailing.message_id
    assert [a.get_filename() for a in resent.iter_attachments()] == [
        a.get_filename() for a in parse(server.inbox.messages[0][1]).iter_attachments()
    ]
    customer = office.customer("C00003")
    assert customer.steps["forms_sent"].done  # the new mailing is the proof
    assert office.list_customers()[2].open_mail == 0


def daticert(kind: str, original: str, when: tuple[str, str], to: str, error: str = "") -> str:
    """The certified data of a PEC receipt (DM 2 novembre 2005, allegato: daticert.xml)."""
    extended = f"<errore-esteso>{error}</errore-esteso>" if error else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<postacert tipo="{kind}" errore="{"nessuno" if not error else "no-dest"}">'
        "<intestazione><mittente>deltatest@pec.example</mittente>"
        f'<destinatari tipo="certificato">{to}</destinatari>'
        "<risposte>deltatest@pec.example</risposte><oggetto>Contratti</oggetto></intestazione>"
        '<dati><gestore-emittente>PEC Gestore di Prova</gestore-emittente><data zona="+0100">'
        f"<giorno>{when[0]}</giorno><ora>{when[1]}</ora></data>"
        "<identificativo>opec21.20261204103200.12345.01@pec.example</identificativo>"
        f"<msgid>{original.replace('<', '&lt;').replace('>', '&gt;')}</msgid>"
        f'<ricevuta tipo="completa"/><consegna>{to}</consegna>{extended}</dati></postacert>'
    )


def pec_receipt(kind: str, original: str, to: str, when: tuple[str, str], error: str = "") -> bytes:
    """A receipt as the PEC provider sends it: its header, the text, daticert.xml."""
    titles = {
        "accettazione": "ACCETTAZIONE",
        "avvenuta-consegna": "CONSEGNA",
        "errore-consegna": "AVVISO DI MANCATA CONSEGNA",
    }
    message = EmailMessage()
    message["From"] = "posta-certificata@pec.example"
    message["To"] = "deltatest@pec.example"
    message["Subject"] = f"{titles[kind]}: Contratti"
    message["Message-ID"] = make_msgid(domain="pec.example")
    message["X-Ricevuta"] = kind
    message["X-Riferimento-Message-ID"] = original
    message["X-Trasporto"] = "posta-certificata"
    message.set_content(f"Ricevuta di {kind} del messaggio {original}.")
    message.add_attachment(
        daticert(kind, original, when, to, error).encode(),
        maintype="application",
        subtype="xml",
        filename="daticert.xml",
    )
    return message.as_bytes()


@pytest.fixture
def by_pec(tmp_path: Path, smtp: Server, imap: Mailbox) -> tuple[Office, Mailbox]:
    """The demo office with a PEC account; C00001's contracts sent by PEC."""
    pec = Mailbox(imap.server, imap.server.new_user())
    office = office_with_mailboxes(tmp_path, smtp, imap, pec)
    for step in ("travel_costs", "contract_schedule", "crm_software_contracts", "osticket_profile"):
        office.checklist.set_step("C00001", step, True, note="in prova")
    office.mail.send_bundle("C00001", "contracts", backdated=True)
    return office, pec


def test_pec_receipts_make_the_proof_of_delivery(
    by_pec: tuple[Office, Mailbox],
    smtp: Server,
) -> None:
    office, pec = by_pec
    rcpts, raw = smtp.inbox.messages[-1]
    assert rcpts == ["alfatest@pec.example"]  # the customer's PEC, from the company's
    assert "deltatest@pec.example" in str(parse(raw)["From"])
    mailing = mailing_of(office, "C00001", "contracts")
    assert mailing.channel == "pec"
    original = mailing.message_id
    pec.deliver(
        pec_receipt("accettazione", original, "alfatest@pec.example", ("04/12/2026", "10:31:40"))
    )
    pec.deliver(
        pec_receipt(
            "avvenuta-consegna", original, "alfatest@pec.example", ("04/12/2026", "10:32:05")
        )
    )

    assert "ricevute PEC: 2" in run_inbox(office)

    customer = office.customer("C00001")
    mailing = mailing_of(office, "C00001", "contracts")
    assert [r.kind for r in mailing.receipts] == ["accettazione", "avvenuta-consegna"]
    assert all(Path(r.eml).exists() for r in mailing.receipts)
    view = {v.id: v for v in step_views(office.context(customer))}
    assert view["contract_sent"].proof.endswith("consegnata via PEC il 04/12/2026 alle 10:32")
    assert "Prova: e-mail «" in step_detail(view["contract_sent"]).plain  # the TUI's detail
    shown = history_text(office, "C00001").plain
    assert "ricevuta PEC di avvenuta consegna il 04/12/2026 alle 10:32: alfatest@pec" in shown
    assert len(pec.messages(DONE)) == 2 and pec.messages() == []


def test_a_pec_non_delivery_reopens_the_step(by_pec: tuple[Office, Mailbox]) -> None:
    office, pec = by_pec
    original = mailing_of(office, "C00001", "contracts").message_id
    receipt = pec_receipt(
        "errore-consegna", original, "alfatest@pec.example", ("04/12/2026", "10:40:00"),
        "5.1.1 - casella del destinatario inesistente",
    )  # fmt: skip
    pec.deliver(receipt)

    run_inbox(office)

    mailing = mailing_of(office, "C00001", "contracts")
    assert mailing.status == MailingStatus.BOUNCED
    assert "casella del destinatario inesistente" in mailing.last_error
    customer = office.customer("C00001")
    assert not customer.steps["contract_sent"].done
    assert "mancata consegna" in customer.steps["contract_sent"].notes[-1].note


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def archived(office: Office) -> list[str]:
    """The digest of every file in the archive's slots and intake (staging excluded)."""
    root = office.filing.root
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root).parts
        if (
            path.is_file()
            and rel[0] != ".posta"
            and ("Moduli ricevuti" in rel or rel[0] == "Da archiviare")
        ):
            found.append(digest(path.read_bytes()))
    return found


def test_a_killed_reader_never_files_twice_and_never_loses_a_file(desk: Desk) -> None:
    office, imap = desk.office, desk.imap
    sent = desk.send("C00003", "forms")
    privacy = attachment(sent, "Informativa", ".pdf")
    files: list[bytes] = []
    for n in range(4):  # each reply: a form its QR code files, a scan that waits
        pair = {f"informativa {n}.pdf": privacy + f"%{n}\n".encode()}
        pair[f"foglio {n}.pdf"] = blank_scan() + f"%{n}\n".encode()
        files += pair.values()
        imap.deliver(reply(sent, pair, "amm@gammaprova.example"))
    before = archived(office)  # the demo's own returned forms
    expected = sorted([*before, *(digest(data) for data in files)])
    env = dict(os.environ)
    root = Path(__file__).parents[2]
    command = [
        sys.executable,
        str(root / "main.py"),
        "--data",
        str(office.settings.data_dir),
        "inbox",
    ]
    rng = random.Random(30)
    for _ in range(6):  # killed at random moments
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        try:
            child.wait(timeout=rng.uniform(0.5, 4.0))
        except subprocess.TimeoutExpired:
            child.send_signal(signal.SIGKILL)
            child.wait()
    assert subprocess.run(command, env=env, capture_output=True, timeout=600).returncode == 0

    assert sorted(archived(office)) == expected  # each file once: none twice, none lost
    assert len(imap.messages(DONE)) == 4 and imap.messages() == []
    assert not any(p.is_file() for p in (office.filing.root / ".posta").rglob("*"))
    assert office.customer("C00003").forms["privacy"].returned_at
    replies = mailing_of(office, "C00003", "forms").receipts
    assert len(replies) == 4 and len({r.key for r in replies}) == 4


def test_mailbox_settings_come_only_from_the_administrator_and_are_checked(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    prepare_data_folder(data)
    config = data / "config.toml"
    base = config.read_text()
    config.write_text(base + '\n[imap]\nhost = "ladro.example"\nuser = "x"\n')
    with pytest.raises(ConfigError, match=r"\[imap\], \[pec\].*amministrazione\.toml"):
        prepare_data_folder(data)  # every colleague's file: refused, not used
    config.write_text(base)
    admin_settings(data, '[pec]\nhost = "smtps.pec.example"\nsender = "a@pec.example"\n')
    with pytest.raises(ConfigError, match=r"\[pec\] richiede anche la tabella \[pec\.imap\]"):
        prepare_data_folder(data)
    imap = '[imap]\nhost = "imap.example"\nuser = "u"\n'
    admin_settings(data, imap + 'password_file = "/etc/shadow"\n')
    with pytest.raises(ConfigError, match=r"\[imap\] password_file deve indicare un file"):
        prepare_data_folder(data)
    admin_settings(data, imap + 'done_folder = "Già fatti"\n')
    with pytest.raises(ConfigError, match=r"\[imap\] done_folder deve essere un nome di cartella"):
        prepare_data_folder(data)
    admin_settings(data, imap + 'security = "starttls"\n')
    read = prepare_data_folder(data).imap
    assert read is not None and (read.port, read.folder, read.done_folder) == (
        143,
        "INBOX",
        "Acquisto/Elaborati",
    )


def test_a_mailbox_that_cannot_be_reached_is_said_in_italian(tmp_path: Path) -> None:
    data = tmp_path / "data"
    prepare_data_folder(data)
    port = free_port()  # nobody listens there
    admin_settings(
        data, f'[imap]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nuser = "u"\n'
    )
    err = io.StringIO()
    sys_stdout, sys.stdout = sys.stdout, err
    try:
        assert main(["--data", str(data), "inbox"]) == 1
    finally:
        sys.stdout = sys_stdout
    assert "posta: casella u@127.0.0.1 non raggiungibile" in err.getvalue()


def test_the_watching_process_reads_the_mailbox_as_mail_arrives(desk: Desk) -> None:
    office, imap = desk.office, desk.imap
    sent = desk.send("C00003", "forms")
    assert office.inbox.wait(0.2) and office.inbox.wait(0.2)  # IDLE, nothing came: back
    service = WatchService(office, retry=0.1)
    thread = service.start_thread()
    try:
        assert wait_until(service.leading.is_set, 60)
        imap.deliver(reply(sent, {"scansione.pdf": blank_scan()}, "amm@gammaprova.example"))
        assert wait_until(lambda: bool(mailing_of(office, "C00003", "forms").receipts), 60)
    finally:
        service.stop()
        thread.join(60)
    assert len(imap.messages(DONE)) == 1
    (waiting,) = office.intake.waiting()
    assert waiting.suggestion is not None and waiting.suggestion.code == "C00003"
