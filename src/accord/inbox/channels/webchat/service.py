"""What a chat message does: the widget continues the customer's latest conversation that is
not closed, or opens one with the message; an anonymous visitor first becomes a customer of
their own (:mod:`.visitors`)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from accord.core.principal import SYSTEM, Principal
from accord.inbox import queries
from accord.inbox import service as inbox_service
from accord.inbox.channels.webchat import visitors
from accord.inbox.models import Conversation
from accord.inbox.queries import ConversationFilter
from accord.inbox.schemas import ConversationCreate, MessageCreate, MessageIn
from accord.inbox.terms import Channel, Status

SUBJECT_CHARS = 60
NOT_CLOSED = tuple(s.value for s in Status if s != Status.CLOSED)


def current_chat(session: Session, actor: Principal) -> Conversation | None:
    """The conversation the widget continues: the customer's most recent one not closed."""
    rows, _after = queries.list_conversations(
        session,
        actor,
        filters=ConversationFilter(status=NOT_CLOSED),
        sort="-last_message_at",
        limit=1,
    )
    return rows[0] if rows else None


def send(session: Session, actor: Principal, text: str) -> int:
    """The customer's chat message; returns the conversation it went to."""
    current = current_chat(session, actor)
    if current is not None:
        inbox_service.add_message(
            session, actor=actor, conversation_id=current.id, data=MessageCreate(text=text)
        )
        return current.id
    assert actor.customer_id is not None
    return _open_chat(session, actor, text, visitor=visitors.is_visitor(session, actor.customer_id))


def start_visitor(
    session: Session, *, name: str, email: str | None, text: str, lifetime_days: int
) -> visitors.NewVisitor:
    """An anonymous visitor starts a chat: a customer of their own, its credential and the
    conversation, in the caller's transaction (a refusal leaves nothing behind)."""
    visitor = visitors.create_visitor(session, name=name, lifetime_days=lifetime_days)
    opened = _open_chat(session, visitor.principal, text, visitor=True)
    visitors.note_for_agents(session, conversation_id=opened, name=visitor.name, email=email)
    return visitor


def _open_chat(session: Session, actor: Principal, text: str, *, visitor: bool) -> int:
    """A new webchat conversation with the first message. A visitor's carries the `visitor` tag
    so agents can tell it from an identified customer's: tags are not the customer's to set,
    so the system opens that one on the visitor's behalf (the message is still theirs)."""
    subject = f"Chat: {' '.join(text.split())[:SUBJECT_CHARS] or 'Chat'}"
    if visitor:
        data = ConversationCreate(
            subject=subject,
            customer_id=actor.customer_id,
            channel=Channel.WEBCHAT,
            tags=[visitors.VISITOR_TAG],
            message=MessageIn(text=text),
        )
        actor = SYSTEM
    else:
        data = ConversationCreate(
            subject=subject, channel=Channel.WEBCHAT, message=MessageIn(text=text)
        )
    conversation, _created = inbox_service.create_conversation(session, actor=actor, data=data)
    return conversation.id
