"""The periodic tick: fire SLA warnings and breaches exactly once, then re-check escalation
rules (some of them watch SLAs). Scheduled checks are instants in UTC compared against the
previous tick, so a DST change can neither skip nor repeat one."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.cases import journal
from accord.cases.escalation.service import evaluate
from accord.cases.models import CaseEvent, TickState
from accord.cases.notifications import notify
from accord.cases.service import ensure_case
from accord.cases.sla import due as sla_due
from accord.cases.sla.policy import ScheduledCheck, checks_due, timer_checks
from accord.cases.sla.service import sla_timers
from accord.core.principal import SYSTEM
from accord.inbox.models import Conversation
from accord.inbox.terms import ACTIVE_STATUSES

TICK = "sla"


def run_tick(session: Session, now: datetime) -> list[str]:
    """Returns the keys of the checks that fired. Also stores each open conversation's SLA due
    moment from the timers it computes anyway: a safety net for changes no event announced."""
    state = session.get(TickState, TICK)
    last = state.last_tick if state is not None else None
    fired: list[str] = []
    for conversation in session.scalars(
        select(Conversation).where(Conversation.status.in_(ACTIVE_STATUSES))
    ):
        timers = sla_timers(session, conversation, now)
        sla_due.store(session, conversation, timers)
        where = f"conversation:{conversation.id}"
        checks = [check for timer in timers for check in timer_checks(timer, where)]
        due = checks_due(checks, last, now)
        for check in due:
            if _fire(session, conversation, check):
                fired.append(check.key)
        if due:
            evaluate(session, conversation, ensure_case(session, conversation), timers)
    sla_due.clear_stopped(session)
    if state is None:
        session.add(TickState(name=TICK, last_tick=now))
    else:
        state.last_tick = now
    return fired


def _fire(session: Session, conversation: Conversation, check: ScheduledCheck) -> bool:
    """Record one SLA check; False if it had already fired (the once_key is taken)."""
    taken = session.scalar(
        select(CaseEvent.id).where(
            CaseEvent.conversation_id == conversation.id, CaseEvent.once_key == check.key
        )
    )
    if taken is not None:
        return False
    what = check.key.rsplit(":", 2)[-2:]  # [timer kind, "warning" | "breach"]
    data = {"timer": what[0], "check": what[1], "due": check.at.isoformat()}
    journal.write(
        session,
        conversation_id=conversation.id,
        kind=f"sla.{what[1]}",
        data=data,
        actor=SYSTEM,
        audit=f"sla.{what[1]}",
        once_key=check.key,
        at=check.at,
    )
    notify(session, conversation, f"sla.{what[1]}", data)
    session.flush()
    return True
