"""The stored next SLA due moment (`conversations.sla_due_at`), so the inbox can sort every
conversation by it in the database.

The timers themselves stay derived from the timeline (`accord.cases.sla.service`); this module
only keeps the column in step with them and owns the rule for which timer counts. Whoever has
just computed a conversation's timers stores the due moment from them (the case hooks after a
message, the periodic tick); changes that move the clocks without a message (a status, priority
or team change, a saved SLA policy) refresh it. The tick also covers changes nobody announces,
such as a customer's tier or a policy file edited between restarts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from accord.cases.sla.policy import SlaPolicy, SlaTimer
from accord.cases.sla.service import sla_timers
from accord.inbox.models import Conversation
from accord.inbox.terms import ACTIVE_STATUSES


def first_due(timers: Sequence[SlaTimer]) -> SlaTimer | None:
    """The timer to watch: the running one that is due soonest (a breached one is overdue, so
    it comes first). Stopped timers (their reply or resolution came) and paused ones (no due
    instant while waiting on the customer) are not watched. Ties on business minutes left (two
    dues in the same closed hours) go to the earlier instant."""
    live = [t for t in timers if not t.stopped and t.due_at is not None]
    return min(live, key=lambda t: (t.remaining_minutes, t.due_at)) if live else None


def due_moment(timers: Sequence[SlaTimer]) -> datetime | None:
    timer = first_due(timers)
    return timer.due_at if timer is not None else None


def store(session: Session, conversation: Conversation, timers: Sequence[SlaTimer]) -> None:
    """Store the due moment of timers just computed for `conversation`."""
    _write(session, conversation, due_moment(timers))


def refresh(
    session: Session, conversation: Conversation, now: datetime, policy: SlaPolicy | None = None
) -> list[SlaTimer]:
    """Recompute the timers and store their due moment; returns the timers. No clock runs once
    a conversation is resolved or closed, so those get none and nothing is computed."""
    timers = (
        sla_timers(session, conversation, now, policy)
        if conversation.status in ACTIVE_STATUSES
        else []
    )
    store(session, conversation, timers)
    return timers


def refresh_all(session: Session, now: datetime, policy: SlaPolicy | None = None) -> int:
    """Refresh every conversation whose due moment may be out of date: the open ones and any
    other that still has one. Returns how many moved."""
    query = select(Conversation).where(
        or_(Conversation.status.in_(ACTIVE_STATUSES), Conversation.sla_due_at.is_not(None))
    )
    moved = 0
    for conversation in session.scalars(query.order_by(Conversation.id)).all():
        before = conversation.sla_due_at
        refresh(session, conversation, now, policy)
        moved += conversation.sla_due_at != before
    return moved


def clear_stopped(session: Session) -> None:
    """Drop the due moment of resolved and closed conversations (one statement; the tick runs
    it in case a status changed without going through the inbox service)."""
    session.execute(
        update(Conversation)
        .where(Conversation.status.not_in(ACTIVE_STATUSES), Conversation.sla_due_at.is_not(None))
        .values(sla_due_at=None)
        .execution_options(synchronize_session="fetch")
    )


def _write(session: Session, conversation: Conversation, due: datetime | None) -> None:
    if conversation.sla_due_at == due:
        return  # the common case after a message: no write at all
    # A derived value, so no optimistic-version bump (an agent's edit must not be refused as
    # stale because a clock moved). The version guard makes a computation that raced a newer
    # change to the timeline (the tick against a message) a no-op; the next event or tick
    # stores the right value.
    session.flush()
    result = session.execute(
        update(Conversation)
        .where(Conversation.id == conversation.id, Conversation.version == conversation.version)
        .values(sla_due_at=due)
        .execution_options(synchronize_session=False)
    )
    if cast(CursorResult[Any], result).rowcount == 1:
        set_committed_value(conversation, "sla_due_at", due)
