"""The chat widget's endpoints (`static/widget.js` calls them from a company's site).

The customer is identified by the access code in `Authorization: Bearer ...`; the widget
continues the customer's most recent open conversation, or opens one with its first message.
JSON in and out; `/widget/v1/stream` is Server-Sent Events (read with fetch, so the code
travels in a header and never in a URL).
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from accord.core.principal import Principal
from accord.inbox import service as inbox_service
from accord.inbox.models import Channel
from accord.inbox.schemas import ConversationCreate, MessageCreate, MessageIn
from accord.web import portal_data
from accord.web.customer import WidgetCustomer
from accord.web.live import stream
from accord.web.security import Db

router = APIRouter(prefix="/widget/v1", include_in_schema=False)
SUBJECT_CHARS = 60


class WidgetMessageIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)


class WidgetMessageOut(BaseModel):
    id: int
    mine: bool
    author: str
    text: str
    created_at: datetime


class WidgetState(BaseModel):
    customer: str
    conversation_id: int | None
    subject: str | None
    status: str | None
    messages: list[WidgetMessageOut]


def _state(session: Session, actor: Principal, name: str) -> WidgetState:
    current = portal_data.latest_open(session, actor)
    if current is None:
        return WidgetState(
            customer=name, conversation_id=None, subject=None, status=None, messages=[]
        )
    found = portal_data.messages(session, actor, current.id)
    return WidgetState(
        customer=name,
        conversation_id=current.id,
        subject=current.subject,
        status=current.status,
        messages=[WidgetMessageOut.model_validate(m, from_attributes=True) for m in found],
    )


@router.get("/conversation")
def widget_conversation(customer: WidgetCustomer, db: Db) -> WidgetState:
    with db.read() as session:
        return _state(session, customer.principal, customer.name)


@router.post("/messages")
def widget_send(body: WidgetMessageIn, customer: WidgetCustomer, db: Db) -> WidgetState:
    with db.write() as session:
        current = portal_data.latest_open(session, customer.principal)
        if current is None:
            subject = " ".join(body.text.split())[:SUBJECT_CHARS] or "Chat"
            data = ConversationCreate(
                subject=f"Chat: {subject}",
                channel=Channel.WEBCHAT,
                message=MessageIn(text=body.text),
            )
            inbox_service.create_conversation(session, actor=customer.principal, data=data)
        else:
            inbox_service.add_message(
                session,
                actor=customer.principal,
                conversation_id=current.id,
                data=MessageCreate(text=body.text),
            )
    with db.read() as session:
        return _state(session, customer.principal, customer.name)


def _stamp(session: Session, actor: Principal) -> str:
    current = portal_data.latest_open(session, actor)
    if current is None:
        return "none"
    return f"{current.id}:{portal_data.stamp(session, actor, current.id)}"


@router.get("/stream")
def widget_stream(request: Request, customer: WidgetCustomer, db: Db) -> Response:
    return stream(request, db, lambda session: _stamp(session, customer.principal))
