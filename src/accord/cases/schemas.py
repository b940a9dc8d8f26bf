"""Request and response bodies for cases, playbook steps, SLA timers and the escalation queue."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class StepOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    title: str
    why: str
    done: bool
    applies: bool


class NextActionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    step_id: str
    title: str
    reason: str
    urgent: bool


class SlaTimerOut(BaseModel):
    kind: str
    state: str
    started_at: datetime
    due_at: datetime | None
    warn_at: datetime | None
    target_minutes: int
    remaining_minutes: float


class CaseOut(BaseModel):
    playbook_id: str
    playbook_name: str
    escalation_level: int
    abusive_messages: int
    steps: list[StepOut]
    next_action: NextActionOut | None
    sla: list[SlaTimerOut]


class StepChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done: bool
    reason: str | None = Field(default=None, max_length=500)


class EscalatedOut(BaseModel):
    conversation_id: int
    subject: str
    priority: str
    status: str
    escalation_level: int
    assignee_id: int | None
    heat: float | None
