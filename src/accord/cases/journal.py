"""Writing a case event, and the audit record that goes with it, in one place.

A case event (`CaseEvent`) is the case's own append-only trail: playbook steps, SLA checks
fired, escalation rules applied, abuse flags, supervisor overrides. Most of them are also a
line on the conversation's audit trail (`accord.audit`). Both rows are added to the caller's
session, so they are stored by the same transaction or not at all; nothing here flushes or
commits (the callers that need the `once_key` checked at once flush themselves).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from accord.audit.service import record
from accord.cases.models import CaseEvent
from accord.core.clock import utcnow
from accord.core.principal import Principal


def write(
    session: Session,
    *,
    conversation_id: int,
    kind: str,
    data: dict[str, Any],
    actor: Principal,
    audit: str | None,
    audit_data: dict[str, Any] | None = None,
    once_key: str | None = None,
    at: datetime | None = None,
) -> CaseEvent:
    """Add one case event and, unless `audit` is None, its audit record of kind `audit`.

    The case event's actor is `actor.user_id`; the audit record's is `actor` itself. The audit
    record carries `audit_data`, or else the case event's own `data`. `at` is the case event's
    time (default now); the audit record is always stamped now. `audit=None` is for the events
    whose audit record is written elsewhere: an escalation's (`conversation.escalated`, with
    what was done, once it is done) and the playbook steps the machine completes by itself."""
    event = CaseEvent(
        conversation_id=conversation_id,
        kind=kind,
        once_key=once_key,
        data=data,
        actor_user_id=actor.user_id,
        created_at=at if at is not None else utcnow(),
    )
    session.add(event)
    if audit is not None:
        record(
            session,
            actor=actor,
            kind=audit,
            conversation_id=conversation_id,
            data=data if audit_data is None else audit_data,
        )
    return event
