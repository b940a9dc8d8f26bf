"""The chat widget's endpoints (`static/widget.js` calls them from a company's site).

The customer is identified by the access code in `Authorization: Bearer ...`; the widget
continues the customer's most recent open conversation, or opens one with its first message.
JSON in and out; `/widget/v1/stream` is Server-Sent Events (read with fetch, so the code
travels in a header and never in a URL).

With `ACCORD_WIDGET_ANONYMOUS`, `POST /widget/v1/visitors` lets an anonymous visitor start a
chat: it returns a visitor credential that the other endpoints accept like an access code
(see `accord.inbox.channels.webchat`). Starting chats and sending messages are limited per address.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator
from sqlalchemy.orm import Session

from accord.core.errors import PermissionDenied
from accord.core.principal import Principal
from accord.core.text import required_line, required_text
from accord.inbox.channels.webchat import service as webchat
from accord.settings import Settings
from accord.web import portal_data
from accord.web.customer import WidgetCustomer
from accord.web.live import stream
from accord.web.security import Db, client_address
from accord.web.widget_limits import Limits

router = APIRouter(prefix="/widget/v1", include_in_schema=False)


class WidgetMessageIn(BaseModel):
    """A customer's message: the text is all they decide (priority, tags: 422)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=10_000)


class WidgetVisitorIn(BaseModel):
    """An anonymous visitor's start form. Nothing here is verified."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    email: EmailStr | None = None
    text: str = Field(min_length=1, max_length=10_000)

    _name = field_validator("name")(required_line)
    _first = field_validator("text")(required_text)


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


class WidgetVisitorOut(BaseModel):
    credential: str
    state: WidgetState


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
def widget_send(
    request: Request, body: WidgetMessageIn, customer: WidgetCustomer, db: Db, limits: Limits
) -> WidgetState:
    limits.messages.take(client_address(request))
    with db.write() as session:
        webchat.send(session, customer.principal, body.text)
    with db.read() as session:
        return _state(session, customer.principal, customer.name)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def anonymous_enabled(request: Request) -> None:
    """A dependency, so a server with the feature off says so before reading any body."""
    if not _settings(request).widget_anonymous:
        raise PermissionDenied("chats from anonymous visitors are not enabled on this server")


@router.post("/visitors", status_code=201, dependencies=[Depends(anonymous_enabled)])
def widget_start_visitor(
    request: Request, body: WidgetVisitorIn, db: Db, limits: Limits
) -> WidgetVisitorOut:
    """An anonymous visitor starts a chat: a customer of their own, its credential and the
    conversation, in one transaction (a refusal leaves nothing behind)."""
    limits.visitors.take(client_address(request))
    days = _settings(request).widget_visitor_days
    with db.write() as session:
        visitor = webchat.start_visitor(
            session, name=body.name, email=body.email, text=body.text, lifetime_days=days
        )
    with db.read() as session:
        state = _state(session, visitor.principal, visitor.name)
    return WidgetVisitorOut(credential=visitor.credential, state=state)


def _stamp(session: Session, actor: Principal) -> str:
    current = portal_data.latest_open(session, actor)
    if current is None:
        return "none"
    return f"{current.id}:{portal_data.stamp(session, actor, current.id)}"


@router.get("/stream")
def widget_stream(request: Request, customer: WidgetCustomer, db: Db) -> Response:
    return stream(request, db, lambda session: _stamp(session, customer.principal))
