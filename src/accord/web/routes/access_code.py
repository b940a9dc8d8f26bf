"""Issuing a customer's portal access code from one of their conversations.

The same service and the same rule as `POST /api/v1/customers/{id}/tokens` (only staff who see
every conversation of the customer: `inbox.access.may_issue_customer_code`); the audit trail records
who issued it, for which customer. The code is shown once, in a panel outside the live region,
so a live refresh cannot wipe it before it is copied; no page shows it again.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from accord.core.ids import IdParam
from accord.inbox import customer_codes
from accord.inbox.access import load_conversation
from accord.web.access_code import CodePanel, IssuedCode
from accord.web.errors import WebRoute
from accord.web.render import blocks
from accord.web.routes.conversation import render_conversation
from accord.web.security import CurrentViewer, Db

router = APIRouter(route_class=WebRoute, include_in_schema=False)
# Not the widget visitor's credential name (inbox.channels.webchat.visitors): a code issued
# here never makes a customer a visitor.
CODE_NAME = "portal access code"


@router.post("/conversations/{conversation_id}/customer-code")
def issue_customer_code(
    conversation_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    days: Annotated[int, Form(ge=1, le=3650)] = 90,
) -> Response:
    with db.write() as session:
        conversation = load_conversation(session, viewer.principal, conversation_id)
        secret, token = customer_codes.issue_customer_code(
            session,
            actor=viewer.principal,
            customer_id=conversation.customer_id,
            name=CODE_NAME,
            expires_in_days=days,
        )
        issued = IssuedCode(secret, token.expires_at, f"{request.base_url}portal/login")
    if request.headers.get("hx-request") != "true":
        return render_conversation(request, viewer, db, conversation_id, issued=issued)
    context = {"viewer": viewer, "code_panel": CodePanel(conversation_id, True, issued)}
    return blocks(request, "conversation.html", ["customer_code"], context)
