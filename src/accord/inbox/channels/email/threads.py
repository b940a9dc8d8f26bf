"""Which conversation an inbound mail belongs to, and whether its sender may join it.

Evidence in order of strength: a signed token in In-Reply-To/References (our Message-IDs carry
one), then a plain match of those ids against Message-IDs we know, then a signed subject tag.
A match is only trusted for the conversation's own customer: anyone else opens a new
conversation flagged for review, so a forged "reply" can never speak as the customer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.core.principal import SYSTEM
from accord.inbox import service as inbox
from accord.inbox.channels.email import tokens
from accord.inbox.channels.email.models import OutboxMail
from accord.inbox.channels.email.parse import ParsedMail
from accord.inbox.models import Channel, Conversation, Customer, Direction, Message, Status
from accord.inbox.schemas import ConversationCreate, MessageContent, MessageCreate, MessageIn

REVIEW_TAG = "mail:unverified-sender"
AUTOMATIC_TAG = "mail:automatic"


@dataclass(frozen=True)
class ThreadMatch:
    conversation_id: int | None
    how: str


def find_thread(session: Session, keys: Sequence[bytes], parsed: ParsedMail) -> ThreadMatch:
    """`keys`: the reply-token keys that verify (the signing key first)."""
    for ref in reversed(parsed.references):
        found = tokens.verified_conversation(keys, ref)
        if found is not None and session.get(Conversation, found) is not None:
            return ThreadMatch(found, "token")
    known = _known_message_ids(session, parsed.references)
    if known is not None:
        return ThreadMatch(known, "message-id")
    found = tokens.verified_conversation(keys, parsed.subject)
    if found is not None and session.get(Conversation, found) is not None:
        return ThreadMatch(found, "subject")
    return ThreadMatch(None, "new")


def our_mail(session: Session, message_ids: list[str]) -> OutboxMail | None:
    """The newest mail we sent under one of these Message-IDs (given without angle brackets)."""
    if not message_ids:
        return None
    return session.scalars(
        select(OutboxMail)
        .where(OutboxMail.rfc_message_id.in_([f"<{i}>" for i in message_ids]))
        .order_by(OutboxMail.id.desc())
        .limit(1)
    ).first()


def _known_message_ids(session: Session, refs: list[str]) -> int | None:
    if not refs:
        return None
    ours = our_mail(session, refs)
    if ours is not None:
        return ours.conversation_id
    theirs = session.scalar(
        select(Message.conversation_id)
        .where(Message.external_id.in_([f"mail:{r}" for r in refs]))
        .order_by(Message.id.desc())
        .limit(1)
    )
    return None if theirs is None else int(theirs)


def deliver(
    session: Session,
    match: ThreadMatch,
    customer: Customer,
    parsed: ParsedMail,
    text: str,
    external_id: str,
    extra_tags: tuple[str, ...] = (),
    content: MessageContent | None = None,
) -> tuple[Conversation, Message, bool]:
    """Store the mail as a message (with its html and attachments, ``content``); returns
    (conversation, message, opened a new one)."""
    target = session.get(Conversation, match.conversation_id) if match.conversation_id else None
    participant = target is not None and target.customer_id == customer.id
    if participant and target is not None and target.status != Status.CLOSED.value:
        data = MessageCreate(text=text, external_id=external_id, direction=Direction.INBOUND)
        message, _ = inbox.add_message(
            session, actor=SYSTEM, conversation_id=target.id, data=data, content=content
        )
        return target, message, False
    spoofed = target is not None and target.customer_id != customer.id
    conversation, _ = inbox.create_conversation(
        session,
        actor=SYSTEM,
        data=ConversationCreate(
            subject=parsed.subject or "(no subject)",
            customer_id=customer.id,
            channel=Channel.EMAIL,
            tags=[*([REVIEW_TAG] if spoofed else []), *extra_tags],
            message=MessageIn(text=text, external_id=external_id),
        ),
        content=content,
    )
    if spoofed:
        assert target is not None
        record(
            session,
            actor=SYSTEM,
            kind="mail.sender_not_participant",
            conversation_id=conversation.id,
            data={"claimed_conversation_id": target.id, "sender": parsed.sender, "by": match.how},
        )
    return conversation, conversation.messages[-1], True
