"""Read models for the case layer: the escalation queue."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import conversation_scope, require_supervisor
from accord.cases.models import Case
from accord.cases.routing import OPEN
from accord.core.principal import Principal
from accord.inbox.models import Conversation
from accord.insights.models import ConversationInsight


def escalation_queue(
    session: Session, actor: Principal, limit: int = 100
) -> list[tuple[Conversation, Case, ConversationInsight | None]]:
    """Open escalated conversations, highest level first, then hottest."""
    require_supervisor(actor)
    rows = session.execute(
        select(Conversation, Case, ConversationInsight)
        .join(Case, Case.conversation_id == Conversation.id)
        .outerjoin(ConversationInsight, ConversationInsight.conversation_id == Conversation.id)
        .where(Case.escalation_level > 0, Conversation.status.in_(OPEN), conversation_scope(actor))
        .order_by(Case.escalation_level.desc(), ConversationInsight.heat.desc(), Conversation.id)
        .limit(limit)
    ).all()
    return [(c, k, i) for c, k, i in rows]
