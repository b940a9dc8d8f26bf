"""The case behind a conversation: its playbook progress, driven by every message.

Agent replies are read by the reply detectors, customer messages by the analysis engine; each
becomes an input of the pure playbook machine, and what it emits is stored as append-only case
events. Agents may tick or untick a step by hand (with an audit event). The state is always
the replay of those events, so nothing here can drift from the trail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.analysis.types import SignalName
from accord.auth.access import require_staff
from accord.auth.models import Team
from accord.cases import journal
from accord.cases.escalation import boundaries
from accord.cases.models import Case, CaseEvent
from accord.cases.playbook import machine
from accord.cases.playbook.detectors import observations
from accord.cases.playbook.table import (
    CaseContext,
    select_playbook,
)
from accord.cases.policies import in_force
from accord.core.clock import utcnow
from accord.core.errors import NotFound
from accord.core.principal import SYSTEM, Principal
from accord.inbox.access import load_conversation
from accord.inbox.models import Conversation, Direction, Message
from accord.inbox.readings import ConversationInsight
from accord.insights.models import MessageInsight
from accord.settings import settings_of

PLAYBOOK_KINDS = ("step_completed", "step_ticked", "step_unticked")
# A customer saying yes to an offer ("that works for me", "yes please, go ahead").
_AGREED = re.compile(
    r"\b(?:that works|sounds good|sounds fair|i'?ll take|go ahead|yes,? please|"
    r"ok(?:ay)?,? (?:let'?s|do it|please do)|i accept|deal\b|fine by me|that would be great)",
    re.IGNORECASE,
)
DESCRIBED_WORDS = 30
BOUNDARY_STEP = "set_boundaries"


def ensure_case(session: Session, conversation: Conversation) -> Case:
    case = session.get(Case, conversation.id)
    if case is not None:
        return case
    insight = session.get(ConversationInsight, conversation.id)
    team = session.get(Team, conversation.team_id) if conversation.team_id else None
    chosen = select_playbook(
        in_force.playbooks(session),
        team=team.slug if team else None,
        topic=insight.topic if insight else None,
        severity=insight.max_severity if insight else 0,
    )
    case = Case(
        conversation_id=conversation.id,
        playbook_id=chosen.id,
        escalation_level=0,
        abusive_messages=0,
        created_at=utcnow(),
    )
    session.add(case)
    session.flush()
    return case


def playbook_state(session: Session, case: Case) -> machine.PlaybookState:
    rows = session.scalars(
        select(CaseEvent)
        .where(
            CaseEvent.conversation_id == case.conversation_id, CaseEvent.kind.in_(PLAYBOOK_KINDS)
        )
        .order_by(CaseEvent.id)
    ).all()
    events = tuple(machine.event_from_dict(r.data) for r in rows)
    return machine.replay(in_force.playbook_by_id(session, case.playbook_id), events)


def on_message(session: Session, conversation: Conversation, message: Message) -> Case:
    """Advance the playbook with what a new message shows. With the analysis switched off
    (`ACCORD_ANALYSIS_ENABLED=false`) no message is read: the case exists, and its steps are
    ticked by hand."""
    case = ensure_case(session, conversation)
    if not settings_of(session).analysis_enabled:
        return case
    insight = session.get(MessageInsight, message.id)
    if message.direction == Direction.OUTBOUND.value:
        inputs = observations(message.text, message_id=str(message.id), at=message.created_at)
    elif message.direction == Direction.INBOUND.value:
        inputs = _customer_inputs(message, insight)
        boundaries.flag_message(session, conversation, case, message)
    else:
        inputs = []
    _advance(session, case, inputs, actor=SYSTEM)
    return case


def observe(session: Session, case: Case, source: str, *, note: str | None = None) -> None:
    """Something the case layer itself did (e.g. `case.escalated`) completes its steps."""
    evidence = (machine.Evidence(0, len(note), note),) if note else ()
    _advance(session, case, [machine.Observed(source, evidence, at=utcnow())], actor=SYSTEM)


def _customer_inputs(message: Message, insight: MessageInsight | None) -> list[machine.Observed]:
    found: list[tuple[str, tuple[machine.Evidence, ...]]] = []
    if len(message.text.split()) >= DESCRIBED_WORDS:
        found.append(("customer.described_issue", ()))
    agreed = _AGREED.search(message.text)
    if agreed:
        span = machine.Evidence(agreed.start(), agreed.end(), agreed.group(0))
        found.append(("customer.agreed", (span,)))
    if insight is not None:
        found += _from_analysis(insight)
    return [
        machine.Observed(source, evidence, str(message.id), message.created_at)
        for source, evidence in found
    ]


def _from_analysis(insight: MessageInsight) -> list[tuple[str, tuple[machine.Evidence, ...]]]:
    found: list[tuple[str, tuple[machine.Evidence, ...]]] = []
    for signal in insight.result.get("signals", []):
        if signal["name"] == SignalName.CLOSING_GRATITUDE:
            spans = tuple(
                machine.Evidence(e["start"], e["end"], e["text"]) for e in signal["evidence"]
            )
            found.append(("customer.thanked", spans))
            if signal["confidence"] >= 0.9:  # the engine's "thanks, that solved it" reading
                found.append(("customer.confirmed", spans))
    if insight.cause not in ("unknown", ""):
        found.append(("analysis.cause_identified", ()))
    if insight.remedy:
        found.append(("analysis.pain_identified", ()))
    return found


def _advance(
    session: Session,
    case: Case,
    inputs: Sequence[machine.PlaybookInput],
    *,
    actor: Principal,
    audit: str | None = None,
    audit_data: dict[str, Any] | None = None,
) -> list[machine.PlaybookEvent]:
    """Store what the playbook machine emits for `inputs`. Only a step ticked or unticked by
    hand (one input, at most one event) comes with an audit record (`audit`, `audit_data`)."""
    playbook = in_force.playbook_by_id(session, case.playbook_id)
    state = playbook_state(session, case)
    emitted: list[machine.PlaybookEvent] = []
    for item in inputs:
        state, events = machine.apply(playbook, state, item)
        emitted += events
    for event in emitted:
        journal.write(
            session,
            conversation_id=case.conversation_id,
            kind=event.type,
            data=machine.event_to_dict(event),
            actor=actor,
            audit=audit,
            audit_data=audit_data,
        )
    session.flush()
    return emitted


def set_step(
    session: Session,
    *,
    actor: Principal,
    conversation_id: int,
    step_id: str,
    done: bool,
    reason: str | None = None,
) -> list[machine.PlaybookEvent]:
    """An agent ticks or unticks a step by hand; the change is an audit event too."""
    require_staff(actor)
    conversation = load_conversation(session, actor, conversation_id)
    case = ensure_case(session, conversation)
    by = f"user:{actor.user_id}" if actor.user_id else "system"
    step: machine.PlaybookInput = (
        machine.Tick(step_id, by, utcnow())
        if done
        else machine.Untick(step_id, by, reason, utcnow())
    )
    return _advance(
        session,
        case,
        [step],
        actor=actor,
        audit="playbook.step_ticked" if done else "playbook.step_unticked",
        audit_data={"step": step_id, "reason": reason},
    )


@dataclass(frozen=True)
class StepView:
    id: str
    title: str
    why: str
    done: bool
    applies: bool


@dataclass(frozen=True)
class CaseView:
    playbook_id: str
    playbook_name: str
    escalation_level: int
    abusive_messages: int
    steps: list[StepView]
    next_action: machine.NextAction | None
    context: CaseContext
    abuse: list[boundaries.AbuseFlag]
    suggested_reply: str | None


def case_view(session: Session, actor: Principal, conversation_id: int) -> CaseView:
    require_staff(actor)
    conversation = load_conversation(session, actor, conversation_id)
    case = session.get(Case, conversation_id)
    if case is None:
        raise NotFound(f"conversation {conversation_id} has no case yet (no message analysed)")
    playbook = in_force.playbook_by_id(session, case.playbook_id)
    state = playbook_state(session, case)
    context = case_context(session, conversation, state)
    steps = [
        StepView(
            s.id, s.title, s.why, s.id in state.completed, s.when is None or s.when.holds(context)
        )
        for s in playbook.ordered_steps
    ]
    action = machine.next_best_action(playbook, state, context)
    return CaseView(
        playbook_id=playbook.id,
        playbook_name=playbook.name,
        escalation_level=case.escalation_level,
        abusive_messages=case.abusive_messages,
        steps=steps,
        next_action=action,
        context=context,
        abuse=boundaries.flags(session, conversation_id),
        suggested_reply=_suggested_reply(session, action),
    )


def _suggested_reply(session: Session, action: machine.NextAction | None) -> str | None:
    """While a boundary is the thing to do, the words to do it with: politely but firmly."""
    if action is None or action.step_id != BOUNDARY_STEP:
        return None
    return in_force.rule_set(session).boundaries.suggested_reply


def case_context(
    session: Session, conversation: Conversation, state: machine.PlaybookState
) -> CaseContext:
    insight = session.get(ConversationInsight, conversation.id)
    sources = {e.source for e in state.history if isinstance(e, machine.StepCompleted)}
    abusive = in_force.rule_set(session).boundaries.abusive_min_severity
    recent_abuse = session.scalars(
        select(MessageInsight.abuse_severity)
        .where(MessageInsight.conversation_id == conversation.id, MessageInsight.role == "customer")
        .order_by(MessageInsight.message_id.desc())
        .limit(3)
    ).all()
    return CaseContext(
        severity=insight.max_severity if insight else 0,
        abuse=any(level >= abusive for level in recent_abuse),
        escalation_requested=bool(insight and SignalName.ESCALATION_REQUEST in insight.signals),
        heat=insight.heat if insight else 0.0,
        customer_agreed="customer.agreed" in sources,
        confirmed="customer.confirmed" in sources,
        thanked="customer.thanked" in sources,
    )
