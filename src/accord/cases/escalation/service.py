"""Carrying out escalation rules and routing, each action recorded on the timeline.

Runs after every message (inside its transaction) and on the periodic tick (for SLA
conditions). A rule fires at most once per conversation: its case event has a unique
`once_key`, so even two concurrent evaluations cannot apply it twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.auth.access import require_staff
from accord.auth.models import Team, User
from accord.cases import journal
from accord.cases.escalation.handoff import handoff_note
from accord.cases.escalation.routing import active_users, least_loaded, overridden
from accord.cases.escalation.rules import Actions, Rule, Situation, firing
from accord.cases.models import Case, CaseEvent
from accord.cases.notifications import notify
from accord.cases.policies import in_force
from accord.cases.service import ensure_case, observe
from accord.cases.sla import due as sla_due
from accord.cases.sla.policy import SlaTimer, TimerState
from accord.cases.sla.service import sla_timers
from accord.core.clock import utcnow
from accord.core.errors import Conflict, ValidationFailed
from accord.core.principal import SYSTEM, Principal, Role
from accord.core.redact import mask_secrets
from accord.inbox.access import load_conversation
from accord.inbox.models import Conversation, Customer, Direction, Message
from accord.inbox.readings import ConversationInsight
from accord.inbox.terms import ACTIVE_STATUSES, higher_priority

__all__ = ["escalate", "evaluate", "situation"]
# Actions that hand the conversation to someone else: the playbook's "escalate" step is done.
HANDING_OVER = ("team:", "assignee:", "handoff_note")
MAX_LEVEL = 5
# A manual escalation: the supervisors' queue (any level), a hand-off note, the webhook. Who
# takes it is the supervisors' call, so nobody is reassigned automatically.
MANUAL = Actions(handoff_note=True, notify=True)


def situation(
    session: Session, conversation: Conversation, case: Case, timers: Sequence[SlaTimer]
) -> Situation:
    insight = session.get(ConversationInsight, conversation.id)
    states = {t.state.value for t in timers}
    return Situation(
        heat=insight.heat if insight else 0.0,
        max_severity=insight.max_severity if insight else 0,
        signals=frozenset(insight.signals) if insight else frozenset(),
        abusive_messages=case.abusive_messages,
        trajectory=insight.trajectory if insight else "stable",
        escalation_risk=insight.escalation_risk if insight else 0.0,
        sla_states=frozenset(states & {TimerState.WARNING.value, TimerState.BREACHED.value}),
    )


def evaluate(
    session: Session,
    conversation: Conversation,
    case: Case,
    timers: Sequence[SlaTimer] | None = None,
) -> list[str]:
    """Apply every rule that now holds and has not fired yet; returns their names. `timers`
    are the conversation's SLA timers when the caller has just computed them."""
    if conversation.status not in ACTIVE_STATUSES:
        return []
    if timers is None:
        timers = sla_timers(session, conversation, utcnow())
    rules = in_force.rule_set(session)
    fired = frozenset(
        session.scalars(
            select(CaseEvent.data["rule"].as_string()).where(
                CaseEvent.conversation_id == conversation.id, CaseEvent.kind == "escalation"
            )
        )
    )
    applied = []
    targets = (conversation.priority, conversation.team_id)
    for rule in firing(rules, situation(session, conversation, case, timers), fired):
        _apply(session, conversation, case, rule)
        applied.append(rule.name)
    if (conversation.priority, conversation.team_id) != targets:
        sla_due.refresh(session, conversation, utcnow())  # a rule picked other SLA targets
    return applied


def _apply(session: Session, conversation: Conversation, case: Case, rule: Rule) -> None:
    with session.begin_nested():
        journal.write(
            session,
            conversation_id=conversation.id,
            kind="escalation",
            data={"rule": rule.name, "level": rule.level},
            actor=SYSTEM,
            audit=None,  # `conversation.escalated`, once `_carry_out` knows what it did
            once_key=f"rule:{rule.name}",
        )
        session.flush()
    _carry_out(
        session,
        conversation,
        case,
        level=rule.level,
        actions=rule.actions,
        actor=SYSTEM,
        why={"rule": rule.name},
    )


def escalate(session: Session, *, actor: Principal, conversation_id: int, reason: str) -> Case:
    """A person escalates by hand: one level up (at most `MAX_LEVEL`), onto the supervisors'
    queue, with a hand-off note that carries the reason. Same path as a rule's actions."""
    require_staff(actor)
    conversation = load_conversation(session, actor, conversation_id)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("say why the conversation needs a supervisor")
    if conversation.status not in ACTIVE_STATUSES:
        raise Conflict(f"conversation {conversation_id} is {conversation.status}: reopen it first")
    case = ensure_case(session, conversation)
    level = min(MAX_LEVEL, case.escalation_level + 1)
    journal.write(
        session,
        conversation_id=conversation.id,
        kind="escalation",
        data={"manual": True, "level": level, "reason": reason, "by": actor.key},
        actor=actor,
        audit=None,  # `conversation.escalated`, once `_carry_out` knows what it did
    )
    _carry_out(
        session,
        conversation,
        case,
        level=level,
        actions=MANUAL,
        actor=actor,
        why={"manual": True, "reason": reason},
    )
    return case


def _carry_out(
    session: Session,
    conversation: Conversation,
    case: Case,
    *,
    level: int,
    actions: Actions,
    actor: Principal,
    why: dict[str, Any],
) -> None:
    """Raise the level, carry out the actions, complete the playbook's escalate step, and put
    it all on the timeline (and the webhook, when asked)."""
    case.escalation_level = max(case.escalation_level, level)
    reason = why.get("reason")
    done = _actions(session, conversation, actions, reason=reason)
    if any(d.startswith(HANDING_OVER) for d in done):
        note = f"rule {why['rule']}" if "rule" in why else f"escalated by hand: {reason}"
        observe(session, case, "case.escalated", note=note)
    data = {**why, "level": level, "actions": done}
    record(
        session,
        actor=actor,
        kind="conversation.escalated",
        conversation_id=conversation.id,
        data=data,
    )
    if actions.notify:
        notify(session, conversation, "conversation.escalated", data)


def _actions(
    session: Session,
    conversation: Conversation,
    actions: Actions,
    *,
    reason: str | None = None,
) -> list[str]:
    done: list[str] = []
    if actions.raise_priority:
        raised = higher_priority(conversation.priority, actions.raise_priority).value
        if raised != conversation.priority:
            conversation.priority = raised
            done.append(f"priority:{raised}")
    if actions.move_to_team:
        team = session.scalars(select(Team).where(Team.slug == actions.move_to_team)).first()
        if team is None:
            done.append(f"skipped move_to_team:{actions.move_to_team} (no such team)")
        elif conversation.team_id != team.id:
            conversation.team_id = team.id
            done.append(f"team:{team.slug}")
    if actions.assign:
        done += _reassign(session, conversation, actions.assign)
    if actions.handoff_note:
        _write_note(session, conversation, reason)
        done.append("handoff_note")
    if actions.block_customer:
        customer = session.get(Customer, conversation.customer_id)
        if customer is not None and not customer.blocked:
            customer.blocked = True
            done.append("customer_blocked")
    conversation.updated_at = utcnow()
    return done


def _reassign(session: Session, conversation: Conversation, who: str) -> list[str]:
    if overridden(session, conversation):
        return [f"skipped assign:{who} (a supervisor chose the assignee)"]
    if who == "supervisor":
        query = active_users().where(User.role == Role.SUPERVISOR.value)
        user = least_loaded(session, session.scalars(query).all())
    else:
        skill = in_force.rule_set(session).routing.de_escalation_skill
        query = active_users().where(User.trainee.is_(False), User.role == Role.AGENT.value)
        user = least_loaded(session, [u for u in session.scalars(query) if skill in u.skills])
    if user is None:
        return [f"skipped assign:{who} (nobody available)"]
    if conversation.assignee_id == user.id:
        return []
    conversation.assignee_id = user.id
    return [f"assignee:{user.id}"]


def _write_note(session: Session, conversation: Conversation, reason: str | None) -> None:
    text = handoff_note(session, conversation)
    if reason:
        text += f"\nWhy escalated: {mask_secrets(reason)}"
    note = Message(
        conversation_id=conversation.id,
        direction=Direction.NOTE.value,
        text=text,
        attachments=[],
        created_at=utcnow(),
    )
    session.add(note)
    session.flush()
