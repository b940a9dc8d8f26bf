"""A parsed mail becomes a message: find or create the customer, thread it, keep the html and
attachments, mark the ledger row, and acknowledge it when that is safe."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.core.clock import utcnow
from accord.core.principal import SYSTEM
from accord.core.text import clean_text
from accord.inbox import service as inbox
from accord.inbox.channels.email import bounces, loops, outbox, threads
from accord.inbox.channels.email.bounces import Bounce
from accord.inbox.channels.email.config import MailConfig
from accord.inbox.channels.email.models import OutboxState, RawMail, RawState
from accord.inbox.channels.email.parse import ParsedMail
from accord.inbox.channels.email.store import MailStore
from accord.inbox.models import (
    Conversation,
    Customer,
    CustomerIdentity,
    Direction,
    IdentityKind,
    Message,
    Status,
)
from accord.inbox.schemas import MAX_TEXT, CustomerCreate, MessageContent, MessageCreate

ACK_TEXT = (
    "We have received your message and will answer as soon as we can. "
    "Reply to this mail to add to your request."
)


def deliver_mail(
    session: Session,
    config: MailConfig,
    store: MailStore,
    row: RawMail,
    parsed: ParsedMail,
    *,
    keys: Sequence[bytes],
) -> str:
    """Store a parsed mail as a message. `keys` are the reply-token keys that verify (the
    ingest worker reads them once per group of mails, not once per mail)."""
    assert row.dedupe_key is not None
    existing = session.scalars(select(Message).where(Message.external_id == row.dedupe_key)).first()
    if existing is not None:
        return _mark(row, RawState.DUPLICATE, existing)
    if parsed.bounce is not None and (note := _note_bounce(session, row, parsed.bounce)):
        return _mark(row, RawState.PROCESSED, note)
    customer = customer_for(session, parsed)
    match = threads.find_thread(session, keys, parsed)
    said = clean_text(parsed.new_text or parsed.text or parsed.subject or "").strip()
    text = said[:MAX_TEXT] or "(empty message)"  # a mail of control characters only still lands
    # Bounces, autoresponders and list mail still arrive, but marked, so queues can skip them.
    automatic = loops.automatic_reason(parsed, config) is not None
    content = MessageContent(html=parsed.html, attachments=_store_attachments(store, parsed))
    conversation, message, opened = threads.deliver(
        session,
        match,
        customer,
        parsed,
        text,
        row.dedupe_key,
        extra_tags=(threads.AUTOMATIC_TAG,) if automatic else (),
        content=content,
    )
    _mark(row, RawState.PROCESSED, message)
    if opened:
        _maybe_acknowledge(session, config, conversation, parsed)
    return row.state


def customer_for(session: Session, parsed: ParsedMail) -> Customer:
    found = session.scalar(
        select(Customer)
        .join(CustomerIdentity, CustomerIdentity.customer_id == Customer.id)
        .where(
            CustomerIdentity.kind == IdentityKind.EMAIL.value,
            CustomerIdentity.value == parsed.sender,
        )
    )
    if found is not None:
        return found
    name = parsed.sender_name.strip() or parsed.sender
    return inbox.create_customer(
        session, actor=SYSTEM, data=CustomerCreate(name=name[:200], email=parsed.sender)
    )


def _store_attachments(store: MailStore, parsed: ParsedMail) -> tuple[dict[str, Any], ...]:
    kept: list[dict[str, Any]] = [
        {
            "id": store.put_attachment(a.data),
            "filename": a.filename,
            "content_type": a.content_type,
            "size": len(a.data),
        }
        for a in parsed.attachments
    ]
    return (*kept, *({"dropped": True, **d} for d in parsed.dropped))


def _note_bounce(session: Session, row: RawMail, bounce: Bounce) -> Message | None:
    """A report that one of our mails never arrived: the outbox row becomes `bounced` and its
    conversation gets an internal note (returned). None when the report is about a mail we did
    not send, or the conversation is closed: then it arrives like any other automatic mail."""
    sent = threads.our_mail(session, list(bounce.original_ids))
    if sent is None:
        return None
    report = bounces.describe(bounce)
    sent.state, sent.last_error = OutboxState.BOUNCED.value, report[-500:]
    record(
        session,
        actor=SYSTEM,
        kind="mail.bounced",
        conversation_id=sent.conversation_id,
        data={"outbox_id": sent.id, "failed": [list(f) for f in bounce.failed]},
    )
    conversation = session.get(Conversation, sent.conversation_id)
    if conversation is None or conversation.status == Status.CLOSED.value:
        return None
    if not _to_the_customer(session, conversation, sent.recipient):
        return None  # a staff alert about the conversation bounced: not the customer's mail
    assert row.dedupe_key is not None
    data = MessageCreate(text=report, external_id=row.dedupe_key, direction=Direction.NOTE)
    note, _ = inbox.add_message(session, actor=SYSTEM, conversation_id=conversation.id, data=data)
    return note


def _to_the_customer(session: Session, conversation: Conversation, recipient: str) -> bool:
    found = session.scalar(
        select(CustomerIdentity.customer_id).where(
            CustomerIdentity.kind == IdentityKind.EMAIL.value,
            CustomerIdentity.value == recipient.lower(),
        )
    )
    return found == conversation.customer_id


def _mark(row: RawMail, state: RawState, message: Message) -> str:
    row.state, row.processed_at = state.value, utcnow()
    row.message_id, row.conversation_id = message.id, message.conversation_id
    return row.state


def _maybe_acknowledge(
    session: Session, config: MailConfig, conversation: Conversation, parsed: ParsedMail
) -> None:
    if not config.auto_ack:
        return
    reason = loops.automatic_reason(parsed, config)
    if reason is None and not loops.within_rate_limit(session, config, parsed.sender, utcnow()):
        reason = "rate limit for automatic mail reached"
    if reason is not None:
        record(
            session,
            actor=SYSTEM,
            kind="mail.auto_reply_suppressed",
            conversation_id=conversation.id,
            data={"reason": reason},
        )
        return
    outbox.enqueue(session, config, conversation, parsed.sender, ACK_TEXT, automatic=True)
