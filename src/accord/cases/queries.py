"""Read models for the case layer: the escalation queue, and the policies for admins."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import require_admin, require_supervisor
from accord.cases.models import Case
from accord.cases.playbook.table import Playbook
from accord.cases.policies import in_force
from accord.cases.policies import store as policy_store
from accord.cases.policies.in_force import Source
from accord.cases.policies.store import Revision
from accord.core.principal import Principal
from accord.inbox.access import conversation_scope
from accord.inbox.models import Conversation
from accord.inbox.readings import ConversationInsight
from accord.inbox.terms import ACTIVE_STATUSES


def escalation_queue(
    session: Session, actor: Principal, limit: int = 100
) -> list[tuple[Conversation, Case, ConversationInsight | None]]:
    """Open escalated conversations, highest level first, then hottest."""
    require_supervisor(actor)
    rows = session.execute(
        select(Conversation, Case, ConversationInsight)
        .join(Case, Case.conversation_id == Conversation.id)
        .outerjoin(ConversationInsight, ConversationInsight.conversation_id == Conversation.id)
        .where(
            Case.escalation_level > 0,
            Conversation.status.in_(ACTIVE_STATUSES),
            conversation_scope(actor),
        )
        .order_by(Case.escalation_level.desc(), ConversationInsight.heat.desc(), Conversation.id)
        .limit(limit)
    ).all()
    return [(c, k, i) for c, k, i in rows]


def policy_source(session: Session, actor: Principal, kind: str, playbook_id: str = "") -> Source:
    """A policy's text in force and where it comes from (admins only)."""
    require_admin(actor)
    return in_force.source(session, kind, playbook_id)


def policy_history(
    session: Session, actor: Principal, kind: str, playbook_id: str = ""
) -> list[Revision]:
    """A policy's newest saved revisions (admins only)."""
    require_admin(actor)
    return policy_store.history(session, kind, in_force.policy_key(kind, playbook_id))


def playbooks_in_force(
    session: Session, actor: Principal
) -> list[tuple[Playbook, Revision | None]]:
    """Every playbook in force (admins only), with its saved revision if it has one."""
    require_admin(actor)
    saved = {r.playbook_id: r for r in policy_store.latest_playbooks(session)}
    return [(p, saved.get(p.id)) for p in in_force.playbooks(session)]
