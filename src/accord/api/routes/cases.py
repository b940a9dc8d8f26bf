"""The case behind a conversation: playbook progress, next best action, SLA timers; and the
supervisors' escalation queue."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from accord.api.deps import Actor, Db
from accord.cases import queries, service
from accord.cases.escalation import routing
from accord.cases.escalation import service as escalation_service
from accord.cases.schemas import (
    AbuseFlagOut,
    AssigneeChange,
    AssigneeOut,
    CaseOut,
    EscalatedOut,
    EscalationRequest,
    NextActionOut,
    SlaTimerOut,
    StepChange,
    StepOut,
)
from accord.cases.sla.service import sla_timers
from accord.core.clock import utcnow
from accord.core.ids import IdParam
from accord.inbox.access import load_conversation

router = APIRouter(tags=["cases"])


@router.get("/conversations/{conversation_id}/case")
def get_case(conversation_id: IdParam, actor: Actor, db: Db) -> CaseOut:
    with db.read() as session:
        view = service.case_view(session, actor, conversation_id)
        conversation = load_conversation(session, actor, conversation_id)
        timers = sla_timers(session, conversation, utcnow())
    return CaseOut(
        playbook_id=view.playbook_id,
        playbook_name=view.playbook_name,
        escalation_level=view.escalation_level,
        abusive_messages=view.abusive_messages,
        steps=[StepOut.model_validate(s) for s in view.steps],
        next_action=NextActionOut.model_validate(view.next_action) if view.next_action else None,
        suggested_reply=view.suggested_reply,
        abuse=[AbuseFlagOut.model_validate(f) for f in view.abuse],
        sla=[
            SlaTimerOut(
                kind=t.kind.value,
                state=t.state.value,
                started_at=t.started_at,
                due_at=t.due_at,
                warn_at=t.warn_at,
                target_minutes=t.target_minutes,
                remaining_minutes=round(t.remaining_minutes, 1),
            )
            for t in timers
        ],
    )


@router.put("/conversations/{conversation_id}/case/steps/{step_id}")
def change_step(
    conversation_id: IdParam, step_id: str, body: StepChange, actor: Actor, db: Db
) -> CaseOut:
    """Tick (done=true) or untick a playbook step by hand; recorded on the timeline."""
    with db.write() as session:
        service.set_step(
            session,
            actor=actor,
            conversation_id=conversation_id,
            step_id=step_id,
            done=body.done,
            reason=body.reason,
        )
    return get_case(conversation_id, actor, db)


@router.post("/conversations/{conversation_id}/escalate")
def escalate(conversation_id: IdParam, body: EscalationRequest, actor: Actor, db: Db) -> CaseOut:
    """Escalate by hand: one level up, onto the supervisors' queue, with a hand-off note that
    carries the reason; completes the playbook's escalate step."""
    with db.write() as session:
        escalation_service.escalate(
            session, actor=actor, conversation_id=conversation_id, reason=body.reason
        )
    return get_case(conversation_id, actor, db)


@router.put("/conversations/{conversation_id}/assignee")
def override_assignee(
    conversation_id: IdParam, body: AssigneeChange, actor: Actor, db: Db
) -> AssigneeOut:
    """Supervisor override: assign explicitly, past capacity and heat limits; automatic routing
    and escalation rules keep this choice."""
    with db.write() as session:
        row = routing.override_assignee(
            session,
            actor=actor,
            conversation_id=conversation_id,
            user_id=body.user_id,
            reason=body.reason,
        )
        return AssigneeOut(conversation_id=row.id, assignee_id=row.assignee_id, override=True)


@router.get("/escalations")
def escalations(
    actor: Actor, db: Db, limit: Annotated[int, Query(ge=1, le=500)] = 100
) -> list[EscalatedOut]:
    with db.read() as session:
        return [
            EscalatedOut(
                conversation_id=c.id,
                subject=c.subject,
                priority=c.priority,
                status=c.status,
                escalation_level=k.escalation_level,
                assignee_id=c.assignee_id,
                heat=i.heat if i else None,
            )
            for c, k, i in queries.escalation_queue(session, actor, limit)
        ]
