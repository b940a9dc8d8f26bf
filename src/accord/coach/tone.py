"""The tone score: how polite the wording is, 0-100, whatever the situation.

A fixed, readable sum of the politeness strategies Danescu-Niculescu-Mizil et al. (2013) found
in requests (gratitude, apology, deference, hedges, indirect "could you", greetings) minus the
impolite ones (direct "why" questions, bare imperatives, scolding, shouting) and the coach's
violations. Nothing is fitted: its correlation with the Stanford politeness scores is measured
by ``accord eval --task coach`` on data it never saw.
"""

from __future__ import annotations

import re

from accord.cases.playbook.machine import Evidence

__all__ = ["tone_score"]

_I = re.IGNORECASE
POLITE: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (w, re.compile(p, _I))
    for w, p in (
        (10.0, r"\b(?:thank\s+you|thanks|appreciate|grateful)\b"),
        (8.0, r"\b(?:sorry|apologi[sz]e|apologies|pardon)\b"),
        (8.0, r"\b(?:could|would|can|will)\s+you\b"),
        (5.0, r"\bplease\b"),
        (6.0, r"^\W*(?:hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))\b"),
        (6.0, r"\b(?:perhaps|maybe|might|possibly|i\s+think|i\s+wonder|it\s+seems)\b"),
        (6.0, r"\b(?:happy|glad|pleased)\s+to\b"),
        (5.0, r"\b(?:great|good|nice|excellent|wonderful|helpful)\b"),
        (5.0, r"\b(?:i\s+understand|i\s+can\s+imagine|must\s+be\s+frustrating)\b"),
        (4.0, r"\b(?:kindly|if\s+you\s+(?:don't|do\s+not)\s+mind|when\s+you\s+(?:get|have)\s+a)\b"),
    )
)
IMPOLITE: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (w, re.compile(p, _I))
    for w, p in (
        (12.0, r"(?:^|[.!?]\s+)why\s+(?:did|do|would|are|is|didn't|don't|can't|won't)\b"),
        (8.0, r"(?:^|[.!?]\s+)(?:send|do|stop|give|tell|read|check|go|look|answer|fix|explain)\b"),
        (8.0, r"\b(?:you\s+(?:should|must|need\s+to)|in\s+fact|actually|obviously|seriously)\b"),
        (10.0, r"\b(?:wrong|stupid|ridiculous|nonsense|useless|lazy|idiot\w*|damn|hell)\b"),
        (6.0, r"[!?]{2,}"),
        (5.0, r"\b[A-Z]{4,}\b"),
    )
)
# Violations found by the coach's detectors cost the tone this much each.
VIOLATION_COST = {"blame": 12.0, "defensive": 10.0, "dismissive": 14.0, "harsh_boundary": 16.0}


def tone_score(text: str, found: dict[str, list[Evidence]] | None = None) -> float:
    score = 50.0
    score += sum(w for w, p in POLITE if p.search(text))
    score -= sum(w for w, p in IMPOLITE if p.search(text))
    if found:
        score -= sum(cost for name, cost in VIOLATION_COST.items() if found.get(name))
    return round(min(100.0, max(0.0, score)), 1)
