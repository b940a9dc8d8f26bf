"""Carrying out escalation rules and routing, each action recorded on the timeline.

Runs after every message (inside its transaction) and on the periodic tick (for SLA
conditions). A rule fires at most once per conversation: its case event has a unique
`once_key`, so even two concurrent evaluations cannot apply it twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.auth.models import Team, User
from accord.cases import escalation
from accord.cases.handoff import handoff_note
from accord.cases.models import Case, CaseEvent
from accord.cases.notifications import notify
from accord.cases.routing import OPEN, active_users, least_loaded, overridden
from accord.cases.service import observe
from accord.cases.sla_policy import TimerState
from accord.cases.sla_service import sla_timers
from accord.core.clock import utcnow
from accord.core.principal import SYSTEM, Role
from accord.inbox.models import Conversation, Customer, Direction, Message
from accord.insights.models import ConversationInsight

__all__ = ["OPEN", "evaluate", "situation"]
# Actions that hand the conversation to someone else: the playbook's "escalate" step is done.
HANDING_OVER = ("team:", "assignee:", "handoff_note")


def situation(
    session: Session, conversation: Conversation, case: Case, now: datetime
) -> escalation.Situation:
    insight = session.get(ConversationInsight, conversation.id)
    states = {t.state.value for t in sla_timers(session, conversation, now)}
    return escalation.Situation(
        heat=insight.heat if insight else 0.0,
        max_severity=insight.max_severity if insight else 0,
        signals=frozenset(insight.signals) if insight else frozenset(),
        abusive_messages=case.abusive_messages,
        trajectory=insight.trajectory if insight else "stable",
        escalation_risk=insight.escalation_risk if insight else 0.0,
        sla_states=frozenset(states & {TimerState.WARNING.value, TimerState.BREACHED.value}),
    )


def evaluate(session: Session, conversation: Conversation, case: Case) -> list[str]:
    """Apply every rule that now holds and has not fired yet; returns their names."""
    if conversation.status not in OPEN:
        return []
    rules = escalation.rule_set()
    fired = frozenset(
        session.scalars(
            select(CaseEvent.data["rule"].as_string()).where(
                CaseEvent.conversation_id == conversation.id, CaseEvent.kind == "escalation"
            )
        )
    )
    applied = []
    for rule in escalation.firing(rules, situation(session, conversation, case, utcnow()), fired):
        _apply(session, conversation, case, rule)
        applied.append(rule.name)
    return applied


def _apply(session: Session, conversation: Conversation, case: Case, rule: escalation.Rule) -> None:
    with session.begin_nested():
        session.add(
            CaseEvent(
                conversation_id=conversation.id,
                kind="escalation",
                once_key=f"rule:{rule.name}",
                data={"rule": rule.name, "level": rule.level},
                created_at=utcnow(),
            )
        )
        session.flush()
    case.escalation_level = max(case.escalation_level, rule.level)
    done = _actions(session, conversation, rule.actions)
    if any(d.startswith(HANDING_OVER) for d in done):
        observe(session, case, "case.escalated", note=f"rule {rule.name}")
    record(
        session,
        actor=SYSTEM,
        kind="conversation.escalated",
        conversation_id=conversation.id,
        data={"rule": rule.name, "level": rule.level, "actions": done},
    )
    if rule.actions.notify:
        notify(
            session,
            conversation,
            "conversation.escalated",
            {"rule": rule.name, "level": rule.level, "actions": done},
        )


def _actions(
    session: Session, conversation: Conversation, actions: escalation.Actions
) -> list[str]:
    done: list[str] = []
    if actions.raise_priority:
        raised = escalation.higher_priority(conversation.priority, actions.raise_priority)
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
        _write_note(session, conversation)
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
        skill = escalation.rule_set().routing.de_escalation_skill
        query = active_users().where(User.trainee.is_(False), User.role == Role.AGENT.value)
        user = least_loaded(session, [u for u in session.scalars(query) if skill in u.skills])
    if user is None:
        return [f"skipped assign:{who} (nobody available)"]
    if conversation.assignee_id == user.id:
        return []
    conversation.assignee_id = user.id
    return [f"assignee:{user.id}"]


def _write_note(session: Session, conversation: Conversation) -> None:
    note = Message(
        conversation_id=conversation.id,
        direction=Direction.NOTE.value,
        text=handoff_note(session, conversation),
        attachments=[],
        created_at=utcnow(),
    )
    session.add(note)
    session.flush()
