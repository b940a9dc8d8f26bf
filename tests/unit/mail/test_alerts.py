"""Escalations reach the supervisors by email through the outbox, outside the customer's thread."""

from __future__ import annotations

import email
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import select

from accord.db.engine import Database
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail
from accord.inbox.channels.email.sender import SmtpConfig, send_due
from accord.inbox.channels.email.store import MailStore
from tests.unit.mail.factory import mail
from tests.unit.mail.helpers import agent_reply, deliver
from tests.unit.mail.servers import SmtpSink
from tests.world import World

FURIOUS = (
    "This is the third time I write. You charged me twice and nobody answers. "
    "I want to speak to a manager today or I will take this to my lawyer."
)


@pytest.fixture
def sending(db: Database) -> Database:
    """The test's database, its sessions configured to send mail (ACCORD_MAIL_SMTP_HOST)."""
    return db.with_settings(db.settings.model_copy(update={"mail_smtp_host": "127.0.0.1"}))


def _rows(db: Database) -> list[OutboxMail]:
    with db.read() as session:
        rows = list(session.scalars(select(OutboxMail).order_by(OutboxMail.id)))
        session.expunge_all()
        return rows


def test_an_escalation_emails_the_supervisor_and_stays_out_of_the_thread(
    sending: Database, tmp_path: Path, config: MailConfig, world: World, smtp_sink: SmtpSink
) -> None:
    db, ingest = sending, Ingestor(sending, MailStore(tmp_path / "data"), config)
    raw = deliver(ingest, mail(subject="Charged twice", body=FURIOUS))
    assert raw.conversation_id is not None
    alerts = [r for r in _rows(db) if r.recipient == world.emails["supervisor"]]
    assert alerts, "the escalation rules fired but no supervisor was emailed"
    parsed = email.message_from_string(alerts[0].raw, policy=policy.default)
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert "conversation.escalated" in parsed["Subject"]
    assert f"#{raw.conversation_id}" in parsed["Subject"]

    reply = agent_reply(db, world, raw.conversation_id, "I am sorry, a supervisor will call you.")
    customer_mail = email.message_from_string(reply.raw, policy=policy.default)
    assert all(a.rfc_message_id not in (customer_mail["References"] or "") for a in alerts)

    sent = send_due(db, SmtpConfig("127.0.0.1", smtp_sink.port))
    assert sent["failed"] == 0 and sent["sent"] == len(alerts) + 1
    assert any(world.emails["supervisor"] in r.rcpt_tos for r in smtp_sink.received)


def test_without_smtp_escalations_send_webhooks_only(
    ingest: Ingestor, db: Database, world: World
) -> None:
    deliver(ingest, mail(subject="Charged twice", body=FURIOUS))
    assert not [r for r in _rows(db) if r.recipient == world.emails["supervisor"]]
