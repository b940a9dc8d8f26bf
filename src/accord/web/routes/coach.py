"""The coach in the composer: review the draft as it is typed (htmx, debounced), apply a
finding with one click, or start from a composed draft. Nothing is stored or sent here."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response

from accord.coach import service as coach
from accord.coach.types import CRITERIA
from accord.core.errors import ValidationFailed
from accord.core.ids import IdParam
from accord.web.coach_view import apply_finding
from accord.web.errors import WebRoute
from accord.web.render import blocks
from accord.web.routes.conversation import render_conversation
from accord.web.security import CurrentViewer, Db

router = APIRouter(route_class=WebRoute, include_in_schema=False)
MAX_DRAFT = 20_000
Draft = Annotated[str, Form(max_length=MAX_DRAFT)]


@router.post("/conversations/{conversation_id}/coach/review")
def review(
    conversation_id: IdParam, request: Request, viewer: CurrentViewer, db: Db, text: Draft = ""
) -> Response:
    result = None
    if text.strip():
        with db.read() as session:
            result = coach.review_draft(
                session, actor=viewer.principal, conversation_id=conversation_id, text=text
            )
    context = {"viewer": viewer, "c": {"id": conversation_id}, "draft": text, "review": result}
    return blocks(request, "composer.html", ["coach"], context)


@router.post("/conversations/{conversation_id}/coach/apply")
def apply(
    conversation_id: IdParam,
    request: Request,
    viewer: CurrentViewer,
    db: Db,
    criterion: Annotated[str, Form(max_length=64)],
    text: Draft = "",
) -> Response:
    if criterion not in CRITERIA:
        raise ValidationFailed(f"criterion must be one of: {', '.join(CRITERIA)}")
    with db.read() as session:
        found = coach.review_draft(
            session, actor=viewer.principal, conversation_id=conversation_id, text=text
        ).finding(criterion)
    changed = apply_finding(text, found) if found else text
    return render_conversation(request, viewer, db, conversation_id, draft=changed)


@router.post("/conversations/{conversation_id}/coach/draft")
def draft(conversation_id: IdParam, request: Request, viewer: CurrentViewer, db: Db) -> Response:
    with db.read() as session:
        composed = coach.compose(
            session, actor=viewer.principal, conversation_id=conversation_id
        ).text
    return render_conversation(request, viewer, db, conversation_id, draft=composed)
