"""The reply coach per conversation: review an agent's draft, or compose one. Staff only;
nothing is stored or sent."""

from __future__ import annotations

from fastapi import APIRouter

from accord.api.deps import Actor, AppSettings, Db
from accord.coach import service
from accord.coach.schemas import DraftOut, DraftRequest, ReviewOut, ReviewRequest
from accord.core.ids import IdParam

router = APIRouter(tags=["coach"])


@router.post("/conversations/{conversation_id}/coach/review")
def review_draft(conversation_id: IdParam, body: ReviewRequest, actor: Actor, db: Db) -> ReviewOut:
    """Score a draft reply 0-100 in this conversation's situation, with findings."""
    with db.read() as session:
        result = service.review_draft(
            session, actor=actor, conversation_id=conversation_id, text=body.draft
        )
    return ReviewOut.of(result)


@router.post("/conversations/{conversation_id}/coach/draft")
def compose_draft(
    conversation_id: IdParam, body: DraftRequest, actor: Actor, db: Db, settings: AppSettings
) -> DraftOut:
    """Compose a reply for the current playbook stage; pass `next_variant` back as `variant`
    for a draft that repeats none of this one's sentences. `provider: llm` asks the configured
    language model instead (the built-in draft comes back, with the reason, when its reply
    fails a safeguard). Nothing is sent."""
    if body.provider == "llm":
        with db.read() as session:
            ctx = service.conversation_context(
                session, actor=actor, conversation_id=conversation_id
            )
        outcome = service.compose_with_model(
            ctx, settings=settings, tone=body.tone, variant=body.variant
        )
        return DraftOut.of(outcome.draft, outcome.source, outcome.reason)
    with db.read() as session:
        result = service.compose(
            session,
            actor=actor,
            conversation_id=conversation_id,
            tone=body.tone,
            variant=body.variant,
            avoid=body.avoid,
        )
    return DraftOut.of(result)
