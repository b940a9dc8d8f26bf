"""The only way to load guarded conversations and customers. Every route and service goes
through these functions.

Policy:
- admin and supervisor see every conversation; the system principal (CLI, jobs) too;
- an agent sees conversations of their teams, those assigned to them, and unrouted ones;
- a customer sees only their own conversations, without internal notes or the timeline;
- a customer's access code acts as that customer on all of their conversations, so only staff
  who already see every one of them may issue it (`load_customer_for_code`);
- invisible rows are reported as not found, so ids cannot be probed.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from accord.auth.access import require_staff
from accord.core.errors import NotFound, PermissionDenied
from accord.core.principal import Principal
from accord.inbox.models import Conversation, Customer, Direction


def conversation_scope(actor: Principal) -> ColumnElement[bool]:
    """A WHERE clause that keeps only the conversations `actor` may see."""
    if actor.sees_all_conversations:
        return true()
    if actor.kind == "customer":
        return Conversation.customer_id == actor.customer_id
    return or_(
        Conversation.team_id.in_(sorted(actor.team_ids)),
        Conversation.assignee_id == actor.user_id,
        Conversation.team_id.is_(None),
    )


def load_conversation(session: Session, actor: Principal, conversation_id: int) -> Conversation:
    if actor.sees_all_conversations:  # by key: a row this session already holds costs no query
        row = session.get(Conversation, conversation_id)
    else:
        row = session.scalars(
            select(Conversation).where(
                Conversation.id == conversation_id, conversation_scope(actor)
            )
        ).first()
    if row is None:
        raise NotFound(f"conversation {conversation_id} not found")
    return row


def visible_directions(actor: Principal) -> tuple[str, ...]:
    if actor.kind == "customer":
        return (Direction.INBOUND.value, Direction.OUTBOUND.value)
    return tuple(d.value for d in Direction)


def load_customer(session: Session, actor: Principal, customer_id: int) -> Customer:
    if actor.kind == "customer" and actor.customer_id != customer_id:
        raise NotFound(f"customer {customer_id} not found")
    row = session.get(Customer, customer_id)
    if row is None:
        raise NotFound(f"customer {customer_id} not found")
    return row


def may_issue_customer_code(session: Session, actor: Principal, customer_id: int) -> bool:
    """Admins and supervisors may; an agent only when every conversation of the customer is one
    they may see, and there is at least one. The code would open all of them (and any that
    arrives later), so seeing just one is not enough: that was issue 15's escalation."""
    if not actor.is_staff:
        return False
    if actor.sees_all_conversations:
        return True
    theirs = select(func.count(Conversation.id)).where(Conversation.customer_id == customer_id)
    total = session.scalar(theirs) or 0
    visible = session.scalar(theirs.where(conversation_scope(actor))) or 0
    return total > 0 and visible == total


def load_customer_for_code(session: Session, actor: Principal, customer_id: int) -> Customer:
    """The customer `actor` is issuing an access code for (see `may_issue_customer_code`)."""
    require_staff(actor)
    row = load_customer(session, actor, customer_id)
    if not may_issue_customer_code(session, actor, customer_id):
        raise PermissionDenied(
            "only a supervisor or an admin may issue this customer an access code: "
            "some of their conversations are not yours to see"
        )
    return row
