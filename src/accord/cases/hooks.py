"""What the case layer does after the inbox stores a message or changes a conversation: advance
the playbook, route an unrouted conversation, keep the stored SLA due moment in step, and apply
escalation rules. Like the analysis, it must never cost the message or the change itself, so
it runs in a savepoint and failures are logged (the periodic tick catches up on the SLA)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from sqlalchemy.orm import Session

from accord.cases.escalation.routing import route
from accord.cases.escalation.service import evaluate
from accord.cases.service import on_message
from accord.cases.sla import due as sla_due
from accord.core.clock import utcnow
from accord.inbox.models import Conversation, Message

log = logging.getLogger("accord.cases")
# What an update may change that moves the SLA clocks: a wait on the customer pauses them, a
# resolution stops them, and priority and team pick the targets.
SLA_INPUTS = frozenset({"status", "priority", "team_id"})


def after_message(session: Session, conversation: Conversation, message: Message) -> None:
    try:
        with session.begin_nested():
            case = on_message(session, conversation, message)
            route(session, conversation)  # the team picks the SLA targets: route first
            # One computation of the timers serves both the stored due moment and the rules.
            timers = sla_due.refresh(session, conversation, utcnow())
            evaluate(session, conversation, case, timers)
    except Exception:  # the stored message matters more than the guidance around it
        log.exception("case update for conversation %s failed", conversation.id)


def after_update(session: Session, conversation: Conversation, changed: Iterable[str]) -> None:
    """After staff change a conversation's fields (`changed` names them)."""
    if SLA_INPUTS.isdisjoint(changed):
        return
    try:
        with session.begin_nested():
            sla_due.refresh(session, conversation, utcnow())
    except Exception:  # the agent's change stands; the tick stores the due moment later
        log.exception("SLA due update for conversation %s failed", conversation.id)
