"""The transactional outbox: a mail to send becomes a row in the same transaction as the change
that caused it (an agent reply, an automatic acknowledgement). The mail is rendered once, with a
deterministic Message-ID, and the bytes are kept, so every resend is the identical mail."""

from __future__ import annotations

import logging
import secrets
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.core.clock import utcnow
from accord.core.principal import SYSTEM
from accord.inbox.channels.email import tokens
from accord.inbox.channels.email.config import MailConfig, mail_config
from accord.inbox.channels.email.headers import is_valid_address, neutral
from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.models import (
    Channel,
    Conversation,
    CustomerIdentity,
    Direction,
    IdentityKind,
    Message,
)
from accord.settings import settings_of

log = logging.getLogger("accord.mail")
_RE = ("re:", "aw:", "sv:", "antw:")
AUTO_SUBMITTED = "auto-replied"


def after_message(session: Session, conversation: Conversation, message: Message) -> None:
    """Inbox hook: an agent's reply on an email conversation is queued for sending in the same
    transaction. Not caught here: a reply that cannot be queued must not look sent."""
    if conversation.channel != Channel.EMAIL.value or message.direction != Direction.OUTBOUND:
        return
    recipient = customer_address(session, conversation.customer_id)
    if recipient is None:
        record(
            session,
            actor=SYSTEM,
            kind="mail.no_recipient",
            conversation_id=conversation.id,
            data={"message_id": message.id},
        )
        return
    enqueue(
        session,
        mail_config(settings_of(session)),
        conversation,
        recipient,
        message.text,
        message=message,
    )


def customer_address(session: Session, customer_id: int) -> str | None:
    return session.scalar(
        select(CustomerIdentity.value)
        .where(
            CustomerIdentity.customer_id == customer_id,
            CustomerIdentity.kind == IdentityKind.EMAIL.value,
        )
        .order_by(CustomerIdentity.id)
        .limit(1)
    )


def enqueue(
    session: Session,
    config: MailConfig,
    conversation: Conversation,
    recipient: str,
    body: str,
    *,
    message: Message | None = None,
    automatic: bool = False,
) -> OutboxMail:
    if not is_valid_address(recipient):
        raise ValueError(f"not a deliverable address: {recipient!r}")
    now = utcnow()
    row = OutboxMail(
        conversation_id=conversation.id,
        message_id=message.id if message else None,
        rfc_message_id=f"unset-{secrets.token_hex(16)}",  # replaced once the id is known
        recipient=recipient,
        sender=config.address,
        automatic=automatic,
        raw="",
        state="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(row)
    session.flush()  # the id makes the Message-ID
    key = config.key(session)
    row.rfc_message_id = tokens.outbound_message_id(key, conversation.id, row.id, config.domain)
    row.raw = render(session, config, key, conversation, row, body)
    session.flush()
    return row


def render(
    session: Session,
    config: MailConfig,
    key: bytes,
    conversation: Conversation,
    row: OutboxMail,
    body: str,
) -> str:
    mail = EmailMessage()
    mail["From"] = config.address
    mail["To"] = neutral(row.recipient, 320)
    mail["Subject"] = _subject(conversation.subject, tokens.subject_tag(key, conversation.id))
    mail["Date"] = format_datetime(row.created_at)
    mail["Message-ID"] = row.rfc_message_id
    earlier = _thread_ids(session, conversation.id, row.id, row.recipient)
    if earlier:
        mail["In-Reply-To"] = earlier[-1]
        mail["References"] = " ".join(earlier)
    if row.automatic:
        mail["Auto-Submitted"] = AUTO_SUBMITTED
        mail["X-Auto-Response-Suppress"] = "All"
    mail.set_content(body, cte="quoted-printable")
    return mail.as_bytes(policy=SMTP).decode("ascii")


def _subject(subject: str, tag: str) -> str:
    clean = neutral(subject, 200)
    prefixed = clean if clean.lower().startswith(_RE) else f"Re: {clean}"
    return f"{prefixed} {tag}"


def _thread_ids(
    session: Session, conversation_id: int, before_outbox: int, recipient: str
) -> list[str]:
    """Message-IDs of the thread so far (inbound and ours), oldest first, last ten."""
    inbound = session.execute(
        select(RawMail.processed_at, RawMail.rfc_message_id).where(
            RawMail.conversation_id == conversation_id, RawMail.rfc_message_id.is_not(None)
        )
    ).all()
    ours = session.execute(
        select(OutboxMail.created_at, OutboxMail.rfc_message_id).where(
            OutboxMail.conversation_id == conversation_id,
            OutboxMail.id < before_outbox,
            # Only mail to this recipient: staff alerts about the case are not its thread.
            OutboxMail.recipient == recipient,
        )
    ).all()
    timed = [(at, f"<{neutral(mid or '', 500)}>") for at, mid in inbound if at is not None]
    timed += [(at, mid) for at, mid in ours]
    return [mid for _, mid in sorted(timed)][-10:]
