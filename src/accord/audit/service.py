"""Recording timeline events, and the guard that keeps them append-only (erasing a customer's
personal data is the one sanctioned exception: `erase_for_customer`)."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Select, delete, event, or_, select, update
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


# Kinds whose data Accord writes without any personal data (ids and counts): an erasure keeps
# them as they are, so the trail still says who exported or erased the customer, and when.
_PII_FREE = frozenset({"customer.exported", "customer.erased"})
ERASED = "[erased]"


def erase_for_customer(
    session: Session, *, customer_id: int, conversation_ids: Select[int]
) -> tuple[int, int]:
    """The one exception to append-only: erasing a customer's personal data (accord.gdpr).

    The events of their conversations are deleted (subjects, reasons and quotes live there);
    events about them elsewhere (customer.updated with a name, token.created with its label)
    keep their kind, time, actor and ids, and every other value becomes ``[erased]``. Core
    statements, not the unit of work, so the append-only guard above stays in force for every
    other write. Returns (deleted, rewritten)."""
    deleted = cast(
        "CursorResult[Any]",
        session.execute(delete(Event).where(Event.conversation_id.in_(conversation_ids))),
    )
    about = or_(
        Event.actor_customer_id == customer_id,
        Event.data["customer_id"].as_integer() == customer_id,
    )
    rows = session.execute(
        select(Event.id, Event.data).where(about, Event.kind.not_in(sorted(_PII_FREE)))
    ).all()
    for event_id, data in rows:
        session.execute(update(Event).where(Event.id == event_id).values(data=_scrubbed(data)))
    return deleted.rowcount, len(rows)


def _scrubbed(data: dict[str, Any] | None) -> dict[str, Any]:
    keep = (int, float, bool, type(None))
    return {k: v if isinstance(v, keep) else ERASED for k, v in (data or {}).items()}


class AppendOnlyViolation(RuntimeError):
    pass


@event.listens_for(Session, "before_flush")
def _refuse_event_rewrites(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Event):
            raise AppendOnlyViolation("timeline events are append-only")
