"""One conversation: timeline with analysis, case panel, controls and the composer.

Every action answers an htmx request with the re-rendered conversation region, and a plain
form post (no JavaScript) with a redirect back to the page.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request, Response
from fastapi.responses import RedirectResponse

from accord.cases import service as case_service
from accord.cases.escalation import service as escalation_service
from accord.coach import service as coach
from accord.core.ids import IdParam
from accord.inbox import service as inbox_service
from accord.inbox.models import Direction, Priority, Status
from accord.inbox.schemas import ConversationUpdate, MessageCreate
from accord.inbox.terms import ACTIVE_STATUSES
from accord.web.access_code import CodePanel, IssuedCode
from accord.web.conversation_data import load_page
from accord.web.errors import WebRoute
from accord.web.live import conversation_stamp, stream
from accord.web.render import blocks, page
from accord.web.security import CurrentViewer, Db, Viewer

router = APIRouter(route_class=WebRoute, include_in_schema=False)
STEP = r"^[a-z][a-z0-9_]{0,63}$"
REGION = "conversation"


def render_conversation(
    request: Request,
    viewer: Viewer,
    db: Db,
    conversation_id: int,
    *,
    draft: str | None = None,
    event: str | None = None,
    issued: IssuedCode | None = None,
) -> Response:
    """The page; for htmx, the conversation region (or, with a draft, just the composer).
    `issued`: a customer access code just issued, shown on this page once."""
    with db.read() as session:  # rows load lazily while the template renders
        data = load_page(session, viewer.principal, conversation_id)
        review = None
        if draft and draft.strip():
            review = coach.review_draft(
                session, actor=viewer.principal, conversation_id=conversation_id, text=draft
            )
        context = {
            "viewer": viewer,
            "c": data.conversation,
            "p": data,
            "statuses": [s.value for s in Status],
            "priorities": [p.value for p in Priority],
            "can_escalate": data.conversation.status in ACTIVE_STATUSES,
            "nav": "inbox",
            "draft": draft or "",
            "review": review,
            "code_panel": CodePanel(conversation_id, data.can_issue_code, issued),
        }
        if request.headers.get("hx-request") != "true":
            return page(request, "conversation.html", context)
        if draft is not None:
            return blocks(request, "composer.html", ["composer"], context)
        response = blocks(request, "conversation.html", [REGION], context)
    if event:
        response.headers["HX-Trigger"] = event
    return response


def _after_action(
    request: Request, viewer: Viewer, db: Db, conversation_id: int, event: str | None = None
) -> Response:
    if request.headers.get("hx-request") == "true":
        return render_conversation(request, viewer, db, conversation_id, event=event)
    return RedirectResponse(f"/conversations/{conversation_id}", status_code=303)


@router.get("/conversations/{conversation_id}")
def conversation(
    conversation_id: IdParam, request: Request, viewer: CurrentViewer, db: Db
) -> Response:
    return render_conversation(request, viewer, db, conversation_id)


@router.get("/conversations/{conversation_id}/stream")
def conversation_stream(
    conversation_id: IdParam, request: Request, viewer: CurrentViewer, db: Db
) -> Response:
    """Server-Sent Events: `changed` when a message, status or step changes."""
    with db.read() as session:  # refuse at once (404) what the viewer may not see
        conversation_stamp(session, viewer.principal, conversation_id)
    return stream(
        request,
        db,
        lambda session: conversation_stamp(session, viewer.principal, conversation_id),
    )


@router.post("/conversations/{conversation_id}/messages")
def send(
    conversation_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    text: Annotated[str, Form(max_length=200_000)],
    kind: Annotated[Literal["reply", "note"], Form()] = "reply",
) -> Response:
    direction = Direction.NOTE if kind == "note" else Direction.OUTBOUND
    data = MessageCreate(text=text, direction=direction)
    with db.write() as session:
        inbox_service.add_message(
            session, actor=viewer.principal, conversation_id=conversation_id, data=data
        )
    return _after_action(request, viewer, db, conversation_id, event="accord:sent")


@router.post("/conversations/{conversation_id}/steps/{step_id}")
def step(
    conversation_id: IdParam,
    step_id: Annotated[str, Path(pattern=STEP)],
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    done: Annotated[bool, Form()],
) -> Response:
    with db.write() as session:
        case_service.set_step(
            session,
            actor=viewer.principal,
            conversation_id=conversation_id,
            step_id=step_id,
            done=done,
            reason="changed in the web interface",
        )
    return _after_action(request, viewer, db, conversation_id)


@router.post("/conversations/{conversation_id}/escalate")
def escalate(
    conversation_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    reason: Annotated[str, Form(min_length=1, max_length=2000)],
) -> Response:
    """Escalate to a supervisor: onto their queue, with a hand-off note that says why."""
    with db.write() as session:
        escalation_service.escalate(
            session, actor=viewer.principal, conversation_id=conversation_id, reason=reason
        )
    return _after_action(request, viewer, db, conversation_id)


@router.post("/conversations/{conversation_id}/update")
def update(
    conversation_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    version: Annotated[int, Form(ge=1)],
    status: Annotated[Status, Form()],
    priority: Annotated[Priority, Form()],
    assignee: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Status, priority and assignee, as the API's update: a supervisor's choice of assignee
    is a routing override (the case layer notes it; see cases.subscribers)."""
    wanted = int(assignee) if assignee.isascii() and assignee.isdigit() else None
    changes = ConversationUpdate.model_validate(
        {"status": status, "priority": priority, "version": version, "assignee_id": wanted}
    )
    with db.write() as session:
        inbox_service.update_conversation(
            session, actor=viewer.principal, conversation_id=conversation_id, data=changes
        )
    return _after_action(request, viewer, db, conversation_id)
