"""The "contratto attivato" ticket against a real HTTP server on 127.0.0.1."""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from main import main
from procedure.config.config_file import prepare_data_folder
from procedure.demo import load_demo
from procedure.office import Office
from procedure.osticket.api import TicketOutcome
from procedure.watching import WatchService
from tests.conftest import Clock, admin_settings
from tests.integration.test_watch import wait_until


class FakeOsTicket(BaseHTTPRequestHandler):
    """Answers like osTicket's API: 201 and the ticket number, or what the test says."""

    requests: ClassVar[list[dict[str, Any]]] = []
    answers: ClassVar[list[tuple[int, str]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.requests.append({"path": self.path, "key": self.headers["X-API-Key"],
                              "body": json.loads(body)})  # fmt: skip
        status, text = self.answers.pop(0) if self.answers else (201, "123456")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(text.encode())

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[ThreadingHTTPServer]:
    FakeOsTicket.requests, FakeOsTicket.answers = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeOsTicket)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def osticket_step(office: Office) -> list[TicketOutcome]:
    """Complete Alfa's osTicket step by hand; the outcomes of the tickets it sent."""
    return office.checklist.set_step("C00001", "osticket_profile", True, note="in prova")


def url_of(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def office_for(tmp_path: Path, url: str, monkeypatch: pytest.MonkeyPatch) -> Office:
    data = tmp_path / "data"
    prepare_data_folder(data)  # writes the default config; the administrator's file points
    admin_settings(data, f'[osticket]\nurl = "{url}"\n')  # osTicket at the server
    monkeypatch.setenv("ACQUISTO_OSTICKET_KEY", "K3Y")
    office = Office.open(data, clock=Clock(), user="mario")
    load_demo(office)
    for step in ("travel_costs", "contract_schedule"):
        office.checklist.set_step("C00001", step, True, note="in prova")
    return office


def test_completing_the_osticket_step_opens_the_ticket(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_for(tmp_path, url_of(server), monkeypatch)
    outcomes = osticket_step(office)
    assert [(o.customer, o.contract, o.ticket, o.error) for o in outcomes] == [
        ("C00001", "CT-2025-001", "123456", "")
    ]
    (request,) = FakeOsTicket.requests
    assert request["path"] == "/api/tickets.json"
    assert request["key"] == "K3Y"
    assert request["body"]["email"] == "it@alfatest.example"
    assert "€ 1.800,00" in request["body"]["message"]
    contract = office.customer("C00001").contracts[0]
    assert (contract.osticket_ticket, contract.osticket_pending) == ("123456", False)
    assert office.osticket.flush_tickets() == []  # never opened twice
    assert len(FakeOsTicket.requests) == 1


def test_failure_is_recorded_and_retried(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_for(tmp_path, url_of(server), monkeypatch)
    FakeOsTicket.answers = [(401, "API key not authorized")]
    (outcome,) = osticket_step(office)
    assert outcome.ticket == "" and "401" in outcome.error
    contract = office.customer("C00001").contracts[0]
    assert contract.osticket_pending and "401" in contract.osticket_error
    (outcome,) = office.osticket.flush_tickets()  # the retry succeeds
    assert outcome.ticket == "123456"
    assert not office.customer("C00001").contracts[0].osticket_pending
    assert len(FakeOsTicket.requests) == 2


def test_server_down_keeps_the_ticket_queued(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_for(tmp_path, "http://127.0.0.1:9", monkeypatch)  # discard port: refused
    (outcome,) = osticket_step(office)
    assert "non raggiungibile" in outcome.error
    assert office.customer("C00001").contracts[0].osticket_pending


def test_osticket_error_text_is_kept_on_one_line_and_shown(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_for(tmp_path, url_of(server), monkeypatch)
    FakeOsTicket.answers = [(500, "Unable to create ticket:\nemail: Valid email required\r\n")]
    (outcome,) = osticket_step(office)
    expected = "osTicket ha risposto 500: Unable to create ticket: email: Valid email required"
    assert outcome.error == expected
    assert office.customer("C00001").contracts[0].osticket_error == expected  # stored


def test_a_customer_without_an_osticket_user_is_refused_before_the_api(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{server.server_address[1]}"
    office = office_for(tmp_path, url, monkeypatch)  # the sample has no ticket_email
    customer = office.customer("C00001")
    for contact in customer.contacts:
        contact.osticket = False
    office.customers.save(customer)  # the step cannot complete so; a ticket asked by hand:
    office.osticket.queue_ticket("C00001", "CT-2025-001")
    (outcome,) = office.osticket.flush_tickets("C00001")
    assert outcome.error.startswith("nessun utente osTicket per il cliente")
    assert FakeOsTicket.requests == []  # osTicket never asked
    assert office.customer("C00001").contracts[0].osticket_pending  # still to be opened


def test_the_watcher_retries_queued_tickets(
    tmp_path: Path, server: ThreadingHTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = office_for(tmp_path, url_of(server), monkeypatch)
    FakeOsTicket.answers = [(503, "Service Unavailable")]
    osticket_step(office)
    assert office.customer("C00001").contracts[0].osticket_pending
    service = WatchService(office, retry=0.05)
    service.start_thread()
    try:
        assert service.leading.wait(30)
        assert wait_until(lambda: office.customer("C00001").contracts[0].osticket_ticket, 60)
    finally:
        service.stop()
    assert len(FakeOsTicket.requests) == 2


def test_outbox_retries_queued_tickets(
    tmp_path: Path,
    server: ThreadingHTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    office = office_for(tmp_path, url_of(server), monkeypatch)
    FakeOsTicket.answers = [(503, "Service Unavailable")]
    osticket_step(office)
    capsys.readouterr()
    assert main(["--data", str(office.settings.data_dir), "outbox"]) == 0
    assert "C00001 CT-2025-001: ticket 123456 aperto." in capsys.readouterr().out
    assert office.customer("C00001").contracts[0].osticket_ticket == "123456"
