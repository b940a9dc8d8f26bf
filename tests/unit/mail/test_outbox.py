"""The transactional outbox and the SMTP sender against a real aiosmtpd server."""

from __future__ import annotations

import email
from datetime import timedelta
from email import policy

import pytest
from sqlalchemy import func, select

from accord.core.clock import utcnow
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.channels.email import sender
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail
from accord.inbox.channels.email.sender import SmtpConfig, send_due
from accord.inbox.models import Conversation, Direction
from accord.inbox.schemas import MessageCreate
from tests.unit.mail.factory import SUPPORT, mail
from tests.unit.mail.helpers import agent_reply, deliver, header, supervisor
from tests.unit.mail.servers import SmtpSink, free_port
from tests.world import World


def _email_conversation(ingest: Ingestor, subject: str = "My order is late") -> int:
    row = deliver(ingest, mail(subject=subject))
    assert row.conversation_id is not None
    return row.conversation_id


def _outbox_count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count(OutboxMail.id))) or 0)


def test_agent_reply_queues_one_mail_in_the_same_transaction(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv = _email_conversation(ingest)
    row = agent_reply(db, world, conv, "We have shipped a replacement.")
    parsed = email.message_from_string(row.raw, policy=policy.default)
    assert parsed["To"] == "dana@customer.example" and parsed["From"] == SUPPORT
    assert parsed["In-Reply-To"] == "<m1@customer.example>"
    assert parsed["Auto-Submitted"] is None  # a person wrote it
    assert "shipped a replacement" in parsed.get_body().get_content()  # type: ignore[union-attr]
    with pytest.raises(RuntimeError), db.write() as session:  # a rolled-back reply sends nothing
        inbox.add_message(
            session,
            actor=supervisor(world),
            conversation_id=conv,
            data=MessageCreate(text="never sent", direction=Direction.OUTBOUND),
        )
        raise RuntimeError("the transaction fails after the reply")
    assert _outbox_count(db) == 1


def test_replies_on_other_channels_and_notes_queue_nothing(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv = _email_conversation(ingest)
    with db.write() as session:
        for conversation_id, direction in ((world.conv_a, "outbound"), (conv, "note")):
            inbox.add_message(
                session,
                actor=supervisor(world),
                conversation_id=conversation_id,
                data=MessageCreate(text="hello", direction=Direction(direction)),
            )
    assert _outbox_count(db) == 0


def test_user_sourced_header_values_cannot_inject_headers(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv = _email_conversation(ingest)
    with db.write() as session:
        conversation = session.get(Conversation, conv)
        assert conversation is not None
        conversation.subject = "Hi\r\nBcc: victim@evil.example\nX-Evil: 1"
    row = agent_reply(db, world, conv, "ok")
    raw = row.raw
    assert "\nBcc:" not in raw and "\nX-Evil" not in raw
    assert header(raw, "Bcc") == "" and header(raw, "X-Evil") == ""
    assert "Bcc: victim@evil.example X-Evil: 1" in " ".join(header(raw, "Subject").split())


def test_sender_delivers_over_smtp_and_marks_rows_sent(
    ingest: Ingestor, db: Database, world: World, smtp_sink: SmtpSink
) -> None:
    conv = _email_conversation(ingest)
    row = agent_reply(db, world, conv, "On its way.")
    assert send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port)) == {"sent": 1, "failed": 0}
    [got] = smtp_sink.received
    assert got.rcpt_tos == ["dana@customer.example"]
    assert header(got.data, "Message-ID") == row.rfc_message_id
    assert send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port)) == {"sent": 0, "failed": 0}


def test_a_crash_after_the_servers_250_resends_the_identical_mail(
    ingest: Ingestor,
    db: Database,
    world: World,
    smtp_sink: SmtpSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conv = _email_conversation(ingest)
    agent_reply(db, world, conv, "On its way.")

    def crash(_db: Database, _row_id: int) -> None:
        raise SystemExit("killed between 250 and commit")

    monkeypatch.setattr(sender, "mark_sent", crash)
    with pytest.raises(SystemExit):
        send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port))
    monkeypatch.undo()
    later = utcnow() + sender.LEASE + timedelta(seconds=1)  # the crashed worker's lease ran out
    assert send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port), later)["sent"] == 1
    first, second = smtp_sink.received
    assert first.data == second.data  # same bytes, same Message-ID: one mail to the receiver


def test_failures_retry_with_backoff(
    ingest: Ingestor, db: Database, world: World, smtp_sink: SmtpSink
) -> None:
    conv = _email_conversation(ingest)
    row = agent_reply(db, world, conv, "On its way.")
    smtp_sink.reject = True
    assert send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port))["failed"] == 1
    with db.read() as session:
        failed = session.get(OutboxMail, row.id)
        assert failed is not None and failed.attempts == 1 and failed.state == "pending"
        assert "451" in (failed.last_error or "")
        retry_at = failed.next_attempt_at
    assert send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port)) == {"sent": 0, "failed": 0}
    smtp_sink.reject = False
    assert send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port), retry_at)["sent"] == 1


def test_an_unreachable_server_counts_as_a_failed_attempt(
    ingest: Ingestor, db: Database, world: World
) -> None:
    conv = _email_conversation(ingest)
    agent_reply(db, world, conv, "On its way.")
    assert send_due(db, SmtpConfig("127.0.0.1", free_port(), timeout=5))["failed"] == 1
