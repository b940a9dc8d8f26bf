"""Read models: conversation lists with filters, sorting and keyset pagination; messages; events.

Cursors are opaque (base64 of a small JSON document) and carry the sort key of the last row
seen plus its id, so pages stay stable while new conversations arrive. The `sla_due` sort
orders by the stored SLA due moment, soonest (most overdue) first, then the conversations with
no running clock, most recently active first; its cursor carries both keys.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Select, String, and_, cast, func, or_, select
from sqlalchemy.orm import Session, selectinload

from accord.audit.models import Event
from accord.auth.access import require_staff, require_supervisor
from accord.core.errors import BadRequest
from accord.core.principal import Principal
from accord.inbox.access import conversation_scope, load_conversation, visible_directions
from accord.inbox.models import Conversation, ConversationTag, Customer, Message
from accord.inbox.readings import ConversationInsight

SortKey = Literal[
    "created_at",
    "-created_at",
    "updated_at",
    "-updated_at",
    "last_message_at",
    "-last_message_at",
    "heat",
    "-heat",
    "sla_due",
]
# Conversations not analysed yet (no customer text) sort as cold.
HEAT = func.coalesce(ConversationInsight.heat, 0.0)
SORT_KEYS: tuple[str, ...] = SortKey.__args__  # type: ignore[attr-defined]
SLA_ORDER = (
    Conversation.sla_due_at.asc().nulls_last(),
    Conversation.last_message_at.desc(),
    Conversation.id.desc(),
)
MAX_LIMIT = 200


@dataclass(frozen=True)
class ConversationFilter:
    status: Sequence[str] = ()
    priority: Sequence[str] = ()
    team_id: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    tag: str | None = None
    customer_id: int | None = None
    channel: str | None = None
    topic: str | None = None
    cause: str | None = None
    signal: str | None = None


def encode_cursor(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> dict[str, Any]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise BadRequest("cursor is not valid; use next_cursor from a previous page") from exc
    if not isinstance(payload, dict):
        raise BadRequest("cursor is not valid; use next_cursor from a previous page")
    return payload


def list_conversations(
    session: Session,
    actor: Principal,
    *,
    filters: ConversationFilter = ConversationFilter(),
    sort: str = "-last_message_at",
    cursor: str | None = None,
    limit: int = 50,
) -> tuple[Sequence[Conversation], str | None]:
    if sort not in SORT_KEYS:
        raise BadRequest(f"sort must be one of {', '.join(SORT_KEYS)}")
    limit = max(1, min(limit, MAX_LIMIT))
    base = select(Conversation).outerjoin(
        ConversationInsight, ConversationInsight.conversation_id == Conversation.id
    )
    query = _filtered(base.where(conversation_scope(actor)), filters)
    if sort == "sla_due":
        query, order = _sla_page(query, cursor)
    else:
        query, order = _column_page(query, sort, cursor)
    rows = session.scalars(
        query.options(selectinload(Conversation.tag_rows)).order_by(*order).limit(limit + 1)
    ).all()
    if len(rows) <= limit:
        return rows, None
    last = rows[limit - 1]
    return rows[:limit], encode_cursor(_position(session, last, sort))


def _column_page(
    query: Select[Conversation], sort: str, cursor: str | None
) -> tuple[Select[Conversation], tuple[Any, ...]]:
    """A sort on one column (then the id): the rows after the cursor, and the order."""
    key = sort.lstrip("-")
    column = HEAT if key == "heat" else getattr(Conversation, key)
    descending = sort.startswith("-")
    if cursor is not None:
        query = query.where(_after(cursor, sort, column, descending))
    order = (column.desc(), Conversation.id.desc()) if descending else (column, Conversation.id)
    return query, order


def _sla_page(
    query: Select[Conversation], cursor: str | None
) -> tuple[Select[Conversation], tuple[Any, ...]]:
    if cursor is not None:
        query = query.where(_after_sla(decode_cursor(cursor)))
    return query, SLA_ORDER


def _position(session: Session, row: Conversation, sort: str) -> dict[str, Any]:
    """What a cursor remembers of the last row of a page."""
    if sort == "sla_due":
        due = row.sla_due_at.isoformat() if row.sla_due_at is not None else None
        return {"s": sort, "v": due, "m": row.last_message_at.isoformat(), "id": row.id}
    return {"s": sort, "v": _sort_value(session, row, sort.lstrip("-")), "id": row.id}


def _sort_value(session: Session, row: Conversation, key: str) -> str | float:
    if key == "heat":
        insight = session.get(ConversationInsight, row.id)
        return insight.heat if insight is not None else 0.0
    value: datetime = getattr(row, key)
    return value.isoformat()


def _filtered(query: Select[Conversation], f: ConversationFilter) -> Select[Conversation]:
    if f.status:
        query = query.where(Conversation.status.in_(list(f.status)))
    if f.priority:
        query = query.where(Conversation.priority.in_(list(f.priority)))
    if f.team_id is not None:
        query = query.where(Conversation.team_id == f.team_id)
    if f.assignee_id is not None:
        query = query.where(Conversation.assignee_id == f.assignee_id)
    if f.unassigned:
        query = query.where(Conversation.assignee_id.is_(None))
    if f.customer_id is not None:
        query = query.where(Conversation.customer_id == f.customer_id)
    if f.channel is not None:
        query = query.where(Conversation.channel == f.channel)
    if f.topic is not None:
        query = query.where(ConversationInsight.topic == f.topic)
    if f.cause is not None:
        query = query.where(ConversationInsight.cause == f.cause)
    if f.signal is not None:
        # Signals are a JSON list; its text form holds each name in quotes on both backends.
        # Names are validated as [a-z_]+ by the API, so no LIKE wildcard can slip in.
        query = query.where(cast(ConversationInsight.signals, String).like(f'%"{f.signal}"%'))
    if f.tag is not None:
        tagged = select(ConversationTag.conversation_id).where(ConversationTag.tag == f.tag.lower())
        query = query.where(Conversation.id.in_(tagged))
    return query


def _after_sla(payload: dict[str, Any]) -> Any:
    """The rows after a cursor of the `sla_due` sort (see `SLA_ORDER`)."""
    if payload.get("s") != "sla_due":
        raise BadRequest("cursor was made for a different sort order")
    try:
        due = None if payload["v"] is None else datetime.fromisoformat(str(payload["v"]))
        active = datetime.fromisoformat(str(payload["m"]))
        last_id = int(payload["id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequest("cursor is not valid; use next_cursor from a previous page") from exc
    if (due is not None and due.tzinfo is None) or active.tzinfo is None:
        raise BadRequest("cursor is not valid; use next_cursor from a previous page")
    column = Conversation.sla_due_at
    later = or_(
        Conversation.last_message_at < active,
        and_(Conversation.last_message_at == active, Conversation.id < last_id),
    )
    if due is None:  # among the conversations with no running clock
        return and_(column.is_(None), later)
    return or_(column.is_(None), column > due, and_(column == due, later))


def _after(cursor: str, sort: str, column: Any, descending: bool) -> Any:
    payload = decode_cursor(cursor)
    if payload.get("s") != sort:
        raise BadRequest("cursor was made for a different sort order")
    try:
        raw = payload["v"]
        value = float(raw) if sort.lstrip("-") == "heat" else datetime.fromisoformat(str(raw))
        last_id = int(payload["id"])
    except (KeyError, TypeError, ValueError) as exc:
        raise BadRequest("cursor is not valid; use next_cursor from a previous page") from exc
    if descending:
        return or_(column < value, and_(column == value, Conversation.id < last_id))
    return or_(column > value, and_(column == value, Conversation.id > last_id))


def get_conversation(session: Session, actor: Principal, conversation_id: int) -> Conversation:
    return load_conversation(session, actor, conversation_id)


def list_messages(session: Session, actor: Principal, conversation_id: int) -> Sequence[Message]:
    load_conversation(session, actor, conversation_id)
    return session.scalars(
        select(Message)
        .where(
            Message.conversation_id == conversation_id,
            Message.direction.in_(visible_directions(actor)),
        )
        .order_by(Message.id)
    ).all()


def list_events(
    session: Session,
    actor: Principal,
    *,
    conversation_id: int | None = None,
    after_id: int = 0,
    limit: int = 100,
) -> Sequence[Event]:
    """The timeline is for staff: one conversation's events for whoever may see it, the whole
    audit trail only for supervisors and admins."""
    require_staff(actor)
    query = select(Event).where(Event.id > after_id)
    if conversation_id is not None:
        load_conversation(session, actor, conversation_id)
        query = query.where(Event.conversation_id == conversation_id)
    else:
        require_supervisor(actor)
    return session.scalars(query.order_by(Event.id).limit(max(1, min(limit, 500)))).all()


def list_customers(
    session: Session, actor: Principal, *, after_id: int = 0, limit: int = 50
) -> Sequence[Customer]:
    require_staff(actor)
    return session.scalars(
        select(Customer)
        .options(selectinload(Customer.identities))
        .where(Customer.id > after_id)
        .order_by(Customer.id)
        .limit(max(1, min(limit, MAX_LIMIT)))
    ).all()
