"""Request and response bodies for cases, playbook steps, SLA timers and the escalation queue."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from accord.core.ids import Id
from accord.core.requests import RequestModel
from accord.insights.schemas import SpanOut


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


class AbuseFlagOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    message_id: int
    severity: int = Field(description="Abuse severity: 1 profanity, 2 insult, 3 threat.")
    evidence: list[SpanOut]


class CaseOut(BaseModel):
    playbook_id: str
    playbook_name: str
    escalation_level: int
    abusive_messages: int
    steps: list[StepOut]
    next_action: NextActionOut | None = Field(
        description="The step to take now and why; null when every applicable step is done."
    )
    suggested_reply: str | None = Field(
        default=None, description="Words for the next action (a boundary, politely but firmly)."
    )
    sla: list[SlaTimerOut] = Field(description="SLA timers; instants are UTC.")
    abuse: list[AbuseFlagOut] = Field(default_factory=list)


class AssigneeChange(RequestModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Id
    reason: str | None = Field(default=None, max_length=500)


class AssigneeOut(BaseModel):
    conversation_id: int
    assignee_id: int | None
    override: bool


class StepChange(RequestModel):
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


class EscalationRequest(RequestModel):
    """A person escalates a conversation to the supervisors, saying why."""

    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class PolicyIn(RequestModel):
    """A policy's YAML text. `base_revision` is the revision the edit started from (0: none
    saved yet); when given and someone saved meanwhile, the save is refused with 409."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=200_000)
    base_revision: int | None = Field(default=None, ge=0)


class PolicyRevisionOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    revision: int
    saved_at: datetime
    saved_by_user_id: int | None
    saved_by: str | None


class PolicyOut(BaseModel):
    """The policy in force: the newest saved revision, or (revision null) the configured file
    or the default shipped with Accord."""

    kind: str
    playbook_id: str | None
    text: str
    source: str
    revision: int | None
    saved_at: datetime | None
    saved_by_user_id: int | None
    saved_by: str | None


class PlaybookInForceOut(BaseModel):
    id: str
    name: str
    revision: int | None
