"""Recording timeline events, and the guard that keeps them append-only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from accord.audit.models import Event
from accord.core.clock import utcnow
from accord.core.principal import Principal


def record(
    session: Session,
    *,
    actor: Principal,
    kind: str,
    conversation_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Event:
    row = Event(
        kind=kind,
        conversation_id=conversation_id,
        actor_user_id=actor.user_id,
        actor_customer_id=actor.customer_id,
        data=data or {},
        created_at=utcnow(),
    )
    session.add(row)
    return row


class AppendOnlyViolation(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_event_rewrites(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Event):
            raise AppendOnlyViolation("timeline events are append-only")
