"""Mail through a real SMTP server (aiosmtpd on 127.0.0.1): content, retries, crashes."""

import multiprocessing
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from procedure.config.config_file import prepare_data_folder
from procedure.demo import load_demo
from procedure.errors import Refused
from procedure.office import Office
from tests.conftest import Clock, admin_settings


class Inbox:
    """An SMTP handler that keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.received = threading.Event()
        self.hold = 0.0  # seconds to wait before answering DATA
        self.answer = "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.original_content))
        self.received.set()
        if self.hold:
            import asyncio

            await asyncio.sleep(self.hold)
        return self.answer


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> Iterator[Server]:
    server = Server()
    server.start()
    yield server
    server.stop()


def office_with_smtp(tmp_path: Path, port: int) -> Office:
    data = tmp_path / "data"
    prepare_data_folder(data)
    admin_settings(data, (
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
        'sender = "Delta Test <acquisto@deltatest.example>"\n'
    ))  # fmt: skip
    office = Office.open(data, clock=Clock(), user="mario")
    load_demo(office)
    return office


def parse(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_forms_mailing_content_and_attachments(tmp_path: Path, smtp: Server) -> None:
    office = office_with_smtp(tmp_path, smtp.port)
    result = office.mail.send_bundle("C00003", "forms")
    assert result.mailing.status == "sent"
    ((rcpts, raw),) = smtp.inbox.messages
    assert rcpts == ["gammaprova@pec.example"]
    message = parse(raw)
    assert (
        message["Subject"]
        == "Delta Test Informatica S.r.l. - moduli da compilare per l'attivazione"
    )
    assert message["Message-ID"] == result.mailing.message_id
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert "Gentile cliente Gamma Prova Logistica S.p.A." in text
    assert "- Raccolta Dati Anagrafici" in text
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == [
        Path(p).name for p in result.mailing.attachments
    ]
    for part, path in zip(attachments, result.mailing.attachments, strict=True):
        assert part.get_payload(decode=True) == Path(path).read_bytes()
    customer = office.customer("C00003")
    assert customer.steps["forms_sent"].done
    assert {k for k, f in customer.forms.items() if f.sent_at} == {"master_data", "privacy"}
    names = [Path(p).name for p in result.mailing.attachments]
    stamp = result.mailing.created_at.date().isoformat() if result.mailing.created_at else ""
    form = f"Raccolta Dati Anagrafici - {stamp}"
    assert names[:2] == [f"{form}.docx", f"{form}.pdf"]  # to fill in Word or on screen


def test_contracts_go_together_in_one_mailing(tmp_path: Path, smtp: Server) -> None:
    office = office_with_smtp(tmp_path, smtp.port)
    for step in ("travel_costs", "contract_schedule", "crm_software_contracts", "osticket_profile"):
        office.checklist.set_step("C00001", step, True, note="in prova")
    result = office.mail.send_bundle("C00001", "contracts")
    ((rcpts, raw),) = smtp.inbox.messages
    assert rcpts == ["luca.alfa@alfatest.example", "amministrazione@alfatest.example"]
    names = [a.get_filename() for a in parse(raw).iter_attachments()]
    assert [n.split(" - ")[0] for n in names] == [
        "Contratto Assistenza SW su Modulo CT-2025-001",
        "Contratto CT-2025-002",
        "Nomina Responsabile del trattamento",  # the DPA the contract names as attached
        "Istruzioni Os-Ticket",
    ]
    customer = office.customer("C00001")
    assert (
        customer.steps["contract_sent"].done and customer.steps["osticket_instructions_sent"].done
    )
    assert {k.status for k in customer.contracts} == {"sent"}
    assert result.mailing.status == "sent"
    assert customer.forms["dpa"].sent_at and customer.forms["signed_contract"].sent_at


def test_licences_go_with_their_general_conditions(tmp_path: Path, smtp: Server) -> None:
    office = office_with_smtp(tmp_path, smtp.port)  # Alfa's order is entered in the demo
    result = office.mail.send_bundle("C00001", "licences")
    ((_, raw),) = smtp.inbox.messages
    names = [str(a.get_filename()).split(" - ")[0] for a in parse(raw).iter_attachments()]
    licences = [n for n in names if n.startswith("Licenza LIC-")]
    assert (
        licences and names.count("Condizioni generali di licenza") == 1
    )  # the certificates' terms
    assert result.mailing.status == "sent"
    assert office.customer("C00001").steps["licences_sent"].done


def test_server_down_queues_then_retries_once(tmp_path: Path, smtp: Server) -> None:
    office = office_with_smtp(tmp_path, smtp.port)
    first = office.mail.send_bundle("C00003", "forms").mailing
    smtp.stop()
    second = office.mail.send_reminder("C00003").mailing
    assert second.status == "queued" and "non raggiungibile" in second.last_error
    assert office.list_customers()[2].open_mail == 1
    assert not office.customer("C00003").forms["privacy"].chased_at  # not sent: not chased
    smtp.start()
    ((code, retried),) = office.mail.retry_open()
    assert (code, retried.id, retried.status, retried.attempts) == ("C00003", second.id, "sent", 2)
    assert office.mail.retry_open() == []  # nothing left: never sent twice
    ids = [parse(raw)["Message-ID"] for _, raw in smtp.inbox.messages]
    assert ids == [first.message_id, second.message_id]
    assert office.customer("C00003").forms["privacy"].chased_at


def _send_in_child(data: Path) -> None:
    office = Office.open(data, clock=Clock(), user="anna")
    office.mail.send_bundle("C00003", "forms")


def test_crash_mid_send_is_flagged_not_resent(tmp_path: Path, smtp: Server) -> None:
    office = office_with_smtp(tmp_path, smtp.port)
    smtp.inbox.hold = 30  # the server takes the message but answers late
    process = multiprocessing.get_context("fork").Process(
        target=_send_in_child, args=(office.settings.data_dir,)
    )
    process.start()
    assert smtp.inbox.received.wait(30)
    os.kill(process.pid, signal.SIGKILL)  # the sender dies before it hears "250"
    process.join()
    smtp.inbox.hold = 0
    ((_, mailing),) = [(c, m) for c, m in office.mail.retry_open()]
    assert mailing.status == "unknown"
    assert len(smtp.inbox.messages) == 1  # not resent on its own
    assert office.mail.retry_open()[0][1].status == "unknown"
    assert office.mail.reconcile("C00003") == []
    again = office.mail.resend("C00003", mailing.id)  # a person decided to resend
    assert again.status == "sent"
    first, second = (parse(raw) for _, raw in smtp.inbox.messages)
    assert first["Message-ID"] == second["Message-ID"] == mailing.message_id
    assert first.as_bytes() == second.as_bytes()


def test_without_smtp_mail_goes_to_the_outbox_folder(demo: Office) -> None:
    result = demo.mail.send_bundle("C00003", "forms")
    path = Path(result.mailing.delivered_to)
    assert path.parent == demo.settings.data_dir / "outbox" and path.suffix == ".eml"
    assert parse(path.read_bytes())["Message-ID"] == result.mailing.message_id
    assert result.mailing.status == "sent"


def test_password_file_must_be_private(tmp_path: Path) -> None:
    from procedure.config.settings import ConfigError

    data = tmp_path / "data"
    prepare_data_folder(data)
    (data / "segreti").mkdir()
    secret = data / "segreti" / "pw"
    secret.write_text("s3cret")
    secret.chmod(0o644)
    smtp = '[smtp]\nhost = "h"\nsender = "a@b.example"\n'
    admin_settings(data, smtp + 'password_file = "pw"\n')
    with pytest.raises(ConfigError, match="600"):
        prepare_data_folder(data)
    secret.chmod(0o600)
    settings = prepare_data_folder(data)
    assert settings.smtp is not None and settings.smtp.password == "s3cret"
    assert "s3cret" not in repr(settings)
    # a colleague pointing the setting at someone's private file gets nothing read
    private = tmp_path / "id_rsa"
    private.write_text("chiave privata")
    private.chmod(0o600)
    for elsewhere in (str(private), "../../id_rsa"):
        admin_settings(data, smtp + f'password_file = "{elsewhere}"\n')
        with pytest.raises(ConfigError, match="segreti"):
            prepare_data_folder(data)


def test_stale_sending_by_a_live_process_is_left_alone(demo: Office) -> None:
    result = demo.mail.send_bundle("C00003", "forms")
    assert demo.mail.reconcile("C00003") == []
    assert result.mailing.sending_pid == 0
    time.sleep(0)


def test_rejected_message_stays_queued(tmp_path: Path, smtp: Server) -> None:
    office = office_with_smtp(tmp_path, smtp.port)
    smtp.inbox.answer = "554 5.7.1 Message rejected"
    mailing = office.mail.send_bundle("C00003", "forms").mailing
    assert mailing.status == "queued" and "554" in mailing.last_error
    assert not office.customer("C00003").steps.get("forms_sent")
    smtp.inbox.answer = "250 OK"
    ((_, retried),) = office.mail.retry_open()
    assert retried.status == "sent"
    assert office.customer("C00003").steps["forms_sent"].done  # the step follows the delivery


def test_a_mail_the_server_took_is_never_reported_failed_nor_sent_twice(
    tmp_path: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procedure.errors import Refused
    from procedure.services.mail.delivery import Delivery

    office = office_with_smtp(tmp_path, smtp.port)
    real = Delivery._status

    def disk_full_when_recording_sent(self, d, m, status, error, where=""):  # type: ignore[no-untyped-def]
        if status == "sent":
            raise OSError(28, "No space left on device")
        real(self, d, m, status, error, where)

    monkeypatch.setattr(Delivery, "_status", disk_full_when_recording_sent)
    result = office.mail.send_bundle("C00003", "forms")
    assert result.mailing.status == "sent"  # the server has it: no error for the user
    monkeypatch.setattr(Delivery, "_status", real)
    with pytest.raises(Refused, match="C'è già un invio"):
        office.mail.send_bundle("C00003", "forms")  # the natural retry sends nothing
    assert len(smtp.inbox.messages) == 1


def test_a_queued_mailing_is_retried_never_duplicated(tmp_path: Path, smtp: Server) -> None:
    from procedure.errors import Refused

    office = office_with_smtp(tmp_path, smtp.port)
    smtp.stop()
    assert office.mail.send_bundle("C00003", "forms").mailing.status == "queued"
    with pytest.raises(Refused, match="in coda"):
        office.mail.send_bundle("C00003", "forms")
    smtp.start()
    ((_, retried),) = office.mail.retry_open()
    assert retried.status == "sent" and len(smtp.inbox.messages) == 1


def test_a_document_replaced_after_it_was_made_is_not_mailed(tmp_path: Path, smtp: Server) -> None:
    """A colleague swaps a generated PDF for a link to a private file of the sender's (or
    for other bytes): the mailing attaches what was made or nothing; it is refused, naming
    the document, and nothing is recorded or sent."""
    office = office_with_smtp(tmp_path, smtp.port)
    records = office.documents.generate("C00001", "forms", pdf=True).records
    secret = tmp_path / "segreto.txt"
    secret.write_text("password della banca\n")
    secret.chmod(0o600)
    privacy = next(r for r in records if r.form == "privacy")
    Path(privacy.pdf).unlink()
    Path(privacy.pdf).symlink_to(secret)
    with pytest.raises(Refused, match=r"«.*» \(.*\.pdf\) non è più quello prodotto"):
        office.mail.send_bundle("C00001", "forms")
    assert smtp.inbox.messages == [] and office.customer("C00001").mailings == []
    Path(privacy.pdf).unlink()
    Path(privacy.pdf).write_bytes(b"%PDF-1.7 altro contenuto")
    with pytest.raises(Refused, match="il contenuto è cambiato dopo la produzione"):
        office.mail.send_bundle("C00001", "forms")
    assert smtp.inbox.messages == [] and office.customer("C00001").mailings == []
    office.documents.generate("C00001", "forms", pdf=True)  # made again: goes
    office.mail.send_bundle("C00001", "forms")
    assert len(smtp.inbox.messages) == 1
    assert b"password della banca" not in smtp.inbox.messages[0][1]
