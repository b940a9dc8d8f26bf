"""Conversations, their messages and their timeline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Header, Query, Response, status
from sqlalchemy.orm import Session

from accord.api.deps import Actor, Db, etag, parse_if_match
from accord.cases.escalation.boundaries import masked_texts
from accord.core.errors import PreconditionRequired
from accord.core.ids import AfterIdParam, IdParam
from accord.inbox import queries, service
from accord.inbox.models import Channel, Conversation, Message, Priority, Status
from accord.inbox.schemas import (
    ConversationCreate,
    ConversationDetail,
    ConversationInsightOut,
    ConversationOut,
    ConversationUpdate,
    EventOut,
    MessageCreate,
    MessageOut,
    Page,
)
from accord.insights import queries as insight_queries
from accord.insights.schemas import ConversationAnalysisOut, MessageInsightOut

router = APIRouter(tags=["conversations"])
LABEL = r"^[a-z][a-z _-]{0,63}$"
SIGNAL = r"^[a-z][a-z_]{0,63}$"
IdempotencyKey = Annotated[
    str | None,
    Header(description="Repeat a create safely: the same key returns the first result."),
]
IfMatch = Annotated[str | None, Header(description='The ETag you last saw, e.g. "3".')]
_REPLAYED = "A repeat of an earlier create: the first result, with `Idempotent-Replayed: true`."


@router.get("/conversations")
def list_conversations(
    actor: Actor,
    db: Db,
    status_: Annotated[list[Status] | None, Query(alias="status")] = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    team_id: IdParam | None = None,
    assignee_id: IdParam | None = None,
    unassigned: bool = False,
    tag: Annotated[str | None, Query(max_length=64)] = None,
    customer_id: IdParam | None = None,
    channel: Channel | None = None,
    topic: Annotated[str | None, Query(pattern=LABEL)] = None,
    cause: Annotated[str | None, Query(pattern=LABEL)] = None,
    signal: Annotated[str | None, Query(pattern=SIGNAL)] = None,
    sort: Annotated[queries.SortKey, Query()] = "-last_message_at",
    cursor: Annotated[str | None, Query(max_length=500)] = None,
    limit: Annotated[int, Query(ge=1, le=queries.MAX_LIMIT)] = 50,
) -> Page[ConversationOut]:
    filters = queries.ConversationFilter(
        status=[s.value for s in status_ or ()],
        priority=[p.value for p in priority or ()],
        team_id=team_id,
        assignee_id=assignee_id,
        unassigned=unassigned,
        tag=tag,
        customer_id=customer_id,
        channel=channel.value if channel else None,
        topic=topic,
        cause=cause,
        signal=signal,
    )
    with db.read() as session:
        rows, next_cursor = queries.list_conversations(
            session, actor, filters=filters, sort=sort, cursor=cursor, limit=limit
        )
        items = _with_insights(session, actor, rows)
    return Page[ConversationOut](items=items, next_cursor=next_cursor)


def _with_insights(
    session: Session, actor: Actor, rows: Sequence[Conversation]
) -> list[ConversationOut]:
    found = (
        insight_queries.for_conversations(session, [c.id for c in rows]) if actor.is_staff else {}
    )
    out = []
    for row in rows:
        item = ConversationOut.model_validate(row)
        insight = found.get(row.id)
        if insight is not None:
            item.insight = ConversationInsightOut.model_validate(insight)
        out.append(item)
    return out


@router.post(
    "/conversations",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": ConversationDetail, "description": _REPLAYED}},
)
def create_conversation(
    body: ConversationCreate,
    response: Response,
    actor: Actor,
    db: Db,
    idempotency_key: IdempotencyKey = None,
) -> ConversationDetail:
    with db.write() as session:
        row, created = service.create_conversation(
            session, actor=actor, data=body, idempotency_key=idempotency_key
        )
        out = _detail(session, actor, row.id)
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["Location"] = f"/api/v1/conversations/{out.id}"
    response.headers["ETag"] = etag(out.version)
    return out


def _detail(session: Session, actor: Actor, conversation_id: int) -> ConversationDetail:
    row = queries.get_conversation(session, actor, conversation_id)
    messages = queries.list_messages(session, actor, conversation_id)
    base = _with_insights(session, actor, [row])[0].model_dump()
    return ConversationDetail(**base, messages=_messages_out(session, actor, messages))


def _messages_out(session: Session, actor: Actor, rows: Sequence[Message]) -> list[MessageOut]:
    """Messages as `actor` may see them: abusive words masked for agents."""
    masked = masked_texts(session, actor, rows)
    out = [MessageOut.model_validate(m) for m in rows]
    for item in out:
        if item.id in masked:
            item.text, item.masked = masked[item.id], True
    return out


@router.get("/conversations/{conversation_id}")
def get_conversation(
    conversation_id: IdParam, response: Response, actor: Actor, db: Db
) -> ConversationDetail:
    with db.read() as session:
        out = _detail(session, actor, conversation_id)
    response.headers["ETag"] = etag(out.version)
    return out


@router.patch("/conversations/{conversation_id}")
def update_conversation(
    conversation_id: IdParam,
    body: ConversationUpdate,
    response: Response,
    actor: Actor,
    db: Db,
    if_match: IfMatch = None,
) -> ConversationOut:
    expected = parse_if_match(if_match)
    if expected is None and body.version is None:
        raise PreconditionRequired(
            "send If-Match with the ETag you last saw, or the `version` field"
        )
    with db.write() as session:
        row = service.update_conversation(
            session, actor=actor, conversation_id=conversation_id, data=body, if_match=expected
        )
        out = ConversationOut.model_validate(row)
    response.headers["ETag"] = etag(out.version)
    return out


@router.get("/conversations/{conversation_id}/messages")
def list_messages(conversation_id: IdParam, actor: Actor, db: Db) -> list[MessageOut]:
    with db.read() as session:
        rows = queries.list_messages(session, actor, conversation_id)
        return _messages_out(session, actor, rows)


@router.post(
    "/conversations/{conversation_id}/messages",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"model": MessageOut, "description": _REPLAYED}},
)
def add_message(
    conversation_id: IdParam, body: MessageCreate, response: Response, actor: Actor, db: Db
) -> MessageOut:
    with db.write() as session:
        row, created = service.add_message(
            session, actor=actor, conversation_id=conversation_id, data=body
        )
        out = _messages_out(session, actor, [row])[0]
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers["Idempotent-Replayed"] = "true"
    return out


@router.get("/conversations/{conversation_id}/analysis")
def conversation_analysis(
    conversation_id: IdParam, actor: Actor, db: Db
) -> ConversationAnalysisOut:
    """Heat over time, trajectory, escalation risk, and each message's full analysis."""
    with db.read() as session:
        summary, messages = insight_queries.conversation_analysis(session, actor, conversation_id)
        return ConversationAnalysisOut(
            conversation=ConversationInsightOut.model_validate(summary) if summary else None,
            messages=[MessageInsightOut.model_validate(m) for m in messages],
        )


@router.get("/conversations/{conversation_id}/events")
def conversation_events(
    conversation_id: IdParam,
    actor: Actor,
    db: Db,
    after_id: AfterIdParam = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[EventOut]:
    with db.read() as session:
        rows = queries.list_events(
            session, actor, conversation_id=conversation_id, after_id=after_id, limit=limit
        )
        return [EventOut.model_validate(e) for e in rows]


@router.get("/events")
def all_events(
    actor: Actor,
    db: Db,
    after_id: AfterIdParam = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[EventOut]:
    with db.read() as session:
        rows = queries.list_events(session, actor, after_id=after_id, limit=limit)
        return [EventOut.model_validate(e) for e in rows]
