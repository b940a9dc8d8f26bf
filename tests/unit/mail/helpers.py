"""Steps shared by the threading, outbox and loop tests."""

from __future__ import annotations

import email
from email import policy

from sqlalchemy import select

from accord.core.principal import Principal, Role
from accord.db.engine import Database
from accord.inbox import service as inbox
from accord.inbox.channels.email.ingest import Ingestor
from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.models import Direction
from accord.inbox.schemas import MessageCreate
from tests.world import World


def deliver(ingest: Ingestor, raw: bytes) -> RawMail:
    raw_id = ingest.receive(raw, "test")
    ingest.process(raw_id)
    with ingest.db.read() as session:
        row = session.get(RawMail, raw_id)
        assert row is not None
        return row


def supervisor(world: World) -> Principal:
    return Principal(kind="staff", user_id=world.users["supervisor"], role=Role.SUPERVISOR)


def agent_reply(db: Database, world: World, conversation_id: int, text: str) -> OutboxMail:
    with db.write() as session:
        message, _ = inbox.add_message(
            session,
            actor=supervisor(world),
            conversation_id=conversation_id,
            data=MessageCreate(text=text, direction=Direction.OUTBOUND),
        )
        row = session.scalars(select(OutboxMail).where(OutboxMail.message_id == message.id)).one()
        session.expunge(row)
        return row


def header(raw: str | bytes, name: str) -> str:
    data = raw.encode() if isinstance(raw, str) else raw
    return str(email.message_from_bytes(data, policy=policy.compat32)[name] or "")
