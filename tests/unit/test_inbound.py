"""Reading what comes into the mailbox: hostile input, read within bounds."""

from email.message import EmailMessage

from procedure.enums import ReceiptKind
from procedure.mail.inbound import MAX_ATTACHMENTS, our_code, read

OURS = "<174000000000.123.456789.C00003@deltatest.example>"


def message(**headers: str) -> EmailMessage:
    m = EmailMessage()
    for name, value in headers.items():
        m[name.replace("_", "-")] = value
    m.set_content("testo")
    return m


def test_our_message_ids_name_the_customer() -> None:
    assert our_code(OURS) == "C00003"
    assert our_code("<abc@gmail.com>") == ""
    assert our_code("<1.2.x.C00003@deltatest.example>") == ""


def test_a_reply_names_what_it_answers_and_its_attachments_keep_only_their_name() -> None:
    m = message(From="a@b.example", Message_ID="<r1@b.example>", In_Reply_To=OURS)
    m.add_attachment(b"%PDF-1.4", maintype="application", subtype="pdf",
                     filename="../../etc/cron.d/x.pdf")  # fmt: skip
    m.add_attachment(b"MZ", maintype="application", subtype="octet-stream", filename="a.exe")
    got = read(m.as_bytes())
    assert got.answers == (OURS,) and got.key == "<r1@b.example>"
    assert [a.name for a in got.attachments] == ["x.pdf"]
    assert got.left_out == ("a.exe: tipo di file non accettato",)


def test_attachments_beyond_the_bound_are_left_out_and_said() -> None:
    m = message(From="a@b.example", In_Reply_To=OURS)
    for n in range(MAX_ATTACHMENTS + 3):
        m.add_attachment(b"%PDF", maintype="application", subtype="pdf", filename=f"{n}.pdf")
    got = read(m.as_bytes())
    assert len(got.attachments) == MAX_ATTACHMENTS and len(got.left_out) == 3
    assert got.key.startswith("sha256:")  # no Message-ID: the bytes name it


def test_a_delay_notice_is_not_a_bounce_and_a_quoting_bounce_is() -> None:
    delayed = (
        "From: MAILER-DAEMON@mx.example\r\nSubject: Delayed Mail\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; a@b.example\r\nAction: delayed\r\nStatus: 4.4.1\r\n"
        f"\r\n--B\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {OURS}\r\n\r\n--B--\r\n"
    )
    assert read(delayed.encode()).notice is None
    quoting = message(From="postmaster@mx.example", Subject="Mail delivery failed")
    quoting.set_content(f"550 5.1.1 <a@b.example>: utente sconosciuto\nMessage-ID: {OURS}\n")
    notice = read(quoting.as_bytes()).notice
    assert notice is not None and notice.kind == ReceiptKind.BOUNCE
    assert OURS in notice.original and notice.detail.startswith("550 5.1.1")


def test_a_receipt_whose_certified_data_disagree_or_carry_a_dtd_is_not_trusted() -> None:
    def receipt(xml: str) -> EmailMessage:
        m = message(X_Ricevuta="avvenuta-consegna", X_Riferimento_Message_ID=OURS)
        m.add_attachment(xml.encode(), maintype="application", subtype="xml",
                         filename="daticert.xml")  # fmt: skip
        return m

    lying = receipt('<postacert tipo="errore-consegna" errore="no-dest"><dati/></postacert>')
    assert read(lying.as_bytes()).notice is None
    bomb = receipt(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>'
        '<postacert tipo="avvenuta-consegna"><dati><consegna>&b;</consegna></dati></postacert>'
    )
    notice = read(bomb.as_bytes()).notice
    assert notice is not None and notice.detail == "" and notice.at is None  # header only
    good = receipt(
        '<postacert tipo="avvenuta-consegna" errore="nessuno"><dati><data zona="+0100">'
        "<giorno>04/12/2026</giorno><ora>10:32:05</ora></data>"
        "<consegna>x@pec.example</consegna></dati></postacert>"
    )
    notice = read(good.as_bytes()).notice
    assert notice is not None and notice.detail == "x@pec.example"
    assert notice.at is not None and notice.at.isoformat() == "2026-12-04T10:32:05+01:00"


def test_a_reply_by_pec_is_read_inside_the_providers_envelope() -> None:
    inner = message(From="alfatest@pec.example", Message_ID="<r2@pec.example>", In_Reply_To=OURS)
    inner.add_attachment(b"%PDF-1.4 firmato", maintype="application", subtype="pdf",
                         filename="contratto firmato.pdf")  # fmt: skip
    envelope = message(
        From="Per conto di: alfatest@pec.example <posta-certificata@pec.example>",
        Message_ID="<opec.1@pec.example>",
        X_Trasporto="posta-certificata",
    )
    envelope.add_attachment(b"<postacert tipo='posta-certificata'/>", maintype="application",
                            subtype="xml", filename="daticert.xml")  # fmt: skip
    envelope.add_attachment(inner)
    got = read(envelope.as_bytes())
    assert got.notice is None and got.answers == (OURS,)
    assert got.key == "<opec.1@pec.example>" and got.sender == "alfatest@pec.example"
    assert [a.name for a in got.attachments] == ["contratto firmato.pdf"]
