"""The customer portal: my conversations, a new request, a conversation with a reply box.

Plain forms (the portal needs no JavaScript); with JavaScript an open conversation follows
its stream and re-fetches its messages when support replies.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse
from pydantic import BaseModel, ConfigDict, Field

from accord.core.ids import IdParam
from accord.inbox import queries
from accord.inbox import service as inbox_service
from accord.inbox.models import Channel
from accord.inbox.schemas import ConversationCreate, MessageCreate, MessageIn
from accord.web import portal_data
from accord.web.customer import Customer, PortalCustomer
from accord.web.errors import WebRoute
from accord.web.live import stream
from accord.web.render import page, page_or_blocks
from accord.web.security import Db

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _context(customer: Customer, nav: str, **extra: object) -> dict[str, object]:
    return {"viewer": None, "customer": customer, "nav": nav, **extra}


@router.get("/portal")
def portal_home(
    request: Request,
    customer: PortalCustomer,
    db: Db,
    cursor: Annotated[str | None, Query(max_length=500)] = None,
) -> Response:
    with db.read() as session:
        mine, after = portal_data.my_conversations(session, customer.principal, cursor)
    context = _context(customer, "portal", conversations=mine, after=after)
    return page(request, "portal_home.html", context)


@router.get("/portal/new")
def portal_new(request: Request, customer: PortalCustomer) -> Response:
    return page(request, "portal_new.html", _context(customer, "new"))


class NewRequestForm(BaseModel):
    """The new-request form: what a customer decides (a priority or tags are refused, 422)."""

    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=200_000)
    csrf_token: str = Field(default="", max_length=200)


@router.post("/portal/conversations")
def portal_create(
    customer: PortalCustomer, db: Db, form: Annotated[NewRequestForm, Form()]
) -> Response:
    data = ConversationCreate(
        subject=form.subject, channel=Channel.WEBCHAT, message=MessageIn(text=form.text)
    )
    with db.write() as session:
        row, _created = inbox_service.create_conversation(
            session, actor=customer.principal, data=data
        )
        target = f"/portal/conversations/{row.id}"
    return RedirectResponse(target, status_code=303)


@router.get("/portal/conversations/{conversation_id}")
def portal_conversation(
    conversation_id: IdParam, request: Request, customer: PortalCustomer, db: Db
) -> Response:
    with db.read() as session:
        row = queries.get_conversation(session, customer.principal, conversation_id)
        context = _context(
            customer,
            "portal",
            c=portal_data.summary(row),
            messages=portal_data.messages(session, customer.principal, conversation_id),
        )
    return page_or_blocks(request, "portal_conversation.html", ["thread"], context)


@router.post("/portal/conversations/{conversation_id}/messages")
def portal_reply(
    conversation_id: IdParam,
    customer: PortalCustomer,
    db: Db,
    text: Annotated[str, Form(min_length=1, max_length=200_000)],
) -> Response:
    with db.write() as session:
        inbox_service.add_message(
            session,
            actor=customer.principal,
            conversation_id=conversation_id,
            data=MessageCreate(text=text),
        )
    return RedirectResponse(f"/portal/conversations/{conversation_id}", status_code=303)


@router.get("/portal/conversations/{conversation_id}/stream")
def portal_stream(
    conversation_id: IdParam, request: Request, customer: PortalCustomer, db: Db
) -> Response:
    with db.read() as session:  # refuse at once (404) what the customer may not see
        portal_data.stamp(session, customer.principal, conversation_id)
    return stream(
        request, db, lambda session: portal_data.stamp(session, customer.principal, conversation_id)
    )
