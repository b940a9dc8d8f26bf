"""Routing: which team and which agent a conversation goes to.

- Topic-based team routing (`routing.topics` of the rules file) for conversations without a team.
- Load-balanced assignment: the active team agent with the fewest open conversations, below
  their own `capacity` (ties: lowest id).
- Heat-aware: at or above `routing.trainee_max_heat` a conversation never goes to a trainee,
  and one that heats up while with a trainee is moved to a non-trainee.
- Supervisor override: a supervisor may assign anyone explicitly; automatic routing and
  escalation rules then leave that choice alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.auth.access import load_user, require_supervisor
from accord.auth.models import Team, TeamMembership, User
from accord.cases import journal
from accord.cases.escalation.rules import Routing
from accord.cases.models import CaseEvent
from accord.cases.policies import in_force
from accord.core.clock import utcnow
from accord.core.errors import ValidationFailed
from accord.core.principal import SYSTEM, Principal, Role
from accord.inbox.access import load_conversation
from accord.inbox.models import Conversation
from accord.inbox.readings import ConversationInsight
from accord.inbox.terms import ACTIVE_STATUSES

OVERRIDE = "routing.override"


def active_users() -> Select[User]:
    return select(User).where(User.is_active.is_(True))


def open_load(session: Session, user_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(
                Conversation.assignee_id == user_id,
                Conversation.status.in_(ACTIVE_STATUSES),
            )
        )
        or 0
    )


def least_loaded(session: Session, users: Sequence[User]) -> User | None:
    """The candidate with the fewest open conversations, below their capacity (ties: lowest id)."""
    best: tuple[int, int, User] | None = None
    for user in users:
        load = open_load(session, user.id)
        if load < user.capacity and (best is None or (load, user.id) < best[:2]):
            best = (load, user.id, user)
    return best[2] if best else None


def overridden(session: Session, conversation: Conversation) -> bool:
    """Whether the current assignee was chosen by a supervisor (routing must not undo it)."""
    row = session.scalars(
        select(CaseEvent)
        .where(CaseEvent.conversation_id == conversation.id, CaseEvent.kind == OVERRIDE)
        .order_by(CaseEvent.id.desc())
        .limit(1)
    ).first()
    return row is not None and row.data.get("user_id") == conversation.assignee_id


def route(session: Session, conversation: Conversation) -> list[str]:
    """Give an unrouted conversation a team by topic and an agent by load, skills and heat."""
    insight = session.get(ConversationInsight, conversation.id)
    rules = in_force.rule_set(session).routing
    heat = insight.heat if insight else 0.0
    done: list[str] = []
    if conversation.team_id is None and insight is not None and insight.topic in rules.topics:
        slug = rules.topics[insight.topic]
        team = session.scalars(select(Team).where(Team.slug == slug)).first()
        if team is not None:
            conversation.team_id = team.id
            done.append(f"team:{slug}")
    if _needs_agent(session, conversation, heat >= rules.trainee_max_heat):
        user = least_loaded(session, _team_agents(session, conversation, heat, rules))
        if user is not None and user.id != conversation.assignee_id:
            conversation.assignee_id = user.id
            done.append(f"assignee:{user.id}")
    if done:
        record(
            session,
            actor=SYSTEM,
            kind="conversation.routed",
            conversation_id=conversation.id,
            data={"actions": done, "heat": heat},
        )
    return done


def _needs_agent(session: Session, conversation: Conversation, hot: bool) -> bool:
    if conversation.team_id is None:
        return False
    if conversation.assignee_id is None:
        return True
    assignee = session.get(User, conversation.assignee_id)
    too_hot = hot and assignee is not None and assignee.trainee
    return too_hot and not overridden(session, conversation)


def _team_agents(
    session: Session, conversation: Conversation, heat: float, rules: Routing
) -> Sequence[User]:
    members = (
        active_users()
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == conversation.team_id, User.role == Role.AGENT.value)
    )
    if heat >= rules.trainee_max_heat:
        members = members.where(User.trainee.is_(False))
    return session.scalars(members).all()


def override_assignee(
    session: Session,
    *,
    actor: Principal,
    conversation_id: int,
    user_id: int,
    reason: str | None = None,
) -> Conversation:
    """A supervisor assigns a conversation explicitly, past capacity and heat limits."""
    require_supervisor(actor)
    conversation = load_conversation(session, actor, conversation_id)
    user = load_user(session, actor, user_id)
    if not user.is_active:
        raise ValidationFailed(f"user {user_id} is deactivated")
    previous = conversation.assignee_id
    conversation.assignee_id = user.id
    conversation.updated_at = utcnow()
    record_override(session, actor, conversation, previous, reason)
    session.flush()
    return conversation


def record_override(
    session: Session,
    actor: Principal,
    conversation: Conversation,
    previous: int | None,
    reason: str | None,
) -> None:
    """Note that a supervisor chose the current assignee: routing and escalation keep it."""
    assert conversation.assignee_id is not None
    data = {"user_id": conversation.assignee_id, "previous": previous, "reason": reason}
    journal.write(
        session,
        conversation_id=conversation.id,
        kind=OVERRIDE,
        data=data,
        actor=actor,
        audit="conversation.reassigned",
        audit_data={**data, "override": True},
    )
