"""What belongs to one customer, as subqueries both the export and the erasure use.

A customer's rows are their record and identities, their access tokens, their conversations and
everything hanging off those (tags, messages, analyses, case and case events, audit events,
webhook notifications, mail in and out), any message they wrote elsewhere, mail from their
addresses that never reached a conversation (quarantined), and audit events about them. All of
it is found by foreign key or by one of their addresses, never by the text of a message.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session

from accord.inbox.channels.email.models import OutboxMail, RawMail
from accord.inbox.models import Conversation, CustomerIdentity, IdentityKind, Message


def conversation_ids(customer_id: int) -> Select[int]:
    return select(Conversation.id).where(Conversation.customer_id == customer_id)


def messages(customer_id: int) -> ColumnElement[bool]:
    """Messages of their conversations (their own, the agents' replies, internal notes about
    them) and any message they wrote elsewhere."""
    return or_(
        Message.conversation_id.in_(conversation_ids(customer_id)),
        Message.author_customer_id == customer_id,
    )


def message_ids(customer_id: int) -> Select[int]:
    return select(Message.id).where(messages(customer_id))


def stored_attachments(attachments: Iterable[Any] | None) -> Iterator[dict[str, Any]]:
    """A message's attachment metadata whose bytes were stored: one dropped at ingest (too
    large, too many) has no id."""
    for meta in attachments or []:
        if isinstance(meta, dict) and meta.get("id"):
            yield meta


def addresses(session: Session, customer_id: int) -> list[str]:
    """Their e-mail addresses, lower-cased as identities are stored."""
    return sorted(
        session.scalars(
            select(CustomerIdentity.value).where(
                CustomerIdentity.customer_id == customer_id,
                CustomerIdentity.kind == IdentityKind.EMAIL.value,
            )
        )
    )


def raw_mail(customer_id: int, emails: Sequence[str]) -> ColumnElement[bool]:
    """Inbound mail that became their messages, or came from one of their addresses."""
    return or_(
        RawMail.conversation_id.in_(conversation_ids(customer_id)),
        RawMail.message_id.in_(message_ids(customer_id)),
        func.lower(RawMail.sender).in_(list(emails)),
    )


def outbox_to_them(customer_id: int, emails: Sequence[str]) -> ColumnElement[bool]:
    """Outbound mail to them: replies to their messages and automatic mail to their addresses
    (not the staff alerts about their conversations, which go to supervisors)."""
    return or_(
        OutboxMail.message_id.in_(message_ids(customer_id)),
        func.lower(OutboxMail.recipient).in_(list(emails)),
    )


def outbox_about_them(customer_id: int, emails: Sequence[str]) -> ColumnElement[bool]:
    """Everything the erasure removes from the outbox: mail to them and staff alerts about
    their conversations (an alert quotes the conversation's subject)."""
    return or_(
        OutboxMail.conversation_id.in_(conversation_ids(customer_id)),
        outbox_to_them(customer_id, emails),
    )
