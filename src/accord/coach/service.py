"""The coach over a stored conversation: its context, a review of a draft, a composed draft.

Read-only: nothing is stored. The context is the customer's recent messages (their stored
analysis; the engine runs only for one without), the case's next playbook step as the stage and
the boundaries policy's abuse level.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from accord.auth.access import require_staff
from accord.cases.policies import in_force
from accord.cases.service import case_view
from accord.coach.context import build_context
from accord.coach.drafts import Draft, draft
from accord.coach.llm import LlmOutcome, config_from_settings, llm_draft
from accord.coach.policy import load_policy
from accord.coach.review import review
from accord.coach.types import CoachContext, Review, Tone
from accord.core.errors import AnalysisOff, NotFound, ValidationFailed
from accord.core.principal import Principal
from accord.inbox.access import load_conversation
from accord.inbox.models import Direction, Message
from accord.insights.queries import stored_analyses
from accord.settings import Settings, analyzer_for, settings_of

__all__ = [
    "HISTORY",
    "compose",
    "compose_with_model",
    "conversation_context",
    "require_analysis",
    "review_draft",
]

HISTORY = 20  # the latest messages read for the context
_ROLES = {Direction.INBOUND.value: "customer", Direction.OUTBOUND.value: "agent"}


def _stage(session: Session, actor: Principal, conversation_id: int) -> str | None:
    try:
        action = case_view(session, actor, conversation_id).next_action
    except NotFound:  # no message analysed yet, so no case
        return None
    return action.step_id if action else None


def conversation_context(
    session: Session, *, actor: Principal, conversation_id: int
) -> CoachContext:
    require_staff(actor)
    conversation = load_conversation(session, actor, conversation_id)
    settings = settings_of(session)
    require_analysis(settings)
    rows: Sequence[Message] = session.scalars(
        select(Message)
        .where(Message.conversation_id == conversation.id, Message.direction.in_(list(_ROLES)))
        .order_by(Message.created_at.desc(), Message.id.desc())
        .limit(HISTORY)
    ).all()
    messages = [(_ROLES[m.direction], m.text) for m in reversed(rows)]
    known = stored_analyses(session, [m.id for m in rows if m.direction == Direction.INBOUND])
    stored = {m.text: known[m.id] for m in rows if m.id in known}
    return build_context(
        messages,
        stored=stored,
        analyzer=analyzer_for(settings),
        customer_name=conversation.customer.name,
        customer_contacts=[i.value for i in conversation.customer.identities if i.kind == "email"],
        stage=_stage(session, actor, conversation.id),
        abuse_min_severity=in_force.rule_set(session).boundaries.abusive_min_severity,
    )


def require_analysis(settings: Settings) -> None:
    """The coach reads the customer's messages with the analysis engine (and the sentence
    encoder, and perhaps a language model): none of it while the analysis is switched off."""
    if not settings.analysis_enabled:
        raise AnalysisOff("the coach is off with the analysis (ACCORD_ANALYSIS_ENABLED=false)")


def review_draft(session: Session, *, actor: Principal, conversation_id: int, text: str) -> Review:
    ctx = conversation_context(session, actor=actor, conversation_id=conversation_id)
    return review(text, ctx)


def compose(
    session: Session,
    *,
    actor: Principal,
    conversation_id: int,
    tone: Tone = "warm",
    variant: int = 0,
    avoid: Sequence[str] = (),
) -> Draft:
    ctx = conversation_context(session, actor=actor, conversation_id=conversation_id)
    policy = load_policy(settings_of(session).coach_policy_file)
    return draft(ctx, tone=tone, policy=policy, variant=variant, avoid=avoid)


def compose_with_model(
    ctx: CoachContext, *, settings: Settings, tone: Tone = "warm", variant: int = 0
) -> LlmOutcome:
    """A language-model draft for an already built context (call it outside a transaction:
    it waits on the network), with the provider and remedy policy of ``settings``. Refused
    when no provider is configured."""
    require_analysis(settings)
    config = config_from_settings(settings)
    if config is None:
        raise ValidationFailed("the language-model provider is off: set ACCORD_COACH_LLM_URL")
    policy = load_policy(settings.coach_policy_file)
    return llm_draft(ctx, config=config, tone=tone, policy=policy, variant=variant)
