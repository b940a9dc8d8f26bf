"""Request and response bodies of the coach endpoints."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from accord.coach.drafts import Draft
from accord.coach.types import Kind, Review, Status, Tone
from accord.core.requests import RequestModel
from accord.insights.schemas import SpanOut

MAX_DRAFT_CHARS = 20_000


class ReviewRequest(RequestModel):
    model_config = ConfigDict(extra="forbid")

    draft: str = Field(min_length=1, max_length=MAX_DRAFT_CHARS)


class DraftRequest(RequestModel):
    model_config = ConfigDict(extra="forbid")

    tone: Tone = "warm"
    provider: Literal["template", "llm"] = Field(
        default="template", description="llm: the configured language model, with safeguards."
    )
    variant: int = Field(default=0, ge=0, le=10_000, description="Pass the last next_variant.")
    avoid: list[str] = Field(default_factory=list, max_length=20)


class FindingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    criterion: str
    kind: Kind
    status: Status
    weight: float
    evidence: list[SpanOut]
    suggestion: str | None


class ReviewOut(BaseModel):
    score: int
    tone: float
    situation: list[str]
    findings: list[FindingOut]

    @classmethod
    def of(cls, review: Review) -> ReviewOut:
        return cls(
            score=review.score,
            tone=review.tone,
            situation=list(review.situation),
            findings=[FindingOut.model_validate(f) for f in review.findings],
        )


class DraftOut(BaseModel):
    text: str
    tone: Tone
    variant: int
    next_variant: int
    review: ReviewOut
    source: Literal["template", "llm"] = "template"
    fallback_reason: str | None = None  # why the language model's reply was not used
    auto_sent: bool = False  # drafts are never sent by the coach

    @classmethod
    def of(
        cls,
        draft: Draft,
        source: Literal["template", "llm"] = "template",
        reason: str | None = None,
    ) -> DraftOut:
        return cls(
            text=draft.text,
            tone=draft.tone,
            variant=draft.variant,
            next_variant=draft.variant + 1,
            review=ReviewOut.of(draft.review),
            source=source,
            fallback_reason=reason,
        )
