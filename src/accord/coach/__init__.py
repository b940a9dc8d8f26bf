"""The reply coach: review an agent's draft against the conflict-resolution practice, and
compose drafts that apply it. See docs/coach.md.

    from accord.coach import build_context, review, draft
    ctx = build_context([("customer", "You charged me twice for order 55123!")],
                        customer_name="Anna")
    review("Hi Anna, I'm so sorry ...", ctx).score
    draft(ctx, tone="warm").text
"""

from __future__ import annotations

from accord.coach.context import build_context
from accord.coach.review import review
from accord.coach.types import (
    CRITERIA,
    PRACTICES,
    TONES,
    VIOLATIONS,
    CoachContext,
    Finding,
    Review,
    Span,
)

__all__ = [
    "CRITERIA",
    "PRACTICES",
    "TONES",
    "VIOLATIONS",
    "CoachContext",
    "Finding",
    "Review",
    "Span",
    "build_context",
    "review",
]
