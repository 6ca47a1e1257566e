"""Inbox benchmark: replies to the forms mailing, each carrying the privacy notice back,
read from a real IMAP server (Dovecot on 127.0.0.1) by ``Inbox.run_once``: parsed, tied
to the mailing, the attachment staged, moved into the intake, filed by its QR code, the
message kept as .eml and moved to the processed folder.

Baseline: the irreducible part, the same number of messages fetched and moved to the
processed folder over the same connection code, nothing else done with them. The ratio
(baseline ÷ ours) says how much of the time is the mailbox itself. Medians of --runs, each
run on fresh messages.

    .venv/bin/python bench/inbox.py [--messages 20] [--runs 3]
"""

import argparse
import dataclasses
import statistics
import sys
import tempfile
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procedure.config.config_file import prepare_data_folder
from procedure.demo import load_demo
from procedure.mail.imap import mailbox
from procedure.office import Office
from tests.conftest import admin_settings
from tests.integration.imap_server import PASSWORD, Dovecot, Mailbox
from tests.integration.replies import attachment, reply


def office_reading(data: Path, box: Mailbox) -> Office:
    prepare_data_folder(data)
    secret = data / "segreti" / "casella.txt"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(PASSWORD)
    secret.chmod(0o600)
    admin_settings(data, f'{box.settings()}password_file = "casella.txt"\n')
    office = Office.open(data, user="bench")
    load_demo(office)
    return office


def deliver(box: Mailbox, sent: EmailMessage, privacy: bytes, count: int, run: int) -> None:
    for n in range(count):
        data = privacy + f"%{run}-{n}\n".encode()  # each reply a file of its own
        box.deliver(reply(sent, {f"informativa {n}.pdf": data}, "amm@gammaprova.example"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    server = Dovecot()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            ours_box = Mailbox(server, server.new_user())
            office = office_reading(Path(tmp) / "data", ours_box)
            result = office.mail.send_bundle("C00003", "forms")  # no [smtp]: into outbox/
            sent = message_from_bytes(Path(result.mailing.eml).read_bytes(), policy=policy.default)
            assert isinstance(sent, EmailMessage)
            privacy = attachment(sent, "Informativa", ".pdf")
            ours, base = [], []
            for run in range(args.runs):
                deliver(ours_box, sent, privacy, args.messages, run)
                start = time.perf_counter()
                done = office.inbox.run_once()
                ours.append((time.perf_counter() - start) / args.messages)
                assert done.replies == args.messages and done.filed == args.messages, done
                base_box = Mailbox(server, server.new_user())
                deliver(base_box, sent, privacy, args.messages, run)
                settings = office.settings.imap
                assert settings is not None
                settings = dataclasses.replace(settings, user=base_box.user)
                start = time.perf_counter()
                with mailbox(settings) as box:
                    for uid in box.uids(0):
                        box.fetch(uid)
                        box.move(uid, settings.done_folder)
                base.append((time.perf_counter() - start) / args.messages)
    finally:
        server.stop()
    b, o = statistics.median(base), statistics.median(ours)
    n = args.messages
    print(f"{n} replies, one form each, fetched and moved only: {b * 1000:.1f} ms per message")
    print(f"{n} replies read, filed by QR code, kept, moved: {o * 1000:.1f} ms per message")
    print(f"ratio: {b / o:.2f}")


if __name__ == "__main__":
    main()
