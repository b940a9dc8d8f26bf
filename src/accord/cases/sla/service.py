"""SLA timers of a conversation, derived from what happened rather than stored separately.

First response runs from the opening until the first agent reply; next response from the first
customer message after the latest reply; resolution from the opening until the conversation is
resolved. Time spent waiting on the customer (status `pending`) pauses every clock. Because the
timers are recomputed from messages and status events, they cannot disagree with the timeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.audit.models import Event
from accord.auth.models import Team
from accord.cases.policies import in_force
from accord.cases.sla.calendar import Pause
from accord.cases.sla.policy import (
    SelectedSla,
    SlaKind,
    SlaPolicy,
    SlaTimer,
    evaluate_timer,
    select_sla,
)
from accord.inbox.models import Conversation, Customer, Direction, Message, Status
from accord.inbox.readings import ConversationInsight
from accord.inbox.terms import ACTIVE_STATUSES

DONE = frozenset(Status) - frozenset(ACTIVE_STATUSES)  # the clocks stop


@dataclass(frozen=True)
class StatusSpan:
    status: str
    since: datetime


def status_history(session: Session, conversation: Conversation) -> list[StatusSpan]:
    """Status changes in time order, starting with `new` at the opening."""
    rows = session.scalars(
        select(Event)
        .where(Event.conversation_id == conversation.id, Event.kind == "conversation.updated")
        .order_by(Event.id)
    ).all()
    spans = [StatusSpan(Status.NEW.value, conversation.created_at)]
    spans += [StatusSpan(r.data["status"], r.created_at) for r in rows if "status" in r.data]
    return spans


def _pauses(history: list[StatusSpan]) -> tuple[list[Pause], datetime | None]:
    """Finished waits on the customer, and the start of an ongoing one."""
    pauses: list[Pause] = []
    since: datetime | None = None
    for span in history:
        if span.status == Status.PENDING.value and since is None:
            since = span.since
        elif span.status != Status.PENDING.value and since is not None:
            pauses.append((since, span.since))
            since = None
    return pauses, since


def selected_sla(
    session: Session, conversation: Conversation, policy: SlaPolicy | None = None
) -> SelectedSla:
    """The targets that apply; `policy` defaults to the one in force (pass it when looping over
    many conversations in a transaction that saved a policy: that one is not cached)."""
    team = session.get(Team, conversation.team_id) if conversation.team_id else None
    customer = session.get(Customer, conversation.customer_id)
    insight = session.get(ConversationInsight, conversation.id)
    return select_sla(
        policy or in_force.sla_policy(session),
        priority=conversation.priority,
        team=team.slug if team else None,
        tier=customer.tier if customer else None,
        heat=insight.heat if insight else 0.0,
    )


def sla_timers(
    session: Session, conversation: Conversation, now: datetime, policy: SlaPolicy | None = None
) -> list[SlaTimer]:
    sla = selected_sla(session, conversation, policy)
    history = status_history(session, conversation)
    pauses, paused_since = _pauses(history)
    spoken = session.scalars(
        select(Message)
        .where(
            Message.conversation_id == conversation.id,
            Message.direction.in_([Direction.INBOUND.value, Direction.OUTBOUND.value]),
        )
        .order_by(Message.created_at, Message.id)
    ).all()
    replies = [m.created_at for m in spoken if m.direction == Direction.OUTBOUND.value]
    resolved_at = history[-1].since if conversation.status in DONE else None
    timers: list[tuple[SlaKind, datetime, datetime | None]] = [
        (SlaKind.FIRST_RESPONSE, conversation.created_at, replies[0] if replies else None),
        (SlaKind.RESOLUTION, conversation.created_at, resolved_at),
    ]
    waiting = _waiting_since(spoken, bool(replies))
    if waiting is not None and resolved_at is None:
        timers.append((SlaKind.NEXT_RESPONSE, waiting, None))
    return [
        t
        for t in (
            evaluate_timer(
                sla,
                kind,
                started_at=start,
                now=now,
                pauses=pauses,
                paused_since=paused_since if stop is None else None,
                stopped_at=stop,
            )
            for kind, start, stop in timers
        )
        if t is not None
    ]


def _waiting_since(spoken: Sequence[Message], replied: bool) -> datetime | None:
    """The first customer message after the latest agent reply (None if the agent spoke last)."""
    if not replied:
        return None
    waiting: datetime | None = None
    for message in spoken:
        if message.direction == Direction.OUTBOUND.value:
            waiting = None
        elif waiting is None:
            waiting = message.created_at
    return waiting
