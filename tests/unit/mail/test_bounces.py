"""Delivery reports (RFC 3464) about our own replies reach the agent as a note, not as a new
conversation from MAILER-DAEMON."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from accord.db.engine import Database
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.channels.email.threads import AUTOMATIC_TAG
from accord.inbox.models import Conversation, Direction, Message
from tests.unit.mail.factory import SUPPORT, mail
from tests.unit.mail.helpers import agent_reply, deliver
from tests.world import World


def dsn(original_id: str, *, action: str = "failed", returned: str = "message") -> bytes:
    """A delivery status notification as Postfix writes one."""
    original = (
        f"From: {SUPPORT}\r\nTo: dana@customer.example\r\nSubject: Re: My order is late\r\n"
        f"Message-ID: {original_id}\r\n"
    )
    if returned == "message":
        returned_part = f"Content-Type: message/rfc822\r\n\r\n{original}\r\nWe have shipped it.\r\n"
    else:
        returned_part = f"Content-Type: text/rfc822-headers\r\n\r\n{original}"
    return (
        "From: MAILER-DAEMON@mx.customer.example (Mail Delivery System)\r\n"
        f"To: {SUPPORT}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Message-ID: <bounce.1@mx.customer.example>\r\nAuto-Submitted: auto-replied\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.customer.example\r\n\r\n"
        "Final-Recipient: rfc822; dana@customer.example\r\n"
        f"Action: {action}\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 <dana@customer.example>: user unknown\r\n\r\n"
        f"--B\r\n{returned_part}\r\n--B--\r\n"
    ).encode()


def _answered(ingest: Ingestor, db: Database, world: World) -> tuple[RawMail, OutboxMail]:
    """A customer's mail and the agent's reply to it, sent through the outbox."""
    opened = deliver(ingest, mail())
    assert opened.conversation_id is not None
    return opened, agent_reply(db, world, opened.conversation_id, "We have shipped it.")


def _conversations(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(Conversation.id))) or 0)


@pytest.mark.parametrize("returned", ["message", "headers"])
def test_a_bounced_reply_becomes_a_note_and_marks_the_outbox_row(
    ingest: Ingestor, db: Database, world: World, returned: str
) -> None:
    opened, sent = _answered(ingest, db, world)
    before = _conversations(db)

    row = deliver(ingest, dsn(sent.rfc_message_id, returned=returned))

    assert row.state == "processed" and row.conversation_id == opened.conversation_id
    assert _conversations(db) == before  # no conversation from MAILER-DAEMON
    with db.read() as session:
        note = session.get(Message, row.message_id)
        outbox = session.get(OutboxMail, sent.id)
        assert note is not None and outbox is not None
        assert note.direction == Direction.NOTE.value
        assert "dana@customer.example: 5.1.1" in note.text and "user unknown" in note.text
        assert outbox.state == "bounced" and "user unknown" in (outbox.last_error or "")
    again = deliver(ingest, dsn(sent.rfc_message_id, returned=returned) + b"\r\n")
    assert again.state == "duplicate"  # same Message-ID: no second note


def test_a_delay_warning_or_a_report_about_someone_elses_mail_is_ordinary_automatic_mail(
    ingest: Ingestor, db: Database, world: World
) -> None:
    opened, sent = _answered(ingest, db, world)

    delayed = deliver(ingest, dsn(sent.rfc_message_id, action="delayed"))
    with db.read() as session:
        outbox = session.get(OutboxMail, sent.id)
        assert outbox is not None and outbox.state == sent.state  # only delayed: not lost
        conversation = session.get(Conversation, delayed.conversation_id)
        assert conversation is not None and AUTOMATIC_TAG in conversation.tags
        assert conversation.id != opened.conversation_id

    stranger = dsn("<not-ours@elsewhere.example>").replace(b"bounce.1@", b"bounce.2@")
    other = deliver(ingest, stranger)
    assert other.state == "processed" and other.conversation_id not in (
        opened.conversation_id,
        None,
    )


def test_a_bounced_staff_alert_marks_its_row_but_adds_no_customer_note(
    ingest: Ingestor, db: Database, world: World
) -> None:
    opened, sent = _answered(ingest, db, world)
    with db.write() as session:  # the same row as an alert to a supervisor would be
        row = session.get(OutboxMail, sent.id)
        assert row is not None
        row.recipient = "supervisor@accord.example"

    report = deliver(ingest, dsn(sent.rfc_message_id))

    with db.read() as session:
        outbox = session.get(OutboxMail, sent.id)
        assert outbox is not None and outbox.state == "bounced"
        notes = session.scalars(
            select(Message).where(
                Message.conversation_id == opened.conversation_id,
                Message.direction == Direction.NOTE.value,
            )
        ).all()
        assert notes == []
    assert report.conversation_id != opened.conversation_id
