"""Loop protection (RFC 3834): no automatic mail to automatic mail, lists, bounces, reports or
ourselves; ours carries Auto-Submitted; a per-recipient rate limit."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from accord.db.engine import Database
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail
from accord.inbox.channels.email.threads import AUTOMATIC_TAG
from accord.inbox.models import Conversation
from tests.unit.mail.factory import SUPPORT, mail
from tests.unit.mail.helpers import deliver, header

REPORT = (
    b"From: mailer-daemon@relay.example\r\nTo: support@accord.example\r\nSubject: failure\r\n"
    b"Message-ID: <dsn@relay.example>\r\nMIME-Version: 1.0\r\n"
    b'Content-Type: multipart/report; report-type=delivery-status; boundary="r"\r\n\r\n'
    b"--r\r\nContent-Type: text/plain\r\n\r\nUndeliverable\r\n--r--\r\n"
)
AUTOMATIC = {
    "auto-replied": mail(extra={"Auto-Submitted": "auto-replied"}),
    "auto-generated": mail(extra={"Auto-Submitted": "auto-generated; owner-email=x@y.example"}),
    "precedence bulk": mail(extra={"Precedence": "bulk"}),
    "precedence junk": mail(extra={"Precedence": "junk"}),
    "precedence list": mail(extra={"Precedence": "list"}),
    "list-id": mail(extra={"List-Id": "<news.lists.example>"}),
    "x-auto-response-suppress": mail(extra={"X-Auto-Response-Suppress": "All"}),
    "empty return-path": mail(extra={"Return-Path": "<>"}),
    "dsn": REPORT,
    "mdn": REPORT.replace(b"delivery-status", b"disposition-notification"),
    "our own address": mail(sender=f"Support <{SUPPORT}>"),
}


@pytest.fixture
def acking(ingest: Ingestor) -> Ingestor:
    return replace(ingest, config=replace(ingest.config, auto_ack=True))


def _auto_mails(db: Database) -> list[OutboxMail]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMail).where(OutboxMail.automatic.is_(True))))


def test_ordinary_mail_is_acknowledged_with_auto_submitted(acking: Ingestor, db: Database) -> None:
    deliver(acking, mail())
    [ack] = _auto_mails(db)
    assert header(ack.raw, "Auto-Submitted") == "auto-replied"
    assert ack.recipient == "dana@customer.example"


@pytest.mark.parametrize("kind", sorted(AUTOMATIC))
def test_no_automatic_reply_to_automatic_mail(acking: Ingestor, db: Database, kind: str) -> None:
    row = deliver(acking, AUTOMATIC[kind])
    assert row.state == "processed", row.reason
    assert _auto_mails(db) == []
    with db.read() as session:
        conversation = session.get(Conversation, row.conversation_id)
        assert conversation is not None and AUTOMATIC_TAG in conversation.tags


def test_auto_submitted_no_is_a_person(acking: Ingestor, db: Database) -> None:
    deliver(acking, mail(extra={"Auto-Submitted": "no"}))
    assert len(_auto_mails(db)) == 1


def test_per_recipient_rate_limit(acking: Ingestor, db: Database) -> None:
    for n in range(6):
        deliver(acking, mail(message_id=f"<rate{n}@customer.example>", subject=f"Issue {n}"))
    assert len(_auto_mails(db)) == acking.config.auto_replies_per_hour


def test_an_autoresponder_ping_pong_ends_at_once(acking: Ingestor, db: Database) -> None:
    """Their autoresponder answers our acknowledgement: we must not answer again."""
    deliver(acking, mail())
    [ack] = _auto_mails(db)
    bounce_back = mail(
        message_id="<vacation@customer.example>",
        subject="Out of office",
        extra={"Auto-Submitted": "auto-replied", "In-Reply-To": ack.rfc_message_id},
    )
    deliver(acking, bounce_back)
    assert len(_auto_mails(db)) == 1
