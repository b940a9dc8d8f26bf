"""What the customer portal and the chat widget show: a customer's own conversations and the
messages they may see (never internal notes, analysis or staff names), read through the same
queries the API uses, so `inbox/access.py` decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.core.principal import Principal
from accord.inbox import queries
from accord.inbox.access import load_conversation, visible_directions
from accord.inbox.channels.webchat import service as webchat
from accord.inbox.models import Conversation, Direction, Message, Status

SUPPORT = "Support team"
PAGE = 50
# A resolved conversation reopens when the customer writes again; only a closed one is over.


@dataclass(frozen=True)
class PortalMessage:
    id: int
    mine: bool
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class PortalConversation:
    id: int
    subject: str
    status: str
    last_message_at: datetime
    open: bool


def summary(row: Conversation) -> PortalConversation:
    return PortalConversation(
        row.id, row.subject, row.status, row.last_message_at, row.status != Status.CLOSED.value
    )


def my_conversations(
    session: Session, actor: Principal, cursor: str | None = None
) -> tuple[list[PortalConversation], str | None]:
    """A page of the customer's conversations, most recent first, and the next page's cursor."""
    rows, after = queries.list_conversations(
        session, actor, sort="-last_message_at", cursor=cursor, limit=PAGE
    )
    return [summary(r) for r in rows], after


def messages(session: Session, actor: Principal, conversation_id: int) -> list[PortalMessage]:
    return [
        PortalMessage(
            m.id,
            m.direction == Direction.INBOUND.value,
            "You" if m.direction == Direction.INBOUND.value else SUPPORT,
            m.text,
            m.created_at,
        )
        for m in queries.list_messages(session, actor, conversation_id)
    ]


def latest_open(session: Session, actor: Principal) -> PortalConversation | None:
    """The conversation the widget continues (the web chat channel decides which)."""
    current = webchat.current_chat(session, actor)
    return summary(current) if current is not None else None


def stamp(session: Session, actor: Principal, conversation_id: int) -> str:
    """Moves when a message the customer may see arrives or the status changes; internal
    activity (notes, analysis, case events) leaves it alone."""
    conversation = load_conversation(session, actor, conversation_id)
    last = session.scalar(
        select(func.max(Message.id)).where(
            Message.conversation_id == conversation.id,
            Message.direction.in_(visible_directions(actor)),
        )
    )
    return f"{conversation.status}:{last or 0}"
