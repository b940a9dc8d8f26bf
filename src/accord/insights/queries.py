"""Read models for stored analysis; access goes through inbox.access like every guarded read."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.analysis import MessageAnalysis
from accord.auth.access import require_staff
from accord.core.principal import Principal
from accord.inbox.access import load_conversation
from accord.inbox.readings import ConversationInsight
from accord.insights.models import MessageInsight

log = logging.getLogger("accord.insights")


def for_conversations(session: Session, ids: Sequence[int]) -> dict[int, ConversationInsight]:
    """Insights of conversations the caller has already loaded through the access layer."""
    if not ids:
        return {}
    rows = session.scalars(
        select(ConversationInsight).where(ConversationInsight.conversation_id.in_(list(ids)))
    )
    return {row.conversation_id: row for row in rows}


def conversation_analysis(
    session: Session, actor: Principal, conversation_id: int
) -> tuple[ConversationInsight | None, Sequence[MessageInsight]]:
    """Staff only: heat, abuse and severity are working notes, not for the customer's eyes."""
    require_staff(actor)
    load_conversation(session, actor, conversation_id)
    messages = session.scalars(
        select(MessageInsight)
        .where(MessageInsight.conversation_id == conversation_id)
        .order_by(MessageInsight.message_id)
    ).all()
    return session.get(ConversationInsight, conversation_id), messages


def readable(rows: dict[int, MessageInsight]) -> dict[int, MessageAnalysis]:
    """The stored analyses read back; a result an older engine wrote in another shape is left
    out, so the caller analyses that message again."""
    out = {}
    for message_id, row in rows.items():
        try:
            out[message_id] = MessageAnalysis.from_dict(row.result)
        except (KeyError, TypeError, ValueError):
            log.info("stored analysis of message %s is unreadable", message_id)
    return out


def stored_analyses(session: Session, message_ids: Sequence[int]) -> dict[int, MessageAnalysis]:
    """The stored analysis of each message that has a readable one."""
    rows = session.scalars(select(MessageInsight).where(MessageInsight.message_id.in_(message_ids)))
    return readable({row.message_id: row for row in rows})
